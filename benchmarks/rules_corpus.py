"""Does the offline rules engine speed up code it was not written against? Run by hand:

    python benchmarks/rules_corpus.py [--split heldout|dev|all] [--only NAME] [--budget N]
                                      [--reference] [--runs 7] [--sandbox local]

For each project under benchmarks/rules_corpus/projects (see its README): copies it, without
its withheld tests and reference patch, into a fresh git repository and runs
`perfagent optimize DIR --model rules --json` there exactly as a user would (this tree, a fresh
store). The accepted patch, if any, is applied to a clean copy that does have the withheld
tests; the withheld and the visible tests run there, and `python bench.py` is timed base
against patched side by side (interleaved, fresh processes, `--runs` pairs) so the speedup is
judged here, not taken from perfagent's own claim. `--reference` does the same with each
project's `reference.patch` instead of perfagent, to show the ceiling.

A project is BROKEN when its accepted patch does not apply, fails a test, or changes what
bench.py prints; a win when it is not broken and the independent speedup is at least 1.2x.
Goals (issue 18): at least 75 % of the held-out projects win, none broken. The median speedup
counts 1.00 for projects where nothing was accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "rules_corpus"
WIN = 1.2
GOAL_SHARE = 0.75
HIDDEN = ("withheld", "reference.patch")
JUNK = ("__pycache__", ".pytest_cache", ".perfagent", "*.pyc")
OPTIMIZE_TIMEOUT_S = 3 * 3600
GIT = [
    "git",
    "-c",
    "user.name=corpus",
    "-c",
    "user.email=corpus@localhost",
    "-c",
    "commit.gpgsign=false",
]


@dataclass
class Row:
    name: str
    split: str
    accepted: bool = False
    claim: str = "-"
    base_s: float | None = None
    patched_s: float | None = None
    speedup: float | None = None
    visible: str = "-"
    withheld: str = "-"
    same_output: str = "-"
    verdict: str = "no-win"
    took_s: float = 0.0
    note: str = ""


def project_env() -> dict[str, str]:
    """The environment for a project's own commands: nothing of this repository leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PERFAGENT"))}
    env["PYTHONHASHSEED"] = "0"
    return env


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env or project_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stage(src: Path, dst: Path, hide: tuple[str, ...]) -> Path:
    """A committed git repository holding a copy of `src` without `hide` and build junk."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*hide, *JUNK))
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        proc = run([*GIT, *step], dst)
        if proc.returncode:
            raise RuntimeError(f"git {step[0]} failed in {dst}: {proc.stderr.strip()}")
    return dst


def optimize(repo: Path, db: Path, args: argparse.Namespace) -> dict[str, object]:
    cmd = [
        sys.executable,
        "-m",
        "agent",
        "optimize",
        str(repo),
        "--model",
        "rules",
        "--sandbox",
        args.sandbox,
        "--db",
        str(db),
        "--json",
    ]
    if args.budget is not None:
        cmd += ["--budget", str(args.budget)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = run(cmd, ROOT, env=env, timeout=OPTIMIZE_TIMEOUT_S)
    if proc.returncode not in (0, 1):
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"perfagent exited {proc.returncode}: {last}")
    summary: dict[str, object] = json.loads(proc.stdout)
    return summary


def statuses(summary: dict[str, object]) -> str:
    """How the candidates ended, by status only (no code, no reasons): " (same 2, overfit 1)"."""
    cands = summary.get("candidates")
    told = (
        [str(c.get("status")) for c in cands if isinstance(c, dict)]
        if isinstance(cands, list)
        else []
    )
    tally = ", ".join(f"{s} {told.count(s)}" for s in sorted(set(told)))
    return f" ({tally})" if tally else ""


def perfagent_patch(project: Path, work: Path, row: Row, args: argparse.Namespace) -> str:
    repo = stage(project, work / "optimize", HIDDEN)
    summary = optimize(repo, work / "store.db", args)
    best = summary.get("best")
    row.note = f"{summary.get('candidates_evaluated', '?')} candidates{statuses(summary)}; "
    if not isinstance(best, dict):
        row.note += str(summary.get("reason") or summary.get("status") or "")[:60]
        return ""
    ratio, lo, hi = best.get("runtime_ratio"), best.get("ci_low"), best.get("ci_high")
    if isinstance(ratio, float | int):
        row.claim = f"{ratio:.3f} [{lo:.3f}, {hi:.3f}]" if lo is not None else f"{ratio:.3f}"
    row.note += str(best.get("plan_title") or "")[:60]
    return str(best.get("diff") or "")


def tests_pass(repo: Path, folder: str) -> str:
    proc = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder], repo)
    if proc.returncode == 0:
        return "pass"
    tail = [line for line in proc.stdout.splitlines() if line.strip()][-1:] or ["?"]
    return f"FAIL ({tail[0][:40]})"


def bench_once(repo: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = run([sys.executable, "bench.py"], repo)
    took = time.perf_counter() - start
    if proc.returncode:
        return took, f"<exit {proc.returncode}> {proc.stderr[-200:]}"
    return took, proc.stdout


def time_side_by_side(base: Path, patched: Path, runs: int, row: Row) -> None:
    """Interleaved fresh-process runs of bench.py; the order alternates within each pair."""
    outputs = {bench_once(base)[1], bench_once(patched)[1]}  # warm-up, also compiles
    base_times: list[float] = []
    patched_times: list[float] = []
    ratios: list[float] = []
    for i in range(runs):
        pair = [(base, base_times), (patched, patched_times)]
        for repo, times in pair if i % 2 == 0 else reversed(pair):
            took, out = bench_once(repo)
            times.append(took)
            outputs.add(out)
        ratios.append(patched_times[-1] / base_times[-1])
    row.base_s = statistics.median(base_times)
    row.patched_s = statistics.median(patched_times)
    row.speedup = 1.0 / statistics.median(ratios)
    row.same_output = "yes" if len(outputs) == 1 else "NO"


def verify(project: Path, work: Path, patch: str, runs: int, row: Row) -> None:
    base = stage(project, work / "base", ("reference.patch",))
    patched = stage(project, work / "patched", ("reference.patch",))
    (work / "candidate.patch").write_text(patch)
    applied = run([*GIT, "apply", "--whitespace=nowarn", str(work / "candidate.patch")], patched)
    if applied.returncode:
        row.verdict = "BROKEN"
        row.note = f"patch does not apply: {applied.stderr.strip()[:50]}"
        return
    if tests_pass(base, "tests") != "pass" or tests_pass(base, "withheld") != "pass":
        row.verdict, row.note = "ERROR", "the original project fails its own tests"
        return
    row.visible = tests_pass(patched, "tests")
    row.withheld = tests_pass(patched, "withheld")
    if row.visible != "pass" or row.withheld != "pass":
        row.verdict = "BROKEN"
        return
    time_side_by_side(base, patched, runs, row)
    if row.same_output != "yes":
        row.verdict = "BROKEN"
        row.note = "bench.py output changed"
    else:
        row.verdict = "win" if (row.speedup or 0.0) >= WIN else "no-win"


def measure(name: str, split: str, args: argparse.Namespace) -> Row:
    row = Row(name, split)
    project = CORPUS / "projects" / name
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"corpus-{name}-") as tmp:
        work = Path(tmp)
        try:
            if args.reference:
                patch = (project / "reference.patch").read_text()
                row.claim, row.note = "(reference)", "hand fix"
            else:
                patch = perfagent_patch(project, work, row, args)
            row.accepted = bool(patch.strip())
            if row.accepted:
                verify(project, work, patch, args.runs, row)
        except Exception as exc:  # a measurement script reports every failure and goes on
            row.verdict, row.note = "ERROR", f"{type(exc).__name__}: {exc}"[:80]
    row.took_s = time.monotonic() - start
    return row


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_row(row: Row) -> None:
    print(
        f"{row.name:<11} {row.split:<8} {'yes' if row.accepted else 'no':<4} "
        f"{row.claim:<24} {fmt(row.base_s, '.3f'):>7} {fmt(row.patched_s, '.3f'):>7} "
        f"{fmt(row.speedup, '.2f'):>6} {row.visible[:8]:<8} {row.withheld[:8]:<8} "
        f"{row.same_output:<4} {row.verdict:<7} {row.took_s:>5.0f}s  {row.note}",
        flush=True,
    )


def print_summary(rows: list[Row], runs: int) -> None:
    if not rows:
        return
    wins = sum(1 for r in rows if r.verdict == "win")
    broken = sum(1 for r in rows if r.verdict == "BROKEN")
    errors = sum(1 for r in rows if r.verdict == "ERROR")
    speedups = [r.speedup if r.accepted and r.speedup is not None else 1.0 for r in rows]
    share = wins / len(rows)
    print()
    print(f"{'metric':<42} {'value':>10} {'goal':>10}  reps")
    print(
        f"{'projects with an accepted >= 1.2x speedup':<42} {f'{wins}/{len(rows)}':>10} "
        f"{f'>= {GOAL_SHARE:.0%}':>10}  {runs} pairs each"
    )
    print(
        f"{'  as a share':<42} {share:>10.0%} {'':>10}  {'met' if share >= GOAL_SHARE else 'not met'}"
    )
    print(
        f"{'median speedup (1.00 where none accepted)':<42} {statistics.median(speedups):>9.2f}x"
        f" {'':>10}  {len(rows)} projects"
    )
    print(f"{'broken (patch fails tests or output)':<42} {broken:>10} {'0':>10}")
    if errors:
        print(f"{'errors (the run itself failed)':<42} {errors:>10}")
    for part in ("heldout", "dev"):
        mine = [r for r in rows if r.split == part]
        if mine and len(mine) < len(rows):
            won = sum(1 for r in mine if r.verdict == "win")
            print(f"{f'  of which {part}':<42} {f'{won}/{len(mine)}':>10}")


def machine() -> str:
    proc = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return f"cores {os.cpu_count()}, uptime: {proc.stdout.strip() or '?'}"


def chosen(args: argparse.Namespace) -> list[tuple[str, str]]:
    split = json.loads((CORPUS / "split.json").read_text())
    names = [(name, part) for part in ("heldout", "dev") for name in split[part]]
    if args.only:
        return [(n, p) for n, p in names if n in args.only]
    return [(n, p) for n, p in names if args.split in ("all", p)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "dev", "all"), default="heldout")
    parser.add_argument("--only", action="append", help="one project (repeatable)")
    parser.add_argument("--budget", type=int, help="passed to perfagent optimize")
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--runs", type=int, default=7, help="timed pairs per project (>= 7)")
    parser.add_argument("--reference", action="store_true", help="measure reference.patch")
    args = parser.parse_args()
    args.runs = max(args.runs, 7)
    mode = "reference patches" if args.reference else f"perfagent --model rules ({args.sandbox})"
    print(f"rules corpus: {mode}, budget {args.budget or 'default'}; {machine()}")
    print(
        f"{'project':<11} {'split':<8} {'acc':<4} {'perfagent ratio [95% CI]':<24} "
        f"{'base s':>7} {'new s':>7} {'speed':>6} {'visible':<8} {'withheld':<8} "
        f"{'same':<4} {'verdict':<7} {'took':>6}  note"
    )
    rows = []
    for name, split in chosen(args):
        rows.append(measure(name, split, args))
        print_row(rows[-1])
    print_summary(rows, args.runs)
    print(f"after: {machine()}")


if __name__ == "__main__":
    main()
