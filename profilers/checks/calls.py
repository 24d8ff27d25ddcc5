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
"""The replay's word for a call that left its arguments as they were."""


def after_difference(base: Any, head: Any, margins: dict[Path, float]) -> Difference | None:
    """Whether the head leaves the arguments as the base does. Each side is `SAME` or
    [form before, form after]; the head may add attributes (a cache) to an argument object."""
    if base == SAME and head == SAME:
        return None
    if (not _pair(base) and base != SAME) or (not _pair(head) and head != SAME):
        return Difference("", base, head)
    if base == SAME:
        return first_difference(head[0], head[1], margins, lenient=True)
    state = head[1] if head != SAME else base[0]
    return first_difference(base[1], state, margins, lenient=True)


def _pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and value != SAME


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
    mine: Any = rec.get("after")
    theirs: Any = out.get("after")
    if (mine == SAME) != (theirs == SAME):
        return None
    if _pair(mine) and _pair(theirs):
        found = variation(mine[1], theirs[1])
        if found is None:
            return None
        margins.update(found)
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
        where = f"{_argument_path(diff.path)} after the call" if diff.path else what
    args = call.get("args")
    return {
        "function": call["fid"],
        "args": _shown_args(args) if args is not None else "",
        "base": base,
        "head": head,
        "where": where,
    }


def _argument_path(path: str) -> str:
    """`[0][1].qty` (a path into `[args, kwargs]`) as `argument 1.qty`."""
    if path.startswith("[0]["):
        n, _, rest = path[4:].partition("]")
        return f"argument {n}{rest}"
    if path.startswith("[1]["):
        name, _, rest = path[4:].partition("]")
        return f"argument {name.strip(chr(39))}{rest}"
    return path


def _shown_args(form: Any) -> str:
    """`(a, b, key=c)` from the normal form of `[args, kwargs]`."""
    try:
        positional = [render(a, 120) for a in form[2][0][2]]
        named = [f"{render(k, 40).strip(chr(39))}={render(v, 120)}" for k, v in form[2][1][2]]
    except (IndexError, TypeError):
        return render(form)
    return "(" + ", ".join(positional + named)[:400] + ")"
