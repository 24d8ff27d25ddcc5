"""count-by-bisect: a count of the items above (below) a value, made again for every value
of a loop (the competition rank), reads its keys sorted once, and hoist-pure-call keeps them
across the loop. Before/after alone and chained with the hoist, on ties, mixed and
unorderable keys, NaN, one-shot iterators and items whose key cannot be read, and refusals
where a precondition fails."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from agent.engines.rules import RulesEngine, Step, run_step
from agent.engines.rules.project import project_for
from agent.protocols import Hotspot, HotspotProfile, PlanRequest, Task
from tests.models.rules_corpus import helpers

RULE = "count-by-bisect"

RANKS = """
def positions(values):
    out = []
    for value in values:
        ahead = sum(1 for other in values if other > value)
        out.append(ahead + 1)
    return out


def at_least(rows, limits):
    return [len([r for r in rows if limit <= r["score"]]) for limit in limits]


def below(rows, limits):
    counts = {}
    for limit in limits:
        counts[limit] = sum(1 for r in rows if r[0] < limit) + sum(1 for r in rows if r[0] >= 5)
    return counts
"""


def chained(source: str, function: str, rules: tuple[str, ...]) -> str:
    texts = {"mod.py": source}
    project = project_for(texts)
    for rule in rules:
        run_step(texts, Step(rule, "mod.py", function), verify=False, project=project)
        project = project_for(texts)  # as combined plans do
    return texts["mod.py"]


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raised", type(e), str(e))


def versions(function: str, hoist: str) -> list[Any]:
    alone = chained(RANKS, function, (RULE,))
    both = chained(RANKS, function, (RULE, hoist))
    return [
        helpers.run_module(text, f"bisect_{function}_{i}")[function]
        for i, text in enumerate((RANKS, alone, both))
    ]


def test_the_rank_loop_counts_from_sorted_keys_kept_across_the_loop() -> None:
    alone = helpers.body_of(chained(RANKS, "positions", (RULE,)), "positions")
    assert (
        "        ahead = _count_compared(_ordered_keys(values, None), '>', value, False, True)\n"
        in alone
    )
    both = helpers.body_of(chained(RANKS, "positions", (RULE, "hoist-pure-call")), "positions")
    assert "            ordered_keys_value = _ordered_keys(values, None)\n" in both
    assert "        ahead = _count_compared(ordered_keys_value, '>', value, False, True)\n" in both


KEYS = [0, 1, 1, 2, 2.0, True, False, -0.0, 3.5, 10**20, float("inf")]


def test_ties_and_numbers_of_every_kind_count_as_the_scan() -> None:
    original, alone, both = versions("positions", "hoist-pure-call")
    rng = random.Random(4)
    for _ in range(400):
        values = [rng.choice(KEYS) for _ in range(rng.randrange(8))]
        want = outcome(original, values)
        assert outcome(alone, values) == want and outcome(both, values) == want
        assert outcome(both, iter(values)) == outcome(original, iter(values))  # one-shot


@pytest.mark.parametrize(
    "values",
    [
        [3, float("nan"), 1],  # NaN: counted by comparisons, as the scan did
        ["b", "a", "b"],
        ["a", 1],  # unorderable: the TypeError of the same comparison
        [None, 2],
        [(1, 2), (0, 5)],  # tuples: compared one by one
        [{1}, {1, 2}, set()],  # sets: a partial order, never sorted
    ],
    ids=["nan", "str", "mixed", "none", "tuples", "sets"],
)
def test_keys_bisect_cannot_serve_are_compared_one_by_one(values: list[Any]) -> None:
    original, alone, both = versions("positions", "hoist-pure-call")
    want = outcome(original, values)
    assert repr(outcome(alone, values)) == repr(want)
    assert repr(outcome(both, values)) == repr(want)


def test_rows_limits_and_the_comparison_either_way_round() -> None:
    original, alone, both = versions("at_least", "hoist-pure-call-comp")
    rng = random.Random(8)
    for _ in range(300):
        rows = [{"score": rng.choice(KEYS)} for _ in range(rng.randrange(6))]
        limits = [rng.choice(KEYS) for _ in range(rng.randrange(5))]
        want = outcome(original, rows, limits)
        assert outcome(alone, rows, limits) == want and outcome(both, rows, limits) == want


@pytest.mark.parametrize(
    "rows",
    [
        [{"score": 1}, {}],  # KeyError after the first comparison
        [{"score": "x"}, {}],  # the comparison's TypeError comes first
        [{}, {"score": 1}],
        [5],  # not subscriptable
        [],
    ],
    ids=["missing", "type-first", "missing-first", "int", "empty"],
)
def test_an_unreadable_key_raises_where_the_scan_raised(rows: list[Any]) -> None:
    original, alone, both = versions("at_least", "hoist-pure-call-comp")
    for limits in ([1], [], [2, 0]):
        want = outcome(original, rows, limits)
        assert repr(outcome(alone, rows, limits)) == repr(want)
        assert repr(outcome(both, rows, limits)) == repr(want)


def test_two_counts_in_one_statement() -> None:
    original, alone, _ = versions("below", "hoist-pure-call")
    for rows, limits in (([(1,), (7,), (5,)], [0, 5, 9]), ([], [1]), ([(2,)], [])):
        assert outcome(alone, rows, limits) == outcome(original, rows, limits)


POSITIONS = "        ahead = sum(1 for other in values if other > value)\n"


@pytest.mark.parametrize(
    "new",
    [
        "        ahead = sum(1 for other in values if other > value + 1)\n",
        "        ahead = sum(1 for other in values if other > len(values))\n",
        "        ahead = sum(1 for other in values if other > value if other)\n",
        "        ahead = sum(2 for other in values if other > value)\n",
        "        ahead = sum(1 for other in values if other != value)\n",
        "        ahead = sum(1 for other in values if other.score > value)\n",
        "        ahead = sum(1 for other in values if 0 < other > value)\n",
        "        ahead = sum(1 for other in values for x in other if x > value)\n",
        "        del value\n        ahead = sum(1 for other in values if other > value)\n",
    ],
    ids=["value-expression", "value-call", "two-ifs", "not-one", "not-ordering",
         "attribute-key", "chained", "nested-for", "deleted"],
)  # fmt: skip
def test_refuses(new: str) -> None:
    assert POSITIONS in RANKS
    assert helpers.rewrite(RANKS.replace(POSITIONS, new), RULE, "positions") is None


def test_refuses_outside_a_loop_and_with_a_shadowed_sum() -> None:
    once = "def f(values, value):\n    return sum(1 for other in values if other > value)\n"
    assert helpers.rewrite(once, RULE, "f") is None
    shadowed = "sum = len\n" + RANKS
    assert helpers.rewrite(shadowed, RULE, "positions") is None


def test_the_engine_proposes_it_only_with_the_hoist_it_enables() -> None:
    """Alone it sorts where the scan scanned: never a plan of its own."""
    hot = HotspotProfile(hotspots=(Hotspot("positions", "mod.py", 3, 0.8, 0.9),), samples=1000)
    task = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")
    request = PlanRequest(
        task=task, profile=hot, sources={"mod.py": RANKS}, baseline={}, n_plans=20
    )
    plans = RulesEngine().plan(request)
    with_it = [p for p in plans if RULE in p.data["rules"]]
    assert with_it, [p.title for p in plans]
    assert all("hoist-pure-call" in p.data["rules"] for p in with_it)


LOOPS = """
def loop_positions(values):
    out = []
    for value in values:
        position = 1
        for other in values:
            if other > value:
                position += 1
        out.append(position)
    return out
"""

LOOP = (
    "        position = 1\n        for other in values:\n"
    "            if other > value:\n                position += 1\n"
)


def test_a_counting_loop_adds_its_count_at_once() -> None:
    alone = chained(LOOPS, "loop_positions", (RULE,))
    assert (
        "        position = 1\n"
        "        position += _count_compared(_ordered_keys(values, None), '>', value, False, False)\n"
    ) in alone
    both = chained(LOOPS, "loop_positions", (RULE, "hoist-pure-call"))
    funcs = [
        helpers.run_module(text, f"loop_{i}")["loop_positions"]
        for i, text in enumerate((LOOPS, alone, both))
    ]
    rng = random.Random(12)
    for _ in range(300):
        values = [rng.choice([*KEYS, "a", None, float("nan")]) for _ in range(rng.randrange(7))]
        want = repr(outcome(funcs[0], values))
        assert repr(outcome(funcs[1], values)) == want and repr(outcome(funcs[2], values)) == want
        assert repr(outcome(funcs[2], iter(values))) == repr(outcome(funcs[0], iter(values)))


@pytest.mark.parametrize(
    "new",
    [
        LOOP.replace("position = 1\n", "position = 1.0\n"),  # 1e16 + 1 + 1 is not 1e16 + 2
        LOOP.replace("        position = 1\n", ""),  # maybe unbound: raises only on a hit
        LOOP.replace("position += 1", "position += 2"),
        LOOP + "        out.append(other)\n",  # the target's last value is seen
        LOOP.replace("                position += 1\n", "                position += 1\n        else:\n            pass\n"),
        "        position = 1\n        try:\n" + "".join("    " + line + "\n" for line in LOOP.splitlines()[1:]) + "        except TypeError:\n            pass\n",
        LOOP.replace("                position += 1\n", "                position += 1\n                print(other)\n"),
    ],
    ids=["float", "unbound", "by-two", "target-read", "for-else", "try", "more-body"],
)  # fmt: skip
def test_refuses_a_counting_loop(new: str) -> None:
    assert LOOP in LOOPS
    assert helpers.rewrite(LOOPS.replace(LOOP, new), RULE, "loop_positions") is None


REVIEWED = """
LOG = []


class Row:
    def __init__(self, score, stop=False):
        self.score, self.stop = score, stop

    def __getitem__(self, key):
        LOG.append(("get", self.score))
        if self.stop:
            raise StopIteration
        return self

    def __gt__(self, other):
        LOG.append(("gt", self.score))
        return self.score > other


def counts(rows, limits):
    return [sum(1 for r in rows if r["s"] > limit) for limit in limits]


def above(values, limits):
    return [sum(1 for v in values if v > limit) for limit in limits]


def caught(rows, limits):
    out = []
    for limit in limits:
        try:
            out.append(sum(1 for r in rows if r["s"] > limit))
        except KeyError as exc:
            out.append(exc)
    return out
"""


def reviewed(function: str, hoist: str) -> list[Any]:
    texts = [REVIEWED, chained(REVIEWED, function, (RULE, hoist))]
    return [helpers.run_module(t, f"reviewed_{function}_{i}") for i, t in enumerate(texts)]


def test_a_stop_iteration_in_the_scan_is_the_generators_runtime_error() -> None:
    """The review's finding 2: the generator turns it into RuntimeError; the helper must too."""
    for module in reviewed("counts", "hoist-pure-call-comp"):
        with pytest.raises(RuntimeError, match="generator raised StopIteration"):
            module["counts"]([module["Row"](1, stop=True)], [0])


def test_items_the_program_defines_are_scanned_as_written() -> None:
    """The review's finding 4: reading every key before comparing reordered user code."""
    logs = []
    for module in reviewed("counts", "hoist-pure-call-comp"):
        rows = [module["Row"](1), module["Row"](2)]
        assert module["counts"](rows, [0, 1]) == [2, 1]
        logs.append(list(module["LOG"]))
    assert logs[0] == logs[1]


def test_a_one_shot_iterator_is_used_up_as_far_as_the_scan_went() -> None:
    original, rewritten = reviewed("above", "hoist-pure-call-comp")
    left = []
    for module in (original, rewritten):
        items = iter(["a", 1, 2, 3])
        with pytest.raises(TypeError):
            module["above"](items, [0])
        left.append(list(items))
    assert left[0] == left[1] == [1, 2, 3]


def test_each_count_raises_a_fresh_exception() -> None:
    """The review's finding 5: the hoisted keys kept one exception object, raised again."""
    original, rewritten = reviewed("caught", "hoist-pure-call")
    for module in (original, rewritten):
        got = module["caught"]([{"s": 1}, {}], [0, 1, 2])
        assert [repr(e) for e in got] == ["KeyError('s')"] * 3
        assert got[0] is not got[1]


@pytest.mark.parametrize(
    "source",
    [
        "all = list\n" + RANKS,  # the helper calls all
        RANKS.replace(
            "    for value in values:\n        ahead",
            "    for value in values:\n        try:\n            pass\n        except E as value:\n"
            "            pass\n        ahead",
        ),
    ],
    ids=["shadowed-all", "except-as"],
)
def test_refuses_what_the_second_review_found(source: str) -> None:
    assert helpers.rewrite(source, RULE, "positions") is None


def test_refuses_a_value_the_loop_may_not_have_bound() -> None:
    """A `for`'s `else` runs after an empty loop; a comprehension's later clause binds after."""
    after_else = (
        "def f(items, vs):\n    out = []\n    for value in vs:\n        out.append(1)\n"
        "    else:\n        out.append(sum(1 for o in items if o > value))\n    return out\n"
    )
    assert helpers.rewrite(after_else, RULE, "f") is None
    later = "def f(items, xs, vs):\n    return [x for x in xs if sum(1 for o in items if o > v) for v in vs]\n"
    assert helpers.rewrite(later, RULE, "f") is None
