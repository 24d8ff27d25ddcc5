"""Where does a run's time go? Run by hand (not collected by pytest):

    PYTHONPATH=. python benchmarks/loop_speed.py [--examples inventory logstats]
        [--sandbox local] [--delay 20] [--budget 8] [--skip-model | --model-only]

Part 1, each bundled example: `perfagent optimize examples/X --sandbox S` (the quickstart:
the `rules` engine, the example's own settings), twice on one store: a fresh store (what a
new user waits for) and again (base results cached by the first run). From the progress
lines it prints, per candidate, the seconds in each phase (sandbox setup, tests,
equivalence, timing, the trust checks of a faster head, generalization, memory, instructions,
confirmation) and the ratio of the candidate's
cost to its floor: its tests, its timed pairs, and the timed pairs of one confirmation if it
won. Goals: median candidate <= 2x its floor; first verdict <= 30 s after the baseline;
quickstart (the first, fresh run of inventory) <= 90 s.

Part 2: a budget-8 run on inventory against a scripted OpenAI-compatible model on
127.0.0.1 (`scripted_model.py`: the rules engine's plans and edits) answering at once, then
after `--delay` seconds, each on a fresh store. Goal: the slow model's run <= 1.3x the
instant one's (the next plan is coded while a candidate is measured). Both code the same
edits for the same plans; the order they are measured in is the loop's: as each edit arrives
with an instant model, and by plan rank among the edits a slow model returns together.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHASES = (
    "sandbox", "tests", "equivalence", "checks", "timing", "generalization", "memory",
    "instructions",
)  # fmt: skip
MEASURING = re.compile(
    r"^(sandbox|tests|equivalence|behaviour|perturbed|special-case|clean-state|timing"
    r"|generalization|memory|instructions|confirmation):"
)
CHECKS = ("behaviour", "perturbed", "special-case", "clean-state")
"""The trust checks of a faster head (one column: they replay captured calls, untimed)."""
PAIR = re.compile(r"timing: pair \d+/\d+ .*base ([\d.]+) s, head ([\d.]+) s")
VERDICT = re.compile(r"^  candidate (\d+): (\S+)")
COUNTED = "x the base's instructions"
Line = tuple[float, str]


@dataclass
class Candidate:
    id: int
    status: str = ""
    phases: dict[str, float] = field(default_factory=dict)
    pairs_s: float = 0.0
    confirm_pairs_s: float = 0.0
    span: float = 0.0

    @property
    def floor(self) -> float:
        confirmed = self.confirm_pairs_s if self.status == "confirmed" else 0.0
        return self.phases.get("tests", 0.0) + self.pairs_s + confirmed

    @property
    def ratio(self) -> float:
        return self.span / self.floor if self.floor else float("nan")


def run_cli(args: list[str], env: dict[str, str]) -> tuple[list[Line], float, int]:
    """Run `perfagent ARGS`; every stderr line with its arrival time (s since start)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines = [(time.monotonic() - start, raw.rstrip("\n")) for raw in proc.stderr]
    code = proc.wait()
    if LOG_DIR is not None:
        name = "-".join(a.rsplit("/", 1)[-1] for a in args[:2]) + f"-{time.time():.0f}.log"
        (LOG_DIR / name).write_text("".join(f"{t:8.2f}  {text}\n" for t, text in lines))
    return lines, time.monotonic() - start, code


LOG_DIR: Path | None = None
"""With --log DIR, each run's progress lines are kept there with their times."""
STARTS = ("evaluating candidate", "counting candidate", "confirming candidate")


def _phase(text: str) -> str | None:
    stripped = text.strip()
    if stripped.startswith(STARTS):
        return "start"
    found = MEASURING.match(stripped)
    if not found:
        return None
    return "checks" if found.group(1) in CHECKS else found.group(1)


def candidates(lines: list[Line]) -> list[Candidate]:
    """Per candidate: seconds per phase (a phase lasts until the next measuring line)."""
    out: dict[int, Candidate] = {}
    current: Candidate | None = None
    phase, since, mode = "", 0.0, ""
    for t, text in lines:
        if mode != "counting" and COUNTED in text:
            continue  # counted beside its checks: the verdict line follows
        kind = _phase(text)
        verdict = VERDICT.match(text)
        if verdict and (current is None or int(verdict.group(1)) != current.id):
            late = out.get(int(verdict.group(1)))  # a review written down after its evaluation
            if late is not None and "after review" in text:
                late.status = verdict.group(2)
            verdict = None
        if current is not None and (kind or verdict) and phase:
            key = {"confirming": "confirmation", "counting": "instructions"}.get(mode, phase)
            current.phases[key] = current.phases.get(key, 0.0) + t - since
            current.span += t - since
            phase, since = "", t
        if text.startswith(STARTS):
            current = out.setdefault(int(text.split()[2]), Candidate(int(text.split()[2])))
            mode, phase, since = text.split()[0], "sandbox", t
        elif current is not None and kind:
            phase, since = kind, t
            pair = PAIR.search(text)
            if pair and mode == "confirming":
                current.confirm_pairs_s += float(pair.group(1)) + float(pair.group(2))
            elif pair:
                current.pairs_s += float(pair.group(1)) + float(pair.group(2))
        elif verdict and current is not None:
            word = verdict.group(2)
            if mode != "counting":
                current.status = "unconfirmed" if word == "not" else word
            current = None
    return list(out.values())


def landmarks(lines: list[Line]) -> tuple[float, float, float]:
    """(end of the baseline, first wall-time verdict shown, first verdict stored), seconds
    since start."""
    base_end = next(
        (t for t, x in lines if x.startswith(("round 1:", "evaluating", "loop:", "warm-up"))), 0.0
    )
    shown = next((t for t, x in lines if re.match(r"timing: (faster|same|slower):", x)), None)
    stored = next((t for t, x in lines if VERDICT.match(x) and COUNTED not in x), float("nan"))
    return base_end, min(shown or stored, stored), stored


def table(name: str, lines: list[Line], total: float) -> list[float]:
    cands = candidates(lines)
    base_end, shown, stored = landmarks(lines)
    print(f"\n{name}: {total:.0f} s in all; baseline done at {base_end:.0f} s; first verdict "
          f"{shown - base_end:.0f} s after it (goal <= 30 s; stored with its instruction "
          f"count {stored - base_end:.0f} s after it)")  # fmt: skip
    head = " ".join(f"{p[:6]:>7}" for p in (*PHASES, "confirmation"))
    print(f"  {'cand':>4} {'status':<13} {head} {'cost':>6} {'floor':>6} {'ratio':>6}")
    for c in cands:
        cells = " ".join(f"{c.phases.get(p, 0.0):7.1f}" for p in (*PHASES, "confirmation"))
        print(f"  {c.id:>4} {c.status:<13} {cells} {c.span:6.1f} {c.floor:6.1f} {c.ratio:6.2f}")
    ratios = [c.ratio for c in cands if c.floor]
    if ratios:
        print(f"  median cost/floor {statistics.median(ratios):.2f} (goal <= 2)")
    return ratios


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **(extra or {})}


def examples(names: list[str], sandbox: str, tmp: Path) -> Path:
    """Part 1; returns the store of the first example (its baseline profile seeds part 2)."""
    first_db = tmp / f"{names[0]}.db"
    for name in names:
        db = tmp / f"{name}.db"
        for label in ("fresh store", "second run, base results cached"):
            args = ["optimize", f"examples/{name}", "--sandbox", sandbox, "--db", str(db)]
            lines, total, code = run_cli(args, cli_env())
            if name == "inventory" and label == "fresh store":
                print(f"\nquickstart (perfagent optimize examples/inventory): {total:.0f} s, "
                      f"exit {code} (goal <= 90 s)")  # fmt: skip
            table(f"{name}, {label}", lines, total)
    return first_db


def model_runs(db: Path, delay: float, budget: int, sandbox: str, tmp: Path) -> None:
    """Part 2: the same budget-8 run with an instant and a slow scripted model."""
    from agent.loop.baseline import load_profile
    from benchmarks.scripted_model import catalogue, serve
    from storage import Store, sqlite_url

    store = Store(sqlite_url(db))
    run = store.runs()[-1]
    plans = catalogue(ROOT / "examples/inventory", load_profile(store, run.id), 3 * budget)
    env = cli_env({"OPENAI_API_KEY": "sk-loopback", "PERFAGENT_PATIENCE": "0", "PERFAGENT_LOOKAHEAD": "1",
                   "PERFAGENT_BUILD_ON_FRONT": "false"})  # fmt: skip
    totals, firsts, idle = {}, {}, {}
    for wait in (0.0, delay):
        server = serve(plans, wait)
        try:
            model = f"openai-compatible:scripted@{server.url}/v1"
            args = ["optimize", "examples/inventory", "--model", model, "--budget", str(budget),
                    "--sandbox", sandbox, "--db", str(tmp / f"model-{wait:g}.db")]  # fmt: skip
            lines, total, code = run_cli(args, env)
        finally:
            server.close()
        calls = server.completions
        overlap = max((s.overlapping for s in calls), default=0)
        totals[wait] = total
        firsts[wait] = next((t for t, x in lines if x.startswith("evaluating candidate")), total)
        idle[wait] = total - firsts[wait] - sum(c.span for c in candidates(lines))
        table(f"budget {budget}, model answering in {wait:g} s ({len(calls)} calls, at most "
              f"{overlap + 1} at once, exit {code})", lines, total)  # fmt: skip
    print(f"\nslow model / instant model: {totals[delay] / totals[0.0]:.2f}x (goal <= 1.3)")
    after = (totals[delay] - firsts[delay]) / (totals[0.0] - firsts[0.0])
    print(
        f"  the first candidate waits {firsts[delay] - firsts[0.0]:.0f} s more for the model "
        f"(the coder's first edit, which nothing can overlap)"
    )
    print(f"  from the first candidate on: {after:.2f}x; the loop idle, waiting on the model, "
          f"{idle[delay]:.0f} s (instant model: {idle[0.0]:.0f} s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", nargs="+", default=["inventory", "logstats"])
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--delay", type=float, default=20.0)
    parser.add_argument("--budget", type=int, default=8)
    parser.add_argument("--skip-model", action="store_true")
    parser.add_argument(
        "--model-only", action="store_true", help="part 2 alone (one quiet budget-1 run profiles)"
    )
    parser.add_argument("--log", type=Path, help="keep each run's timed progress lines here")
    args = parser.parse_args()
    global LOG_DIR
    if args.log is not None:
        LOG_DIR = args.log
        LOG_DIR.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"host: {os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.model_only:
            db = Path(tmp) / "profile.db"
            run_cli(["optimize", "examples/inventory", "--budget", "1", "--sandbox",
                     args.sandbox, "--db", str(db)], cli_env())  # fmt: skip
        else:
            db = examples(args.examples, args.sandbox, Path(tmp))
        if not args.skip_model:
            model_runs(db, args.delay, args.budget, args.sandbox, Path(tmp))
    print(f"load at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
