"""membership-set-guarded: a list of values of unknown types tested for membership in a loop
is asked through a set built at run time. Before/after on values of every kind, and the
regressions where a set built before the loop would be stale: a generator consumed later, a
loop that yields."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

STOPS = """
def keywords(text, stop_words):
    stops = [w.strip().lower() for w in stop_words]
    return [w for w in text.split() if w not in stops]

def first_banned(items, banned):
    for x in items:
        if x in banned:
            return x
    return None
"""

NAN = float("nan")
VALUES: list[Any] = ["a", "A", 1, 1.0, True, 0, -0.0, False, None, b"a", NAN, (1,), [1],
                     SimpleNamespace(v=1)]  # fmt: skip


def _outcome(fn: Any, *args: Any) -> tuple[str, str]:
    try:
        return ("ok", repr(fn(*args)))
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def test_the_test_asks_a_set_built_before_the_loop() -> None:
    text = helpers.rewrite(STOPS, "membership-set-guarded", "keywords")
    assert text is not None
    body = helpers.body_of(text, "keywords")
    assert "stops_exact = _exact_set(stops)" in body
    assert "if (not _member(w, stops, (None if _ran_code[0] else stops_exact)))]" in body


@pytest.mark.parametrize(
    "banned",
    [VALUES, tuple(VALUES), VALUES[:10], "aAb", {"a": 1, 1: 2}, [NAN], [SimpleNamespace(v=1)]],
    ids=["mixed", "tuple", "exact", "str", "dict", "nan", "own-eq"],
)
def test_same_answers_for_values_of_every_kind(banned: Any) -> None:
    text = helpers.rewrite(STOPS, "membership-set-guarded", "first_banned")
    assert text is not None
    before = helpers.run_module(STOPS, "gm_a")["first_banned"]
    after = helpers.run_module(text, "gm_b")["first_banned"]
    for probe in VALUES:
        got, want = _outcome(after, [probe], banned), _outcome(before, [probe], banned)
        assert got == want, probe


@pytest.mark.parametrize("rule", ["membership-set", "membership-set-guarded"])
def test_a_generator_consumed_later_is_not_given_a_stale_set(rule: str) -> None:
    source = """
def kept(items: list[str], banned: list[str]):
    gen = (x for x in items if x not in banned)
    banned.append("a")
    return list(gen)
"""
    assert helpers.rewrite(source, rule, "kept") is None


@pytest.mark.parametrize("rule", ["membership-set", "membership-set-guarded"])
def test_a_loop_that_yields_is_not_given_a_stale_set(rule: str) -> None:
    source = """
def kept(items: list[str], banned: list[str]):
    for x in items:
        if x not in banned:
            yield x
"""
    assert helpers.rewrite(source, rule, "kept") is None


def test_a_generator_consumed_at_once_is_served() -> None:
    source = "def kept(items, banned):\n    return list(x for x in items if x not in banned)\n"
    assert helpers.rewrite(source, "membership-set-guarded", "kept") is not None


REFUSED = {
    "a known set": "def f(items, banned: set[str]):\n    return [x for x in items if x in banned]\n",
    "rebound in the loop": (
        "def f(items, banned):\n"
        "    out = []\n"
        "    for x in items:\n"
        "        banned = banned[1:]\n"
        "        out.append(x in banned)\n"
        "    return out\n"
    ),
    "changed in the loop": (
        "def f(items, banned):\n"
        "    out = []\n"
        "    for x in items:\n"
        "        out.append(x in banned)\n"
        "        banned.append(x)\n"
        "    return out\n"
    ),
    "a call that may change it": (
        "def f(items, banned, note):\n"
        "    out = []\n"
        "    for x in items:\n"
        "        note(x)\n"
        "        out.append(x in banned)\n"
        "    return out\n"
    ),
    "not in a loop": "def f(x, banned):\n    return x in banned\n",
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refusals(case: str) -> None:
    assert helpers.rewrite(REFUSED[case], "membership-set-guarded", "f") is None, case


def test_a_module_set_constant_is_left_as_it_is() -> None:
    """A module's set constant was taken for a list of unknown values and wrapped in a
    second, run-time set (first seen on a set of types a hoist rule wrote, since withdrawn)."""
    source = "BANNED = frozenset({'x', 'y'})\n" + STOPS.replace("x in banned", "x in BANNED")
    assert helpers.rewrite(source, "membership-set-guarded", "first_banned") is None
    rebound = source + "\nBANNED = ['z']\n"
    assert helpers.rewrite(rebound, "membership-set-guarded", "first_banned") is not None
