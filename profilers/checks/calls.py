"""Judging replayed calls: the base's answer against the head's, call by call.

A call counts only where the base is repeatable: its replay gives what the capture recorded
(floats may differ, and then differ by as much on the head), and its arguments load on both
sides. The head must then return (or raise) what the base does and leave its arguments as
the base does (lenient: it may add attributes, e.g. a cache, to an argument object).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from profilers.checks.compare import Difference, Path, first_difference, render, variation


@dataclass
class CallsOutcome:
    compared: int = 0
    comparable: list[int] = field(default_factory=list)
    margins: dict[int, dict[Path, float]] = field(default_factory=dict)
    unstable: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    differing: int = 0
    first: dict[str, Any] | None = None
    """The first differing call: function, args, base, head, where."""


def _shown_outcome(out: dict[str, Any]) -> str:
    if out.get("exc"):
        kind, message = out["exc"]
        return f"raises {kind.rsplit('.', 1)[-1]}: {message}"[:300]
    return render(out.get("ret"))


def outcome_difference(
    base: dict[str, Any], head: dict[str, Any], margins: dict[Path, float]
) -> tuple[str, Difference] | None:
    """(what differs, where) between two outcomes ({"ret", "exc", "after"}), or None."""
    if base.get("exc") != head.get("exc"):
        return "exception", Difference("", base.get("exc"), head.get("exc"))
    found = first_difference(base.get("ret"), head.get("ret"), margins)
    if found:
        return "return value", found
    after = after_difference(base.get("after"), head.get("after"), margins)
    if after:
        return "arguments after the call", after
    return None


SAME = ["same"]
"""The replay's word for a call that left its arguments as they were; otherwise "after" is
["changed", {argument: [form before, form after]}] for the arguments the call changed."""


def _changed(after: Any) -> dict[str, Any] | None:
    if after == SAME:
        return {}
    if isinstance(after, list) and len(after) == 2 and after[0] == "changed":
        return dict(after[1])
    return None


def _margins_of(margins: dict[Path, float], key: str) -> dict[Path, float]:
    return {p[1:]: v for p, v in margins.items() if p and p[0] == f"@{key}"}


def after_difference(base: Any, head: Any, margins: dict[Path, float]) -> Difference | None:
    """Whether the head leaves the arguments as the base does: an argument one side changes
    must end as the other side leaves it. The head may add attributes (a cache) to an
    argument object, never change what the base's attributes hold."""
    mine, theirs = _changed(base), _changed(head)
    if mine is None or theirs is None:
        return Difference("", base, head)
    for key in sorted(set(mine) | set(theirs)):
        if key in mine and key in theirs:
            found = first_difference(
                mine[key][1], theirs[key][1], _margins_of(margins, key), lenient=True
            )
        elif key in theirs:
            found = first_difference(theirs[key][0], theirs[key][1], lenient=True)
        else:
            found = first_difference(mine[key][1], mine[key][0], lenient=True)
        if found:
            name = key[2:] if key.startswith("k:") else key
            return Difference(f"argument {name}{found.path}", found.base, found.head)
    return None


def _after_margins(rec: dict[str, Any], out: dict[str, Any]) -> dict[Path, float] | None:
    """Margins from the base's two outcomes of one call; None when the base is not repeatable."""
    if rec.get("error") or rec.get("exc") != out.get("exc"):
        return None
    margins: dict[Path, float] = {}
    if rec.get("ret") != ["lost"]:
        found = variation(rec.get("ret"), out.get("ret"))
        if found is None:
            return None
        margins.update(found)
    mine, theirs = _changed(rec.get("after")), _changed(out.get("after"))
    if mine is None or theirs is None or set(mine) != set(theirs):
        return None
    for key in mine:
        found = variation(mine[key][1], theirs[key][1])
        if found is None:
            return None
        margins.update({(f"@{key}", *path): v for path, v in found.items()})
    return margins


def _skip_kind(text: str, side: str) -> str:
    if "builds differently" in text:
        return "an argument's class is rebuilt by the head"
    if text.startswith("ValueError"):
        return f"arguments do not load on the {side}"
    return f"not callable on the {side}"


def judge_calls(base: dict[str, Any], head: dict[str, Any]) -> CallsOutcome:
    """Compare the head's replay with the base's, call by call."""
    out = CallsOutcome()
    theirs = {c["i"]: c for c in head.get("calls", [])}
    for call in base.get("calls", []):
        mine = theirs.get(call["i"])
        if "skip" in call:
            out.skipped[_skip_kind(call["skip"], "base")] += 1
            continue
        margins = _after_margins(call.get("recorded", {}), call["out"])
        if margins is None:
            out.unstable += 1
            continue
        if mine is None or ("skip" in mine and not mine["skip"].startswith("LookupError")):
            out.skipped[_skip_kind(mine["skip"] if mine else "", "head")] += 1
            continue
        out.compared += 1
        if "skip" in mine:
            found: tuple[str, Difference] | None = ("function", Difference("", None, mine["skip"]))
        else:
            found = outcome_difference(call["out"], mine["out"], margins)
        if found is None:
            out.comparable.append(call["i"])
            out.margins[call["i"]] = margins
            continue
        out.differing += 1
        if out.first is None:
            out.first = describe(call, mine, found)
    return out


def describe(
    call: dict[str, Any], mine: dict[str, Any], found: tuple[str, Difference]
) -> dict[str, Any]:
    """The evidence of one differing call."""
    what, diff = found
    if what == "function":
        head = str(diff.head)
        base = _shown_outcome(call["out"])
    elif what == "exception" or (what == "return value" and not diff.path):
        base, head = _shown_outcome(call["out"]), _shown_outcome(mine["out"])
    else:
        base, head = render(diff.base), render(diff.head)
    where = what + (f" at {diff.path}" if diff.path else "")
    if what == "arguments after the call":
        where = f"{diff.path} after the call" if diff.path else what
    args = call.get("args")
    return {
        "function": call["fid"],
        "args": _shown_args(args) if args is not None else "",
        "base": base,
        "head": head,
        "where": where,
    }


def _shown_args(form: Any) -> str:
    """`(a, b, key=c)` from the normal form of `[args, kwargs]`."""
    try:
        positional = [render(a, 120) for a in form[2][0][2]]
        named = [f"{render(k, 40).strip(chr(39))}={render(v, 120)}" for k, v in form[2][1][2]]
    except (IndexError, TypeError):
        return render(form)
    return "(" + ", ".join(positional + named)[:400] + ")"
