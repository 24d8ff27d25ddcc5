"""The perturbed-inputs stage: the changed functions must agree with the base's on inputs near
the captured ones, not only on the workload's own.

From the captured calls that behaved the same on both sides, hypothesis derives nearby
arguments (`perturb.derive`). Both sides call the function once on the recorded arguments and
then again on the same objects, perturbed in place (a fresh perturbed copy for a function that
mutates its arguments), so a head that memoizes on object identity answers the second call
from its stale cache. Perturbed inputs the base itself raises on are not judged (they may
break a precondition). A head that returns, raises or mutates differently is broken.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from profilers.checks.base_side import base_replay
from profilers.checks.calls import describe, outcome_difference
from profilers.checks.capture import replay
from profilers.checks.perturb import derive, described, find_sites
from profilers.checks.state import Shared, shared
from profilers.results import Check, Measurement
from profilers.verdicts import Rejection

if TYPE_CHECKING:
    from profilers.evaluate import Cascade

NAME = "perturbed"
PER_FUNCTION = 2
"""Captured calls perturbed per function."""
MOST_CALLS = 8
VARIANTS = 6
"""Perturbed inputs per call, at most (one per argument and kind of change)."""


def choose_calls(st: Shared) -> dict[str, Any]:
    """Call index -> normal form of its arguments, for the calls to perturb."""
    per: dict[str, int] = {}
    chosen: dict[str, Any] = {}
    calls = {c["i"]: c for c in (st.base or {}).get("calls", [])}
    seen: set[str] = set()
    for i in st.comparable:
        call = calls[i]
        if per.get(call["fid"], 0) >= PER_FUNCTION or len(chosen) >= MOST_CALLS:
            continue
        key = json.dumps([call["fid"], call.get("args")], sort_keys=True, default=str)
        if "args" in call and key not in seen:
            seen.add(key)
            per[call["fid"]] = per.get(call["fid"], 0) + 1
            chosen[str(i)] = call["args"]
    return chosen


def perturbed(c: Cascade) -> Measurement | None:
    st = shared(c)
    if st.recording is None or st.harnesses is None or not st.comparable:
        c.checks.append(Check(NAME, None, "no captured call to perturb"))
        return None
    started = time.monotonic()
    chosen = choose_calls(st)
    for i, form in chosen.items():  # walked once: generalization derives from them again
        st.sites.setdefault(i, find_sites(form))
    variants = {
        i: v for i, form in chosen.items() if (v := derive(form, VARIANTS, None, st.sites[i]))
    }
    if not variants:
        c.checks.append(Check(NAME, None, "the captured arguments hold nothing to perturb"))
        return None
    assert st.targets is not None
    hb, hh = st.harnesses
    n = sum(len(v) for v in variants.values())
    c.say(f"perturbed: {n} nearby inputs of {len(variants)} captured call(s) on base and head")
    plan = {"mode": "compare", "variants": variants, "skip_calls": True}
    base = base_replay(hb, c.workload, st.recording, st.targets, c.config, plan, c.base_key)
    if base.answer is None:
        c.checks.append(Check(NAME, None, f"the base's replay failed ({base.failure})"))
        return None
    head = replay(hh, st.recording, st.targets, c.config, plan)
    if head.answer is None:
        reason = f"the head fails on inputs near the captured ones ({head.failure})"
        return c.reject(Check(NAME, False, reason, Rejection.BROKEN))
    return _judge(c, st, variants, base.answer, head.answer, time.monotonic() - started)


def _judge(
    c: Cascade,
    st: Shared,
    variants: dict[str, Any],
    base: dict[str, Any],
    head: dict[str, Any],
    seconds: float,
) -> Measurement | None:
    theirs = {(v["i"], v["j"]): v for v in head.get("variants", [])}
    calls = {call["i"]: call for call in (st.base or {}).get("calls", [])}
    judged = invalid = 0
    valid: dict[str, list[Any]] = {}
    for mine in base.get("variants", []):
        i, j = mine["i"], mine["j"]
        other = theirs.get((i, j))
        if "skip" in mine or mine["out"].get("exc") or other is None or "skip" in other:
            invalid += 1
            continue
        judged += 1
        found = outcome_difference(mine["out"], other["out"], st.margins.get(i, {}))
        if found is None:
            valid.setdefault(str(i), []).append(variants[str(i)][j])
            continue
        call = calls[i]
        first = describe({**call, "out": mine["out"]}, other, found)
        first["perturbation"] = described(variants[str(i)][j][0])
        reason = (
            f"{first['function']} differs from the base on a nearby input "
            f"({first['perturbation']}) in its {first['where']}: base {first['base']}, "
            f"head {first['head']}"
        )
        evidence = {"first_difference": first, "judged": judged}
        return c.reject(Check(NAME, False, reason[:600], Rejection.BROKEN, evidence))
    st.variants = valid
    evidence = {"judged": judged, "not_judged": invalid, "calls": len(variants), "seconds": seconds}
    if judged == 0:
        reason = f"no perturbed input could be judged ({invalid} raise on the base or fail to load)"
        c.checks.append(Check(NAME, None, reason, evidence=evidence))
        return None
    reason = f"same results as the base on {judged} nearby input(s) of {len(variants)} call(s)"
    if invalid:
        reason += f" ({invalid} not judged: the base raises on them or they do not load)"
    c.checks.append(Check(NAME, True, reason, evidence=evidence))
    return None
