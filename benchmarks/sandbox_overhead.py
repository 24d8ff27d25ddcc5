"""What does a sandbox cost per command and per candidate, before and after the clean-state and
warm-sandbox work? Run by hand (not collected by pytest):

    python benchmarks/sandbox_overhead.py [--rounds 4] [--commands 12] [--before REF]

Side by side in one run, interleaved round by round, each variant in a child process that
imports its own tree (`--before`, default the merge-base with main, is checked out in a
temporary git work tree):

    local-before         the local sandbox as it was (no file isolation by default)
    local-after          the local sandbox now: private overlay view, no capabilities
    local-after-noiso    the same without file isolation (fresh HOME/TMPDIR/scratch, tree guard)
    docker-before        a fresh container per command
    docker-after         one warm container per sandbox, reset by the timer
    docker-after-warm    the same, the next candidate's sandbox prewarmed during this one's commands

A candidate = open a sandbox (a small repo, one file replaced), execute `true` N times, close.
Per-command overhead = wall time of `execute` minus the command's own `duration_s`; per-candidate
overhead = open + all executes + close minus the commands' own time. `duration_s` of `true` itself
shows what lands inside the timed region: the reset and write detection must not. For the local
sandbox after, the set-up before and teardown after each command are printed too. Each child's
first candidate is an untimed warm-up (image resolution, imports).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "true"
FILES = {
    "lib.py": "def work():\n    return sum(range(1000))\n",
    "bench.py": "import lib\nprint(lib.work())\n",
    "tests/test_lib.py": "import lib\n\n\ndef test_work():\n    assert lib.work() == 499500\n",
    "requirements.txt": "",
}
CANDIDATE = {"lib.py": "def work():\n    return 499500\n"}
PROTECTED = ("tests/**", "bench.py")
VARIANTS = {
    "local-before": ("before", "local", {}),
    "local-after": ("after", "local", {}),
    "local-after-noiso": ("after", "local", {"isolate_files": False}),
    "docker-before": ("before", "docker", {}),
    "docker-after": ("after", "docker", {}),
    "docker-after-warm": ("after", "docker", {"prewarm": True}),
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@b.invalid",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@b.invalid",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
        env={**os.environ, **GIT_ENV},
    ).stdout.strip()  # fmt: skip


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


# the child: one variant, a few candidates ------------------------------------------------------
def child_factory(kind: str, options: dict[str, Any], tmp: Path) -> Any:
    if kind == "docker":
        from sandbox.docker import DockerConfig, DockerSandboxFactory

        return DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp))
    from sandbox.local import LocalSandboxConfig, LocalSandboxFactory

    fields = {k: v for k, v in options.items() if k != "prewarm"}
    return LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp, **fields))


def one_candidate(factory: Any, spec: Any, commands: int, next_spec: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"exec_overhead": [], "duration": [], "setup": [], "teardown": []}
    t0 = time.perf_counter()
    sb = factory.open(spec)
    out["open"] = time.perf_counter() - t0
    if next_spec is not None:
        factory.prewarm(next_spec)  # while this candidate's commands run, as a run would
    try:
        for _ in range(commands):
            t = time.perf_counter()
            res = sb.execute(COMMAND, timeout=60)
            wall = time.perf_counter() - t
            if not res.ok:
                raise SystemExit(f"`{COMMAND}` failed: {res.tail(3)}")
            out["exec_overhead"].append(wall - res.duration_s)
            out["duration"].append(res.duration_s)
            phases = getattr(sb, "last_phases", {})
            for name in ("setup", "teardown"):
                if f"{name}_s" in phases:
                    out[name].append(phases[f"{name}_s"])
    finally:
        t = time.perf_counter()
        sb.close()
        out["close"] = time.perf_counter() - t
    own = sum(out["duration"])
    out["candidate"] = time.perf_counter() - t0 - own
    return out


def child(args: argparse.Namespace) -> None:
    from sandbox.base import WorkspaceSpec

    kind, options = args.kind, json.loads(args.options)
    with tempfile.TemporaryDirectory(prefix="perfagent-bench-child-") as tmp_name:
        factory = child_factory(kind, options, Path(tmp_name))
        specs = [
            WorkspaceSpec(
                repo=Path(args.repo),
                ref="HEAD",
                files=CANDIDATE,
                protected=PROTECTED,
                name=f"bench{i}",
            )
            for i in range(args.candidates + 1)
        ]
        results = []
        for i in range(args.candidates):
            nxt = specs[i + 1] if options.get("prewarm") else None
            results.append(one_candidate(factory, specs[i], args.commands, nxt))
        if hasattr(factory, "discard_prewarmed"):
            factory.discard_prewarmed()
    print(json.dumps(results[1:]))  # the first candidate is a warm-up


# the parent ------------------------------------------------------------------------------------
def run_child(
    variant: str, trees: dict[str, Path], repo: Path, args: argparse.Namespace
) -> list[dict[str, Any]]:
    side, kind, options = VARIANTS[variant]
    env = {**os.environ, "PYTHONPATH": str(trees[side])}
    cmd = [
        sys.executable, __file__, "--child", "--kind", kind, "--options", json.dumps(options),
        "--repo", str(repo), "--commands", str(args.commands), "--candidates", str(args.candidates + 1),
    ]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{proc.stderr[-3000:]}")
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


def docker_available() -> bool:
    try:
        from sandbox.engine import engine_available
    except ImportError:
        return False
    return engine_available()


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def report(samples: dict[str, list[dict[str, Any]]]) -> None:
    def pool(variant: str, key: str) -> list[float]:
        out: list[float] = []
        for cand in samples[variant]:
            value = cand[key]
            out += value if isinstance(value, list) else [value]
        return out

    print(
        f"{'variant':<19} {'cmd ovh':>8} {'p90':>7} {'true dur':>9} {'setup':>7} {'tdown':>7} "
        f"{'open':>7} {'close':>7} {'cand ovh':>9} {'n cmd':>6}"
    )
    for v in samples:

        def ms(key: str, f: Any = med, v: str = v) -> float:
            return 1000 * f(pool(v, key))

        print(
            f"{v:<19} {ms('exec_overhead'):>6.1f}ms {ms('exec_overhead', p90):>5.1f}ms "
            f"{ms('duration'):>7.2f}ms {ms('setup'):>5.1f}ms {ms('teardown'):>5.1f}ms "
            f"{ms('open'):>5.0f}ms {ms('close'):>5.0f}ms {ms('candidate'):>7.0f}ms "
            f"{len(pool(v, 'duration')):>6}"
        )
    print("ratios after/before (medians):")
    for kind, after in (
        ("local", "local-after"),
        ("docker", "docker-after"),
        ("docker", "docker-after-warm"),
    ):
        before = f"{kind}-before"
        if before in samples and after in samples:

            def ratio(key: str, after: str = after, before: str = before) -> float:
                return med(pool(after, key)) / med(pool(before, key))

            print(
                f"  {after:<19} per command x{ratio('exec_overhead'):.2f}  per candidate "
                f"x{ratio('candidate'):.2f}  open x{ratio('open'):.2f}  `true` in the timed "
                f"region x{ratio('duration'):.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (>= 1)")
    parser.add_argument("--commands", type=int, default=12, help="commands per candidate")
    parser.add_argument("--candidates", type=int, default=2, help="timed candidates per child")
    parser.add_argument("--before", default="", help="git ref of the 'before' tree")
    parser.add_argument("--only", default="", help="comma-separated variants to run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--repo", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if min(args.rounds, args.commands, args.candidates) < 1:
        parser.error("--rounds, --commands and --candidates must be at least 1")
    before = args.before or git(ROOT, "merge-base", "HEAD", "main")
    variants = [v for v in VARIANTS if not args.only or v in args.only.split(",")]
    if not docker_available():
        print("docker: no engine answers; measuring the local sandbox only")
        variants = [v for v in variants if not v.startswith("docker")]
    print(f"host: {os.cpu_count()} CPUs; uptime: {os.popen('uptime').read().strip()}")
    print(
        f"before = {before[:12]}, after = this tree ({git(ROOT, 'rev-parse', '--short', 'HEAD')})"
    )
    with tempfile.TemporaryDirectory(prefix="perfagent-bench-sandbox-") as tmp_name:
        tmp = Path(tmp_name)
        repo = make_repo(tmp)
        git(ROOT, "worktree", "add", "--detach", "-q", str(tmp / "before"), before)
        trees = {"before": tmp / "before", "after": ROOT}
        samples: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
        try:
            for r in range(args.rounds):
                for v in variants if r % 2 == 0 else variants[::-1]:
                    samples[v] += run_child(v, trees, repo, args)
                print(f"round {r + 1}/{args.rounds} done", flush=True)
        finally:
            git(ROOT, "worktree", "remove", "--force", str(tmp / "before"))
    print(
        f"{args.commands} x `{COMMAND}` per candidate, {args.candidates} timed candidates per child"
    )
    report(samples)
    print(f"uptime at end: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
