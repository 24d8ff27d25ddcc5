"""sorted-shadow: a growing list attribute read with `sorted`/`min`/`max` in other methods
gets a sorted copy kept beside it while the values are numbers. Before/after, the same
answers (and errors) for ints, floats, ties of 1 and 1.0, NaN, None and bools, and refusals
where a precondition fails."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_spec = importlib.util.spec_from_file_location(
    "_rules_helpers", Path(__file__).parent / "rules_corpus" / "helpers.py"
)
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)
rewrite = helpers.rewrite

TRACKER = """
class Tracker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.samples = []

    def record(self, value):
        self.samples.append(value)

    def line(self) -> str:
        if not self.samples:
            return f"{self.name}: none"
        ordered = sorted(self.samples)
        mid = ordered[len(ordered) // 2]
        return f"{self.name}: lo={min(self.samples)!r} mid={mid!r} hi={max(self.samples)!r}"


def total(t: Tracker) -> int:
    return sum(t.samples) + len(t.samples)
"""


def test_sorted_shadow_keeps_a_sorted_copy_beside_the_list() -> None:
    text = rewrite(TRACKER, "sorted-shadow", "Tracker.line")
    assert text is not None
    assert "        self._samples_sorted = []\n" in text
    assert "        bisect.insort(self._samples_sorted, item)\n" in text
    assert "self._samples_sorted[:] if self._samples_sorted is not None" in text
    assert "self._samples_sorted[0] if self._samples_sorted and" in text
    assert "else max(self.samples))" in text
    assert "self.samples.append(item)" in text  # the list itself is kept as it was
    assert rewrite(text, "sorted-shadow", "Tracker.line") is None  # never a copy of the copy


def _lines(ns: dict[str, object], values: list[object], poke: bool = False) -> list[str]:
    tracker = ns["Tracker"]("t")  # type: ignore[operator]
    out = []
    for i, value in enumerate(values):
        tracker.record(value)
        if poke and i == 2:
            tracker.samples.append(-1)  # code outside the repository changes the list
        try:
            out.append(tracker.line())
        except TypeError as exc:
            out.append(f"TypeError {exc}")
    return out


@pytest.mark.parametrize(
    "values",
    [
        [5, 3, 9, 3, 1, 9, 7],
        [2.5, 1, 1.0, 3, 3.0, 1, 3],  # ties of equal values that print differently
        [1, float("nan"), 0.5, 2],  # NaN: the copy is dropped, the list answers
        [4, 2, None, 7],  # None: the same TypeError where the original raised it
        [3, True, 1, 2],  # a bool is no plain number for the copy
        ["b", "a", "c"],
    ],
    ids=["ints", "ties", "nan", "none", "bool", "strs"],
)
def test_sorted_shadow_answers_as_the_original(values: list[object]) -> None:
    text = rewrite(TRACKER, "sorted-shadow", "Tracker.line")
    assert text is not None
    before = helpers.run_module(TRACKER, "shadow_before")
    after = helpers.run_module(text, "shadow_after")
    assert _lines(after, values) == _lines(before, values)
    assert _lines(after, values, poke=True) == _lines(before, values, poke=True)


_VALUES = st.lists(
    st.one_of(
        st.integers(-3, 3),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, 1.0, True, None, "a"]),
    ),
    max_size=14,
)


@settings(max_examples=120, deadline=None)
@given(values=_VALUES, poke=st.booleans())
def test_sorted_shadow_answers_as_the_original_on_any_values(
    values: list[object], poke: bool
) -> None:
    """Ints, floats (NaN, infinities, -0.0 beside 0.0), bools, None and strs in any order,
    with or without the list changed behind the class's back: every line, and every error,
    is the original's."""
    before, after = _tracker_modules()
    assert _lines(after, values, poke) == _lines(before, values, poke)


@functools.cache
def _tracker_modules() -> tuple[dict[str, object], dict[str, object]]:
    text = rewrite(TRACKER, "sorted-shadow", "Tracker.line")
    assert text is not None
    return helpers.run_module(TRACKER, "tracker_before"), helpers.run_module(text, "tracker_after")


@pytest.mark.parametrize(
    "source",
    [
        TRACKER + "\n\ndef reset(t):\n    t.samples.append(0)\n",
        TRACKER + "\n\ndef grab(t):\n    xs = t.samples\n    return xs\n",
        TRACKER.replace("sorted(self.samples)", "sorted(self.samples, key=abs)")
        .replace("min(self.samples)", "0")
        .replace("max(self.samples)", "0"),
        TRACKER + "\n    def tidy(self):\n        self.samples.sort()\n",
        TRACKER + "\n    def reset(self):\n        self.samples = []\n",
        TRACKER + "\n    def wipe(self):\n        self.samples.clear()\n",
        TRACKER.replace(
            "class Tracker:\n",
            "class Tracker:\n    __slots__ = ('name', 'samples', '_samples_sorted')\n",
        ),
        TRACKER.replace(
            "        self.samples.append(value)", "        if value: self.samples.append(value)"
        ),
        TRACKER + "\n\nclass Sub(Tracker):\n    pass\n",
        TRACKER + "\n\ndef poke(t):\n    setattr(t, 'samples', [])\n",
        "import collections\n"
        + TRACKER.replace("class Tracker:", "class Tracker(collections.UserDict):"),
    ],
    ids=[
        "appended-outside",
        "aliased-outside",
        "keyed-sort",
        "sorted-in-place",
        "rebound",
        "cleared",
        "slots",
        "one-line-block",
        "subclassed",
        "setattr",
        "library-base",
    ],
)
def test_sorted_shadow_refuses(source: str) -> None:
    assert rewrite(source, "sorted-shadow", "Tracker.line") is None
