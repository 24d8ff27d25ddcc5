"""Does the offline rules engine speed up every bundled example? Run by hand:

    python benchmarks/examples.py [--sandbox local|docker|auto] [--example inventory ...]

Runs `perfagent optimize examples/NAME --model rules --json` exactly as a user would (a fresh
store in a temporary directory) and prints, per example, the accepted candidate's runtime
ratio with its 95 % confidence interval from the confirmation re-measurement, its plan, and
how long the run took, and a short hash of the accepted patch (normalized as the store does) so
runs in different sandboxes can be compared. Goal: every example has an accepted candidate with ratio <= 0.8.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from agent.loop.coding import normalized_hash
from agent.selfrun import clean_cwd, perfagent_argv

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("inventory", "logstats")
GOAL = 0.8


def optimize(name: str, sandbox: str, db: Path) -> tuple[dict[str, object] | None, float, str]:
    cmd = perfagent_argv("optimize", str(ROOT / "examples" / name), "--model", "rules")
    cmd += ["--sandbox", sandbox, "--db", str(db.resolve()), "--json"]
    start = time.monotonic()
    with clean_cwd() as cwd:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    took = time.monotonic() - start
    if proc.returncode != 0:
        return None, took, (proc.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(proc.stdout), took, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--example", action="append", choices=EXAMPLES)
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}, sandbox {args.sandbox}")
    print(
        f"{'example':<10} {'ratio':>6} {'95% CI':>15} {'goal':>6} {'met':>4} {'time':>6} "
        f"{'patch':>8}  plan"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.example or EXAMPLES:
            summary, took, error = optimize(name, args.sandbox, Path(tmp) / f"{name}.db")
            best = summary.get("best") if summary else None
            if not isinstance(best, dict):
                why = error or f"no accepted candidate ({summary and summary.get('reason')})"
                print(
                    f"{name:<10} {'-':>6} {'-':>15} {GOAL:>6} {'no':>4} {took:>5.0f}s "
                    f"{'-':>8}  {why}"
                )
                continue
            # The summary reports the confirmation re-measurement when there is one.
            ratio, lo, hi = best["runtime_ratio"], best["ci_low"], best["ci_high"]
            met = "yes" if ratio <= GOAL else "no"
            ci = f"[{lo:.3f}, {hi:.3f}]"
            print(
                f"{name:<10} {ratio:>6.3f} {ci:>15} {GOAL:>6} {met:>4} {took:>5.0f}s "
                f"{normalized_hash(str(best['diff']))[:8]:>8}  {best.get('plan_title', '')}"
            )


if __name__ == "__main__":
    main()
