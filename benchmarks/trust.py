"""What the trust checks catch and what they cost. Run by hand (not collected by pytest):

    python benchmarks/trust.py [--sandbox local|docker|both] [--skip-hacks] [--skip-examples]
                               [--json OUT] [--from SAVED]

1. Hack classes. Optimizes the adversarial suite's projects (tests/adversarial: a command
   workload and a GSO-style perf script) through the real loop with the scripted engine, every
   hack and one genuine fix per project, and prints per hack the final status, the check that
   caught it and its reason. Goal: no hack accepted, every genuine fix accepted.
2. Cost. For each genuine fix accepted above, and for the rules engine's fix of each bundled
   example (examples/inventory, examples/logstats: measured alone, tests through
   equivalence, behaviour and perturbed inputs), prints the behaviour capture's workload run
   relative to one plain workload run (goal: at most 1.5x), and the replays, the perturbed
   inputs and the generalization timing relative to one workload run (reported, no goal).

Timings come from one run on a shared machine: read them as ratios taken side by side, and
re-run before drawing conclusions from one surprising number.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from profilers.checks.behaviour import behaviour  # noqa: E402
from profilers.checks.capture import record  # noqa: E402
from profilers.checks.perturbed import perturbed  # noqa: E402
from profilers.checks.state import shared  # noqa: E402
from profilers.config import MeasureConfig  # noqa: E402
from profilers.evaluate import Cascade, equivalence, tests  # noqa: E402
from profilers.harness import run_workload  # noqa: E402
from profilers.workload import Workload  # noqa: E402
from sandbox.base import SandboxError, WorkspaceSpec, opened  # noqa: E402

GOAL_CAPTURE = 1.5
REPEATS = 5


def caught_by(outcome: dict[str, Any]) -> str:
    """The check that rejected a candidate, or what else ended it."""
    failed = next((c for c in outcome["checks"] if c.get("passed") is False), None)
    if failed:
        return str(failed["name"])
    return {"edit-failed": "edit (protected files)", "same": "walltime (no gain)"}.get(
        str(outcome["status"]), "—"
    )


def evidence(outcome: dict[str, Any], name: str) -> dict[str, Any]:
    found = next((c for c in outcome["checks"] if c.get("name") == name), None)
    return dict((found or {}).get("evidence") or {})


def cost_row(label: str, checks: list[dict[str, Any]]) -> str:
    outcome = {"checks": checks}
    beh, per, gen = (evidence(outcome, n) for n in ("behaviour", "perturbed", "generalization"))
    one = beh.get("workload_s")

    def ratio(seconds: Any) -> str:
        return f"{seconds / one:6.2f}x" if one and isinstance(seconds, int | float) else "     —"

    capture = beh.get("capture_ratio")
    met = "ok" if isinstance(capture, float) and capture <= GOAL_CAPTURE else "MISSED"
    shown = f"{capture:6.2f}x" if isinstance(capture, float) else "     —"
    return (
        f"{label:28} {shown} {met:6} {ratio(beh.get('replay_s'))} {ratio(per.get('seconds'))} "
        f"{ratio(gen.get('seconds'))}  calls {beh.get('compared', '—')}"
    )


def hack_table(runs: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    lines = [f"{'project/sandbox':22} {'hack':24} {'status':15} {'caught by':22} reason"]
    for where, outcomes in runs.items():
        for hack, got in outcomes.items():
            reason = " ".join(str(got["reason"]).split())[:90]
            lines.append(f"{where:22} {hack:24} {got['status']:15} {caught_by(got):22} {reason}")
    return lines


def run_hacks(kinds: list[str], tmp: Path) -> dict[str, dict[str, dict[str, Any]]]:
    from tests.adversarial.hacks import MARKER, factory_for, optimize

    runs: dict[str, dict[str, dict[str, Any]]] = {}
    try:
        for kind in kinds:
            try:
                factory = factory_for(kind, tmp / f"trees-{kind}")
            except SandboxError as exc:
                print(f"{kind}: skipped ({exc})")
                continue
            for project in ("stock", "textstats"):
                root = tmp / f"{project}-{kind}"
                print(f"optimizing {project} in the {kind} sandbox ...", flush=True)
                runs[f"{project}/{kind}"] = optimize(project, factory, root)
    finally:
        for leftover in Path("/tmp").glob(f"stock-{MARKER}*"):
            shutil.rmtree(leftover, ignore_errors=True)
    return runs


def example_costs(kind: str, tmp: Path) -> list[str]:
    """Behaviour capture and perturbed inputs on the rules engine's fix of each example."""
    from tests.adversarial.hacks import factory_for
    from tests.profilers.test_checks_special import _example_fix

    rows = []
    factory = factory_for(kind, tmp / f"example-trees-{kind}")
    for name in ("inventory", "logstats"):
        _, head = _example_fix(name, tmp / f"fix-{name}-{kind}")
        files = {
            f"examples/{name}/{p.relative_to(head).as_posix()}": p.read_text()
            for p in (head / name).rglob("*.py")
        }
        sub = f"examples/{name}"
        protected = (f"{sub}/tests/**", f"{sub}/bench.py")
        base_spec = WorkspaceSpec(repo=ROOT, ref="HEAD", subdir=sub, protected=protected)
        head_spec = replace(base_spec, files=files, name="head")
        with opened(factory, base_spec) as base, opened(factory, head_spec) as head_sb:
            bench = Workload("command", "python bench.py")
            c = Cascade(base, head_sb, bench, None, MeasureConfig(), lambda _m: None)
            for stage in (tests, equivalence, behaviour, perturbed):
                if stage(c) is not None:
                    break
            capture = capture_ratio(c)
            row = cost_row(f"{name} (rules fix)", [ch.to_json() for ch in c.checks])
            rows.append(f"{row}  capture over {REPEATS} interleaved runs: {capture}")
    return rows


def capture_ratio(c: Cascade) -> str:
    """Median capture run / median plain run of the workload, interleaved `REPEATS` times."""
    st = shared(c)
    if st.targets is None or not st.targets.count:
        return "nothing to capture"
    assert c.harnesses is not None
    plain, captured = [], []
    for _ in range(REPEATS):
        res, _status = run_workload(c.harnesses[0], c.workload, 1, "base", c.config, seed=0)
        plain.append(res.duration_s)
        captured.append(record(c.harnesses[0], c.workload, None, st.targets, c.config).workload_s)
    ratio = statistics.median(captured) / statistics.median(plain)
    return f"{ratio:.2f}x ({'ok' if ratio <= GOAL_CAPTURE else 'MISSED'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", choices=["local", "docker", "both"], default="both")
    parser.add_argument("--skip-hacks", action="store_true")
    parser.add_argument("--skip-examples", action="store_true")
    parser.add_argument("--json", help="also write the hack outcomes to this file")
    parser.add_argument(
        "--from",
        dest="source",
        help="print the hack outcomes saved in this file (by --json, or by the test suite with "
        "PERFAGENT_TRUST_REPORT=FILE) instead of running the projects again",
    )
    args = parser.parse_args()
    kinds = ["local", "docker"] if args.sandbox == "both" else [args.sandbox]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="perfagent-trust-") as tmp_dir:
        tmp = Path(tmp_dir)
        if args.source:
            runs = json.loads(Path(args.source).read_text())
        else:
            runs = {} if args.skip_hacks else run_hacks(kinds, tmp)
        if args.json:
            Path(args.json).write_text(json.dumps(runs, indent=1, default=str))
        print("\n".join(["", "Hack classes", *hack_table(runs)]))
        accepted = [
            f"{w}:{h}"
            for w, o in runs.items()
            for h, g in o.items()
            if g["status"] in ("accepted", "faster", "unconfirmed") and h != "genuine"
        ]
        refused = [w for w, o in runs.items() if o.get("genuine", {}).get("status") != "accepted"]
        print(f"hacks accepted or left faster: {len(accepted)} {accepted}  (goal 0)")
        print(f"genuine fixes not accepted: {len(refused)} {refused}  (goal 0)")
        header = f"{'cost per candidate':28} {'capture':>7} {'goal':6} {'replay':>7} {'perturb':>7} {'general.':>8}"
        rows = [
            cost_row(f"{w} genuine", o["genuine"]["checks"])
            for w, o in runs.items()
            if "genuine" in o
        ]
        if not args.skip_examples:
            for kind in kinds:
                try:
                    rows += [f"{r}  [{kind}]" for r in example_costs(kind, tmp)]
                except SandboxError as exc:
                    print(f"examples in {kind}: skipped ({exc})")
        print(
            "\n".join(
                ["", "Cost, relative to one workload run (goal: capture <= 1.5x)", header, *rows]
            )
        )


if __name__ == "__main__":
    main()
