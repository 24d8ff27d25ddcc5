"""Normal forms and their comparison: what counts as "the same result" between base and head.

The forms are made by the sandbox-side module (`capture_forms.py`, standard library only),
imported here from its file as the sandbox imports it."""

from __future__ import annotations

import collections
import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from profilers.checks.compare import first_difference, render, variation


def _forms() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "profilers" / "capture_forms.py"
    spec = importlib.util.spec_from_file_location("perfagent_forms", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FORMS = _forms()


def form(x: Any) -> Any:
    return FORMS.form(x)


@dataclass
class Point:
    x: int
    y: float


def same(a: Any, b: Any, **kw: Any) -> bool:
    return first_difference(form(a), form(b), **kw) is None


def test_containers_compare_recursively_and_by_type() -> None:
    assert same([1, (2, "a")], [1, (2, "a")])
    assert not same([1, 2], (1, 2)), "a tuple is not a list"
    assert not same([1, 2], [1, 2, 3])
    assert not same(1, 1.0) and not same(True, 1)
    found = first_difference(
        form([Point(1, 2.0), Point(3, 4.0)]), form([Point(1, 2.0), Point(3, 5.0)])
    )
    assert found is not None and found.path == "[1].y"


def test_dicts_ignore_order_unless_ordered_and_sets_are_sets() -> None:
    assert same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    a = collections.OrderedDict([("a", 1), ("b", 2)])
    assert not same(a, collections.OrderedDict([("b", 2), ("a", 1)]))
    assert same({3, 1, 2}, {1, 2, 3}) and not same({1, 2}, {1, 3})


def test_identity_never_matters_but_sharing_does_not_either() -> None:
    shared = [1, 2]
    assert same([shared, shared], [[1, 2], [1, 2]])
    loop: list[Any] = [1]
    loop.append(loop)
    assert form(loop)[2][1] == ["cycle"]


def test_floats_are_exact_except_where_the_base_varies() -> None:
    base_one, base_two = form([1.0, 2.0]), form([1.0, 2.0 + 1e-12])
    margins = variation(base_one, base_two)
    assert margins is not None and set(margins) == {("[1]",)}
    head = form([1.0, 2.0 + 2e-12])
    assert first_difference(base_two, head, margins) is None
    assert first_difference(base_two, form([1.0 + 1e-15, 2.0]), margins) is not None
    assert variation(form([1, "a"]), form([1, "b"])) is None, "a non-float varies: not comparable"
    assert same(math.nan, math.nan)


def test_numpy_arrays_compare_by_dtype_shape_and_values() -> None:
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert same(a, a.copy())
    assert not same(a, a.astype(np.float32))
    assert not same(a, a.reshape(3, 2))
    b = a.copy()
    b[1, 2] = 7.5
    assert not same(a, b)


def test_exceptions_compare_by_type_and_message() -> None:
    assert same(ValueError("bad"), ValueError("bad"))
    assert not same(ValueError("bad"), KeyError("bad"))
    assert not same(ValueError("bad"), ValueError("worse"))


def test_lenient_comparison_lets_the_head_add_attributes_only() -> None:
    """Guards genuine fixes that cache on an argument object, without letting the head change
    what the base's attributes hold."""
    base, head = Point(1, 2.0), Point(1, 2.0)
    head.cache = {"k": 1}  # type: ignore[attr-defined]
    assert first_difference(form(base), form(head), lenient=True) is None
    assert first_difference(form(base), form(head)) is not None
    head.x = 2
    assert first_difference(form(base), form(head), lenient=True) is not None


def test_budget_cuts_huge_values_and_rendering_is_short() -> None:
    huge = list(range(100_000))
    f = FORMS.form(huge, 1000)
    assert f[0] == "l" and f[3] > 0
    assert len(render(f, 120)) <= 120


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ([{"op": "shuffle", "path": [["a", 0]], "perm": [2, 0, 1]}], [[3, 1, 2], "k"]),
        ([{"op": "keep", "path": [["a", 0]], "keep": [0, 2]}], [[1, 3], "k"]),
        ([{"op": "set", "path": [["a", 0], ["i", 1]], "value": 9}], [[1, 9, 3], "k"]),
        ([{"op": "set", "path": [["k", "name"]], "value": "q"}], [[1, 2, 3], "q"]),
    ],
)
def test_perturbations_change_arguments_in_place(ops: list[Any], expected: list[Any]) -> None:
    """Guards the identity-memo probe: a list argument is changed in place, same object."""
    items = [1, 2, 3]
    args: list[Any] = [items]
    kwargs = {"name": "k"}
    FORMS.perturb(args, kwargs, ops)
    assert args[0] is items and [args[0], kwargs["name"]] == expected


class Catalog:
    def __init__(self, items: list[tuple[str, int]], indexed: bool) -> None:
        self._items = list(items)
        if indexed:  # attributes a faster version adds, sorted before `_items`
            self._by_value = {v: (k, v) for k, v in items}
            self._index = {k: (k, v) for k, v in items}


def test_an_attribute_cut_by_the_node_budget_is_not_a_difference() -> None:
    """Guards a false `broken`: a head's new index attributes used up the node budget of
    `self`, so its `_items` was cut where the base's was not, and that read as a change."""
    from profilers.capture_forms import form

    items = [(f"k{i}", i) for i in range(20000)]
    base, head = form(Catalog(items, False)), form(Catalog(items, True))
    assert first_difference(base, head, lenient=True) is None
    changed = form(Catalog([("k0", 1), *items[1:]], False))
    assert first_difference(base, changed, lenient=True) is not None
    shorter = form(Catalog(items[:-1], False))
    assert first_difference(base, shorter, lenient=True) is not None
