"""The repair node: a candidate that failed its tests or changed the workload's behaviour goes
back to the coder with the failure (PerfCodeGen's and Codeflash's repair from feedback).

The node only writes a plan: "Repair of candidate N: <its plan>", whose data names the
candidate (`repair_of`, also its `parent_id`) and quotes the failure (the failing check's
reason and evidence: the test output's tail, the first differing call). The code node codes it
first, through `Repairer.repair`, on top of the failed change, so the repaired candidate is a
child of the failed one in the lineage. One plan per failed candidate: the node is idempotent
and a resumed run repairs nothing twice. A repair that fails again is repaired again only
while the chain is shorter than `repair_attempts`. Gaming rejections (overfit, stateful,
input-specific) are never repaired: a "fix" would only game better.
"""

from __future__ import annotations

import json
from typing import Any

from langgraph.runtime import Runtime

from agent.loop.state import Deps, State
from agent.protocols import Repairer
from storage.models import Candidate, Plan
from storage.vocabulary import Status

REPAIRABLE = frozenset({Status.TESTS_FAILED, Status.BROKEN})
FAILURE_CHARS = 4000
"""The failure quoted to the coder at most (the start and the end of a long test output)."""
KEPT = ("observations", "hot", "planner", "critique", "fixed", "files")
"""What of the failed plan's data the repair plan keeps."""


def repair_of(row: Plan | None) -> int | None:
    value = (row.data or {}).get("repair_of") if row is not None else None
    return int(value) if value is not None else None


def chain(c: Candidate, plans: dict[int, Plan], cands: dict[int, Candidate]) -> int:
    """How many repairs led to `c` (0 for a candidate the planner's plan produced)."""
    hops, seen = 0, set()
    while c.plan_id is not None and c.id not in seen:
        seen.add(c.id)
        parent = repair_of(plans.get(c.plan_id))
        if parent is None or parent not in cands:
            break
        hops, c = hops + 1, cands[parent]
    return hops


def due(d: Deps, run_id: str) -> Candidate | None:
    """The oldest failed candidate still owed a repair, if the coder can repair."""
    if d.config.repair_attempts <= 0 or not isinstance(d.coder, Repairer):
        return None
    rows = {p.id: p for p in d.store.plans(run_id)}
    repaired = {repair_of(p) for p in rows.values()}
    cands = {c.id: c for c in d.store.candidates(run_id)}
    owed = (
        c
        for c in cands.values()
        if c.status in REPAIRABLE and c.diff.strip() and c.id not in repaired
    )
    return next((c for c in owed if chain(c, rows, cands) < d.config.repair_attempts), None)


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, indent=1, default=str)


def failure_text(c: Candidate) -> str:
    """What failed, as the coder is told: the first failed check, its reason and evidence
    (else the candidate's reason), cut in the middle when long."""
    checks = (c.measurement or {}).get("checks") or []
    failed = next((x for x in checks if isinstance(x, dict) and x.get("passed") is False), None)
    if failed is None:
        text = f"{c.status}: {c.reason}".strip()
    else:
        lines = [f"{failed.get('name', 'check')} check failed: {failed.get('reason', '')}"]
        for key, value in (failed.get("evidence") or {}).items():
            lines.append(f"{key}:\n{_shown(value).rstrip()}")
        text = "\n".join(lines)
    if len(text) > FAILURE_CHARS:
        head, tail = text[: FAILURE_CHARS // 4], text[-(FAILURE_CHARS * 3 // 4) :]
        text = f"{head}\n[... {len(text) - len(head) - len(tail)} characters ...]\n{tail}"
    return text


def repair(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    cand = due(d, run_id)
    if cand is None:
        return {}
    row = d.store.plan(cand.plan_id) if cand.plan_id is not None else None
    title = row.title if row else f"candidate {cand.id}"
    data = {k: v for k, v in ((row.data or {}) if row else {}).items() if k in KEPT}
    data.update(repair_of=cand.id, parent_id=cand.id, failure=failure_text(cand))
    d.store.add_plans(
        run_id,
        row.round if row else state.get("round", 0),
        [
            {
                "title": f"Repair of candidate {cand.id}: {title}"[:200],
                "text": row.text if row else "",
                "source": row.source if row else getattr(d.coder, "name", ""),
                "targets": list(row.targets) if row else [],
                "data": data,
            }
        ],
    )
    why = cand.reason.splitlines()[0][:120] if cand.reason else ""
    d.progress(f"repairing candidate {cand.id} ({cand.status}: {why})")
    return {}
