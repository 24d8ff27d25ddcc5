"""How trustworthy is the measurement on this machine? Run by hand (not collected by pytest):

    python benchmarks/measurement.py [--aa 40] [--detect 20]

Prints, measured in one run: the false-positive rate over A/A comparisons (goal: 0 "faster"),
the detection rate of a workload made truly 5 % faster at 20 pairs (goal: >= 80 %), the
run-to-run spread of instruction counts with a fixed seed (goal: 0), and valgrind's time
overhead relative to a native run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from profilers.config import MeasureConfig
from profilers.harness import base_env
from profilers.instructions import count_instructions
from profilers.walltime import compare_walltime
from profilers.workload import Workload
from sandbox.base import Sandbox, WorkspaceSpec
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory

LIB = "N = {n}\n\n\ndef work():\n    s = 0\n    for i in range(N):\n        s += i % 7\n    return s >= 0\n"
BENCH = "import lib\nprint('result', lib.work())\n"
PERF = "import lib\n\n\ndef experiment():\n    return lib.work()\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@b.invalid",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@b.invalid",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def commit_loop(repo: Path, n: int) -> None:
    """Commit lib.py with a loop of `n` iterations."""
    (repo / "lib.py").write_text(LIB.format(n=n))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"n={n}", "--allow-empty")


def make_repo(root: Path, n: int) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "bench.py").write_text(BENCH)
    (repo / "perf.py").write_text(PERF)
    commit_loop(repo, n)
    return repo


def truly_faster_loop(sb: Sandbox, n: int, cfg: MeasureConfig, share: float = 0.05) -> int:
    """The loop size that makes a whole sample (start-up included) `share` faster: start-up
    does not shrink with the loop, so cutting the loop by 5 % is less than 5 % per sample."""
    env = base_env(cfg, 0)
    full = statistics.median(sb.execute("python3 bench.py", env=env).duration_s for _ in range(7))
    start = statistics.median(
        sb.execute("python3 -c 'import lib'", env=env).duration_s for _ in range(7)
    )
    per_iter = max(full - start, 1e-9) / n
    return max(1, int(n - share * full / per_iter))


def open_ref(factory: LocalSandboxFactory, repo: Path, ref: str, name: str) -> Sandbox:
    return factory.open(WorkspaceSpec(repo=repo, ref=ref, name=name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--aa", type=int, default=40, help="A/A comparisons")
    parser.add_argument("--detect", type=int, default=20, help="comparisons of a 5%% faster head")
    parser.add_argument("--n", type=int, default=1_500_000, help="loop size of the base workload")
    args = parser.parse_args()
    command = Workload("command", "python3 bench.py")
    script = Workload("gso-script", "perf.py")
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp), args.n)
        factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=Path(tmp)))
        probe = open_ref(factory, repo, "HEAD", "probe")
        n_fast = truly_faster_loop(probe, args.n, MeasureConfig())
        probe.close()
        commit_loop(repo, n_fast)
        base = open_ref(factory, repo, "HEAD~1", "base")
        same = open_ref(factory, repo, "HEAD~1", "same")
        fast = open_ref(factory, repo, "HEAD", "fast")
        try:
            print(f"host: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} at start")
            cfg = MeasureConfig(instructions="never")

            # 1. A/A: identical trees; any "faster" is a false positive.
            t0 = time.time()
            verdicts, ratios = [], []
            for _ in range(args.aa):
                r = compare_walltime(base, same, command, cfg)
                verdicts.append(r.verdict)
                ratios.append(r.ratio)
            fp = verdicts.count("faster")
            if args.aa:
                print(
                    f"A/A: {fp}/{args.aa} faster ({fp / args.aa:.1%}; goal 0), "
                    f"{verdicts.count('slower')} slower, {verdicts.count('same')} same; "
                    f"ratio median {statistics.median(ratios):.3f}, "
                    f"range {min(ratios):.3f}–{max(ratios):.3f}; {time.time() - t0:.0f} s"
                )

            # 2. Detection: loop 5% shorter, 20 pairs.
            t0 = time.time()
            cfg20 = replace(cfg, pairs=20, max_pairs=20)
            hits, true_ratios, pvals, highs, cvs = 0, [], [], [], []
            for _ in range(args.detect):
                r = compare_walltime(base, fast, command, cfg20)
                hits += r.verdict == "faster"
                true_ratios.append(r.ratio)
                pvals.append(r.p_value)
                highs.append(r.ci_high)
                cvs.append(statistics.stdev(r.base_s) / statistics.mean(r.base_s))
            print(
                f"5% faster head (loop {args.n} -> {n_fast}, sized so a whole sample is 5% shorter), 20 pairs: detected {hits}/{args.detect} "
                f"({hits / args.detect:.0%}; goal >= 80%); observed median ratio "
                f"{statistics.median(true_ratios):.3f}, median p {statistics.median(pvals):.3g}, "
                f"median CI high {statistics.median(highs):.3f}, sample CV "
                f"{statistics.median(cvs):.1%}; {time.time() - t0:.0f} s"
            )

            # 3. Instruction-count spread with a fixed seed, both methods.
            for workload in (script, command):
                counts = [count_instructions(base, workload, (0,), cfg)[0] for _ in range(5)]
                spread = (max(counts) - min(counts)) / statistics.median(counts)
                print(
                    f"instructions ({workload.kind}, seed 0, 5 runs): {min(counts):,}–{max(counts):,} "
                    f"spread {spread:.2e} (goal 0)"
                )

            # 4. Valgrind overhead: whole-process cachegrind (how a command is counted) vs native.
            env = base_env(cfg, 0)
            native = statistics.median(
                base.execute("python3 bench.py", env=env).duration_s for _ in range(5)
            )
            vg = base.execute(
                "valgrind -q --tool=cachegrind --cache-sim=no --branch-sim=no "
                f"--cachegrind-out-file={base.scratch}/x.%p python3 bench.py",
                env=env,
                timeout=900,
            ).duration_s
            t0 = time.perf_counter()
            count_instructions(base, script, (0,), cfg)
            region = time.perf_counter() - t0
            print(
                f"valgrind overhead: native {native:.2f} s, cachegrind whole {vg:.1f} s "
                f"({vg / native:.0f}x); region-only count incl. helper build {region:.1f} s "
                f"({region / native:.0f}x)"
            )
            print(f"load at end {os.getloadavg()[0]:.2f}")
        finally:
            for sb in (base, same, fast):
                sb.close()


if __name__ == "__main__":
    main()
