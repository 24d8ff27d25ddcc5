"""expose-callee-work: a helper's first work on arguments its caller's loop keeps is handed
in by the loop, where the hoist rules make it once. Before/after, the helper's behaviour for
other callers, the chain with the hoists, and refusals where each precondition fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent.engines.rules.engine import RulesEngine
from agent.engines.rules.project import project_for
from agent.engines.rules.search import Hot, Search
from agent.engines.rules.steps import Step, run_step
from agent.protocols import CodeRequest, Task
from tests.models.rules_corpus import helpers

RULE = "expose-callee-work"
TASK = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")

RANKS = """
def rank_of(scores, name):
    \"\"\"1 for the best score.\"\"\"
    ordered = sorted(scores, key=lambda s: -scores[s])
    return ordered.index(name) + 1


def ranks(scores):
    out = {}
    for name in scores:
        out[name] = rank_of(scores, name)
    return out


def ranks_of(scores, names):
    return {n: rank_of(scores, n) for n in names}
"""


def chained(source: str, function: str, *rules: str) -> str:
    texts = {"mod.py": source}
    for rule in rules:
        run_step(texts, Step(rule, "mod.py", function), verify=False, project=project_for(texts))
    return texts["mod.py"]


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raised", type(e), str(e))


def test_the_helper_becomes_a_wrapper_and_the_loop_hands_the_work_in() -> None:
    text = helpers.rewrite(RANKS, RULE, "ranks")
    assert text is not None
    assert helpers.body_of(text, "rank_of") == (
        "def rank_of(scores, name):\n"
        '    """1 for the best score."""\n'
        "    return _rank_of_given(scores, name, sorted(scores, key=lambda s: -scores[s]))\n"
    )
    assert helpers.body_of(text, "_rank_of_given") == (
        "def _rank_of_given(scores, name, sorted_given):\n"
        "    ordered = sorted_given\n"
        "    return ordered.index(name) + 1\n"
    )
    assert (
        "        out[name] = _rank_of_given(scores, name, sorted(scores, key=lambda s: -scores[s]))"
        in text
    )


CASES = [
    {"a": 3, "b": 1, "c": 2},
    {},
    {"a": 1, "b": 1.0, "c": True},
    {"a": 2, "b": "x"},  # sorted raises TypeError, at the same call
]


@pytest.mark.parametrize(
    "function, hoist", [("ranks", "hoist-pure-call"), ("ranks_of", "hoist-pure-call-comp")]
)
def test_with_the_hoist_the_work_is_done_once_with_the_same_results(
    function: str, hoist: str
) -> None:
    text = chained(RANKS, function, RULE, hoist)
    assert text.count("sorted(scores, key=lambda s: -scores[s])") == 2  # wrapper + once here
    assert "sorted_value" in helpers.body_of(text, function)
    before = helpers.run_module(RANKS, f"expose_{function}_before")
    after = helpers.run_module(text, f"expose_{function}_after")
    for scores in CASES:
        args = (scores,) if function == "ranks" else (scores, list(scores)[:2])
        assert repr(outcome(after[function], *args)) == repr(outcome(before[function], *args))
        for name in scores:  # the wrapper answers other callers as the helper did
            assert outcome(after["rank_of"], scores, name) == outcome(
                before["rank_of"], scores, name
            )
    assert outcome(after["ranks_of"], {"a": 1}, ["zz"])[1] is ValueError


def test_a_second_caller_reuses_the_core() -> None:
    text = chained(RANKS, "ranks", RULE)
    again = chained(text, "ranks_of", RULE)
    assert again.count("def _rank_of_given") == 1
    assert "{n: _rank_of_given(scores, n, sorted(scores, key=lambda s: -scores[s]))" in again


def test_combined_plan_hoists_the_work_the_rewrite_exposed() -> None:
    """Guards the search: the hoist applies only after the work is exposed."""
    sources = {"mod.py": RANKS}
    engine = RulesEngine()
    project = project_for(sources)
    hot = Hot("mod.py", "ranks", 0.9)
    hot.steps = engine._applicable(sources, hot, project)
    rules = [s.rule for s, _ in hot.steps]
    assert RULE in rules and "hoist-pure-call" not in rules
    plans = {p.title: p for p in Search(engine.rules, sources, [hot], project, 4).plans([])}
    plan = plans[f"rules: {RULE}, hoist-pure-call in mod.py:ranks"]
    edit = engine.code(CodeRequest(task=TASK, plan=plan, sources=sources))
    assert not edit.error, edit.error  # the hoist's recorded site holds when coding too
    assert "            sorted_value = sorted(scores, key=" in edit.files["mod.py"]


@pytest.mark.parametrize(
    "old, new",
    [
        ("    ordered = sorted(scores,", "    print(name)\n    ordered = sorted(scores,"),
        ("    ordered = sorted(scores,", "    scores = dict(scores)\n    ordered = sorted(scores,"),
        ("    ordered = sorted(scores, key=lambda s: -scores[s])",
         "    if name:\n        ordered = sorted(scores, key=lambda s: -scores[s])"),
        ("        out[name] = rank_of(scores, name)", "        out[name] = rank_of(dict(scores), name)"),
        ("    for name in scores:\n        out[name] = rank_of(scores, name)",
         "    for scores in [scores]:\n        out[1] = rank_of(scores, 1)"),
        ("key=lambda s: -scores[s]", "key=lambda name: -scores[name]"),
        ("def rank_of(scores, name):", "@cached\ndef rank_of(scores, name):"),
        ("    out = {}\n", "    out = {}\n    sorted = list\n"),
        ("    return ordered.index(name) + 1", "    yield ordered.index(name) + 1"),
        ("def rank_of(scores, name):", "def rank_of(scores, name, *rest):"),
        ("        out[name] = rank_of(scores, name)",
         "        out[name] = rank_of(scores, (scores := dict(scores)) and name)"),
        ("def ranks(scores):", "rank_of = cached(rank_of)\n\n\ndef ranks(scores):"),
    ],
    ids=[
        "not-first", "rebound", "conditional", "argument-expression", "loop-binds-it",
        "lambda-clash", "decorated", "shadowed", "generator", "star-params", "walrus-argument",
        "rebound-helper",
    ],
)  # fmt: skip
def test_refuses(old: str, new: str) -> None:
    assert old in RANKS
    source = "def cached(f):\n    return f\n" + RANKS.replace(old, new)
    assert helpers.rewrite(source, RULE, "ranks") is None


def test_refuses_a_call_outside_loops() -> None:
    source = RANKS + "\n\ndef top(scores):\n    return rank_of(scores, 'a')\n"
    assert helpers.rewrite(source, RULE, "top") is None
