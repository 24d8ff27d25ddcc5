"""hoist-pure-call-comp: a pure call that a comprehension makes with the same arguments for
every element is made once, at the first element that needs it. Before/after, the kept
value reset on each run of its statement, and refusals where each precondition fails."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.rules_corpus import helpers

RULE = "hoist-pure-call-comp"

STATS = """
calls = []


def average(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs)


def logged(xs):
    calls.append(len(xs))
    return sum(xs)


def ids(xs):
    return [id(x) for x in xs]


def shares(xs):
    return [x / sum(xs) for x in xs]


def above(xs, floor):
    return [x for x in xs if x > floor and x > average(xs)]


def per_row(rows):
    out = []
    for row in rows:
        out.append([v - average(row) for v in row])
    return out
"""


def test_the_call_is_made_once_at_the_first_element_that_needs_it() -> None:
    text = helpers.rewrite(STATS, RULE, "shares")
    assert text is not None
    body = helpers.body_of(text, "shares")
    assert "    sum_value = _NOT_COMPUTED\n    _ran_code = [False]\n    return [x / (\n" in body
    assert "else (sum_value := sum(xs))" in body
    before = helpers.run_module(STATS, "comp_before")["shares"]
    after = helpers.run_module(text, "comp_after")["shares"]
    for xs in ([1, 2, 5], (3.0, -1.0), [], [0.5, 2.5]):
        assert after(xs) == before(xs)
    with pytest.raises(ZeroDivisionError):
        after([1, -1])
    with pytest.raises(TypeError):
        after(["a", "b"])


def test_a_comprehension_that_never_needs_the_value_never_calls_it() -> None:
    """average([]) raises: the original never calls it for an empty list, nor when no
    element passes the first test, so neither may the rewrite."""
    text = helpers.rewrite(STATS, RULE, "above")
    assert text is not None
    before = helpers.run_module(STATS, "comp_lazy_before")["above"]
    after = helpers.run_module(text, "comp_lazy_after")["above"]
    for xs, floor in (([], 0), ([1, 2], 5), ([1, 2, 9], 1), ((4, 4, 4), 0)):
        assert after(xs, floor) == before(xs, floor)


def test_a_one_shot_iterator_argument_is_called_again_as_before() -> None:
    """The comprehension and the call share the iterator: the first call uses up the rest,
    so the kept value would stand for calls that saw nothing."""
    text = helpers.rewrite(STATS, RULE, "shares")
    assert text is not None and "isinstance(xs, _Iterator)" in text
    before = helpers.run_module(STATS, "comp_it_before")["shares"]
    after = helpers.run_module(text, "comp_it_after")["shares"]
    assert after(iter([2, 3, 5])) == before(iter([2, 3, 5]))
    typed = helpers.rewrite(
        STATS.replace("def shares(xs)", "def shares(xs: list[int])"), RULE, "shares"
    )
    assert typed is not None and "_Iterator" not in typed


def test_the_kept_value_is_reset_each_time_its_statement_runs() -> None:
    """Regression: a value kept from the previous row would centre every row on the first
    row's average."""
    text = helpers.rewrite(STATS, RULE, "per_row")
    assert text is not None
    assert "    for row in rows:\n        average_value = _NOT_COMPUTED\n" in text
    before = helpers.run_module(STATS, "comp_rows_before")["per_row"]
    after = helpers.run_module(text, "comp_rows_after")["per_row"]
    rows = [[1, 2, 3], [10, 20], [], [7]]
    assert after(rows) == before(rows) == [[-1.0, 0.0, 1.0], [-5.0, 5.0], [], [0.0]]


TIES = """
def winners(rows):
    return [r["name"] for r in rows if r["score"] == max(q["score"] for q in rows)]


def shares_of(counts):
    totals = {}
    for k, v in counts:
        totals[k] = totals.get(k, 0) + v
    return {k: v / sum(totals.values()) for k, v in totals.items()}
"""


def test_a_generator_argument_over_an_unchanged_name_is_kept_too() -> None:
    text = helpers.rewrite(TIES, RULE, "winners")
    assert text is not None
    assert 'else (max_value := max(q["score"] for q in rows))' in text
    assert "isinstance(rows, _Iterator)" in text  # the generator's iterable may be one-shot
    before = helpers.run_module(TIES, "comp_ties_before")["winners"]
    after = helpers.run_module(text, "comp_ties_after")["winners"]
    rows = [{"name": "a", "score": 3}, {"name": "b", "score": 5}, {"name": "c", "score": 5}]
    for case in (rows, [], rows[:1], [{"name": "x", "score": 1.0}, {"name": "y", "score": True}]):
        assert after(case) == before(case)
        assert outcome(after, iter(case)) == outcome(before, iter(case))
    with pytest.raises(KeyError):
        after([{"name": "a"}])


def test_a_dict_view_argument_is_kept_too() -> None:
    text = helpers.rewrite(TIES, RULE, "shares_of")
    assert text is not None and "else (sum_value := sum(totals.values()))" in text
    before = helpers.run_module(TIES, "comp_view_before")["shares_of"]
    after = helpers.run_module(text, "comp_view_after")["shares_of"]
    for counts in ([("a", 1), ("b", 3), ("a", 2)], [], [("x", 2.5)]):
        assert after(counts) == before(counts)
    with pytest.raises(ZeroDivisionError):
        after([("a", 0)])


def outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "returned", fn(*args)
    except Exception as exc:
        return "raised", type(exc)


REFUSED = {
    "generator-with-a-call": (
        "def f(rows):\n    return [r for r in rows if len(r) == max(len(q) for q in rows)]\n"
    ),
    "generator-with-two-fors": (
        "def f(rows):\n    return [r for r in rows if r == max(v for q in rows for v in q)]\n"
    ),
    "generator-over-a-target": (
        "def f(rows):\n    return [r for r in rows if r[0] == max(v for v in r)]\n"
    ),
    "view-of-an-unknown-object": (
        "def f(d):\n    return {k: v / sum(d.values()) for k, v in d.items()}\n"
    ),
    "argument-is-a-target": "def f(xss):\n    return [sum(xs) for xs in xss]\n",
    "argument-rebound-by-walrus": (
        "def f(xs):\n    return [(xs := x) and sum(xs) for x in [xs, [1]]]\n"
    ),
    "impure-callee": "def f(xs):\n    return [x / logged(xs) for x in xs]\n",
    "shared-mutable-result": "def f(xs):\n    return [ids(xs) for x in xs]\n",
    "nested-comprehension": "def f(rows, t):\n    return [[v - average(t) for v in r] for r in rows]\n",
    "generator-kept-for-later": (
        "def f(xs):\n    g = (x / sum(xs) for x in xs)\n    xs.append(1)\n    return list(g)\n"
    ),
    "in-an-inner-iterable": "def f(xs, zs):\n    return [y for x in xs for y in range(sum(zs))]\n",
    "in-a-while-test": (
        "def f(xs):\n    while [x for x in xs if x > average(xs)]:\n        xs.pop()\n    return xs\n"
    ),
    "one-line-loop-body": (
        "def f(xs, n):\n    out = []\n    for _ in range(n): out.append([x / sum(xs) for x in xs]); xs.append(1)\n"
        "    return out\n"
    ),
    "in-a-lambda": "def f(xs):\n    g = lambda: [x / sum(xs) for x in xs]\n    return g()\n",
    "the-comprehension-changes-the-argument": (
        "def f(xs):\n    return [xs.append(x) or sum(xs) for x in list(xs)]\n"
    ),
    "global-argument": "def f(xs):\n    global calls\n    return [x / sum(calls) for x in xs]\n",
    "async-comprehension": ("async def f(xs, ait):\n    return [x / sum(xs) async for x in ait]\n"),
}


@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
def test_refused(body: str) -> None:
    assert helpers.rewrite(STATS + "\n\n" + body, RULE, "f") is None
