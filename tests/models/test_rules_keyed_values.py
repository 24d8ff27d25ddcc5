"""hoist-per-key: a pure call that the outer loop changes only through an inner loop's
variable is computed once per value of it (str and int values, checked at run time); and
expose-callee-work handing such work in from a helper of the same or another module.
Before/after texts, equal behaviour, and refusals where each precondition fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.effects import effects_of
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

CORPUS = (helpers.HERE / "corpus_keyed.py").read_text()


def test_a_helper_ranking_the_class_runs_once_per_subject() -> None:
    """expose-callee-work hands `ranked(scores_for(table, subject))` in; hoist-per-key keeps
    one per subject for the whole loop over students."""
    exposed = helpers.rewrite(CORPUS, "expose-callee-work", "class_places")
    assert exposed is not None
    text = helpers.rewrite(exposed, "hoist-per-key", "class_places")
    assert text is not None
    body = helpers.body_of(text, "class_places")
    assert "    ranked_by_subject = {}\n    _ran_code = [False]\n" in body
    assert "    for student, marks in _note_iterated(table.items(), _ran_code):" in body
    assert "_memo_known(ranked_by_subject, subject)" in body
    assert "_memo_keep_copy(ranked_by_subject, subject, ranked(scores_for(table, subject)))" in body
    fn_before = helpers.run_module(CORPUS, "keyed_before")["class_places"]
    fn_after = helpers.run_module(text, "keyed_after")["class_places"]
    table = {"ann": {"maths": 3, "art": 1}, "bob": {"maths": 3, 1: 2}, "cy": {True: 2, "x": 1}}
    assert fn_after(table) == fn_before(table)


def test_a_result_only_read_is_shared_without_copies() -> None:
    text = helpers.rewrite(CORPUS, "hoist-per-key", "above_mean")
    assert text is not None
    body = helpers.body_of(text, "above_mean")
    assert "mean_of_by_subject[subject] if _memo_known(mean_of_by_subject, subject)" in body
    assert "_memo_copy_of" not in body


def test_equal_keys_of_other_types_are_not_shared() -> None:
    """1, 1.0 and True are equal keys of a dict; only str and int keys are kept."""
    text = helpers.rewrite(CORPUS, "hoist-per-key", "tags")
    assert text is not None
    after = helpers.run_module(text, "keyed_tags")["tags"]
    assert (
        after([1, True, 1.0, 1, "1"], 2)
        == [["int:1", "bool:True", "float:1.0", "int:1", "str:'1'"]] * 2
    )


def test_a_result_holding_new_lists_is_not_kept() -> None:
    """A list of new lists handed to a user that keeps it: sharing one would show."""
    text = helpers.rewrite(CORPUS, "hoist-per-key", "grids")
    assert text is not None
    before = helpers.run_module(CORPUS, "grids_before")["grids"]
    after = helpers.run_module(text, "grids_after")["grids"]
    table = {"ann": {"maths": 3}, "bob": {"maths": 2}}
    assert after(table, ["maths", "maths"]) == before(table, ["maths", "maths"])


LOOPS = """
def mean_of(table, subject):
    values = [marks[subject] for marks in table.values() if subject in marks]
    return sum(values) / len(values)


def spread(table, subjects):
    out = []
    for student in table:
        for subject in subjects:
            out.append(mean_of(table, subject))
    return out
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the table changes in the outer loop
        ("    for student in table:\n", "    for student in table:\n        table[student] = {}\n"),
        # the key is rebound in the inner loop
        (
            "            out.append(mean_of(table, subject))\n",
            "            subject = str(subject)\n            out.append(mean_of(table, subject))\n",
        ),
        # the call reads the outer loop's variable too
        ("mean_of(table, subject))", "mean_of(table[student], subject))"),
        # a record's field, not the record, is the argument: a poor key
        ("mean_of(table, subject))", "mean_of(table, subject.name))"),
        # a range counter: hoist-per-counter's
        ("        for subject in subjects:\n", "        for subject in range(subjects):\n"),
        # no outer loop to serve
        ("    for student in table:\n        for subject", "    if table:\n        for subject"),
        # the callee changes its argument
        ("    return sum(values)", "    table.clear()\n    return sum(values)"),
    ],
)
def test_refused_when_a_precondition_fails(old: str, new: str) -> None:
    source = LOOPS.replace(old, new, 1)
    assert source != LOOPS
    assert helpers.rewrite(LOOPS, "hoist-per-key", "spread") is not None
    assert helpers.rewrite(source, "hoist-per-key", "spread") is None


GRADES = '''
def scores_for(table, subject):
    return sorted((marks[subject], who) for who, marks in table.items() if subject in marks)


def position(table, subject, student):
    """Ranks the class for every student."""
    order = list(reversed(scores_for(table, subject)))
    for rank, (_score, who) in enumerate(order, 1):
        if who == student:
            return rank
    return None
'''

REPORT = """from .grades import position


def positions(table):
    out = {}
    for student, marks in table.items():
        out[student] = {subject: position(table, subject, student) for subject in marks}
    return out
"""


def _package(tmp_path: Path, name: str, texts: dict[str, str]) -> object:
    for path, text in texts.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        __import__(f"{name}.report")
        return sys.modules[f"{name}.report"], sys.modules[f"{name}.grades"]
    finally:
        sys.path.remove(str(tmp_path))


def test_work_of_a_helper_in_another_module_is_handed_in(tmp_path: Path) -> None:
    texts = {"pk/__init__.py": "", "pk/grades.py": GRADES, "pk/report.py": REPORT}
    step = Step("expose-callee-work", "pk/report.py", "positions")
    run_step(texts, step, verify=False, project=project_for(texts))
    assert (
        "from .grades import position, _position_given, _position_work\n" in texts["pk/report.py"]
    )
    work = "scores_for(table, subject)"
    assert f"def _position_work(table, subject):\n    return {work}\n" in texts["pk/grades.py"]
    assert f"    return _position_given(table, subject, student, {work})" in texts["pk/grades.py"]
    step = Step("hoist-per-key", "pk/report.py", "positions")
    run_step(texts, step, verify=False, project=project_for(texts))
    assert (
        "_memo_keep_copy(position_work_by_subject, subject, _position_work(table, subject))"
        in (texts["pk/report.py"])
    )
    original = {"pk_a/__init__.py": "", "pk_a/grades.py": GRADES, "pk_a/report.py": REPORT}
    rewritten = {p.replace("pk/", "pk_b/"): t for p, t in texts.items()}
    before, _ = _package(tmp_path, "pk_a", original)  # type: ignore[misc]
    after, grades = _package(tmp_path, "pk_b", rewritten)  # type: ignore[misc]
    table = {"ann": {"m": 3, "a": 1}, "bob": {"m": 2, 1: 5}, "cy": {"m": 3, True: 1}}
    assert after.positions(table) == before.positions(table)
    # the handed-in work reads the helper module's globals when it runs, as the helper did
    grades.scores_for = lambda table, subject: []
    assert after.positions(table) == {s: dict.fromkeys(m) for s, m in table.items()}


def test_a_helper_in_another_module_bound_twice_is_left_alone() -> None:
    texts = {"pk/__init__.py": "", "pk/grades.py": GRADES + "\nposition = position\n"}
    texts["pk/report.py"] = REPORT
    step = Step("expose-callee-work", "pk/report.py", "positions")
    with pytest.raises(StepFailed):
        run_step(texts, step, verify=False, project=project_for(texts))


def _summary(source: str, name: str) -> object:
    project = project_for({"mod.py": source})
    ref = next(r for r in project.all_functions() if r.qualname == name)
    return effects_of(project).summary(ref)


INDEX_OF = """
def index_of(items, wanted):
    for i, item in enumerate(items, 1):
        if item == wanted:
            return i
    return None
"""


def test_an_enumerate_counter_is_no_part_of_what_it_counts() -> None:
    """Returning the index of `enumerate(xs)` keeps nothing of `xs` (it was taken as part)."""
    summary = _summary(INDEX_OF, "index_of")
    assert summary.pure and summary.readonly == {0, 1}  # type: ignore[attr-defined]
    kept = INDEX_OF.replace("            return i\n", "            return item\n")
    assert 0 not in _summary(kept, "index_of").readonly  # type: ignore[attr-defined]


DECIMALS = """
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value, places=1):
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def scaled(thing, places):
    return thing.scaleb(-places)
"""


def test_methods_of_a_known_decimal_are_pure_and_others_are_not() -> None:
    assert _summary(DECIMALS, "round_half_up").pure  # type: ignore[attr-defined]
    assert not _summary(DECIMALS, "scaled").pure  # type: ignore[attr-defined]


def test_the_search_proposes_the_exposed_work_only_with_what_keeps_it() -> None:
    """An exposed helper gains nothing alone: it is never a plan of its own, and combined
    plans drop it where nothing follows it."""
    from agent.engines.rules import RulesEngine
    from agent.engines.rules.search import Hot, Search

    sources = {"mod.py": CORPUS}
    engine, project = RulesEngine(), project_for(sources)
    hots = [Hot("mod.py", "class_places", 0.9), Hot("mod.py", "above_mean", 0.5)]
    for hot in hots:
        hot.steps = engine._applicable(sources, hot, project)
    plans = Search(engine.rules, sources, hots, project, 4).plans([])
    assert all(p.data["rules"] != ["expose-callee-work"] for p in plans)
    per_function = {p.title for p in plans}
    assert "rules: expose-callee-work, hoist-per-key in mod.py:class_places" in per_function
    lone = LOOPS.replace(
        "def spread", "def helper(table):\n    return mean_of(table, 'x')\n\n\ndef spread"
    )
    lone = lone.replace("out.append(mean_of(table, subject))", "out.append(helper(table))")
    sources = {"mod.py": lone}
    project = project_for(sources)
    hot = Hot("mod.py", "spread", 0.9)
    hot.steps = engine._applicable(sources, hot, project)
    assert not any(
        "expose-callee-work" in p.data["rules"]
        for p in Search(engine.rules, sources, [hot], project, 4).plans([])
    )


# --- the review of this rule (each a program whose rewrite behaved differently) ---------

REVIEW_LOOP = """
def g(xs, ks, t):
    out = []
    for x in xs:
        for k in ks:
            out.append(CALL)
    return out
"""

REVIEWED = {
    # a result's new element let out: kept only as a copy of immutable contents
    "new-rows": ("def f(t, k):\n    return [[x, k] for x in t]\n", "f(t, k)[0]"),
    # an iterator is used up by its first use
    "iterator": ("def f(t, k):\n    return reversed(t)\n", "list(f(t, k))"),
    # a chain of tuples deeper than the stack
    "deep": (
        "def f(t, k):\n    node = None\n    for x in t:\n        node = (x, node)\n"
        "    return (k, node)\n",
        "f(t, k)",
    ),
}


@pytest.mark.parametrize("case", REVIEWED.values(), ids=REVIEWED.keys())
def test_reviewed_results_behave_as_before(case: tuple[str, str]) -> None:
    helper, call = case
    source = helper + REVIEW_LOOP.replace("CALL", call)
    text = helpers.rewrite(source, "hoist-per-key", "g")
    assert text is not None
    before = helpers.run_module(source, "review_before")["g"]
    after = helpers.run_module(text, "review_after")["g"]
    t = list(range(3000))
    old, new = before([1, 2], [1, 2, 1], t), after([1, 2], [1, 2, 1], t)
    assert len(old) == len(new)
    for a, b in zip(old, new, strict=True):  # `==` of the deep chains would recurse
        assert type(a) is type(b) and a[0] == b[0] and len(a) == len(b)
    assert [id(a) == id(b) for a in old for b in old] == [id(a) == id(b) for a in new for b in new]


@pytest.mark.parametrize("name", ["type", "isinstance", "map", "len", "dict"])
def test_a_module_shadowing_a_builtin_the_memo_uses_is_left_alone(name: str) -> None:
    helper = "def f(t, k):\n    return len(t) + k\n"
    source = f"{name} = None\n\n\n" + helper + REVIEW_LOOP.replace("CALL", "f(t, k)")
    assert helpers.rewrite(source.replace(f"{name} = None", "x = None"), "hoist-per-key", "g")
    assert helpers.rewrite(source, "hoist-per-key", "g") is None


def test_a_change_to_a_list_held_in_an_argument_is_seen() -> None:
    """Guards `inserts.alias_groups` (older, hoist-pure-call too): `t = [inner]` holds
    `inner`, so appending to `inner` changes `t`."""
    source = """
def f(t, k):
    return len(t[0]) * 10 + k


def g(xs, ks):
    inner = []
    t = [inner]
    out = []
    for x in xs:
        for k in ks:
            out.append(f(t, k))
        inner.append(x)
    return out
"""
    assert helpers.rewrite(source, "hoist-per-key", "g") is None
    kept = source.replace("        inner.append(x)\n", "")
    assert helpers.rewrite(kept, "hoist-per-key", "g") is not None


def test_hoist_pure_call_does_not_share_an_iterator() -> None:
    """Guards `hoist._result_read_only` (older): `for y in backwards(t)` once per outer
    iteration used up the one iterator a hoist kept."""
    source = """
def backwards(t):
    return reversed(t)


def g(xs, t):
    out = []
    for x in xs:
        for y in backwards(t):
            out.append(y)
    return out
"""
    assert helpers.rewrite(source, "hoist-pure-call", "g") is None
    listed = source.replace("return reversed(t)", "return list(reversed(t))")
    assert helpers.rewrite(listed, "hoist-pure-call", "g") is not None


def test_a_loop_target_binding_a_name_twice_is_no_counter() -> None:
    """`for i, i in enumerate(rows)` leaves the row in `i`: returning it keeps the row."""
    twice = INDEX_OF.replace(
        "for i, item in enumerate(items, 1):", "for i, i in enumerate(items, 1):"
    )
    twice = twice.replace("if item == wanted:", "if i == wanted:")
    assert 0 not in _summary(twice, "index_of").readonly  # type: ignore[attr-defined]


CALLER = """from .grades import position
{extra}

def positions(table):
    out = {{}}
    for student, marks in table.items():
        out[student] = {{subject: position(table, subject, student) for subject in marks}}
    return out
"""


@pytest.mark.parametrize(
    ("caller_extra", "init"),
    [
        ("from .other import position", ""),  # the second import is the helper called
        ("", "from . import grades\ngrades.position = lambda t, s, st: 0\n"),  # rebound
    ],
    ids=["another-import", "rebound-from-outside"],
)
def test_a_helper_the_call_may_not_reach_is_not_exposed(caller_extra: str, init: str) -> None:
    texts = {
        "pk/__init__.py": init,
        "pk/grades.py": GRADES,
        "pk/other.py": GRADES,
        "pk/report.py": CALLER.format(extra=caller_extra),
    }
    step = Step("expose-callee-work", "pk/report.py", "positions")
    with pytest.raises(StepFailed):
        run_step(dict(texts), step, verify=False, project=project_for(texts))


def test_a_decimal_of_another_module_is_no_decimal() -> None:
    """Annotations spell types by name: `extdec.Decimal` is not `decimal.Decimal`."""
    source = "from extdec import Decimal\n\n\ndef g(d: Decimal):\n    return d.next_plus()\n"
    assert not _summary(source, "g").pure  # type: ignore[attr-defined]
    real = source.replace("from extdec import Decimal", "from decimal import Decimal")
    assert _summary(real, "g").pure  # type: ignore[attr-defined]


def test_an_impure_statement_elsewhere_in_the_function_does_not_block_the_memo() -> None:
    """The callee's name is code, not a container the loop could change: an impure
    statement before the loop (a caller's list appended to) left `mean_of` "foreign" and
    needing the whole function pure."""
    source = LOOPS.replace("def spread(table, subjects):", "def spread(source, subjects, log):")
    source = source.replace(
        "    out = []\n", "    table = dict(source)\n    log.append(1)\n    out = []\n"
    )
    assert source != LOOPS
    assert helpers.rewrite(source, "hoist-per-key", "spread") is not None
