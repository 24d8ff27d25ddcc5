"""A method called on an object of unknown type (`price.implied()` on a record read from a
dict) runs one of the repository's methods of that name, when only the repository uses the
name and nothing else can answer it. The call is then as pure as every such method is;
each way something else could answer refuses the reading."""

from __future__ import annotations

from typing import Any

import pytest

from agent.engines.rules.effects import Effects
from agent.engines.rules.project import FunctionRef, project_for
from tests.models.rules_corpus import helpers

PRICES = """
from fractions import Fraction


class Price:
    def __init__(self, decimal):
        self._decimal = Fraction(decimal)

    def implied(self):
        return 1 / self._decimal


class Boost(Price):
    def implied(self):
        return Fraction(9, 10) / self._decimal


def book_sum(best, names):
    return sum(best[s][0].implied() for s in names)
"""


def _pure(source: str, function: str = "book_sum") -> bool:
    project = project_for({"m.py": source})
    ref = FunctionRef("m.py", function, project.defs["m.py"][function])
    return Effects(project).summary(ref).pure


def test_a_name_only_the_repository_uses_runs_one_of_its_methods() -> None:
    assert _pure(PRICES)


@pytest.mark.parametrize(
    "change",
    [
        # one of the definitions changes its object
        PRICES.replace("return Fraction(9, 10) / self._decimal", "self.n = 1\n        return 1"),
        # a builtin or standard-library class has a method of that name
        PRICES.replace("implied", "index"),
        PRICES.replace("implied", "is_integer"),  # Fraction and float have it
        # the name is stored as an attribute somewhere, or set by a computed name
        PRICES + "\n\ndef patch(p):\n    p.implied = print\n",
        PRICES + "\n\ndef patch(p, n):\n    setattr(p, n, print)\n",
        # bound otherwise in a class body, decorated, nested or defined twice
        PRICES + "\n\nclass Odd:\n    implied = print\n",
        PRICES + "\n\nclass Odd:\n    @staticmethod\n    def implied():\n        return 1\n",
        PRICES + "\n\ndef make():\n    class Inner:\n        def implied(self):\n"
        "            return 2\n    return Inner()\n",
        PRICES + "\n\nclass Price:\n    pass\n",
        # the world is not closed: an attribute hook, a metaclass, an unknown base
        PRICES + "\n\nclass Any:\n    def __getattr__(self, name):\n        return print\n",
        PRICES + "\n\nclass Meta(type):\n    pass\n\n\nclass M(metaclass=Meta):\n    pass\n",
        "import requests\n" + PRICES + "\n\nclass S(requests.Session):\n    pass\n",
        # a standard-library base defines the name: its objects answer it
        "import html.parser\n"
        + PRICES.replace("implied", "feed")
        + "\n\nclass P(html.parser.HTMLParser):\n    pass\n",
        # found by a review: ways to give an object such an attribute without storing it
        PRICES + "\n\nclass AttrDict(dict):\n    __getattr__ = dict.__getitem__\n",
        PRICES + "\n\nclass Q:\n    if True:\n        def implied(self):\n"
        "            return print()\n",
        "import unittest.mock\n" + PRICES + "\n\nclass Fake(unittest.mock.Mock):\n    pass\n",
        "import types\n" + PRICES + "\n\nODD = types.SimpleNamespace(implied=print)\n",
        "import argparse\n" + PRICES + "\n\nODD = argparse.Namespace(implied=print)\n",
        "import collections\n" + PRICES + "\n\nR = collections.namedtuple('R', 'a implied')\n",
        PRICES + "\n\nQ = type('Q', (), {'implied': print})\n",
        "import builtins\n" + PRICES + "\n\ndef f(p):\n    builtins.setattr(p, 'implied', 1)\n",
        PRICES + "\n\nput = setattr\n",
        PRICES + "\n\ndef f(p):\n    object.__getattribute__(p, '__dict__').update(x=1)\n",
        "import functools\n" + PRICES + "\n\ndef f(p, q):\n    functools.update_wrapper(p, q)\n",
        PRICES + "\n\ndef f(p):\n    exec('p.implied = print')\n",
        PRICES + "\n\nclass R:\n    def __reduce__(self):\n        return (R, ())\n",
        PRICES + "\n\ndef implied():\n    return print()\n",  # a module may be the receiver
        PRICES + "\n\ndef __getattr__(name):\n    return print\n",
    ],
    ids=[
        "impure-definition",
        "builtin-name",
        "stdlib-name",
        "stored-attribute",
        "setattr",
        "class-body-binding",
        "decorated",
        "nested-class",
        "defined-twice",
        "getattr-hook",
        "metaclass",
        "third-party-base",
        "stdlib-base-defines-it",
        "hook-bound-by-assignment",
        "def-under-if",
        "mock-base",
        "simple-namespace",
        "argparse-namespace",
        "namedtuple-field",
        "three-argument-type",
        "builtins-setattr",
        "setattr-alias",
        "getattribute-dict",
        "update-wrapper",
        "exec",
        "reduce",
        "module-function",
        "module-getattr",
    ],
)
def test_refused_where_something_else_may_answer(change: str) -> None:
    assert not _pure(change)


def test_standard_library_and_builtin_bases_keep_the_world_closed() -> None:
    source = (
        "import enum\nfrom collections import OrderedDict\nfrom typing import NamedTuple\n"
        + PRICES
        + "\n\nclass Side(enum.Enum):\n    BACK = 1\n\n\nclass Table(OrderedDict):\n    pass\n"
        + "\n\nclass Oops(ValueError):\n    pass\n"
        + "\n\nclass Leg(NamedTuple):\n    market: str\n"
    )
    assert _pure(source)


ARB = (
    "from dataclasses import dataclass\n"
    + PRICES
    + """

def best_of(quotes):
    best = {}
    for q in quotes:
        cur = best.get(q.selection)
        if cur is None or q.price._decimal > cur[0]._decimal:
            best[q.selection] = (q.price, q.book)
    return best


@dataclass(frozen=True)
class Quote:
    market: str
    selection: str
    price: Price
    book: str


def margins(quotes: list[Quote], markets: list[str]):
    out = []
    for m in markets:
        rows = [q for q in quotes if q.market == m]
        best = best_of(rows)
        out.append((m, sum(v[0].implied() for v in best.values())))
    return out
"""
)


def test_a_join_whose_loop_calls_such_a_method_is_indexed_and_answers_the_same() -> None:
    """What the reading unlocks: the loop of `margins` was impure for the method call, so
    its per-market scan of the quotes was never indexed."""
    after = helpers.rewrite(ARB, "join-index", "margins")
    assert after is not None
    answers = []
    mods: list[dict[str, Any]] = [helpers.run_module(ARB, "old"), helpers.run_module(after, "new")]
    for mod in mods:
        quotes = [
            mod["Quote"](f"m{i % 5}", "ab"[i % 2], mod["Price"](1 + i % 7 + 1), f"b{i % 3}")
            for i in range(40)
        ]
        answers.append(mod["margins"](quotes, ["m0", "m3", "m9", "m3"]))
    assert answers[0] == answers[1]


CYCLE = """
log = []


def a(n):
    if n > 0:
        b(n - 1)
    log.append(n)
    return n


def b(n):
    return a(n) + 1 if n > 0 else 0
"""


def test_a_summary_resting_on_a_guess_about_an_open_cycle_is_not_kept() -> None:
    """Guards the summaries' cache (found by a review): summarising `a` first summarised `b`
    under the guess that `a`, still open, was pure, and kept that answer after `a` turned
    out to append to a module list; a later `b(k) + b(k)` was then computed once."""
    project = project_for({"m.py": CYCLE})
    effects = Effects(project)
    refs = {name: FunctionRef("m.py", name, project.defs["m.py"][name]) for name in "ab"}
    assert not effects.summary(refs["a"]).pure
    assert not effects.summary(refs["b"]).pure
