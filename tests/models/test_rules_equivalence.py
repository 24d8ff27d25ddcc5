"""No rewrite changes observable behaviour: original vs rewritten corpus functions on
hypothesis-generated inputs (results, exceptions, and argument mutation must all agree).

Each corpus module is the whole repository the effect analysis sees, so rewrites that need
facts about a callee (purity, what it changes or keeps) are exercised across functions."""

from __future__ import annotations

import copy
import inspect
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.engines.rules import CATALOGUE, Step, StepFailed, run_step
from agent.engines.rules.project import project_for
from agent.engines.rules.rewrite import iter_functions, parse
from tests.models.rules_corpus import helpers

CORPORA = {
    name: (helpers.HERE / f"{name}.py").read_text()
    for name in (
        "corpus",
        "corpus_calls",
        "corpus_inline",
        "corpus_groups",
        "corpus_classes",
        "corpus_records",
        "corpus_lookups",
        "corpus_growing",
        "corpus_kept",
        "corpus_grown",
        "corpus_keyed",
    )
}
_strategies = helpers.load("strategies")
STRATEGIES: dict[str, Any] = {
    **_strategies.STRATEGIES,
    **_strategies.STRATEGIES_CALLS,
    **_strategies.STRATEGIES_INLINE,
    **_strategies.STRATEGIES_GROUPS,
    **_strategies.STRATEGIES_CLASSES,
    **helpers.load("strategies_records").STRATEGIES_RECORDS,
    **helpers.load("strategies_lookups").STRATEGIES_LOOKUPS,
    **helpers.load("strategies_growing").STRATEGIES_GROWING,
    **helpers.load("strategies_kept").STRATEGIES_KEPT,
    **helpers.load("strategies_grown").STRATEGIES_GROWN,
    **helpers.load("strategies_keyed").STRATEGIES_KEYED,
}
FUNCTIONS = [
    (name, qual)
    for name, text in CORPORA.items()
    for qual, _ in iter_functions(parse(f"{name}.py", text).module)
]


def rewrites_of(corpus: str, function: str) -> list[tuple[str, str]]:
    """(label, rewritten module) for every single rule that fires, plus all of them chained
    (where a rule that did not fire alone may fire after the others, as in combined plans)."""
    path, source = f"{corpus}.py", CORPORA[corpus]
    project = project_for({path: source})
    out = []
    chained = {path: source}
    fired = []
    chain = project
    for rule in CATALOGUE:
        texts = {path: source}
        try:
            run_step(texts, Step(rule.id, path, function), verify=False, project=project)
            out.append((rule.id, texts[path]))
        except StepFailed:
            pass  # it may still apply after earlier rewrites (an inlined helper's scan)
        try:
            run_step(chained, Step(rule.id, path, function), verify=False, project=chain)
            fired.append(rule.id)
            chain = project_for(chained)  # as combined plans do
        except StepFailed:
            pass
    if len(fired) > 1:
        out.append(("+".join(fired), chained[path]))
    return out


CASES = [
    (corpus, fn, label, text) for corpus, fn in FUNCTIONS for label, text in rewrites_of(corpus, fn)
]


def same(a: Any, b: Any) -> bool:
    """Equality that also holds for NaN at the same place and checks element types."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b) or repr(a) == repr(b)


def outcome(fn: Any, args: tuple[Any, ...]) -> tuple[str, Any, Any]:
    args = copy.deepcopy(args)
    try:
        result = fn(*args)
    except Exception as exc:  # the exception type is part of the behaviour
        return "raised", type(exc).__name__, args
    return "returned", result, args


def test_corpus_is_big_and_every_function_has_inputs() -> None:
    """Guards the corpus itself: ≥ 60 functions, each with an input strategy."""
    names = {qual for _, qual in FUNCTIONS}
    assert len(FUNCTIONS) >= 60 and len(names) == len(FUNCTIONS)
    assert names <= set(STRATEGIES), names - set(STRATEGIES)
    methods = {qual.split(".")[0] for qual in names if "." in qual}
    assert methods <= set(_strategies.CLASS_DRIVERS), "a class needs a driver"


def test_every_rule_is_exercised_by_the_corpus() -> None:
    """Guards against a rule silently never firing (its behaviour would go untested)."""
    fired = {label for _, _, label, _ in CASES if "+" not in label}
    assert fired == {rule.id for rule in CATALOGUE}


def test_every_rewrite_of_the_corpus_parses() -> None:
    """Guards the promise that no rewrite ever emits code that does not parse."""
    for corpus, function, label, text in CASES:
        compile(text, f"{corpus}:{function}:{label}", "exec")


@pytest.mark.parametrize(
    ("corpus", "function", "label", "text"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES]
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rewrite_preserves_behaviour(
    corpus: str, function: str, label: str, text: str, data: Any
) -> None:
    """A rewrite that changes a result, an exception or an argument's final state fails here."""
    target = _strategies.CLASS_DRIVERS.get(function.split(".")[0], function)
    original = helpers.run_module(CORPORA[corpus], f"{corpus}_original")[target]
    rewritten = helpers.run_module(text, f"{corpus}_rewritten")[target]
    args = data.draw(STRATEGIES[function], label="args")
    before, after = outcome(original, args), outcome(rewritten, args)
    assert before[0] == after[0], (label, before, after)
    assert same(before[1], after[1]), (label, before, after)
    assert same(before[2], after[2]), (label, "arguments mutated differently")


def _one_shot(fn: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments with each list handed over as an iterator where the parameter does not
    promise a re-readable collection (no annotation, or Iterable/Iterator): it can be read only
    once, so a rewrite that reads a collection where the original did not (an index built
    before a loop whose first call consumes the iterator) answers differently."""
    params = list(inspect.signature(fn).parameters.values())
    out = []
    for i, a in enumerate(args):
        note = params[i].annotation if i < len(params) else None
        loose = note is inspect.Parameter.empty or str(note).startswith(("Iterable", "Iterator"))
        out.append(iter(a) if type(a) is list and loose else a)
    return tuple(out)


def _comparable(value: Any) -> bool:
    if isinstance(value, Iterator):
        return False
    if isinstance(value, list | tuple | set | frozenset):
        return all(_comparable(v) for v in value)
    if isinstance(value, dict):
        return all(_comparable(v) for v in value.values())
    return True


@pytest.mark.parametrize(
    ("corpus", "function", "label", "text"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES]
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rewrite_preserves_behaviour_on_iterators(
    corpus: str, function: str, label: str, text: str, data: Any
) -> None:
    """Guards against rewrites that assume a collection can be read twice: group-by-call's pass
    read an iterator the first scan would have consumed, and every later key found its items."""
    if "." in function:
        return  # methods are driven through their class, with arguments the driver builds
    original = helpers.run_module(CORPORA[corpus], f"{corpus}_original")[function]
    rewritten = helpers.run_module(text, f"{corpus}_rewritten")[function]
    args = data.draw(STRATEGIES[function], label="args")
    before = outcome(original, _one_shot(original, copy.deepcopy(args)))
    after = outcome(rewritten, _one_shot(original, copy.deepcopy(args)))
    assert before[0] == after[0], (label, before, after)
    if before[0] == "returned" and _comparable(before[1]):
        assert same(before[1], after[1]), (label, before, after)
