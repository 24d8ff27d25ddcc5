"""Summaries of recursive functions: a guess about a function still being summarised is
checked against its answer, and nothing resting on a wrong guess is kept."""

from __future__ import annotations

from agent.engines.rules.effects import Effects
from agent.engines.rules.project import FunctionRef, project_for
from tests.models.rules_corpus import helpers


def _summaries(source: str, *names: str) -> list[object]:
    project = project_for({"m.py": source})
    effects = Effects(project)
    refs = [FunctionRef("m.py", n, project.defs["m.py"][n]) for n in names]
    return [effects.summary(ref) for ref in refs]


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
    a, b = _summaries(CYCLE, "a", "b")
    assert not a.pure  # type: ignore[attr-defined]
    assert not b.pure  # type: ignore[attr-defined]


SWAP = """
def h(xs):
    return [x for x in xs]


def g(x, y, n):
    if n <= 0:
        return y
    return g(y, x, n - 1)


def f(xs, ys):
    res = []
    for i in range(3):
        res.append(g(h(xs), ys, 1))
    return res
"""


def test_a_recursive_call_that_swaps_its_arguments_keeps_both() -> None:
    """Guards the guess itself (found by a review): `g` was summarised once under the guess
    that it keeps no argument, so `g(h(xs), ys, 1)`, which returns the fresh list, was
    hoisted out of the loop and its three results became one shared list."""
    (g,) = _summaries(SWAP, "g")
    assert g.readonly.isdisjoint({0, 1})  # type: ignore[attr-defined]
    after = helpers.rewrite(SWAP, "hoist-pure-call", "f")
    if after is not None:
        got = [
            helpers.run_module(text, name)["f"]([1], [2])
            for text, name in ((SWAP, "a"), (after, "b"))
        ]
        for res in got:
            res[0].append(9)  # type: ignore[index]
        assert got[0] == got[1]


def test_a_clique_of_mutually_recursive_functions_is_summarised_once() -> None:
    """Guards the cost (found by a review): results inside an open cycle were not kept at
    all, so six functions calling each other took tens of seconds to summarise."""
    names = [f"f{i}" for i in range(8)]
    body = "\n".join(f"    if n == {i}:\n        return {n}(n - 1)" for i, n in enumerate(names))
    source = "\n\n".join(f"def {n}(n):\n{body}\n    return n\n" for n in names)
    project = project_for({"m.py": source})
    effects = Effects(project)
    calls = 0
    from agent.engines.rules import summaries

    real = summaries.summarize

    def counted(eff: Effects, ref: FunctionRef) -> object:
        nonlocal calls
        calls += 1
        return real(eff, ref)

    summaries.summarize = counted  # type: ignore[assignment]
    try:
        effects = Effects(project)
        results = [effects.summary(FunctionRef("m.py", n, project.defs["m.py"][n])) for n in names]
    finally:
        summaries.summarize = real
    assert all(r.pure for r in results)
    assert calls <= 3 * len(names)
