"""membership-set-attribute: a private list attribute that only grows keeps a set beside it
for its membership tests. Before/after on random operations with values of every kind
(NaN, 1/1.0/True, unhashable and custom-equality values among them), and refusals where
the list could change otherwise, escape, or the new attribute could not be set."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

REGISTRY = """
class Registry:
    def __init__(self, limit=None):
        self.limit = limit
        self._ids: list[str] = []
        self.rejected = 0

    def register(self, key):
        if key in self._ids:
            raise ValueError(f"duplicate {key!r}")
        self._ids.append(key)
        return len(self._ids)

    def knows(self, key) -> bool:
        return key in self._ids

    def missing(self, keys):
        return [k for k in keys if k not in self._ids]

    def ordered(self):
        return list(self._ids)

    def first(self):
        return self._ids[0] if self._ids else None

    def size(self) -> int:
        return len(self._ids) + self._ids.count("x")
"""


class Loose:
    """Equal to any value of the same `v`, unhashable: only a scan finds it."""

    def __init__(self, v: object) -> None:
        self.v = v

    def __eq__(self, other: object) -> bool:
        return getattr(other, "v", other) == self.v

    __hash__ = None  # type: ignore[assignment]


NAN = float("nan")
VALUES: list[Any] = ["a", "A", 1, 1.0, True, 0, -0.0, False, None, b"a", NAN, (1,), [1],
                     SimpleNamespace(v=1), Loose(1), Loose("a"), 2**70, float(2**70)]  # fmt: skip


def _modules() -> tuple[dict[str, Any], dict[str, Any]]:
    text = helpers.rewrite(REGISTRY, "membership-set-attribute", "Registry.register")
    assert text is not None
    return helpers.run_module(REGISTRY, "attr_member_before"), helpers.run_module(
        text, "attr_member_after"
    )


BEFORE, AFTER = _modules()


def _replay(mod: dict[str, Any], ops: list[tuple[str, int]]) -> list[object]:
    reg, out = mod["Registry"](), []
    for op, k in ops:
        value = VALUES[k % len(VALUES)]
        try:
            if op == "r":
                out.append(reg.register(value))
            elif op == "k":
                out.append(reg.knows(value))
            else:
                out.append(reg.missing(VALUES))
        except ValueError as exc:
            out.append(str(exc))
    out.append((reg.size(), repr(reg.ordered()), repr(reg.first())))
    return out


def test_appends_fill_a_set_that_answers_every_membership_test_of_the_class() -> None:
    text = helpers.rewrite(REGISTRY, "membership-set-attribute", "Registry.register")
    assert text is not None
    assert "self._ids_members = set()" in text
    assert "_add_member(self._ids, self._ids_members, key)" in text
    assert "_has_member(key, self._ids, self._ids_members)" in text
    assert "(not _has_member(k, self._ids, self._ids_members))" in text
    assert "return len(self._ids)" in text  # other reads are left alone


@pytest.mark.parametrize("seed", range(6))
def test_answers_as_the_original_on_random_operations(seed: int) -> None:
    rng = random.Random(seed)
    ops = [(rng.choice("rrkkm"), rng.randrange(40)) for _ in range(60)]
    assert _replay(AFTER, ops) == _replay(BEFORE, ops)


@settings(max_examples=80, deadline=None)
@given(ops=st.lists(st.tuples(st.sampled_from("rkm"), st.integers(0, 60)), max_size=40))
def test_answers_as_the_original_on_any_operations(ops: list[tuple[str, int]]) -> None:
    """Any interleaving of registrations and tests, with values whose `==` a set cannot
    honour (unhashable, custom equality, NaN as another object): the same answers."""
    assert _replay(AFTER, ops) == _replay(BEFORE, ops)


def test_a_value_a_set_cannot_hold_hands_every_later_test_to_the_list() -> None:
    reg = AFTER["Registry"]()
    reg.register("a")
    reg.register(Loose(1))  # unhashable, equal to 1: from now on the list answers
    reg.register("b")
    assert (reg.knows(1), reg.knows(1.0), reg.knows("b"), reg.knows("c")) == (True,) * 3 + (False,)


def test_a_nan_is_found_only_as_the_same_object_as_before() -> None:
    for mod in (BEFORE, AFTER):
        reg = mod["Registry"]()
        reg.register(NAN)
        assert (reg.knows(NAN), reg.knows(float("nan"))) == (True, False)


def test_nothing_is_rewritten_in_a_class_that_would_refuse_the_new_attribute() -> None:
    slots = REGISTRY.replace(
        "    def __init__", "    __slots__ = ('limit', '_ids', 'rejected')\n\n    def __init__"
    )
    assert helpers.rewrite(slots, "membership-set-attribute", "Registry.register") is None


@pytest.mark.parametrize(
    "source",
    [
        REGISTRY.replace("_ids", "ids"),  # public: any code may change it
        REGISTRY + "\n\ndef peek(r):\n    return r._ids\n",  # named outside the class
        REGISTRY + "\n    def forget(self, key):\n        self._ids.remove(key)\n",
        REGISTRY + "\n    def drop(self):\n        self._ids.pop()\n",
        REGISTRY + "\n    def reset(self):\n        self._ids.clear()\n",
        REGISTRY + "\n    def put(self, i, key):\n        self._ids[i] = key\n",
        REGISTRY + "\n    def more(self, keys):\n        self._ids.extend(keys)\n",
        REGISTRY + "\n    def raw(self):\n        return self._ids\n",  # escapes
        REGISTRY + "\n    def later(self):\n        return (k for k in self._ids)\n",
        REGISTRY + "\n\nclass Sub(Registry):\n    pass\n",  # subclassed
        REGISTRY
        + "\n    def __setattr__(self, name, value):\n        object.__setattr__(self, name, value)\n",
        REGISTRY + "\n    def __getattr__(self, name):\n        return []\n",  # a hook
        REGISTRY + "\n\ndef dump(r):\n    return vars(r)\n",  # the new attribute would show
        REGISTRY + "\n\ndef other(r):\n    return r._ids_members\n",  # its name is taken
        REGISTRY.replace(
            "        self._ids: list[str] = []\n", "        self._ids = list(limit or ())\n"
        ),
        REGISTRY.replace("class Registry:", "class Registry(dict):"),  # a library base
        REGISTRY.replace("class Registry:", "@decorate\nclass Registry:"),
    ],
    ids=[
        "public",
        "named-outside",
        "remove",
        "pop",
        "clear",
        "item-store",
        "extend",
        "escapes",
        "lazy-generator",
        "subclassed",
        "setattr-hook",
        "getattr-hook",
        "vars",
        "name-taken",
        "not-empty-init",
        "library-base",
        "decorated",
    ],
)
def test_refused_where_the_list_could_change_otherwise_or_escape(source: str) -> None:
    assert helpers.rewrite(source, "membership-set-attribute", "Registry.register") is None
