"""Nearby inputs, derived with hypothesis from the normal forms of captured arguments.

Each variant changes one thing and keeps types and shapes: a sequence (or dict, or array
along its first axis) shuffled, cut to a subset of its items in order, or one scalar inside
changed to a nearby value of the same type (an int by a few, a float by a few percent, one
character of a string, a bool flipped). A sorted sequence of scalars stays sorted (no
shuffle, and a changed element stays between its neighbours): sortedness is often a
precondition. Only homogeneous sequences are shuffled or cut (never a record-like tuple).
The variants are operations (`capture_forms.perturb` applies them in the sandbox).
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

MAX_SITES = 20_000
_ALPHABET = string.ascii_letters + string.digits
_SEQUENCES = frozenset({"builtins.list", "builtins.tuple", "collections.deque"})


@dataclass
class Sites:
    """Where a call's arguments can be perturbed."""

    sequences: list[tuple[list[Any], int, bool]] = field(default_factory=list)
    """(path, length, sorted scalars)."""
    leaves: list[tuple[list[Any], Any, tuple[Any, Any] | None]] = field(default_factory=list)
    """(path, normal form, (lower, upper) neighbours when inside a sorted sequence)."""

    def slots(self) -> list[tuple[str, tuple[Any, ...]]]:
        """(kind, argument) pairs there is something to perturb for, argument by argument:
        "shuffle" (an unsorted homogeneous sequence), "keep" (any), "set" (a scalar)."""
        found: list[tuple[str, tuple[Any, ...]]] = []
        for arg in sorted(set(self._pools("keep")) | set(self._pools("set")), key=str):
            found += [(k, arg) for k in ("shuffle", "keep", "set") if self.pool(k, arg)]
        return found

    def pool(self, kind: str, arg: tuple[Any, ...]) -> list[Any]:
        """The sites of one argument where `kind` applies."""
        return self._pools(kind).get(arg, [])

    def _pools(self, kind: str) -> dict[tuple[Any, ...], list[Any]]:
        cache: dict[str, dict[tuple[Any, ...], list[Any]]] = self.__dict__.setdefault("_cache", {})
        if kind not in cache:
            grouped: dict[tuple[Any, ...], list[Any]] = {}
            for site in self.leaves if kind == "set" else self.sequences:
                if kind == "shuffle" and site[2]:
                    continue
                grouped.setdefault(tuple(site[0][0]), []).append(site)
            cache[kind] = grouped
        return cache[kind]


def _scalar(form: Any) -> bool:
    return (isinstance(form, list) and form[:1] in (["i"], ["f"], ["b"])) or (
        isinstance(form, list) and form[:1] == ["s"] and len(form) == 2
    )


def _homogeneous(items: list[Any]) -> bool:
    shapes = {
        (f[0], f[1] if f[0] in ("l", "d", "e", "o", "a", "p") else "")
        if isinstance(f, list) and f
        else (repr(f), "")
        for f in items
    }
    return len(shapes) == 1


def _sorted_scalars(items: list[Any]) -> bool:
    if not all(_scalar(f) and f[0] != "b" for f in items):
        return False
    values = [f[1] for f in items]
    try:
        return all(a <= b for a, b in itertools.pairwise(values))
    except TypeError:
        return False


def find_sites(args_form: Any) -> Sites:
    """The sites of `[args, kwargs]`'s normal form (positional `["a", n]`, keyword `["k", name]`)."""
    sites = Sites()
    try:
        positional, named = args_form[2][0][2], args_form[2][1][2]
    except (IndexError, TypeError):
        return sites
    todo: list[tuple[Any, list[Any], tuple[Any, Any] | None]] = [
        (f, [["a", n]], None) for n, f in enumerate(positional)
    ]
    todo += [(v, [["k", k[1]]], None) for k, v in named if isinstance(k, list) and k[0] == "s"]
    while todo and len(sites.sequences) + len(sites.leaves) < MAX_SITES:
        form, path, bounds = todo.pop()
        todo.extend(_visit(form, path, bounds, sites))
    return sites


def _visit(
    form: Any, path: list[Any], bounds: tuple[Any, Any] | None, sites: Sites
) -> Iterator[tuple[Any, list[Any], tuple[Any, Any] | None]]:
    if not isinstance(form, list) or not form:
        return
    tag = form[0]
    if _scalar(form):
        sites.leaves.append((path, form, bounds))
    elif tag == "l" and form[1] in _SEQUENCES:
        items = form[2]  # when cut by the form's budget: the items seen, then `form[3]` more
        ordered = _sorted_scalars(items)
        if len(items) + form[3] >= 2 and items and _homogeneous(items):
            sites.sequences.append((path, len(items) + form[3], ordered))
        for n, item in enumerate(items):
            near = (_at(items, n - 1), _at(items, n + 1)) if ordered else None
            yield item, [*path, ["i", n]], near
    elif tag == "d":
        if len(form[2]) + form[3] >= 2:
            sites.sequences.append((path, len(form[2]) + form[3], False))
        for n, (_key, value) in enumerate(form[2]):
            yield value, [*path, ["v", n]], None
    elif tag == "o":
        for name, value in form[2].items():
            yield value, [*path, ["o", name]], None
    elif tag == "a" and form[2]:
        if form[2][0] >= 2:
            sites.sequences.append((path, form[2][0], False))
        if form[1][1:2] in ("i", "u", "f", "b"):
            for n, value in enumerate(form[3][:1000]):
                tag_of = (
                    "b" if isinstance(value, bool) else "f" if isinstance(value, float) else "i"
                )
                sites.leaves.append(([*path, ["flat", n]], [tag_of, value], None))


def _at(items: list[Any], n: int) -> Any:
    return items[n][1] if 0 <= n < len(items) else None


VERBS = {"shuffle": "shuffled", "keep": "resized", "set": "with one element changed"}
SALT = 7919
"""Mixed into every site and permutation choice, so each `draw_seed` perturbs other places
even when hypothesis starts from its simplest draws."""


def _pick(data: st.DataObject, pool: list[Any], salt: int) -> Any:
    return pool[(data.draw(st.integers(0, len(pool) - 1)) + salt * SALT) % len(pool)]


def _nearby(data: st.DataObject, form: Any, salt: int) -> Any:
    tag, value = form[0], form[1]
    if tag == "b":
        return not value
    if tag == "i":
        return value + _pick(data, [-3, -2, -1, 1, 2, 3], salt)
    if tag == "f":
        step = data.draw(st.floats(0.001, 0.1)) * _pick(data, [-1, 1], salt)
        return value * (1 + step) if value else step
    if not value:
        return _pick(data, list(_ALPHABET), salt)
    pos = _pick(data, list(range(len(value))), salt)
    char = _pick(data, [c for c in _ALPHABET if c != value[pos]], salt)
    return value[:pos] + char + value[pos + 1 :]


def _draw(
    data: st.DataObject, sites: Sites, kind: str, arg: tuple[Any, ...], salt: int, build: bool
) -> dict[str, Any] | None:
    label = f"{_where([list(arg)])} {VERBS[kind]}"
    if kind == "set":
        path, form, bounds = _pick(data, sites.pool("set", arg), salt)
        new = _nearby(data, form, salt)
        low, high = bounds or (None, None)
        if (low is not None and new < low) or (high is not None and new > high):
            return None
        return {"op": "set", "path": path, "value": new, "was": form[1], "slot": label}
    path, length, _ordered = _pick(data, sites.pool(kind, arg), salt)
    rng = random.Random(f"{salt}:{data.draw(st.integers(0, 2**32 - 1))}")
    if kind == "shuffle":
        if not build:
            return None
        order = list(range(length))
        rng.shuffle(order)
        if order == sorted(order):
            order = order[1:] + order[:1]
        return {"op": "shuffle", "path": path, "perm": order, "slot": label}
    low = max(1, length // 2)
    size = low + (data.draw(st.integers(0, length - 1 - low)) + salt * SALT) % (length - low)
    if not build:
        return None
    keep = sorted(rng.sample(range(length), size))
    return {"op": "keep", "path": path, "keep": keep, "slot": label}


def derive(
    args_form: Any, count: int = 6, draw_seed: int | None = None, sites: Sites | None = None
) -> list[list[dict[str, Any]]]:
    """One-operation variants of one call's arguments, one per slot (each argument shuffled,
    resized, or with one element changed), at most `count`: the same ones for one
    `draw_seed` (None: hypothesis's derandomized draws), other ones for another. Pass `sites`
    (from `find_sites`) to derive from one call several times without walking it again."""
    sites = sites or find_sites(args_form)
    slots = sites.slots()[:count]
    if not slots:
        return []
    salt = draw_seed or 0
    best: list[list[dict[str, Any]]] = []

    def one(data: st.DataObject) -> None:
        # generation depends on the draws alone; only what is kept depends on earlier tries
        # once every slot has its variant no later try can be kept: its draws are still made
        # (hypothesis replays them) but the large inputs are not shuffled or cut again
        build = len(best) < len(slots)
        ops = [_draw(data, sites, kind, arg, salt, build) for kind, arg in slots]
        found = [[op] for op in ops if op is not None]
        if len(found) > len(best):
            best[:] = found

    run = settings(
        max_examples=4,
        database=None,
        derandomize=draw_seed is None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )(given(st.data())(one))
    if draw_seed is not None:
        run = seed(draw_seed)(run)
    run()
    return best


def described(op: dict[str, Any]) -> str:
    """An operation in words, e.g. `argument 0 shuffled`."""
    where = _where(op["path"])
    if op["op"] == "shuffle":
        return f"{where} shuffled"
    if op["op"] == "keep":
        return f"{where} cut to {len(op['keep'])} items"
    return f"{where} changed from {op.get('was')!r} to {op['value']!r}"


def _where(path: list[Any]) -> str:
    (kind, key), rest = path[0], path[1:]
    text = f"argument {key}" if kind == "a" else f"argument {key}="
    for step, value in rest:
        text += f".{value}" if step == "o" else f"[{value}]"
    return text
