"""Questions about a subtree (`bound_names`, `names_in`, ...) are answered once per node:
the rules ask them thousands of times per project. The memo must never hand one caller's
changes to the next, nor one tree's answer to another tree."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.syntax import bound_names, declared_global, names_in


def first_function(source: str) -> cst.FunctionDef:
    fn = cst.parse_module(source).body[0]
    assert isinstance(fn, cst.FunctionDef)
    return fn


def test_a_caller_changing_its_answer_does_not_change_the_next_callers() -> None:
    fn = first_function("def f(a):\n    x = a\n    return x\n")
    names = names_in(fn)
    names.add("injected")
    bound = bound_names(fn)
    bound["x"] = 99
    assert "injected" not in names_in(fn)
    assert bound_names(fn) == {"x": 1}


def test_an_equal_looking_tree_parsed_again_gets_its_own_answer() -> None:
    source = "def f():\n    global g\n    g = 1\n"
    assert declared_global(first_function(source)) == {"g"}
    edited = first_function(source.replace("global g", "global h"))
    assert declared_global(edited) == {"h"}


def test_a_tree_rebuilt_by_an_edit_is_not_answered_from_the_old_one() -> None:
    fn = first_function("def f():\n    x = 1\n    return x\n")
    assert bound_names(fn) == {"x": 1}
    renamed = fn.deep_replace(fn.body.body[0].body[0].targets[0].target, cst.Name("y"))
    assert isinstance(renamed, cst.FunctionDef)
    assert bound_names(renamed) == {"y": 1}
