"""How long the `rules` engine takes to look at a project. Run by hand (not collected by pytest):

    PYTHONPATH=. python benchmarks/rules_speed.py --against REV [--only P ...] [--rounds 2]

For each project (the dev projects of `rules_corpus/` by default; the held-out ones are never
read), every rule of the catalogue is tried on every function of its sources, as the engine's
planner and the rules tests do, in a fresh process. This tree and `REV` (checked out in a
temporary git worktree) are timed alternately, `--rounds` times each, and the table prints the
median seconds of each and their ratio (this tree / REV: lower is faster). Goal: ratio <= 1.0
(a change that slows the engine says why); the sweep's result, the set of rewrites, must be the
same unless the change meant to change it (the script prints whether it is).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "rules_corpus"


def sweep(project: Path) -> str:
    """Every rule on every function; a digest of every rewrite it produced."""
    from agent.engines.rules import CATALOGUE, Step, StepFailed, run_step
    from agent.engines.rules.project import project_for
    from agent.engines.rules.rewrite import iter_functions, parse

    sources = {
        p.relative_to(project).as_posix(): p.read_text()
        for p in sorted(project.rglob("*.py"))
        if "withheld" not in p.parts and "__pycache__" not in p.parts
    }
    repo = project_for(sources)
    digest = hashlib.sha256()
    for path, text in sources.items():
        for qual, _ in iter_functions(parse(path, text).module):
            for rule in CATALOGUE:
                texts = dict(sources)
                try:
                    run_step(texts, Step(rule.id, path, qual), verify=False, project=repo)
                except StepFailed:
                    continue
                digest.update(f"{rule.id} {path} {qual} {texts[path]}".encode())
    return digest.hexdigest()[:12]


def timed(tree: Path, project: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--sweep", str(project)],
        cwd=tree, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start, out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="a git revision to compare with (default: HEAD)")
    parser.add_argument("--only", action="append", default=[], help="a dev project (repeatable)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sweep", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweep:
        print(sweep(Path(args.sweep)))
        return
    dev = json.loads((CORPUS / "split.json").read_text())["dev"]
    names = args.only or dev
    if unknown := sorted(set(names) - set(dev)):
        sys.exit(f"rules_speed: not dev projects: {', '.join(unknown)}")
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"rules speed: this tree vs {args.against or 'HEAD'}; cores {os.cpu_count()}, {load}")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "against"
        rev = args.against or "HEAD"
        added = subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(other), rev],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if added.returncode != 0:
            sys.exit(f"rules_speed: cannot check out {rev!r}: {added.stderr.strip()}")
        try:
            compare(names, other, args.rounds)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT)


def compare(names: list[str], other: Path, rounds: int) -> None:
    print(f"{'project':12} {'this s':>8} {'other s':>8} {'ratio':>6}  rewrites  reps")
    ratios = []
    for name in names:
        project = CORPUS / "projects" / name
        mine, theirs, digests = [], [], set()
        for _ in range(rounds):
            for tree, times in ((ROOT, mine), (other, theirs)):
                seconds, digest = timed(tree, project)
                times.append(seconds)
                digests.add(digest)
        same = len(digests) == 1
        ratio = statistics.median(mine) / statistics.median(theirs)
        ratios.append(ratio)
        print(
            f"{name:12} {statistics.median(mine):8.2f} {statistics.median(theirs):8.2f}"
            f" {ratio:6.2f}  {'same' if same else 'DIFFER':8}  {rounds}"
        )
    print(f"{'median':12} {'':8} {'':8} {statistics.median(ratios):6.2f}  goal <= 1.00")


if __name__ == "__main__":
    main()
