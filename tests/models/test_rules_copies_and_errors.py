"""Two facts the purity of ordinary loops rests on: a loop variable copied before anything
else (`row = dict(row)`) holds a container of the function's own from then on, and raising
an exception class whose `__init__` only stores on itself and calls `super().__init__` has
no effect. Before/after of the hoist they allow, and the classes and loops that stay out."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from agent.engines.rules.closedness import constructor_pure
from agent.engines.rules.effects import effects_of
from agent.engines.rules.project import FunctionRef, project_for
from agent.engines.rules.rewrite import function_context
from agent.engines.rules.syntax import walk
from tests.models.rules_corpus import helpers

MODERATE = """
import statistics


class MarkError(ValueError):
    def __init__(self, message, line=None):
        self.line = line
        if line is not None:
            message = f"line {line}: {message}"
        super().__init__(message)


def moderate(averages, subject, target):
    if not 0 <= target <= 100:
        raise MarkError(f"target {target} is not a percentage")
    values = [m[subject] for m in averages.values() if subject in m]
    moderated = {}
    for student, marks in averages.items():
        marks = dict(marks)
        if subject in marks:
            marks[subject] = marks[subject] - statistics.mean(values) + target
        moderated[student] = marks
    return moderated
"""


def _loop_pure(source: str, function: str) -> bool:
    text = textwrap.dedent(source)
    ctx = function_context("mod.py", text, function, project_for({"mod.py": text}))
    assert ctx is not None
    return ctx.scope.pure(next(n for n in walk(ctx.fn) if isinstance(n, cst.For)))


def test_a_copied_loop_variable_lets_a_loop_invariant_mean_be_hoisted() -> None:
    assert _loop_pure(MODERATE, "moderate")
    text = helpers.rewrite(MODERATE, "hoist-pure-call", "moderate")
    assert text is not None and "statistics.mean(values)" in text
    before = helpers.run_module(MODERATE, "copies_before")["moderate"]
    after = helpers.run_module(text, "copies_after")["moderate"]
    averages = {"a": {"m": 50.0, "e": 10.0}, "b": {"e": 70.0}, "c": {"m": 80.0}}
    snapshot = {k: dict(v) for k, v in averages.items()}
    assert after(averages, "m", 60) == before(averages, "m", 60)
    assert averages == snapshot  # the caller's dicts are copied, not changed
    for bad in (-1, 101):
        with pytest.raises(ValueError, match="is not a percentage"):
            after(averages, "m", bad)


@pytest.mark.parametrize(
    "first",
    [
        "marks = marks",  # no copy: the caller's dict
        "marks = dict(averages)",  # a copy of something else
        "marks.pop('x', None)",  # a change before the copy
    ],
    ids=["no-copy", "other-copy", "change-first"],
)
def test_loops_changing_what_they_were_handed_stay_impure(first: str) -> None:
    assert not _loop_pure(MODERATE.replace("marks = dict(marks)", first), "moderate")


CLASSES = """
import json

LOG = []


class Noisy(Exception):
    def __init__(self, m):
        LOG.append(m)
        super().__init__(m)


class QuietSub(Noisy):
    pass


class Lined(ValueError):
    def __init__(self, message, line=None):
        self.line = line
        super().__init__(message)


class Shadowed(Lined):
    @property
    def line(self):
        return 1

    @line.setter
    def line(self, value):
        LOG.append(value)


class Plain(ValueError):
    '''doc'''
    code = 400


class Imported(json.JSONDecodeError):
    pass


class Assigned(ValueError):
    line = property(lambda self: 1, lambda self, v: LOG.append(v))


class Cycle(Loop):
    pass


class Loop(Cycle):
    pass


class OneLine(ValueError): pass


class OneLineSub(OneLine): code = 400; '''doc'''


class OneLineSetter(ValueError): line = property(lambda self: 1, lambda self, v: LOG.append(v))
"""


@pytest.mark.parametrize(
    ("name", "pure"),
    [
        ("Noisy", False),
        ("QuietSub", False),  # inherits Noisy's __init__
        ("Lined", True),
        ("Shadowed", False),  # Lined's __init__ would run this class's setter
        ("Plain", True),
        ("Imported", True),
        ("Assigned", False),
        ("Cycle", False),
        ("OneLine", True),  # regression: a body on the class's own line counted as effects
        ("OneLineSub", True),
        ("OneLineSetter", False),
    ],
)
def test_which_exceptions_are_built_without_effects(name: str, pure: bool) -> None:
    project = project_for({"mod.py": textwrap.dedent(CLASSES)})
    assert constructor_pure(effects_of(project), project.classes[name][1]) is pure


THIRD_REVIEW = """
LOG = []


def log_and_set(self, key, value):
    LOG.append(key)
    object.__setattr__(self, key, value)


class Assigned(ValueError):
    __setattr__ = log_and_set

    def __init__(self, message, line):
        self.line = line
        super().__init__(message)


class Mixin:
    __setattr__ = log_and_set


class Mixed(ValueError, Mixin):
    def __init__(self, message, line):
        self.line = line
        super().__init__(message)


class Dropped(ValueError):
    def __del__(self):
        LOG.append("gone")
"""


@pytest.mark.parametrize("name", ["Assigned", "Mixed", "Dropped"])
def test_hooks_bound_by_assignment_or_in_a_mixin_or_on_drop_have_effects(name: str) -> None:
    project = project_for({"mod.py": textwrap.dedent(THIRD_REVIEW)})
    assert constructor_pure(effects_of(project), project.classes[name][1]) is False


@pytest.mark.parametrize(
    "body",
    [
        "    x = rows\n    x += [0]\n",
        "    x = rows[0]\n    x += [0]\n",
        "    for x in rows:\n        x += [0]\n",
    ],
    ids=["alias", "element", "loop-variable"],
)
def test_an_augmented_local_that_holds_a_callers_object_changes_it(body: str) -> None:
    source = f"def grow(rows):\n{body}    return len(rows[0])\n\n\ndef twice(rows):\n"
    source += "    return grow(rows) + grow(rows)\n"
    assert helpers.rewrite(source, "repeated-call", "twice") is None
    own = source.replace("rows[0]\n    x +=", "list(rows[0])\n    x +=").replace(
        "x = rows\n", "x = list(rows)\n"
    )
    if own != source:
        assert helpers.rewrite(own, "repeated-call", "twice") is not None


def test_a_copy_method_may_hand_back_its_own_object() -> None:
    """Third review: only list/dict/set/sorted(x) are known to copy."""
    assert not _loop_pure(
        MODERATE.replace("marks = dict(marks)", "marks = marks.copy()"), "moderate"
    )


def test_an_augmented_local_bound_to_arithmetic_with_a_number_is_the_functions_own() -> None:
    """coursemarks' `pct = mark["mark"] / top * 100.0; pct -= penalty` made its helper
    impure, and every loop calling it with it. Without the scale, or with one a class may
    answer by handing back its operand (`0 + x`, `x * 1`: a review), it stays foreign."""
    source = "def percent(row, top):\n    pct = row[0] / top * 100.0\n    pct -= row[1]\n    return pct\n"
    cases = [
        (source, True),
        (source.replace(" * 100.0", ""), False),
        (source.replace("row[0] / top * 100.0", "0 + row[0]"), False),  # `__radd__` may return self
        (source.replace(" * 100.0", " * 1"), False),
    ]
    for text, pure in cases:
        project = project_for({"mod.py": text})
        ref = FunctionRef("mod.py", "percent", project.defs["mod.py"]["percent"])
        assert effects_of(project).summary(ref).pure is pure
