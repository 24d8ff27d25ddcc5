"""inline-call (a one-expression helper called in a loop is inlined) and what it enables: the
guarded join on an attribute probe, and combined plans that try rules the inlining exposed.
Before/after, and the cases where a precondition fails and the rewrite must not fire."""

from __future__ import annotations

import pytest

from agent.engines.rules.engine import RulesEngine
from agent.engines.rules.project import project_for
from agent.engines.rules.search import Hot, Search
from tests.models.rules_corpus import helpers

rewrite, body_of = helpers.rewrite, helpers.body_of

FILTER = """
def entries_for(employee, entries):
    \"\"\"The employee's entries.\"\"\"
    return [e for e in entries if e.emp_id == employee.emp_id]


def f(employees, entries):
    out = []
    for employee in employees:
        mine = entries_for(employee, entries)
        out.append(len(mine))
    return out
"""


def test_inline_call_puts_the_helpers_expression_in_the_loop() -> None:
    text = rewrite(FILTER, "inline-call", "f")
    assert text is not None
    assert "mine = ([e for e in entries if e.emp_id == employee.emp_id])" in body_of(text, "f")
    assert "def entries_for(employee, entries):" in text  # the helper stays for other callers


def test_inline_call_keeps_a_consumed_generator_and_literal_arguments() -> None:
    source = """
def played(team, matches, bonus):
    return sum(1 for m in matches if team in m) + bonus


def f(teams, matches):
    return [played(t, matches, 2) for t in teams]
"""
    text = rewrite(source, "inline-call", "f")
    assert text is not None
    assert "(sum(1 for m in matches if t in m) + 2)" in text


@pytest.mark.parametrize(
    "source",
    [
        FILTER.replace(
            "entries_for(employee, entries)\n        out",
            "entries_for(employee, entries[1:])\n        out",
        ),
        FILTER.replace(
            "def entries_for(employee, entries):", "def entries_for(employee, entries=()):"
        ),
        FILTER.replace(
            "    return [e for e", "    print(employee)\n    return [e for e"
        ),  # two statements
        FILTER.replace(
            "return [e for e in entries if", "return [e for e in entries if LIMIT and"
        ),  # a global
        FILTER.replace(
            "[e for e in entries if e.emp_id == employee.emp_id]",
            "(e for e in entries if e.emp_id == employee.emp_id)",
        ),
        FILTER.replace("for employee in employees:", "for e in employees:").replace(
            "(employee, entries)\n", "(e, entries)\n"
        ),
        FILTER.replace("def entries_for(", "@staticmethod\ndef entries_for("),
        FILTER.replace(
            "    return [e for e in entries if e.emp_id == employee.emp_id]",
            "    return len(entries)",
        ),
        FILTER.replace("return [e for e", "return len([e for e")
        .replace("emp_id]", "emp_id])")
        .replace("    out = []\n", "    out = []\n    len = print\n"),  # a shadowed builtin
    ],
    ids=[
        "expression-arg",
        "default",
        "statements",
        "global",
        "generator",
        "captured",
        "decorated",
        "no-comprehension",
        "shadowed-builtin",
    ],
)
def test_inline_call_refuses(source: str) -> None:
    assert rewrite(source, "inline-call", "f") is None


def test_inline_call_refuses_a_call_outside_loops() -> None:
    source = FILTER.replace(
        "    out = []\n    for employee in employees:\n        mine = entries_for(employee, entries)\n"
        "        out.append(len(mine))\n    return out",
        "    return entries_for(employees, entries)",
    )
    assert rewrite(source, "inline-call", "f") is None


def test_guarded_join_indexes_on_an_attribute_probe_read_only_when_needed() -> None:
    inlined = rewrite(FILTER, "inline-call", "f")
    assert inlined is not None
    text = rewrite(inlined, "join-index-guarded", "f")
    assert text is not None
    assert (
        "_candidates(entries_groups, entries, (employee.emp_id if "
        "type(entries_groups) is dict and entries and "
        "_plain_key(employee, 'emp_id') else None), _ran_code)" in text
    )


def test_guarded_join_refuses_a_probe_the_scan_rebinds() -> None:
    source = """
def f(employees, entries):
    out = []
    for employee in employees:
        out.append([e for e in entries if e.emp_id == e.other])
    return out
"""
    assert rewrite(source, "join-index-guarded", "f") is None


def test_combined_plan_tries_the_rules_the_inlining_exposed() -> None:
    """Guards the search: a join that only applies after inlining must reach a plan."""
    sources = {"mod.py": FILTER}
    engine = RulesEngine()
    project = project_for(sources)
    hot = Hot("mod.py", "f", 0.9)
    hot.steps = engine._applicable(sources, hot, project)
    rules = [s.rule for s, _ in hot.steps]
    assert "inline-call" in rules and "join-index-guarded" not in rules  # only once inlined
    titles = [p.title for p in Search(engine.rules, sources, [hot], project, 4).plans([])]
    assert "rules: inline-call, join-index-guarded in mod.py:f" in titles


PER_COLUMN = """
def column(m, j):
    return [m[i][j] for i in range(len(m))]


def spread(values):
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def f(m, cols):
    out = []
    for i in range(len(m)):
        for j in range(cols):
            values = column(m, j)
            out.append(m[i][j] - spread(values))
    return out
"""


def test_combined_plans_keep_a_hoist_that_inlining_would_take_away() -> None:
    """Guards the search: inlining `column(m, j)` left nothing to compute once per column, so
    the combined plans of a function whose time was all below that call were a rewrite of
    its own 3 % (matrixkit's `standardize`: 68 % of samples, every plan 'same')."""
    sources = {"mod.py": PER_COLUMN}
    engine = RulesEngine()
    project = project_for(sources)
    hot = Hot("mod.py", "f", 0.7, 0.05)
    hot.steps = engine._applicable(sources, hot, project)
    assert {"inline-call", "hoist-per-counter"} <= {s.rule for s, _ in hot.steps}
    plans = Search(engine.rules, sources, [hot], project, 4).plans([])
    combined = [p for p in plans if len(p.data["steps"]) > 1]
    assert all("inline-call" not in p.data["rules"] for p in combined)
    singles = [p.data["rules"][0] for p in plans if len(p.data["steps"]) == 1]
    assert singles.index("hoist-per-counter") < singles.index("inline-call")
