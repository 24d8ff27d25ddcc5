"""Type-aware comparison of normal forms (`profilers/capture_forms.py`), on the host.

Containers compare recursively; floats exactly, except at the places where the base itself
gave two different values for the same call (there, within a margin of that variation); numpy
arrays by dtype, shape and values; exceptions by type and message; dicts by key, in order
only for ordered-dict types; sets as sets. Object identity never enters a normal form. With
`lenient`, an object on the head side may carry attributes the base's lacks (a cache the head
keeps on an argument), never different values for the base's own attributes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Path = tuple[str, ...]
ORDERED_DICTS = frozenset({"collections.OrderedDict"})


@dataclass(frozen=True)
class Difference:
    path: str
    """Where inside the value, e.g. `[2].qty` (empty: the value itself)."""
    base: Any
    head: Any


CUT = ["more"]
"""The form of a value past the node budget (`profilers.capture_forms`)."""


def _key(form: Any) -> str:
    return json.dumps(form, sort_keys=True, default=str)


def _floats_equal(a: Any, b: Any, margin: float | None) -> bool:
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return bool(a == b)
    if math.isnan(a) and math.isnan(b):
        return True
    if margin is None:
        return a == b
    return abs(a - b) <= margin


class Comparer:
    def __init__(self, margins: Mapping[Path, float], lenient: bool) -> None:
        self.margins = margins
        self.lenient = lenient

    def first(self, a: Any, b: Any, path: Path = ()) -> Difference | None:
        if a is None or b is None or not isinstance(a, list) or not isinstance(b, list):
            return None if a == b else Difference(_shown(path), a, b)
        if a == CUT or b == CUT:
            return None  # past a side's node budget: nothing to compare there
        if not a or not b or a[0] != b[0]:
            return Difference(_shown(path), a, b)
        tag = a[0]
        if tag == "f":
            ok = _floats_equal(a[1], b[1], self.margins.get(path))
            return None if ok else Difference(_shown(path), a, b)
        if tag == "c":
            return self._pairs(a[1], b[1], path, ("real", "imag"))
        if tag == "l":
            return self._sequence(a, b, path)
        if tag == "d":
            return self._mapping(a, b, path)
        if tag == "e":
            if a[3] or b[3]:  # cut by a node budget: which members were formed is arbitrary
                same = a[1] == b[1] and len(a[2]) + a[3] == len(b[2]) + b[3]
                return None if same else Difference(_shown(path), a, b)
            same = a[1] == b[1] and sorted(map(_key, a[2])) == sorted(map(_key, b[2]))
            return None if same else Difference(_shown(path), a, b)
        if tag == "o":
            return self._object(a, b, path)
        if tag == "a":
            return self._array(a, b, path)
        if tag == "pd":
            return self.first(a[2], b[2], (*path, ".index")) or self.first(a[3], b[3], path)
        if tag == "i":
            return None if a[1] == b[1] else Difference(_shown(path), a, b)
        return None if a == b else Difference(_shown(path), a, b)

    def _pairs(self, xs: list[Any], ys: list[Any], path: Path, names: tuple[str, ...]) -> Any:
        for name, x, y in zip(names, xs, ys, strict=False):
            if not _floats_equal(x, y, self.margins.get((*path, name))):
                return Difference(_shown(path), xs, ys)
        return None

    def _sequence(self, a: list[Any], b: list[Any], path: Path) -> Difference | None:
        # Each side may have been cut at a different point (its node budget): the lengths
        # must agree, the items only as far as both sides were formed.
        if a[1] != b[1] or len(a[2]) + a[3] != len(b[2]) + b[3]:
            return Difference(_shown(path), a, b)
        for n, (x, y) in enumerate(zip(a[2], b[2], strict=False)):
            found = self.first(x, y, (*path, f"[{n}]"))
            if found:
                return found
        return None

    def _mapping(self, a: list[Any], b: list[Any], path: Path) -> Difference | None:
        if a[1] != b[1] or len(a[2]) + a[3] != len(b[2]) + b[3]:
            return Difference(_shown(path), a, b)
        cut = bool(a[3] or b[3])  # a side past its node budget: compare what both formed
        common = min(len(a[2]), len(b[2]))
        mine, ours = [_key(k) for k, _ in a[2]], [_key(k) for k, _ in b[2]]
        if a[1] in ORDERED_DICTS and mine[:common] != ours[:common]:
            return Difference(_shown(path), a, b)
        theirs = {_key(k): v for k, v in b[2]}
        for k, v in a[2]:
            step = f"[{render(k, 40)}]"
            if _key(k) not in theirs:
                if cut:
                    continue
                return Difference(_shown((*path, step)), v, None)
            found = self.first(v, theirs[_key(k)], (*path, step))
            if found:
                return found
        return None

    def _object(self, a: list[Any], b: list[Any], path: Path) -> Difference | None:
        if a[1] != b[1]:
            return Difference(_shown(path), a, b)
        mine, theirs = a[2], b[2]
        if not self.lenient and set(mine) != set(theirs):
            return Difference(_shown(path), a, b)
        for name, value in mine.items():
            if name not in theirs:
                return Difference(_shown((*path, f".{name}")), value, None)
            found = self.first(value, theirs[name], (*path, f".{name}"))
            if found:
                return found
        return None

    def _array(self, a: list[Any], b: list[Any], path: Path) -> Difference | None:
        if a[1] != b[1] or a[2] != b[2] or len(a[3]) != len(b[3]) or a[4] != b[4]:
            return Difference(_shown(path), a, b)
        for n, (x, y) in enumerate(zip(a[3], b[3], strict=True)):
            step = (*path, f"[{n}]")
            if isinstance(x, list) or isinstance(y, list):
                found = self.first(x, y, step)
                if found:
                    return found
            elif not _floats_equal(x, y, self.margins.get(step)):
                return Difference(_shown(step), x, y)
        return None


def first_difference(
    base: Any, head: Any, margins: Mapping[Path, float] | None = None, *, lenient: bool = False
) -> Difference | None:
    """Where `head` first differs from `base`, or None when they are the same value."""
    return Comparer(margins or {}, lenient).first(base, head)


def variation(first: Any, second: Any) -> dict[Path, float] | None:
    """Margins for the floats that differ between two base forms of one value; None when
    anything other than a float differs (the base is not repeatable there: not comparable)."""
    margins: dict[Path, float] = {}
    return margins if _vary(first, second, (), margins) else None


def _margin(x: Any, y: Any, path: Path, margins: dict[Path, float]) -> bool:
    if _floats_equal(x, y, None):
        return True
    if not isinstance(x, float) or not isinstance(y, float) or math.isnan(x) or math.isnan(y):
        return False
    margins[path] = max(4 * abs(x - y), 1e-12 * max(abs(x), abs(y)))
    return True


def _vary(a: Any, b: Any, path: Path, margins: dict[Path, float]) -> bool:
    if not isinstance(a, list) or not isinstance(b, list) or not a or not b or a[0] != b[0]:
        return bool(a == b)
    tag = a[0]
    if tag == "f":
        return _margin(a[1], b[1], path, margins)
    if tag == "c":
        return all(
            _margin(x, y, (*path, n), margins)
            for n, x, y in zip(("real", "imag"), a[1], b[1], strict=False)
        )
    if tag in ("l", "a"):
        values = 2 if tag == "l" else 3
        if a[1:values] != b[1:values] or len(a[values]) != len(b[values]) or a[-1] != b[-1]:
            return False
        return all(
            _vary(x, y, (*path, f"[{n}]"), margins)
            if isinstance(x, list) or tag == "l"
            else _margin(x, y, (*path, f"[{n}]"), margins)
            for n, (x, y) in enumerate(zip(a[values], b[values], strict=True))
        )
    if tag == "d":
        theirs = {_key(k): v for k, v in b[2]}
        if a[1] != b[1] or a[3] != b[3] or set(theirs) != {_key(k) for k, _ in a[2]}:
            return False
        return all(
            _vary(v, theirs[_key(k)], (*path, f"[{render(k, 40)}]"), margins) for k, v in a[2]
        )
    if tag == "o":
        if a[1] != b[1] or set(a[2]) != set(b[2]):
            return False
        return all(_vary(v, b[2][k], (*path, f".{k}"), margins) for k, v in a[2].items())
    if tag == "pd":
        return _vary(a[2], b[2], (*path, ".index"), margins) and _vary(a[3], b[3], path, margins)
    return bool(a == b)


def _shown(path: Path) -> str:
    return "".join(path)


def render(form: Any, limit: int = 300) -> str:
    """A normal form as Python-looking text, cut to `limit` characters."""
    text = _render(form, limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _render(f: Any, limit: int) -> str:
    if not isinstance(f, list) or not f:
        return repr(f)
    tag = f[0]
    if tag in ("b", "i", "f"):
        return repr(f[1])
    if tag == "s":
        return repr(f[1]) + (f"…({f[2]} chars)" if len(f) > 2 else "")
    if tag == "l":
        total = len(f[2]) + f[3]
        inner = ", ".join(_render(x, limit) for x in f[2][:4])
        if total > 4:
            inner += f", … {total} items"
        return {"builtins.list": f"[{inner}]", "builtins.tuple": f"({inner})"}.get(
            f[1], f"{_short(f[1])}([{inner}])"
        )
    if tag == "d":
        total = len(f[2]) + f[3]
        inner = ", ".join(f"{_render(k, limit)}: {_render(v, limit)}" for k, v in f[2][:4])
        return "{" + inner + (f", … {total} items" if total > 4 else "") + "}"
    if tag == "e":
        total = len(f[2]) + f[3]
        inner = ", ".join(_render(x, limit) for x in f[2][:4])
        return "{" + inner + (f", … {total} items" if total > 4 else "") + "}"
    if tag == "o":
        inner = ", ".join(f"{k}={_render(v, limit)}" for k, v in list(f[2].items())[:12])
        return f"{_short(f[1])}({inner})"
    if tag == "x":
        return f"{_short(f[1])}({f[2]!r})"
    if tag == "a":
        return f"array({f[3][:20]}{'…' if f[4] or len(f[3]) > 20 else ''}, dtype={f[1]})"
    if tag in ("p", "n"):
        return str(f[2])
    return repr(f)
