"""sort-by-key: objects whose `__lt__` only compares a key are sorted by that key. The same
order (ties included) on random lists, the original sort wherever the run-time check fails
(another `__lt__`, a mixed list, a container that is not a list), and refusals where a
precondition fails."""

from __future__ import annotations

import random

import pytest

from tests.models.rules_corpus import helpers

EVENTS = """
class Event:
    def __init__(self, time, seq):
        self.time = time
        self.seq = seq

    def key(self):
        return (self.time, self.seq % 3)

    def __lt__(self, other):
        if not isinstance(other, Event):
            return NotImplemented
        return self.key() < other.key()


class Late(Event):
    def key(self):
        return (self.time + 1, 0)


class Odd(Event):
    def __lt__(self, other):
        return self.seq > other.seq


def order(items, reverse):
    items.sort(reverse=reverse)
    return items


def copy_sorted(items):
    return sorted(items)
"""

POINTS = """
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __lt__(self, other):
        return (self.y, self.x) < (other.y, other.x)


def order(items, reverse):
    items.sort(reverse=reverse)
    return items
"""


def _events(ns: dict[str, object], rng: random.Random, kinds: tuple[str, ...]) -> list[object]:
    return [ns[rng.choice(kinds)](rng.randint(0, 4), i) for i in range(rng.randint(0, 12))]  # type: ignore[operator]


def _same_order(source: str, text: str, function: str, kinds: tuple[str, ...]) -> None:
    """Equal lists come out in the same order (ties included: each event has its number)."""
    before = helpers.run_module(source, "sort_keys_before")
    after = helpers.run_module(text, "sort_keys_after")
    for seed in range(60):
        for reverse in (False, True):
            args = (reverse,) if function == "order" else ()
            got_a = before[function](_events(before, random.Random(seed), kinds), *args)  # type: ignore[operator]
            got_b = after[function](_events(after, random.Random(seed), kinds), *args)  # type: ignore[operator]
            assert [e.seq for e in got_a] == [e.seq for e in got_b]


def test_objects_are_sorted_by_the_key_their_lt_compares() -> None:
    text = helpers.rewrite(EVENTS, "sort-by-key", "order")
    assert text is not None
    assert "    _sort_events(items, reverse=reverse)\n" in text
    assert "items.sort(key=_operator.methodcaller('key'), **reverse)" in text
    assert "getattr(order, '__qualname__', None) == 'Event.__lt__'" in text
    _same_order(EVENTS, text, "order", ("Event", "Late"))


def test_sorted_gets_a_sorted_copy() -> None:
    text = helpers.rewrite(EVENTS, "sort-by-key", "copy_sorted")
    assert text is not None
    assert "return _sort_events(list(items), keep=True)" in text
    _same_order(EVENTS, text, "copy_sorted", ("Event", "Late"))


def test_the_original_sort_runs_where_the_check_fails() -> None:
    text = helpers.rewrite(EVENTS, "sort-by-key", "order")
    assert text is not None
    _same_order(EVENTS, text, "order", ("Event", "Odd"))  # another __lt__ in the list
    after = helpers.run_module(text, "sort_keys_mixed")
    with pytest.raises(TypeError):
        after["order"]([after["Event"](1, 1), 3], False)  # type: ignore[operator]

    class Box:
        def __init__(self) -> None:
            self.sorted_with: dict[str, object] = {}

        def sort(self, **kw: object) -> None:
            self.sorted_with = kw

    box = Box()
    after["order"](box, True)  # type: ignore[operator]
    assert box.sorted_with == {"reverse": True}


def test_attribute_keys_sort_by_an_attrgetter() -> None:
    text = helpers.rewrite(POINTS, "sort-by-key", "order")
    assert text is not None
    assert "key=_operator.attrgetter('y', 'x')" in text
    before = helpers.run_module(POINTS, "points_before")
    after = helpers.run_module(text, "points_after")
    rng = random.Random(3)
    for _ in range(50):
        pairs = [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(rng.randint(0, 10))]
        a = before["order"]([before["Point"](*p) for p in pairs], False)  # type: ignore[operator]
        b = after["order"]([after["Point"](*p) for p in pairs], False)  # type: ignore[operator]
        assert [(p.x, p.y) for p in a] == [(p.x, p.y) for p in b]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the key method has an effect: calling it once per element would show
        ("    def key(self):\n", "    def key(self):\n        LOG.append(1)\n"),
        # __lt__ does more than compare one key
        ("return self.key() < other.key()", "return self.key() < other.key() or self.seq < 0"),
        # a class traps attribute reads
        (
            "class Late(Event):\n",
            "class Late(Event):\n    def __getattr__(self, name):\n        return 0\n\n",
        ),
        # the sort already has a key
        ("    items.sort(reverse=reverse)\n", "    items.sort(key=id, reverse=reverse)\n"),
    ],
)
def test_refused_when_a_precondition_fails(old: str, new: str) -> None:
    source = "LOG = []\n" + EVENTS.replace(old, new, 1)
    assert source != "LOG = []\n" + EVENTS
    assert helpers.rewrite(source, "sort-by-key", "order") is None


def test_an_attribute_that_is_a_property_is_refused() -> None:
    source = (
        POINTS + "\n\nclass Shifted(Point):\n    @property\n    def y(self):\n        return 0\n"
    )
    assert helpers.rewrite(source, "sort-by-key", "order") is None
