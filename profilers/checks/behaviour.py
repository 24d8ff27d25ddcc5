"""The behaviour stage: the functions a head changes must do what the base's do on the calls
the base's workload (and tests) make.

The base runs its workload once with a recorder on (a bounded sample of calls of each changed
function: arguments before and after, result or exception), then its tests for the changed
functions the workload never called. Both sides then
replay those calls in fresh processes and answer with normal forms; the base's replay must
repeat what the capture saw for a call to count. A head whose replay returns, raises or
mutates differently is broken, and the first differing call is the evidence.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

from profilers.checks.base_side import base_recording, base_replay
from profilers.checks.calls import CallsOutcome, judge_calls
from profilers.checks.capture import Recording, replay
from profilers.checks.changes import FileChange, Targets, changed_targets, tree_changes
from profilers.checks.state import shared
from profilers.errors import WorkloadError
from profilers.harness import prepare_pair
from profilers.results import Check, Measurement
from profilers.verdicts import Rejection

if TYPE_CHECKING:
    from profilers.evaluate import Cascade

NAME = "behaviour"


def head_changes(c: Cascade) -> list[FileChange]:
    """The Python files the head changes (compared on the host; computed once per cascade)."""
    st = shared(c)
    if st.changes is None:
        st.changes = tree_changes(c.base.host_root, c.head.host_root)
    return st.changes


def head_targets(c: Cascade) -> Targets:
    """The functions the head changes (sources read on the host, nothing run)."""
    return changed_targets(head_changes(c), c.base.host_root, c.head.host_root)


def capture_note(rec: Recording, targets: Targets) -> dict[str, Any]:
    """What the capture kept and left out, per function."""
    skipped: dict[str, Any] = {}
    for fid, counts in rec.counts("skipped").items():
        skipped[fid] = dict(counts)
    for fid, why in {**targets.skipped, **rec.counts("unwrapped")}.items():
        skipped.setdefault(fid, {})[why] = 1
    return {"calls": rec.counts("calls"), "recorded": rec.counts("kept"), "not_recorded": skipped}


def _cost(c: Cascade, rec: Recording) -> dict[str, float | None]:
    runs = c.base_out.durations if c.base_out else ()
    one = statistics.median(runs) if runs else None
    return {
        "capture_s": rec.workload_s,
        "workload_s": one,
        "capture_ratio": rec.workload_s / one if one else None,
        "tests_capture_s": rec.tests_s,
    }


def behaviour(c: Cascade) -> Measurement | None:
    st = shared(c)
    st.targets = targets = head_targets(c)
    if not targets.count:
        why = "; ".join(f"{k}: {v}" for k, v in list(targets.skipped.items())[:3])
        reason = "the head changes no function the base's code calls" + (f" ({why})" if why else "")
        c.checks.append(Check(NAME, None, reason))
        return None
    st.harnesses = hb, hh = c.harnesses or prepare_pair(c.base, c.head, c.config)
    c.say(f"behaviour: recording calls of {targets.count} changed function(s) on the base")
    try:
        rec, cached = base_recording(hb, c.workload, c.tests, targets, c.config, c.base_key)
    except WorkloadError as exc:
        c.checks.append(
            Check(NAME, None, f"no capture: the base's workload failed under it ({exc.detail})")
        )
        return None
    st.recording = rec
    evidence: dict[str, Any] = {**capture_note(rec, targets), **_cost(c, rec)}
    st.capture_ratio = evidence["capture_ratio"]
    if rec.empty:
        reason = "no changed function was called with picklable arguments by the workload or tests"
        c.checks.append(Check(NAME, None, reason, evidence=evidence))
        return None
    c.say(
        "behaviour: replaying the recorded calls on base and head"
        + (" (capture cached)" if cached else "")
    )
    plan = {"mode": "compare", "recorded": True, "args": True}
    base = base_replay(hb, c.workload, rec, targets, c.config, plan, c.base_key)
    if base.answer is None:
        c.checks.append(
            Check(NAME, None, f"the base's replay failed ({base.failure})", evidence=evidence)
        )
        return None
    head = replay(hh, rec, targets, c.config, {"mode": "compare"})
    if head.answer is None:
        reason = f"the head fails when its changed functions are called as the base's were ({head.failure})"
        return c.reject(Check(NAME, False, reason, Rejection.BROKEN, evidence))
    evidence["replay_s"] = base.result.duration_s + head.result.duration_s
    st.base = base.answer
    judged = judge_calls(base.answer, head.answer)
    st.comparable, st.margins = judged.comparable, judged.margins
    return _verdict(c, judged, evidence)


def _skips(judged: CallsOutcome) -> str:
    parts = [f"{n} {why}" for why, n in judged.skipped.most_common()]
    if judged.unstable:
        parts.append(f"{judged.unstable} whose base result varies")
    return f" (not compared: {'; '.join(parts)})" if parts else ""


def _verdict(c: Cascade, judged: CallsOutcome, evidence: dict[str, Any]) -> Measurement | None:
    evidence.update(
        compared=judged.compared, unstable=judged.unstable, skipped=dict(judged.skipped)
    )
    if judged.first is not None:
        first = judged.first
        evidence.update(first_difference=first, differing=judged.differing)
        reason = (
            f"{first['function']}{first['args']} differs from the base in its {first['where']}: "
            f"base {first['base']}, head {first['head']}"
        )
        return c.reject(Check(NAME, False, reason[:600], Rejection.BROKEN, evidence))
    functions = len({call["fid"] for call in (shared(c).base or {}).get("calls", [])})
    if judged.compared == 0:
        c.checks.append(
            Check(
                NAME, None, "no recorded call could be compared" + _skips(judged), evidence=evidence
            )
        )
        return None
    reason = (
        f"{judged.compared} recorded call(s) of {functions} changed function(s) return, raise "
        f"and mutate as on the base{_skips(judged)}"
    )
    c.checks.append(Check(NAME, True, reason, evidence=evidence))
    return None
