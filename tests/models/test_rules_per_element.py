"""hoist-per-element: a pure call on each element of a list that an outer loop passes over
again and again is computed once per element, where it stood. Before/after (same answers,
same exceptions at the same point, iterables that are not lists, passes cut short), and
the refusals: a loop that changes the elements, or a container they may hold, or rebinds
what the call reads; a call that is conditional; a filtered comprehension; a generator
that escapes; a result that is kept rather than read; an outer iterable that may run code."""

from __future__ import annotations

import itertools

import pytest

from tests.models.rules_corpus import helpers

RULE = "hoist-per-element"

SOURCE = """
class Price:
    def __init__(self, d):
        self.d = d


def implied(p):
    return 1 / p.d


def power(prices, rounds=30):
    low, high = 0.0, 50.0
    k = 1.0
    for _ in range(rounds):
        k = (low + high) / 2
        total = sum(float(implied(p)) ** k for p in prices)
        if total > 1.0:
            low = k
        else:
            high = k
    return k


def first_over(prices, limits: list):
    found = []
    for limit in limits:
        found.append(any(implied(p) > limit for p in prices))
    return found


def weighted(prices, weights: list):
    out = []
    for w in weights:
        total = 0
        for p in prices:
            total += w * implied(p)
        out.append(total)
    return out
"""

FUNCTIONS = ("power", "first_over", "weighted")


def _both() -> tuple[dict[str, object], dict[str, object]]:
    text = SOURCE
    for fn in FUNCTIONS:
        new = helpers.rewrite(text, RULE, fn)
        assert new is not None, fn
        text = new
    return helpers.run_module(SOURCE, "before"), helpers.run_module(text, "after")


def _outcome(fn, *args):  # type: ignore[no-untyped-def]
    try:
        return fn(*args)
    except Exception as exc:
        return type(exc).__name__, str(exc)


def test_each_elements_value_is_read_back_where_the_call_stood() -> None:
    text = helpers.rewrite(SOURCE, RULE, "power")
    assert text is not None
    body = helpers.body_of(text, "power")
    assert "p_seen, p_values = [], []" in body
    assert "for p_i, p in _each_indexed(p_seen, p_values, prices)" in body
    assert (
        "(p_values[p_i] if p_i < len(p_values) else _keep_value(p_values, float(implied(p))))"
        in body
    )


@pytest.mark.parametrize("make", [list, tuple, iter, lambda xs: (x for x in xs)])
def test_same_answers_for_lists_tuples_and_one_shot_iterables(make) -> None:  # type: ignore[no-untyped-def]
    before, after = _both()
    for module in (before, after):
        price = module["Price"]
        module["args"] = [price(d) for d in (1.5, 2.5, 4, 9)]  # type: ignore[operator]
    cases = (("power", ()), ("first_over", ([0.1, 0.3, 0.9],)), ("weighted", ([1, 2],)))
    for name, extra in cases:
        got = [_outcome(m[name], make(m["args"]), *extra) for m in (before, after)]  # type: ignore[index]
        assert got[0] == got[1], name


class _Counted:
    """A price whose `d` counts its reads (the call reads it once) and may be zero."""

    reads = 0

    def __init__(self, d: float) -> None:
        self._d = d

    @property
    def d(self) -> float:
        _Counted.reads += 1
        return self._d


def test_an_element_that_raises_raises_at_the_same_pass_and_later_ones_recompute() -> None:
    before, after = _both()
    for prices in ([_Counted(2), _Counted(0), _Counted(3)], [_Counted(0)], []):
        for name, extra in (("first_over", ([0.1, 0.9],)), ("power", ()), ("weighted", ([2],))):
            got = [_outcome(m[name], prices, *extra) for m in (before, after)]  # type: ignore[arg-type]
            assert got[0] == got[1]


def test_a_pass_cut_short_leaves_the_rest_to_the_next() -> None:
    before, after = _both()
    prices = [_Counted(d) for d in (1.2, 5, 7, 9)]
    for limits in ([0.5, 0.01, 0.99], [0.99, 0.5], list(itertools.repeat(0.1, 3))):
        assert before["first_over"](prices, limits) == after["first_over"](prices, limits)  # type: ignore[operator]
    _Counted.reads = 0
    after["first_over"](prices, [0.99, 0.99, 0.99])  # type: ignore[operator]
    assert _Counted.reads == len(prices)  # each element once, not once per pass


STOP = """
def first_positive(parts):
    return next(x for x in parts if x > 0)


def firsts(boxes, rounds):
    out = []
    for r in range(rounds):
        for b in boxes:
            out.append(float(first_positive(b)) * r)
    return out
"""


def test_a_stop_iteration_from_the_call_stays_a_stop_iteration() -> None:
    """Review: computed inside a helper generator, the call's StopIteration became a
    RuntimeError (PEP 479); it now runs where it stood."""
    text = helpers.rewrite(STOP, RULE, "firsts")
    assert text is not None
    for source in (STOP, text):
        with pytest.raises(StopIteration):
            helpers.run_module(source, "stop")["firsts"]([[1, 2], [-1]], 2)  # type: ignore[operator]


REFUSED = {
    "the loop changes an element": (
        "weighted",
        "        out.append(total)\n",
        "        out.append(total)\n        prices[0].d += 1\n",
    ),
    "the loop rebinds what the call reads": (
        "power",
        "        total = sum(float(implied(p)) ** k for p in prices)\n",
        "        total = sum(float(scaled(p, k)) for p in prices)\n",
    ),
    "the call is conditional": (
        "power",
        "        total = sum(float(implied(p)) ** k for p in prices)\n",
        "        total = sum((float(implied(p)) if k else 0.0) for p in prices)\n",
    ),
    "the comprehension filters": (
        "power",
        "        total = sum(float(implied(p)) ** k for p in prices)\n",
        "        total = sum(float(implied(p)) ** k for p in prices if p.d)\n",
    ),
    "the generator escapes the statement": (
        "power",
        "        total = sum(float(implied(p)) ** k for p in prices)\n",
        "        gen = (float(implied(p)) ** k for p in prices)\n        total = sum(gen)\n",
    ),
    "the result is kept, not read": (
        "first_over",
        "        found.append(any(implied(p) > limit for p in prices))\n",
        "        found.append([pair(p) for p in prices])\n",
    ),
    "the call reads a container the loop grows": (
        "weighted",
        "            total += w * implied(p)\n",
        "            total += w * scaled(p, len(out))\n",
    ),
    "the iterable is rebound in the loop": (
        "weighted",
        "        out.append(total)\n",
        "        out.append(total)\n        prices = prices[1:]\n",
    ),
    "the outer iterable may run code between passes": (
        "first_over",
        "def first_over(prices, limits: list):",
        "def first_over(prices, limits):",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused(case: str) -> None:
    fn, old, new = REFUSED[case]
    assert old in SOURCE
    source = SOURCE.replace(old, new) + "\n\ndef pair(p):\n    return [p.d]\n"
    source += "\n\ndef scaled(p, k):\n    return p.d * k\n"
    assert helpers.rewrite(source, RULE, fn) is None


HELD = """
class Item:
    def __init__(self, ledger, d):
        self.ledger = ledger
        self.d = d


def score(item):
    return item.d + len(item.ledger)


def grown(data, rounds):
    ledger = []
    items = [Item(ledger, d) for d in data]
    out = []
    for k in range(rounds):
        out.append(sum(float(score(it)) for it in items))
        ledger.append(k)
    return out


def stored(data, rounds):
    rows = [list(r) for r in data]
    extra = []
    rows.append(extra)
    out = []
    for k in range(rounds):
        out.append(sum(float(sum(row)) for row in rows))
        extra.append(k + 1)
    return out
"""


@pytest.mark.parametrize("fn", ["grown", "stored"])
def test_refused_when_the_loop_changes_a_container_an_element_may_hold(fn: str) -> None:
    """Review: the elements held a list of the function's own (through a constructor, or
    appended to the iterated list) that the outer loop grew; every pass read the first
    pass's values."""
    assert helpers.rewrite(HELD, RULE, fn) is None


@pytest.mark.parametrize(
    "statement",
    [
        "            total += w if 0 < w < implied(p) else 0\n",
        "            assert w, implied(p)\n",
    ],
    ids=["later-link-of-a-chain", "assert-message"],
)
def test_refused_when_the_call_is_evaluated_only_sometimes(statement: str) -> None:
    """Review: `c` in `a < b < c` runs only when `a < b` holds, an assert's message only
    when it fails (and not at all under -O)."""
    source = SOURCE.replace("            total += w * implied(p)\n", statement)
    assert helpers.rewrite(source, RULE, "weighted") is None


HOISTED = """
def ratio(x):
    return 1 / x


def checks(xs, low, high):
    out = []
    for x in xs:
        out.append(low < high < ratio(high))
    return out
"""


def test_hoist_pure_call_leaves_a_later_link_of_a_comparison_chain_alone() -> None:
    """`ratio(high)` runs only when `low < high`: computed before the statement it raised
    ZeroDivisionError for `checks([1], 1, 0)`, where the original returns [False]."""
    text = helpers.rewrite(HOISTED, "hoist-pure-call", "checks")
    if text is not None:
        assert helpers.run_module(text, "chain")["checks"]([1], 1, 0) == [False]  # type: ignore[operator]


NESTED = """
def f(p):
    return p * 2


def g(q):
    return q + 1


def nested(prices: list, rounds):
    others = [5, 6]
    out = []
    for _ in range(rounds):
        acc = 0
        for p in prices:
            a = f(p) + 0
            for q in others:
                acc += a + g(q)
        out.append(acc)
    return out
"""


def test_a_loop_that_is_one_sites_inner_loop_and_anothers_outer_loop_is_rewritten_once() -> None:
    """Both sites rewrote the middle `for`: one replaced it, the other's memo, meant to be
    made just before it, was lost."""
    text = helpers.rewrite(NESTED, RULE, "nested")
    assert text is not None
    args = ([1, 2], 3)
    before = helpers.run_module(NESTED, "nested_before")["nested"](*args)  # type: ignore[operator]
    assert helpers.run_module(text, "nested_after")["nested"](*args) == before  # type: ignore[operator]
