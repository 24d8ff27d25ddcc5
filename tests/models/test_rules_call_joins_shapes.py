"""join-index-call on lookup helpers with statements before the scan that change nothing
(an argument check), and on a comprehension bound to a local and used after: the records
the scan is given are the only difference, and only the matching ones are ever used.
Before/after for a function and a method helper, and refusals."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

BODIES = {
    "check-first": (
        "if sid is None:\n        raise ValueError('no id')\n"
        "    for s in RECORDS:\n        if s.sid == sid:\n            return s.name\n"
        "    return None"
    ),
    "matches-then-first": (
        "matches = [s.name for s in RECORDS if s.sid == sid]\n"
        "    if not matches:\n        raise KeyError(sid)\n    return matches[0]"
    ),
    "next-bound": (
        "found = next((s for s in RECORDS if s.sid == sid), None)\n"
        "    return None if found is None else found.name"
    ),
}

FUNCTION = """
def find(students, sid):
    BODY


def names(students, ids):
    out = []
    for i in ids:
        out.append(find(students, i))
    return out
"""

METHOD = """
class Book:
    def __init__(self, students):
        self.students = list(students)

    def find(self, sid):
        BODY


def names(book: Book, ids):
    out = []
    for i in ids:
        out.append(book.find(i))
    return out
"""


class _Rec:
    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


def _source(shape: str, body: str) -> str:
    if shape == "function":
        return FUNCTION.replace("BODY", body.replace("RECORDS", "students"))
    return METHOD.replace("BODY", body.replace("\n", "\n    ").replace("RECORDS", "self.students"))


def _outcome(fn, *args):  # type: ignore[no-untyped-def]
    try:
        return ("ok", repr(fn(*args)))
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("shape", ["function", "method"])
@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_the_scan_is_served_and_answers_alike(shape: str, body: str) -> None:
    source = _source(shape, body)
    text = helpers.rewrite(source, "join-index-call", "names")
    assert text is not None
    before = helpers.run_module(source, "shapes_before")
    after = helpers.run_module(text, "shapes_after")
    students = [_Rec(sid=s, name=f"n{i}") for i, s in enumerate(["a", "b", 1, 1.0, "a", True])]
    for ids in (["a", "b"], [1, True, 1.0], ["zz"], [None], [], ["b", None, "a"]):
        results = []
        for module in (before, after):
            holder = students if shape == "function" else module["Book"](students)  # type: ignore[operator]
            results.append(_outcome(module["names"], holder, ids))
        assert results[0] == results[1], ids


REFUSED = {
    "a-prefix-with-an-effect": "LOG.append(sid)\n    "
    + BODIES["check-first"].split("\n", 2)[2].lstrip(),
    "a-prefix-reading-the-records": "if not RECORDS:\n        return None\n    "
    + BODIES["check-first"].split("\n", 2)[2].lstrip(),
    "positions": "for n, s in enumerate(RECORDS):\n        if s.sid == sid:\n            return n\n    return -1",
}


@pytest.mark.parametrize("shape", ["function", "method"])
@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
def test_refusals(shape: str, body: str) -> None:
    source = _source(shape, body) + "\n\nLOG = []\n"
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "join-index-call", "names") is None


PROBE_CHANGED = """
def find(acc, students):
    acc["k"] = "b"
    for s in students:
        if s.sid == acc["k"]:
            return s.name
    return None


def names(students, ids):
    acc = {}
    out = []
    for i in ids:
        acc["k"] = i
        out.append(find(acc, students))
    return out
"""


def test_a_helper_that_changes_its_probe_before_the_scan_is_refused() -> None:
    """Guards the quiet prefix: the caller reads the probe just before the call, so nothing
    before the scan may change it (here through the caller's own dict)."""
    assert helpers.rewrite(PROBE_CHANGED, "join-index-call", "names") is None
