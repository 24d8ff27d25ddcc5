"""hoist-per-element: a pure call on each element of a list that an outer loop passes over
again and again is computed once per element. Before/after (same answers, same
exceptions at the same point, iterables that are not lists, passes cut short), and the
refusals: a loop that changes the elements or rebinds what the call reads, a call that is
conditional or not evaluated first, a filtered comprehension, a generator that escapes,
a result that is kept rather than read."""

from __future__ import annotations

import itertools

import pytest

from tests.models.rules_corpus import helpers

RULE = "hoist-per-element"

SOURCE = """
class Price:
    def __init__(self, d):
        self.d = d

    def implied(self):
        return 1 / self.d


def power(prices, rounds=30):
    low, high = 0.0, 50.0
    k = 1.0
    for _ in range(rounds):
        k = (low + high) / 2
        total = sum(float(p.implied()) ** k for p in prices)
        if total > 1.0:
            low = k
        else:
            high = k
    return k


def first_over(prices, limits):
    found = []
    for limit in limits:
        found.append(any(p.implied() > limit for p in prices))
    return found


def weighted(prices, weights):
    out = []
    for w in weights:
        total = 0
        for p in prices:
            total += p.implied() * w
        out.append(total)
    return out
"""


def _both() -> tuple[dict[str, object], dict[str, object]]:
    text = SOURCE
    for fn in ("power", "first_over", "weighted"):
        new = helpers.rewrite(text, RULE, fn)
        assert new is not None, fn
        text = new
    return helpers.run_module(SOURCE, "before"), helpers.run_module(text, "after")


def _outcome(fn, *args):  # type: ignore[no-untyped-def]
    try:
        return fn(*args)
    except Exception as exc:
        return type(exc).__name__, str(exc)


def test_each_elements_value_is_read_back_instead_of_computed_again() -> None:
    text = helpers.rewrite(SOURCE, RULE, "power")
    assert text is not None
    body = helpers.body_of(text, "power")
    assert "p_values = []" in body
    assert "for p, p_value in _each_once(p_values, prices, lambda p: float(p.implied()))" in body
    assert "sum(p_value ** k" in body


@pytest.mark.parametrize("make", [list, tuple, iter, lambda xs: (x for x in xs)])
def test_same_answers_for_lists_tuples_and_one_shot_iterables(make) -> None:  # type: ignore[no-untyped-def]
    before, after = _both()
    for module in (before, after):
        price = module["Price"]
        module["args"] = [price(d) for d in (1.5, 2.5, 4, 9)]  # type: ignore[operator]
    for name, extra in (("power", ()), ("first_over", ([0.1, 0.3, 0.9],)), ("weighted", ([1, 2],))):
        got = [
            _outcome(m[name], make(m["args"]), *extra)  # type: ignore[index]
            for m in (before, after)
        ]
        assert got[0] == got[1], name


class _Counted:
    """A price whose `implied` counts its calls and fails for a zero."""

    calls = 0

    def __init__(self, d: float) -> None:
        self.d = d

    def implied(self) -> float:
        _Counted.calls += 1
        return 1 / self.d


def test_an_element_that_raises_raises_at_the_same_pass_and_later_ones_recompute() -> None:
    before, after = _both()
    for prices in ([_Counted(2), _Counted(0), _Counted(3)], [_Counted(0)], []):
        got = [_outcome(m["first_over"], prices, [0.1, 0.9]) for m in (before, after)]
        assert got[0] == got[1]
        got = [_outcome(m["power"], prices) for m in (before, after)]
        assert got[0] == got[1]


def test_a_pass_cut_short_leaves_the_rest_to_the_next() -> None:
    before, after = _both()
    prices = [_Counted(d) for d in (1.2, 5, 7, 9)]
    for limits in ([0.5, 0.01, 0.99], [0.99, 0.5], list(itertools.repeat(0.1, 3))):
        assert before["first_over"](prices, limits) == after["first_over"](prices, limits)  # type: ignore[operator]
    _Counted.calls = 0
    after["first_over"](prices, [0.99, 0.99, 0.99])  # type: ignore[operator]
    assert _Counted.calls == len(prices)  # each element once, not once per pass


REFUSED = {
    "the loop changes an element": (
        "weighted",
        "        out.append(total)\n",
        "        out.append(total)\n        prices[0].d += 1\n",
    ),
    "the loop rebinds what the call reads": (
        "power",
        "        total = sum(float(p.implied()) ** k for p in prices)\n",
        "        total = sum(float(p.scaled(k)) for p in prices)\n",
    ),
    "the call is conditional": (
        "power",
        "        total = sum(float(p.implied()) ** k for p in prices)\n",
        "        total = sum((float(p.implied()) if k else 0.0) for p in prices)\n",
    ),
    "the call is not evaluated first": (
        "power",
        "        total = sum(float(p.implied()) ** k for p in prices)\n",
        "        total = sum(abs(k) ** float(p.implied()) for p in prices)\n",
    ),
    "the comprehension filters": (
        "power",
        "        total = sum(float(p.implied()) ** k for p in prices)\n",
        "        total = sum(float(p.implied()) ** k for p in prices if p.d)\n",
    ),
    "the generator escapes the statement": (
        "power",
        "        total = sum(float(p.implied()) ** k for p in prices)\n",
        "        gen = (float(p.implied()) ** k for p in prices)\n        total = sum(gen)\n",
    ),
    "the result is kept, not read": (
        "first_over",
        "        found.append(any(p.implied() > limit for p in prices))\n",
        "        found.append([p.pair() for p in prices])\n",
    ),
    "the iterable is rebound in the loop": (
        "weighted",
        "        out.append(total)\n",
        "        out.append(total)\n        prices = prices[1:]\n",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused(case: str) -> None:
    fn, old, new = REFUSED[case]
    assert old in SOURCE
    source = SOURCE.replace(old, new) + "\n\ndef pair_of(d):\n    return [d]\n"
    source = source.replace(
        "    def implied(self):",
        "    def pair(self):\n        return [self.d]\n\n    def scaled(self, k):\n"
        "        return self.d * k\n\n    def implied(self):",
    )
    assert helpers.rewrite(source, RULE, fn) is None
