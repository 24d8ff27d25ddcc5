"""Normal forms and perturbations of recorded values; shipped into the sandbox's scratch as
`perfagent_forms.py` beside the replay runner (`capture_replay.py`).

Standard library only, nothing newer than Python 3.9. A normal form is plain JSON data that
says what a value is, so the host compares base and head without ever unpickling what a
candidate produced: `["i", 3]`, `["f", 0.5]`, `["s", "abc"]`, `["l", "builtins.list", [...],
more]`, `["d", type, [[k, v], ...], more]`, `["e", type, [...sorted...], more]`, `["o", type,
{attr: form}]`, `["a", dtype, shape, [values], more]` (numpy), `["x", type, message]`,
`["n", kind, name]` (functions, classes, modules), `["p", type, repr]` for value types without
attributes, `["cycle"]`, `["more"]` past the node budget. Object identity is never encoded.

A perturbation is a list of operations on paths into `(args, kwargs)`: `["a", i]` positional
argument, `["k", name]` keyword argument, `["i", n]` item, `["v", n]` n-th dict value, `["o",
name]` attribute, `["flat", n]` array element. Operations: `shuffle` (a permutation), `keep`
(a subset of indices, in order), `set` (a scalar of the same type). Mutable containers are
changed in place, so a function that memoizes on object identity sees the same object again.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from typing import Any

MAX_STRING = 4000
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _is_numpy(x: Any) -> bool:
    module = type(x).__module__
    return module == "numpy" and hasattr(x, "dtype") and hasattr(x, "tolist")


def _string(x: str) -> list[Any]:
    if len(x) <= MAX_STRING:
        return ["s", x]
    digest = hashlib.sha1(x.encode("utf-8", "surrogatepass")).hexdigest()
    return ["s", x[:200], len(x), digest]


def _bytes(x: Any) -> list[Any]:
    data = bytes(x)
    return ["y", type_name(type(x)), data[:200].hex(), len(data), hashlib.sha1(data).hexdigest()]


def _attributes(x: Any) -> dict[str, Any] | None:
    found: dict[str, Any] = {}
    for kind in type(x).__mro__:
        slots = kind.__dict__.get("__slots__", ())
        for name in [slots] if isinstance(slots, str) else slots:
            if name not in ("__dict__", "__weakref__") and hasattr(x, name):
                found[name] = getattr(x, name)
    has_dict = hasattr(x, "__dict__") and isinstance(getattr(x, "__dict__", None), dict)
    if not has_dict and (not found or type(x).__repr__ is not object.__repr__):
        return None
    if has_dict:
        found.update(vars(x))
    return found


class Former:
    """Normal forms under a node budget (a huge value is cut, never walked whole)."""

    def __init__(self, budget: int = 50000) -> None:
        self.budget = budget
        self.active: set[int] = set()

    def form(self, x: Any) -> Any:
        self.budget -= 1
        if self.budget < 0:
            return ["more"]
        if x is None:
            return None
        if isinstance(x, bool):
            return ["b", x]
        if isinstance(x, int) and not isinstance(x, enum.Enum):
            return ["i", int(x)]
        if isinstance(x, float):
            return ["f", float(x)]
        if isinstance(x, complex):
            return ["c", [x.real, x.imag]]
        if isinstance(x, str) and not isinstance(x, enum.Enum):
            return _string(x)
        if isinstance(x, (bytes, bytearray, memoryview)):
            return _bytes(x)
        if isinstance(x, BaseException):
            return ["x", type_name(type(x)), str(x)[:2000]]
        if isinstance(x, (enum.Enum, range, slice)):
            return ["p", type_name(type(x)), repr(x)]
        if isinstance(x, type) or (callable(x) and hasattr(x, "__qualname__")):
            return ["n", type_name(type(x)), getattr(x, "__qualname__", "?")]
        if type(x).__name__ == "module":
            return ["n", "module", getattr(x, "__name__", "?")]
        if id(x) in self.active:
            return ["cycle"]
        self.active.add(id(x))
        try:
            return self._container(x)
        finally:
            self.active.discard(id(x))

    def _container(self, x: Any) -> Any:
        name = type_name(type(x))
        if _is_numpy(x):
            return self._numpy(x, name)
        if isinstance(x, dict):
            items, more = self._many(
                list(x.items()), lambda kv: [self.form(kv[0]), self.form(kv[1])]
            )
            return ["d", name, items, more]
        if isinstance(x, (set, frozenset)):
            items, more = self._many(list(x), self.form)
            items.sort(key=lambda f: json.dumps(f, sort_keys=True, default=str))
            return ["e", name, items, more]
        if isinstance(x, (list, tuple)) or name in ("collections.deque", "array.array"):
            items, more = self._many(list(x), self.form)
            return ["l", name, items, more]
        if type(x).__module__.startswith("pandas.") and hasattr(x, "to_numpy"):
            return ["pd", name, self.form(getattr(x, "index", None)), self.form(x.to_numpy())]
        attrs = _attributes(x)
        if attrs is None:
            return ["p", name, _ADDRESS.sub(" at 0x?", repr(x))[:MAX_STRING]]
        return ["o", name, {k: self.form(v) for k, v in sorted(attrs.items())}]

    def _many(self, values: list[Any], one: Any) -> tuple[list[Any], int]:
        out: list[Any] = []
        for n, value in enumerate(values):
            if self.budget <= 0:
                return out, len(values) - n
            out.append(one(value))
        return out, 0

    def _numpy(self, x: Any, name: str) -> Any:
        shape = list(getattr(x, "shape", ()))
        if not shape and hasattr(x, "item"):
            return self.form(x.item())
        flat = x.ravel()
        n = min(len(flat), max(self.budget, 0))
        self.budget -= n
        values = flat[:n].tolist()
        if str(x.dtype) == "object":
            values = [self.form(v) for v in values]
        return ["a", x.dtype.str, shape, values, len(flat) - n]


def form(x: Any, budget: int = 50000) -> Any:
    return Former(budget).form(x)


def call_form(args: list[Any], kwargs: dict[str, Any], budget: int) -> Any:
    """The form of `[args, kwargs]` with the budget shared out evenly between the arguments,
    so one huge argument does not leave the others unseen."""
    share = max(1000, budget // max(1, len(args) + len(kwargs)))
    positional = [form(a, share) for a in args]
    named = [[form(k), form(v, share)] for k, v in kwargs.items()]
    return [
        "l",
        "builtins.list",
        [["l", "builtins.list", positional, 0], ["d", "builtins.dict", named, 0]],
        0,
    ]


# perturbations -------------------------------------------------------------------------------
def _rebuilt_sequence(old: Any, items: list[Any]) -> Any:
    if isinstance(old, list):
        old[:] = items
        return old
    if hasattr(old, "_make"):
        return old._make(items)
    if type(old).__name__ == "deque":
        old.clear()
        old.extend(items)
        return old
    return type(old)(items)


def _reorder(old: Any, order: list[int]) -> Any:
    if _is_numpy(old):
        return old[order] if len(order) != len(old) else _assign_all(old, old[order])
    if isinstance(old, dict):
        items = list(old.items())
        old.clear()
        old.update([items[i] for i in order])
        return old
    items = list(old)
    return _rebuilt_sequence(old, [items[i] for i in order])


def _assign_all(old: Any, new: Any) -> Any:
    old[...] = new
    return old


def _converted(old: Any, value: Any) -> Any:
    if _is_numpy(old) or isinstance(old, bool):
        return type(old)(value)
    try:
        return type(old)(value)
    except Exception:
        return value


def _leaf(op: dict[str, Any]) -> Any:
    kind = op["op"]
    if kind == "set":
        return lambda old: _converted(old, op["value"])
    order = op["perm"] if kind == "shuffle" else op["keep"]
    return lambda old: _reorder(old, order)


def _update(obj: Any, path: list[Any], change: Any) -> Any:
    if not path:
        return change(obj)
    (kind, key), rest = path[0], path[1:]
    if kind == "i":
        child = obj[key]
        new = _update(child, rest, change)
        if new is child:
            return obj
        if isinstance(obj, list) or _is_numpy(obj):
            obj[key] = new
            return obj
        items = list(obj)
        items[key] = new
        return _rebuilt_sequence(obj, items)
    if kind == "flat":
        obj.flat[key] = change(obj.flat[key].item())
        return obj
    if kind == "v":
        name = list(obj.keys())[key]
        new = _update(obj[name], rest, change)
        obj[name] = new
        return obj
    if kind == "o":
        child = getattr(obj, key)
        new = _update(child, rest, change)
        if new is not child:
            object.__setattr__(obj, key, new)
        return obj
    raise KeyError(f"unknown path step {kind!r}")


def perturb(args: list[Any], kwargs: dict[str, Any], ops: list[dict[str, Any]]) -> None:
    """Apply `ops` to the call's arguments, in place wherever the values are mutable."""
    for op in ops:
        path = op["path"]
        (kind, key), rest = path[0], path[1:]
        if kind == "a":
            args[key] = _update(args[key], rest, _leaf(op))
        else:
            kwargs[key] = _update(kwargs[key], rest, _leaf(op))
