"""group-by-call builds its pass before the loop and uses it in every call: the cases where the
collection may change in between, or the pass would run where the original never got to,
found by an adversarial review. Each regression test names the failure it guards."""

from __future__ import annotations

import pytest

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite
outcome = helpers.outcome

SCAN = """
def f(rows, a, b):
    return [m for m in rows if m[0] == a and m[1] == b]
"""


def test_a_callee_parameter_named_like_a_builtin_the_copies_call_refuses() -> None:
    """`f(rows, a, type)`: the answering copy called `type(a)`, which was the caller's
    string there (TypeError on every call)."""
    for name in ("type", "str", "int"):
        source = SCAN.replace(", b)", f", {name})").replace("== b]", f"== {name}]")
        source += "\n\ndef caller(rows, A, B):\n    return [f(rows, a, b) for a in A for b in B]\n"
        assert rewrite(source, "group-by-call", "caller") is None, name
    local = SCAN.replace("    return [", "    type = 1\n    return [")
    local += "\n\ndef caller(rows, A):\n    return [f(rows, a, 'x') for a in A]\n"
    assert rewrite(local, "group-by-call", "caller") is None


def test_a_loop_sharing_its_line_with_the_statement_binding_the_collection_refuses() -> None:
    """`rows = src; return [f(rows, a, b) ...]`: the pass went before the whole line and read
    the old `rows` (a silently empty answer)."""
    source = SCAN + (
        "\n\ndef caller(src, A, B):\n    rows = ()\n"
        "    rows = src; return [f(rows, a, b) for a in A for b in B]\n"
    )
    assert rewrite(source, "group-by-call", "caller") is None


@pytest.mark.parametrize(
    "line",
    [
        "out.append(f(marks, s, p) for p in papers)",
        "out.append(lambda: f(marks, s, 'x'))",
    ],
    ids=["generator-kept", "lambda-kept"],
)
def test_a_call_that_runs_after_the_loop_is_left_alone(line: str) -> None:
    """A generator expression (or lambda) kept past its iteration ran its calls against the
    pass built before the loop, after the collection had grown (stale answers)."""
    source = SCAN.replace("rows", "marks") + (
        f"\n\ndef caller(marks, students, papers):\n    out = []\n"
        f"    for s in students:\n        {line}\n    return out\n"
    )
    assert rewrite(source, "group-by-call", "caller") is None


def test_a_generator_consumed_where_it_is_made_is_still_served() -> None:
    source = SCAN + (
        "\n\ndef caller(rows, A, B):\n    out = []\n    for a in A:\n"
        "        out.append(sum(len(f(rows, a, b)) for b in B))\n    return out\n"
    )
    text = rewrite(source, "group-by-call", "caller")
    assert text is not None and "f_groups(rows)" in text
    before = helpers.run_module(source, "when_sum_before")["caller"]
    after = helpers.run_module(text, "when_sum_after")["caller"]
    rows = [("a", "x"), ("b", "x"), ("a", "y"), ("a", "x")]
    assert after(rows, ["a", "b", "c"], ["x", "y"]) == before(rows, ["a", "b", "c"], ["x", "y"])


def test_a_loop_over_the_callers_generator_scans_as_before() -> None:
    """The caller's generator appended to the collection between two keys; the pass built
    before the loop missed the new rows. Once a loop's iterable may run code, every call
    scans."""
    source = SCAN + (
        "\n\ndef caller(rows, A, B):\n    out = []\n    for a in A:\n        for b in B:\n"
        "            out.append(f(rows, a, b))\n    return out\n"
    )
    text = rewrite(source, "group-by-call", "caller")
    assert text is not None
    runs = {}
    for label, module in (("before", source), ("after", text)):
        caller = helpers.run_module(module, f"when_gen_{label}")["caller"]
        rows = [("a", "x")]

        def keys(rows: list[tuple[str, str]] = rows):
            yield "a"
            rows.append(("b", "x"))
            yield "b"

        runs[label] = (caller(rows, keys(), ["x"]), caller(rows, ["a", "b"], ("x",)))
    assert runs["after"] == runs["before"]
    assert runs["before"][0] == [[("a", "x")], [("b", "x")]]


def test_a_scan_imported_through_a_module_that_re_exports_it_is_left_alone() -> None:
    """`from lib import f` where lib.py has `from core import f`: the copies went to core.py
    and app.py imported them from lib (ImportError)."""
    sources = {
        "pkg/__init__.py": "",
        "pkg/core.py": SCAN,
        "pkg/lib.py": "from pkg.core import f\n",
        "pkg/app.py": (
            "from pkg.lib import f\n\n\ndef caller(rows, A, B):\n"
            "    return [f(rows, a, b) for a in A for b in B]\n"
        ),
    }
    step = Step("group-by-call", "pkg/app.py", "caller")
    with pytest.raises(StepFailed):
        run_step(dict(sources), step, verify=False, project=project_for(sources))
    direct = {**sources, "pkg/app.py": sources["pkg/app.py"].replace("pkg.lib", "pkg.core")}
    run_step(direct, step, verify=False, project=project_for(direct))
    assert "from pkg.core import f, f_groups, f_from" in direct["pkg/app.py"]


def test_an_argument_the_pass_cannot_read_leaves_the_calls_to_scan() -> None:
    """`f(box.rows, a, b)` with `box` None and nothing to loop over: the original returned
    []; the pass, built before the loop, read `box.rows` and raised AttributeError."""
    source = SCAN + (
        "\n\ndef caller(box, A, B):\n    out = []\n    for a in A:\n        for b in B:\n"
        "            out.append(f(box.rows, a, b))\n    return out\n"
    )
    text = rewrite(source, "group-by-call", "caller")
    assert text is not None and "except Exception:" in text
    before = helpers.run_module(source, "when_attr_before")["caller"]
    after = helpers.run_module(text, "when_attr_after")["caller"]
    assert after(None, [], ["x"]) == before(None, [], ["x"]) == []
    assert outcome(after, None, ["a"], ["x"]) == outcome(before, None, ["a"], ["x"])

    class Box:
        def __init__(self) -> None:
            self.rows = [("a", "x"), ("b", "x"), ("a", "x")]

    assert after(Box(), ["a", "b"], ["x", "y"]) == before(Box(), ["a", "b"], ["x", "y"])


def test_a_name_bound_only_where_the_loop_runs_is_read_in_the_try() -> None:
    """`rows` bound on one path only: with nothing to loop over the original returned [];
    the pass read `rows` before the loop (UnboundLocalError)."""
    source = SCAN + (
        "\n\ndef caller(A, B, have):\n    if have:\n        rows = [('a', 'x')]\n    out = []\n"
        "    for a in A:\n        for b in B:\n            out.append(f(rows, a, b))\n"
        "    return out\n"
    )
    text = rewrite(source, "group-by-call", "caller")
    assert text is not None
    before = helpers.run_module(source, "when_unbound_before")["caller"]
    after = helpers.run_module(text, "when_unbound_after")["caller"]
    for args in (([], ["x"], False), (["a"], ["x"], False), (["a"], ["x"], True)):
        assert outcome(after, *args) == outcome(before, *args)


def test_keys_sorted_from_the_callers_generator_are_noted() -> None:
    """`for a in sorted(keys)`: the generator ran (and grew the rows) inside `sorted`, after
    the pass; its result is a list, so the loop's own note missed it."""
    source = SCAN + (
        "\n\ndef caller(rows, keys, B):\n    out = []\n    for a in sorted(keys):\n"
        "        for b in B:\n            out.append(f(rows, a, b))\n    return out\n"
    )
    text = rewrite(source, "group-by-call", "caller")
    assert text is not None and "sorted(_note_iterated(keys" in text
    runs = {}
    for label, module in (("before", source), ("after", text)):
        caller = helpers.run_module(module, f"when_sorted_{label}")["caller"]
        rows = [("a", "x")]

        def keys(rows: list[tuple[str, str]] = rows):
            yield "a"
            rows.append(("b", "x"))
            yield "b"

        runs[label] = caller(rows, keys(), ["x"])
    assert runs["after"] == runs["before"] == [[("a", "x")], [("b", "x")]]


def test_a_served_call_that_an_inner_loop_iterates_keeps_its_note() -> None:
    """The note wrapping an inner loop's iterable and the served call shared one node: the
    second replacement dropped the first."""
    source = SCAN + (
        "\n\ndef caller(rows, A, B):\n    out = []\n    for a in A:\n"
        "        for m in f(rows, a, 'x'):\n            out.append(m)\n    return out\n"
    )
    text = rewrite(source, "group-by-call", "caller")
    assert text is not None and "in _note_iterated(f_from(" in text
    before = helpers.run_module(source, "when_inner_before")["caller"]
    after = helpers.run_module(text, "when_inner_after")["caller"]
    rows = [("a", "x"), ("b", "x"), ("a", "y")]
    assert after(rows, ["a", "b", "c"], ["x"]) == before(rows, ["a", "b", "c"], ["x"])


def test_a_comprehension_variable_named_like_a_builtin_the_copies_call_refuses() -> None:
    """`[Exception[1] for Exception in rows ...]`: the pass loop bound `Exception`, and its
    own `except Exception:` named a row (TypeError)."""
    source = (
        "def f(rows, a):\n    return [Exception[1] for Exception in rows if Exception[0] == a]\n"
        "\n\ndef caller(rows, A):\n    return [f(rows, a) for a in A]\n"
    )
    assert rewrite(source, "group-by-call", "caller") is None


TWO = """
def owed(rows, a):
    return sum(m[2] for m in rows if m[0] == a)


def marks_of(rows, a, b):
    return [m for m in rows if m[0] == a and m[1] == b]


def caller(rows, A, B):
    out = []
    for a in A:
        out.append(owed(rows, a))
        for b in B:
            out.append(marks_of(rows, a, b))
    return out
"""


def test_a_loop_already_noted_by_one_pass_takes_a_second() -> None:
    """Guards chaining (exams: 0.50 of its time with both, 0.89 with one): the first pass's
    note calls made the loop impure to the second application's check."""
    texts = {"mod.py": TWO}
    project = project_for(texts)
    for _ in range(2):
        run_step(texts, Step("group-by-call", "mod.py", "caller"), verify=False, project=project)
        project = project_for(texts)  # as combined plans do
    text = texts["mod.py"]
    assert "owed_groups(rows)" in text and "marks_of_groups(rows)" in text
    before = helpers.run_module(TWO, "when_two_before")["caller"]
    after = helpers.run_module(text, "when_two_after")["caller"]
    rows = [("a", "x", 1), ("b", "x", 2), ("a", "y", 3), ("a", "x", 4)]
    assert after(rows, ["a", "b", "c"], ["x", "y"]) == before(rows, ["a", "b", "c"], ["x", "y"])
