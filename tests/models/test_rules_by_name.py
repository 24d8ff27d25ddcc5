"""A method called on an object of unknown type (`best["p"].implied()`, an item of a dict
another function built) is as pure as the repository's definitions of that name, when only
the repository can define it. Before/after on a join that this purity unlocks, and the
refusals: a name a builtin or standard-library type also has, an impure definition among
several, a class that may get the name from outside, an attribute stored by that name, a
decorated or property definition, a class that intercepts attribute reads."""

from __future__ import annotations

import pytest

from agent.engines.rules.by_name import methods_named
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

SOURCE = """
from dataclasses import dataclass


class Price:
    def __init__(self, d):
        self.d = d

    def implied(self):
        return 1 / self.d


@dataclass(frozen=True)
class Quote:
    market: str
    price: Price


def quotes_of(pairs) -> list[Quote]:
    return [Quote(m, Price(d)) for m, d in pairs]


def first_price(rows):
    return {"p": rows[0].price} if rows else {}


def books(pairs, markets):
    quotes = quotes_of(pairs)
    out = []
    for market in markets:
        rows = [q for q in quotes if q.market == market]
        best = first_price(rows)
        out.append(best["p"].implied() if best else None)
    return out
"""

RULE = "join-index-guarded"


def test_a_pure_method_known_by_its_name_lets_the_join_fire() -> None:
    text = helpers.rewrite(SOURCE, RULE, "books")
    assert text is not None
    assert "rows = [q for q in quotes if q.market == market]" not in helpers.body_of(text, "books")
    before, after = helpers.run_module(SOURCE, "before"), helpers.run_module(text, "after")
    pairs = [("a", 2), ("b", 4), ("a", 5), ("c", 8)]
    for markets in (["a", "b", "z"], [], ["c", "c"]):
        assert before["books"](pairs, markets) == after["books"](pairs, markets)  # type: ignore[operator]


IMPURE = "    def implied(self):\n        LOG.append(self.d)\n        return 1 / self.d\n"

VARIANTS = {
    "the definition changes module state": lambda s: (
        "LOG = []\n" + s.replace("    def implied(self):\n        return 1 / self.d\n", IMPURE)
    ),
    "another class defines the name impurely": lambda s: (
        s + "\n\nLOG = []\n\n\nclass Other:\n" + IMPURE
    ),
    "a builtin type has a method by that name": lambda s: s.replace("implied", "count"),
    "a class may inherit the name from outside": lambda s: (
        "from somelib import Base\n" + s + "\n\nclass Other(Base):\n    pass\n"
    ),
    "an attribute is stored by that name": lambda s: (
        s + "\n\ndef patch(p):\n    p.implied = lambda: 0\n"
    ),
    "setattr may store any name": lambda s: s + "\n\ndef patch(p, n):\n    setattr(p, n, 0)\n",
    "a class intercepts attribute reads": lambda s: (
        s + "\n\nclass Proxy:\n    def __getattr__(self, name):\n        return print\n"
    ),
    "the definition is a property": lambda s: s.replace(
        "    def implied(self):", "    @property\n    def implied(self):"
    ),
    "the definition is decorated": lambda s: (
        "import functools\n"
        + s.replace("    def implied(self):", "    @functools.cache\n    def implied(self):")
    ),
    "a decorator of the repository wraps the definition": lambda s: (
        "LOG = []\n\n\ndef logged(f):\n    def run(*a):\n        LOG.append(a)\n"
        "        return f(*a)\n    return run\n"
        + s.replace("    def implied(self):", "    @logged\n    def implied(self):")
    ),
    "the receiver is a module": lambda s: "import pricing\n"
    + s.replace('best["p"].implied()', "pricing.implied(best)"),
    "the receiver is a global": lambda s: "BOOK = object()\n"
    + s.replace('best["p"].implied()', "BOOK.implied()"),
    "a class binds the name to a value": lambda s: s + "\n\nclass Other:\n    implied = print\n",
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_join_is_refused_when_the_name_could_run_something_else(variant: str) -> None:
    source = VARIANTS[variant](SOURCE)
    assert helpers.rewrite(source, RULE, "books") is None


def test_a_nested_or_twice_defined_class_with_the_name_is_not_resolved() -> None:
    nested = "def make():\n    class Local:\n        def implied(self):\n            return 1\n"
    twice = "class A:\n    def implied(self):\n        return 1\n\n\nclass A:\n    pass\n"
    for source in (nested, twice):
        assert methods_named(project_for({"m.py": source}), "implied") is None


def test_every_definition_of_the_name_is_found() -> None:
    source = "class A:\n    def implied(self):\n        return 1\n\n\nclass B:\n    def implied(self):\n        return 2\n"
    found = methods_named(project_for({"m.py": source}), "implied")
    assert found is not None and sorted(r.qualname for r in found) == ["A.implied", "B.implied"]
