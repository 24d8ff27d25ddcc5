"""hoist-pure-call on a function of a module (`statistics.mean(values)`): the name the callee
is reached through is not an object whose state the call reads, so a loop that changes its
own per-item copies (`marks = dict(marks); marks[k] = ...`) no longer keeps the call in the
loop, even where the function changes the caller's objects outside it. A method's object is
still held to the loop's changes."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

MODERATE = """
import statistics


class MarksError(ValueError):
    pass


def spread(values):
    return max(values) - min(values) if values else 0.0


def moderate(averages, subject, target, asked):
    asked.append(subject)
    values = [m[subject] for m in averages.values() if subject in m]
    if not values:
        raise MarksError(f"nobody has a mark in {subject!r}")
    out = {}
    for student, marks in averages.items():
        marks = dict(marks)
        if subject in marks:
            mean = statistics.mean(values)
            marks[subject] = marks[subject] - mean + target
        out[student] = marks
    return out


def doubled(averages, subject, asked):
    asked.append(subject)
    values = [m[subject] for m in averages.values() if subject in m]
    if not values:
        raise MarksError(f"nobody has a mark in {subject!r}")
    out = {}
    for student, marks in averages.items():
        marks = dict(marks)
        marks["half_range"] = spread(values) / 2
        out[student] = marks
    return out
"""
AVERAGES = {"a": {"x": 1.0, "y": 2.0}, "b": {"y": 4.0}, "c": {"x": 0.25}}


@pytest.mark.parametrize(
    ("function", "call"), [("moderate", "statistics.mean(values)"), ("doubled", "spread(values)")]
)
def test_a_module_function_of_unchanged_arguments_is_computed_once(
    function: str, call: str
) -> None:
    text = rewrite(MODERATE, "hoist-pure-call", function)
    assert text is not None
    assert f"_value = {call}\n" in helpers.body_of(text, function)
    before = helpers.run_module(MODERATE, f"hoist_module_{function}_a")
    after = helpers.run_module(text, f"hoist_module_{function}_b")
    for subject in ("x", "y"):
        args = (AVERAGES, subject, 50.0) if function == "moderate" else (AVERAGES, subject)
        asked_before, asked_after = [], []
        assert after[function](*args, asked_after) == before[function](*args, asked_before)  # type: ignore[operator]
        assert asked_after == asked_before == [subject]


def test_an_argument_the_loop_changes_still_keeps_the_call_in_the_loop() -> None:
    source = MODERATE.replace(
        "            marks[subject] = marks[subject] - mean + target\n",
        "            marks[subject] = marks[subject] - mean + target\n"
        "            values.append(marks[subject])\n",
    )
    assert rewrite(source, "hoist-pure-call", "moderate") is None


BAG = """
class Bag:
    def __init__(self):
        self.items = []

    def count(self):
        return len([i for i in self.items if i])


def counts(xs):
    bag = Bag()
    out = []
    for x in xs:
        bag.items.append(x)
        out.append(bag.count())
    return out
"""


def test_a_method_of_an_object_the_loop_changes_stays_in_the_loop() -> None:
    """Regression guard for the narrowing: the receiver is what a method reads."""
    assert rewrite(BAG, "hoist-pure-call", "counts") is None
