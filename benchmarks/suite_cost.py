"""What judging one candidate on a benchmark suite costs. Run by hand (not collected by pytest):

    python benchmarks/suite_cost.py [--select REGEX] [--pairs 10] [--repeat 1]

On the suites fixture (tests/fixtures/suites: an asv suite of 10 benchmarks, 15 workloads),
10 timed benchmarks are selected and one candidate (the fixture's genuine patch) is judged
through the profiler the loop uses (`agent.wiring.profiler_for` -> SuiteProfiler, local
sandbox). Printed: the wall time of the whole evaluation (sandboxes, the tests, the output
check, calibration, warm-up, the pairs, the verdicts), the time of the benchmarks' own timed
pairs (every recorded sample's duration, base and head), and their ratio.

Goal (issue 15): ratio <= 1.5 with 10 selected benchmarks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.wiring import profiler_for  # noqa: E402
from profilers.config import MeasureConfig  # noqa: E402
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory  # noqa: E402
from tasks import load_task  # noqa: E402
from tests.fixtures.suite_repo import PATCHES, make_suite_repo  # noqa: E402

TEN = "CatalogSuite|time_sieve|time_power_sum|time_word_counts|time_tokenize"


def one_candidate(tmp: Path, select: str, pairs: int) -> tuple[float, float, int, str]:
    """(evaluation wall time, timed pairs' time, workloads measured, verdict)."""
    repo = tmp / "suitepkg"
    make_suite_repo(repo)
    task = load_task(repo, {"bench_select": select})
    factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp / "trees"))
    config = MeasureConfig(pairs=pairs, max_pairs=2 * pairs)
    profiler = profiler_for(task, factory, config)
    profiler.baseline(lambda _m: None)  # discovery and the baseline: once per run, not timed
    started = time.perf_counter()
    m = profiler.evaluate(PATCHES["genuine"], lambda _m: None)
    wall = time.perf_counter() - started
    timed = [w for w in m.workloads if w.metric == "time"]
    pairs_s = sum(sum(w.base) + sum(w.head) for w in timed)
    return wall, pairs_s, len(timed), str(m.verdict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--select", default=TEN, help="benchmark regex (default: 10 of them)")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start")
    print(f"{'run':>3}  {'benchmarks':>10}  {'evaluation s':>12}  {'timed pairs s':>13}  ratio")
    ratios = []
    for n in range(args.repeat):
        tmp = Path(tempfile.mkdtemp(prefix="suite-cost-"))
        try:
            wall, pairs_s, count, verdict = one_candidate(tmp, args.select, args.pairs)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        ratios.append(wall / pairs_s)
        print(
            f"{n + 1:>3}  {count:>10}  {wall:>12.1f}  {pairs_s:>13.1f}  {ratios[-1]:.2f} ({verdict})"
        )
    print(f"cost per candidate / timed pairs: max {max(ratios):.2f} (goal <= 1.5)")
    print(f"load at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
