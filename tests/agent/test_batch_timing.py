"""The per-machine timing slot of batch workers: one holder at a time across processes,
re-entrant within one (a measurement opens base and head together), given back by a process
that dies, and held by every sandbox a worker opens for as long as it is open."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from agent.batch.timing import NodeLock, TimedAlone
from sandbox.base import WorkspaceSpec, opened
from sandbox.local import LocalSandboxFactory

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from agent.batch.timing import NodeLock

    lock = NodeLock(Path(sys.argv[1]))
    lock.acquire()
    start = time.time()
    Path(sys.argv[2]).write_text("held")
    time.sleep(float(sys.argv[3]))
    end = time.time()
    lock.release()
    print(json.dumps([start, end]))
    """
)


def holder(lock: Path, flag: Path, hold_s: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-c", HOLDER, str(lock), str(flag), str(hold_s)]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)


def wait_for(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_processes_on_one_machine_hold_the_slot_one_at_a_time(tmp_path: Path) -> None:
    """Guards concurrent timing: three processes contending for the slot each hold it in an
    interval no other hold overlaps."""
    lock = tmp_path / "timing.lock"
    procs = [holder(lock, tmp_path / f"flag{n}", 0.3) for n in range(3)]
    spans = sorted(json.loads(p.communicate(timeout=60)[0]) for p in procs)
    assert all(p.returncode == 0 for p in procs)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start


def test_a_killed_holder_gives_the_slot_back(tmp_path: Path) -> None:
    """Guards a dead worker: its slot must not block the machine's other instances."""
    lock, flag = tmp_path / "timing.lock", tmp_path / "flag"
    stuck = holder(lock, flag, 3600)
    wait_for(flag.exists)
    mine = NodeLock(lock)
    stuck.send_signal(signal.SIGKILL)
    stuck.wait(timeout=30)
    mine.acquire()
    mine.release()
    assert mine.fd is None


def test_a_frozen_holder_does_not_keep_the_slot(tmp_path: Path) -> None:
    """Guards a batch that hung for good when a node froze: a worker stopped by SIGSTOP holds
    its locks while it lives, and the instance resumed on the same machine waited on it. A
    holder that stays stopped is not waited for; one that runs is, for as long as it holds."""
    lock, flag = tmp_path / "timing.lock", tmp_path / "flag"
    stuck = holder(lock, flag, 3600)
    wait_for(flag.exists)
    try:
        stuck.send_signal(signal.SIGSTOP)
        frozen: list[list[int]] = []
        mine = NodeLock(lock, on_frozen=frozen.append)
        mine.acquire()
        mine.release()
        assert frozen == [[stuck.pid]]
    finally:
        stuck.kill()
        stuck.wait(timeout=30)
    running = holder(lock, tmp_path / "flag2", 3)
    wait_for((tmp_path / "flag2").exists)
    later = NodeLock(lock, on_frozen=frozen.append)
    later.acquire()
    later.release()
    _start, end = json.loads(running.communicate(timeout=60)[0])
    assert running.returncode == 0 and frozen == [[stuck.pid]]
    assert later.since >= end  # waited out, not taken for frozen


def test_a_busy_slot_is_waited_for_and_each_hold_reported(tmp_path: Path) -> None:
    lock, flag = tmp_path / "timing.lock", tmp_path / "flag"
    other = holder(lock, flag, 0.5)
    wait_for(flag.exists)
    waits: list[str] = []
    holds: list[dict[str, float]] = []
    mine = NodeLock(lock, on_wait=lambda: waits.append("waiting"), on_hold=holds.append)
    mine.acquire()
    other_span = json.loads(other.communicate(timeout=60)[0])
    mine.release()
    assert waits == ["waiting"]
    [held] = holds
    assert held["from"] >= other_span[1] and held["to"] >= held["from"] and held["waited_s"] > 0


def test_sandboxes_hold_the_slot_while_open(tmp_path: Path, make_repo: Callable[..., Path]) -> None:
    """Guards the wiring: every sandbox a worker opens holds the slot (base and head of one
    measurement together, as one hold), and closing the last one gives it back."""
    repo = make_repo({"bench.py": "print(1)\n"})
    ref = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    holds: list[dict[str, float]] = []
    lock = NodeLock(tmp_path / "timing.lock", on_hold=holds.append)
    factory = TimedAlone(LocalSandboxFactory(), lock)
    assert factory.kind == "local"
    with (
        opened(factory, WorkspaceSpec(repo, ref, name="base")) as base,
        opened(factory, WorkspaceSpec(repo, ref, name="head")) as head,
    ):
        assert lock.depth == 2
        assert base.execute("python bench.py").stdout.strip() == "1"
        assert head.workdir and head.host_root.is_dir()
        probe = holder(tmp_path / "timing.lock", tmp_path / "flag", 0)
        time.sleep(0.5)
        assert probe.poll() is None  # another process waits while the sandboxes are open
    probe_span = json.loads(probe.communicate(timeout=60)[0])
    assert lock.depth == 0 and len(holds) == 1
    assert probe_span[0] >= holds[0]["to"]
