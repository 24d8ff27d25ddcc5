"""What does a sandbox cost per candidate? Run by hand (not collected by pytest):

    python benchmarks/sandbox_overhead.py [--n 10]

For the Docker sandbox and the local one, side by side in one run and interleaved, N times each:
open a sandbox for a candidate (a WorkspaceSpec on a small temporary git repo, with one file
replaced), execute `true` in it and close it. Overhead = wall time of open + execute + close
minus the command's own time (ExecResult.duration_s). Prints median and p90 of the overhead and
its parts (open; execute minus the command; close). Goal: Docker median <= 1 s. The local
sandbox is the reference, no goal.

One untimed warm-up per sandbox kind comes first: the first Docker open of a commit resolves
its image layers (building the env layer if the engine lacks it), which a run does once, not
per candidate. Both factories are made once and reused, as one `perfagent optimize` run does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.base import SandboxError, SandboxFactory, WorkspaceSpec
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory

GOAL_DOCKER_S = 1.0
COMMAND = "true"
FILES = {
    "lib.py": "def work():\n    return sum(range(1000))\n",
    "bench.py": "import lib\nprint(lib.work())\n",
    "tests/test_lib.py": "import lib\n\n\ndef test_work():\n    assert lib.work() == 499500\n",
    "requirements.txt": "",
}
CANDIDATE = {"lib.py": "def work():\n    return 499500\n"}
PROTECTED = ("tests/**", "bench.py")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@b.invalid",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@b.invalid",
}


@dataclass
class Samples:
    """Seconds per repetition: overhead and its parts."""

    overhead: list[float] = field(default_factory=list)
    open: list[float] = field(default_factory=list)
    execute: list[float] = field(default_factory=list)
    close: list[float] = field(default_factory=list)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def make_repo(root: Path) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for rel, text in FILES.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def one_candidate(factory: SandboxFactory, spec: WorkspaceSpec, into: Samples | None) -> None:
    """Open, run `true`, close; record the overhead and its parts (nothing when `into` is None)."""
    t0 = time.perf_counter()
    sb = factory.open(spec)
    t1 = time.perf_counter()
    try:
        result = sb.execute(COMMAND, timeout=60)
        t2 = time.perf_counter()
    finally:
        sb.close()
    t3 = time.perf_counter()
    if not result.ok:
        raise SandboxError(f"`{COMMAND}` failed in the {factory.kind} sandbox: {result.tail(3)}")
    if into is not None:
        into.overhead.append(t3 - t0 - result.duration_s)
        into.open.append(t1 - t0)
        into.execute.append(t2 - t1 - result.duration_s)
        into.close.append(t3 - t2)


def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def docker_factory(tmp: Path) -> SandboxFactory | str:
    """The factory `--sandbox docker` uses (as agent/wiring.py builds it), or why there is none."""
    try:
        from sandbox.docker import DockerConfig, DockerSandboxFactory

        factory = DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp))
    except (ImportError, SandboxError) as exc:
        return str(exc)
    factory.progress = lambda line: print(f"  docker warm-up: {line}", flush=True)
    return factory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="timed repetitions per sandbox kind")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")
    print(f"host: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="perfagent-bench-sandbox-") as tmp_name:
        tmp = Path(tmp_name)
        repo = make_repo(tmp)
        spec = WorkspaceSpec(
            repo=repo, ref="HEAD", files=CANDIDATE, protected=PROTECTED, name="bench"
        )
        factories: dict[str, SandboxFactory] = {
            "local": LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp))
        }
        docker = docker_factory(tmp)
        if isinstance(docker, str):
            print(f"docker: unavailable ({docker}); measuring the local sandbox only")
        else:
            factories["docker"] = docker
        for kind, factory in factories.items():
            t0 = time.perf_counter()
            one_candidate(factory, spec, None)
            print(f"warm-up (untimed): {kind} {time.perf_counter() - t0:.2f} s")
        samples = {kind: Samples() for kind in factories}
        kinds = list(factories)
        for i in range(args.n):
            # Alternate the order so neither kind always runs right after the other.
            for kind in kinds if i % 2 == 0 else kinds[::-1]:
                one_candidate(factories[kind], spec, samples[kind])
    print(
        f"per-candidate overhead: open + execute `{COMMAND}` + close, minus the command's own "
        f"time; {args.n} interleaved repetitions each"
    )
    print(
        f"{'sandbox':<8} {'median':>8} {'p90':>8} {'goal':>8} {'met':>4} "
        f"{'open':>7} {'exec':>7} {'close':>7} {'n':>4}"
    )
    for kind, s in samples.items():
        median = statistics.median(s.overhead)
        goal, met = ("-", "-")
        if kind == "docker":
            goal, met = f"<={GOAL_DOCKER_S:g} s", "yes" if median <= GOAL_DOCKER_S else "no"
        parts = " ".join(f"{statistics.median(v):>6.3f}s" for v in (s.open, s.execute, s.close))
        print(
            f"{kind:<8} {median:>7.3f}s {p90(s.overhead):>7.3f}s {goal:>8} {met:>4} "
            f"{parts} {len(s.overhead):>4}"
        )
    print("(open / exec / close: medians of the parts; exec is execute minus the command's time)")
    print(f"load at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
