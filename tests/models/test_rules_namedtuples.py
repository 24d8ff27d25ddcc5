"""Facts the rules rely on about namedtuples and about the guarded cache: building a
namedtuple runs no repository code, a function the guarded cache decorates has its own effects
(so later rewrites still see it as pure), and the cache keeps namedtuple results of immutable
values. Before/after, and the cases where a fact must not hold."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

MARKS = """
import re
from collections import namedtuple

Mark = namedtuple("Mark", ["code", "reason", "attended"])
Entry = namedtuple("Entry", "pupil mark")


def parse_mark(text):
    found = re.match(r"^\\s*([A-Za-z])\\s*(?:\\((.*)\\))?\\s*$", text)
    if found is None:
        raise ValueError(f"unreadable mark {text!r}")
    code = found.group(1).upper()
    return Mark(code, (found.group(2) or "").strip().lower(), code in ("P", "L"))


def entries_for(register, pupil):
    return [e for e in register if e.pupil == pupil]


def absences(register, pupils):
    out = {}
    for pupil in pupils:
        out[pupil] = [parse_mark(e.mark).reason for e in entries_for(register, pupil)]
    return out
"""


def test_a_loop_building_namedtuples_is_pure_and_grouped() -> None:
    """Guards the namedtuple fact: `parse_mark` builds a `Mark`, which made every loop calling
    it impure, so attendance's per-pupil scans were never grouped."""
    text = rewrite(MARKS, "group-by-call", "absences")
    assert text is not None
    before, after = helpers.run_module(MARKS, "nt_before"), helpers.run_module(text, "nt_after")
    register = [
        before["Entry"](p, m) for p, m in [("a", "A(ill)"), ("b", "P"), ("a", "L"), ("c", "A")]
    ]
    pupils = ["a", "b", "c", "d", "a"]
    assert after["absences"](register, pupils) == before["absences"](register, pupils)
    with pytest.raises(ValueError):
        after["absences"]([before["Entry"]("a", "??")], ["a"])


@pytest.mark.parametrize(
    "change",
    [
        'Mark = namedtuple("Mark", ["code", "reason", "attended"])\nMark = print',
        'Mark = namedtuple("Mark", ["code", "reason", "attended"])\nMark.extra = print',
        'namedtuple = print\nMark = namedtuple("Mark", ["code", "reason", "attended"])',
    ],
    ids=["rebound", "attribute-set", "not-collections"],
)
def test_a_name_that_may_not_build_a_namedtuple_is_not_pure(change: str) -> None:
    source = MARKS.replace('Mark = namedtuple("Mark", ["code", "reason", "attended"])', change)
    assert rewrite(source, "group-by-call", "absences") is None


def test_a_function_the_guarded_cache_decorates_is_still_pure_to_later_rewrites() -> None:
    """Guards combined plans: after `parse_mark` is cached, grouping its caller's scans must
    still apply (the decorator counted as unknown code); an edited helper is unknown code."""
    cached = rewrite(MARKS, "cache-pure-function-guarded", "parse_mark")
    assert cached is not None
    both = rewrite(cached, "group-by-call", "absences")
    assert both is not None
    before, after = helpers.run_module(MARKS, "nt_c_before"), helpers.run_module(both, "nt_c_after")
    register = [before["Entry"](p, m) for p, m in [("a", "A(ill)"), ("b", "P"), ("a", "A(ill)")]]
    assert after["absences"](register, ["a", "b", "z"]) == before["absences"](
        register, ["a", "b", "z"]
    )
    edited = cached.replace("if entries >= 65536:", "if entries >= 65536 or print():", 1)
    edited = edited.replace("if len(table) < 65536:", "if len(table) < 65536 and print() is None:")
    assert edited != cached
    assert rewrite(edited, "group-by-call", "absences") is None


def test_the_guarded_cache_keeps_namedtuple_results_of_immutable_values() -> None:
    counted = MARKS.replace("    found = re.match", "    CALLS.append(text)\n    found = re.match")
    cached = rewrite(MARKS, "cache-pure-function-guarded", "parse_mark")
    assert cached is not None
    calls = cached.replace("    found = re.match", "    CALLS.append(text)\n    found = re.match")
    mod = helpers.run_module("CALLS = []\n" + calls, "nt_kept")
    assert counted != MARKS
    first = mod["parse_mark"]("A(ill)")
    assert mod["parse_mark"]("A(ill)") is first and mod["CALLS"] == ["A(ill)"]
    sub = "class Loose(Mark):\n    pass\n\n\n"
    loose = calls.replace("def parse_mark(text):", sub + "def parse_mark(text):").replace(
        "return Mark(code,", "return Loose(code,"
    )
    mod = helpers.run_module("CALLS = []\n" + loose, "nt_loose")
    mod["parse_mark"]("P")
    mod["parse_mark"]("P")
    assert mod["CALLS"] == ["P", "P"]  # a subclass has a __dict__: never kept
