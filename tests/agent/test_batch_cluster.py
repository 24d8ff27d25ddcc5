"""`perfagent batch` on a real two-node Ray cluster with a PostgreSQL store, losing a node.

Two nodes are started on this machine with `ray start` (a head and a second node, each with
its own temp dir and TMPDIR, so each has its own timing slot as two machines would), with
token authentication. PostgreSQL comes from the storage tests' server fixture. Mid-batch, the
second node hangs and dies as a machine would: every process of it is frozen (SIGSTOP; its
worker can no longer renew its run's lease, and, alive, no pid check can free the run), then
its raylet is killed (SIGKILL), so Ray declares the node dead. The batch must still finish
every instance exactly once.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage import Store, sqlite_url
from storage.models import Run
from tasks.predictions import read_predictions, validation_errors
from tests.agent.test_batch import kill_tagged, tagged_pids
from tests.storage.conftest import free_port, postgres_server, postgres_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "tasks"
INSTANCES = ("stats-variance", "dedupe-unique")
ENDED = ("finished", "no-improvement")
pytestmark = pytest.mark.slow


@dataclass
class Cluster:
    address: str
    env: dict[str, str]
    """What the driver needs: the token, and the head's tag (its processes are ours)."""
    second: str
    """The tag in the environment of every process of the second node."""


def ray_start(args: list[str], env: dict[str, str]) -> None:
    ray = shutil.which("ray") or "ray"
    proc = subprocess.run(
        [ray, "start", *args, "--num-cpus", "1", "--disable-usage-stats"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A head and a second node on this machine; every process of both is killed after."""
    run = uuid.uuid4().hex[:8]
    root = Path(tempfile.mkdtemp(prefix=f"pa-ray-{run}-"))  # short: Ray's sockets live here
    base = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": uuid.uuid4().hex * 2}
    base.pop("RAY_ADDRESS", None)
    tags = {name: f"PERFAGENT_CLUSTER_TEST={run}-{name}" for name in ("head", "second")}

    def node_env(name: str) -> dict[str, str]:
        (root / f"{name}-tmp").mkdir()
        key, value = tags[name].split("=")
        return {**base, key: value, "TMPDIR": str(root / f"{name}-tmp")}

    port = free_port()
    try:
        head = ["--head", "--port", str(port), "--include-dashboard", "false"]
        ray_start([*head, "--temp-dir", str(root / "h")], node_env("head"))
        address = f"127.0.0.1:{port}"
        ray_start(["--address", address, "--temp-dir", str(root / "s")], node_env("second"))
        key, value = tags["head"].split("=")
        yield Cluster(address, {**base, key: value}, tags["second"].split("=")[1])
    finally:
        for tag in tags.values():
            for pid in tagged_pids(tag):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(root, ignore_errors=True)


def batch_argv(
    tmp_path: Path, db: str, address: str | None, only: tuple[str, ...] = INSTANCES
) -> list[str]:
    """A batch of `only` from the native examples with the scripted engine, two at a time."""
    make = runpy.run_path(str(EXAMPLES / "make_repos.py"))
    make["build_all"](tmp_path / "mirror")
    script = tmp_path / "script.json"
    # Each planner and coder call takes 3 s, so a run seen past its baseline is still
    # running when its node is frozen: without it, the run could end between the test
    # seeing it and the freeze, and no node loss was ever observed (a CI rehearsal, s41).
    script.write_text(
        json.dumps(
            {
                "sleep": 3,
                "plans": [
                    {"title": "compute the mean once", "text": "hoist mean()",
                     "files": {"stats.py": make["STATS_FAST"]}},
                    {"title": "seen-set membership", "text": "a set for membership",
                     "files": {"dedupe/__init__.py": make["DEDUPE_FAST"]}},
                ]
            }
        )
    )  # fmt: skip
    return [
        sys.executable, "-m", "agent", "batch", str(EXAMPLES / "native.jsonl"),
        "--format", "native", "--repo-cache", str(tmp_path / "mirror"),
        "--work-dir", str(tmp_path / "ws"), "--no-clone", "--db", db, "--sandbox", "local",
        "--workers", str(min(len(only), 2)), "--budget", "2", "--no-grade", "--lease", "6",
        "--model", f"tests.agent.fakes:ScriptedEngine:{script}",
        "--predictions", str(tmp_path / "preds.jsonl"), "--json",
        *(["--ray-address", address] if address else []),
        *[arg for instance in only for arg in ("--only", instance)],
    ]  # fmt: skip


def holder_on(store: Store, tag: str) -> Any:
    """A running run whose holder is a process of the node tagged `tag`, past its baseline."""
    pids = set(tagged_pids(tag))
    for run in store.runs(limit=100):
        if run.status == "running" and run.baseline and run.pid in pids:
            return run
    return None


def state(store: Store) -> str:
    """Each run's status and lease, for a failure message (read as is: nothing marked)."""
    with store.session() as s:
        runs = list(s.scalars(select(Run)))
    return "; ".join(f"{r.id} {r.status} {r.lease_owner or '-'} {r.lease_expires}" for r in runs)


def lose_node(tag: str) -> None:
    """Freeze every process of the node, then kill its raylet: a machine that hung and died."""
    pids = tagged_pids(tag)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)
    for pid in pids:
        with contextlib.suppress(OSError):
            if b"raylet" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]:
                os.kill(pid, signal.SIGKILL)


def test_a_batch_survives_the_loss_of_a_node(
    tmp_path: Path,
    cluster: Cluster,
    postgres_url: str,  # noqa: F811 (the fixture imported above)
) -> None:
    """Guards clusters: workers write to the driver's PostgreSQL store; a run held by a node
    that hung and died is taken over once its lease lapses and resumed on the surviving node
    (never started again); every instance ends with one finished run and one prediction; and
    instances that share a node never held its timing slot at the same time."""
    out_path, err_path = tmp_path / "stdout", tmp_path / "stderr"
    with out_path.open("w") as out_fh, err_path.open("w") as err_fh:
        driver = subprocess.Popen(
            batch_argv(tmp_path, postgres_url, cluster.address), cwd=ROOT, env=cluster.env,
            stdout=out_fh, stderr=err_fh, text=True,
        )  # fmt: skip
    store = Store(postgres_url)
    try:
        deadline = time.monotonic() + 300
        lost = None
        while lost is None and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
            lost = holder_on(store, cluster.second)
        assert lost is not None, "no run was seen on the second node"
        lose_node(cluster.second)
        try:
            driver.wait(timeout=600)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the batch did not end: {state(store)}\n{err_path.read_text()[-4000:]}")
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
    out, err = out_path.read_text(), err_path.read_text()
    assert driver.returncode in (0, 1), err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert "its worker died" in err or "its worker stopped renewing" in err
    *rows, last = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["instance_id"] for r in rows) == sorted(INSTANCES)
    assert all(r["status"] in ENDED for r in rows), rows
    assert last["summary"]["tasks"] == len(INSTANCES)

    runs = store.runs(limit=100)
    assert sorted(r.config["batch"]["instance_id"] for r in runs) == sorted(INSTANCES)
    assert all(r.status in ENDED and r.lease_owner == "" for r in runs)
    resumed = store.run(lost.id)
    assert resumed is not None and resumed.pid != lost.pid  # taken over, same run
    assert {r["run_id"] for r in rows} == {r.id for r in runs}

    preds = read_predictions(tmp_path / "preds.jsonl")
    assert validation_errors(preds, "native") == []
    assert sorted(p["instance_id"] for p in preds) == sorted(INSTANCES)
    by_id = {r["instance_id"]: r for r in rows}
    assert all(bool(p["model_patch"]) == by_id[p["instance_id"]]["accepted"] for p in preds)

    holds: dict[str, list[tuple[float, float]]] = {}
    for run in runs:
        for event in store.events(run.id):
            if event.kind == "timing-slot":
                holds.setdefault(event.data["slot"], []).append(
                    (event.data["from"], event.data["to"])
                )
    assert holds
    for spans in holds.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    store.close()


def test_a_hung_worker_that_ray_still_sees_alive_loses_its_instance(tmp_path: Path) -> None:
    """Guards the case Ray cannot see: a worker that hangs (frozen with SIGSTOP; its node and
    raylet fine) never fails its task. Its run's lease lapses, the driver cancels the task,
    which kills the worker, and sends the instance out again; the run is resumed, once."""
    tag = f"PERFAGENT_HUNG_TEST={uuid.uuid4().hex}"
    key, value = tag.split("=")
    db = tmp_path / "batch.db"
    argv = batch_argv(tmp_path, sqlite_url(db), None, only=("dedupe-unique",))
    out_path, err_path = tmp_path / "stdout", tmp_path / "stderr"
    with out_path.open("w") as out_fh, err_path.open("w") as err_fh:
        driver = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, key: value}, stdout=out_fh, stderr=err_fh
        )
    try:
        deadline = time.monotonic() + 300
        hung = None
        while hung is None and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
            if db.exists():
                watch = Store(sqlite_url(db))
                hung = holder_on(watch, value)
                watch.close()
        assert hung is not None, "no run was seen running"
        os.kill(hung.pid, signal.SIGSTOP)
        driver.wait(timeout=600)
    finally:
        kill_tagged(value)
        driver.wait(timeout=60)
    err = err_path.read_text()
    assert driver.returncode in (0, 1) and "Traceback" not in err, err[-3000:]
    assert f"its worker stopped renewing run {hung.id}" in err
    [row, _summary] = [json.loads(line) for line in out_path.read_text().splitlines()]
    assert row["instance_id"] == "dedupe-unique" and row["status"] in ENDED
    store = Store(sqlite_url(db))
    [run] = store.runs(limit=10)
    assert run.id == hung.id and run.status in ENDED and run.pid != hung.pid
