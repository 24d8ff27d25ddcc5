"""Which code can change an attribute: stores found through a target's store path only, and
`getattr`/`setattr` with a computed name, unless the name can only be one of some literals.
The attribute rules (indexes beside a list, ordering by fields) rest on these facts."""

from __future__ import annotations

from typing import Any

import libcst as cst
import pytest

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access
from agent.engines.rules.project import project_for
from agent.engines.rules.syntax import bound_names
from tests.models.rules_corpus import helpers


@pytest.mark.parametrize(
    ("source", "attr", "reached"),
    [
        (
            'def f(self):\n    for n in ("first", "last"):\n        getattr(self, n)\n',
            "first",
            True,
        ),
        ('def f(self):\n    for n in ("first", "last"):\n        getattr(self, n)\n', "_x", False),
        ('def f(self):\n    setattr(self, "a", 1)\n', "_x", False),
        # the name may be anything: a parameter, rebound, bound by another loop, a closure's,
        # at module level, through nonlocal, an f-string
        ('def f(self, n):\n    for n in ("first",):\n        getattr(self, n)\n', "_x", True),
        (
            'def f(self):\n    for n in ("a",):\n        n = n + "x"\n        getattr(self, n)\n',
            "_x",
            True,
        ),
        (
            'def f(self, xs):\n    for n in ("a",):\n        pass\n    return [getattr(self, n) for n in xs]\n',
            "_x",
            True,
        ),
        (
            'def f(self):\n    for n in ("a",):\n        def g():\n            return getattr(self, n)\n',
            "_x",
            True,
        ),
        ('for n in ("a",):\n    getattr(object, n)\n', "_x", True),
        (
            'def f(self):\n    n = "a"\n    def g():\n        nonlocal n\n        for n in ("a",):\n            pass\n        getattr(self, n)\n',
            "_x",
            True,
        ),
        ('def f(self):\n    for n in (f"a",):\n        getattr(self, n)\n', "_x", True),
        (
            'def f(self, v):\n    for n in ("a",):\n        match v:\n            case str() as n:\n                pass\n        setattr(self, n, 1)\n',
            "_x",
            True,
        ),
        ("def f(self):\n    vars(self)\n", "_x", True),
        # found by a review: a comprehension's name credited to the function, a nested
        # scope rebinding the loop's name through nonlocal; comprehensions are not followed
        (
            'def f(self, v):\n    [name for name in ("label",)]\n    setattr(self, name, v)\n',
            "_x",
            True,
        ),
        (
            'def f(self, v):\n    for name in ("label",):\n        def pick():\n            nonlocal name\n            name = "_x"\n        pick()\n        setattr(self, name, v)\n',
            "_x",
            True,
        ),
        ('def f(self):\n    return [getattr(self, n) for n in ("a", "b")]\n', "_x", True),
        ('def f(self):\n    getattr(self, "__dict__")["_x"] = 1\n', "_x", True),
        (
            'def f(self):\n    for n in ("a", "__setattr__"):\n        getattr(self, n)("_x", 1)\n',
            "_x",
            True,
        ),
    ],
)
def test_a_computed_attribute_name_reaches_only_what_it_can_spell(
    source: str, attr: str, reached: bool
) -> None:
    assert dynamic_access(project_for({"m.py": source}), attr) is reached


@pytest.mark.parametrize(
    ("source", "stored"),
    [
        ("def f(x, counts):\n    counts[x.key] += 1\n", False),  # the index is only read
        ("def f(x, out):\n    out[g(x.key)] = 1\n", False),
        ("def f(x):\n    x.key = 1\n", True),
        ("def f(x):\n    x.key[0] = 1\n", True),  # into the attribute's value
        ("def f(x):\n    x.key.part = 1\n", True),
        ("def f(x, y):\n    (y, x.key) = (1, 2)\n", True),
        ("def f(x, y):\n    for y, *x.key in []:\n        pass\n", True),
        ("def f(x):\n    del x.key\n", True),
        ("def f(x):\n    if x: x.key = 1\n", True),  # one line (found by a review)
        ("def f(x, cm):\n    with cm as x.key:\n        pass\n", True),  # found by a review
    ],
)
def test_stores_follow_the_targets_store_path(source: str, stored: bool) -> None:
    """Guards a false store (found with a gradebook-style project): `counts[x.key] += 1` was
    read as a store of `key`, so no index by `key` was ever kept."""
    assert bool(attribute_stores(project_for({"m.py": source}), "key")) is stored


def test_match_and_except_star_captures_are_bindings() -> None:
    fn = cst.parse_module(
        "def f(x):\n    match x:\n        case {'a': 1, **rest}: pass\n"
        "        case [1, *others]: pass\n        case str() as s: pass\n"
        "    try:\n        pass\n    except* ValueError as eg:\n        pass\n"
    ).body[0]
    assert set(bound_names(fn)) >= {"rest", "others", "s", "eg"}


LEDGER = """
class Entry:
    def __init__(self, ref, amount):
        self.ref = ref
        self.amount = amount
        for name in ("ref",):
            if not isinstance(getattr(self, name), str):
                raise TypeError(name)


class Ledger:
    def __init__(self):
        self._entries = []

    def add(self, entry):
        self._entries.append(entry)

    def find(self, ref):
        for e in self._entries:
            if e.ref == ref:
                return e.amount
        return None

    def tally(self, counts):
        for e in self._entries:
            counts[e.ref] = counts.get(e.ref, 0) + 1
        return counts
"""


def test_an_index_by_a_field_validated_through_getattr_and_counted_by_key() -> None:
    """Both facts above at once: the field is read by `getattr` over literal names and used
    as a counting key; the index by it is still kept, and answers as the scan did."""
    after = helpers.rewrite(LEDGER, "index-attribute", "Ledger.find")
    assert after is not None
    answers = []
    mods: list[dict[str, Any]] = [
        helpers.run_module(LEDGER, "old"),
        helpers.run_module(after, "new"),
    ]
    for mod in mods:
        ledger = mod["Ledger"]()
        for i in range(30):
            ledger.add(mod["Entry"](f"r{i % 7}", i))
        answers.append([ledger.find(f"r{i}") for i in range(9)] + [ledger.tally({})])
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    ("source", "changed"),
    [
        ('def f(o):\n    return getattr(o, "ref")\n', False),  # a read changes nothing
        ("def f(o, n):\n    return getattr(o, n)\n", True),  # n may be "__dict__"
        ('def f(o):\n    getattr(o, "__dict__")["ref"] = 1\n', True),
        ('def f(o):\n    setattr(o, "ref", 1)\n', True),
    ],
)
def test_who_can_change_an_attribute_leaves_plain_reads_out(source: str, changed: bool) -> None:
    assert dynamic_access(project_for({"m.py": source}), "ref", reads=False) is changed


def test_no_index_when_getattr_takes_any_name() -> None:
    source = LEDGER.replace('for name in ("ref",):', "for name in self.__class__.FIELDS:")
    assert helpers.rewrite(source, "index-attribute", "Ledger.find") is None
