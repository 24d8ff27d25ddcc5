"""The smallest element taken again and again from a list whose element types are not known
statically (a Dijkstra frontier of `(distance, place)` tuples built from parameters): the
list is kept as a heap while, at run time, every element is a plain number, str or bytes, or a
tuple of those of one shape; the first element that is not turns it back into the list."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, module_helper
from agent.engines.rules.heaps import MinHeap, _is_min, _taken_into
from agent.engines.rules.ordering import family
from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Site
from agent.engines.rules.typeinfo import T

_MAYBE_ORDERED = frozenset({"unknown", "int", "bool", "float", "str", "bytes"})

_HELPER = '''

class {name}:
    """A list that is only appended to, sized, and emptied smallest first (`min` then
    `remove`, or `sort` then `pop(0)`). While every element is an int, bool, float (not NaN),
    str or bytes, or a tuple of those with one kind per position (or of one kind throughout,
    whatever its length: a path of place names), they sit in a heap of (element, arrival)
    pairs: equal elements leave in arrival order, which is the one `min` picks from the list.
    Any other element turns the heap back into that list, in the order the list would have
    (what was there at the last `sort` sorted, then the rest as it arrived), and the list
    answers from then on."""

    __slots__ = ("plain", "heap", "shape", "arrivals", "sorted_upto")

    def __init__(self, items):
        self.plain, self.heap, self.shape, self.arrivals = None, [], None, 0
        self.sorted_upto = 0  # the elements that arrived before the last `sort` call
        for item in items:
            self.append(item)

    @staticmethod
    def shape_of(value, depth=0):
        """0, 1 or 2 for a number, str or bytes (not NaN, not a subclass); for a tuple, the
        shapes of its items position by position, or ("*", kind) when they are all numbers,
        all str or all bytes, which compare whatever their lengths (("*", None) when there
        are none); None for anything else, and for tuples nested deeper than 20."""
        kind = type(value)
        if kind is not tuple:
            if kind is int or kind is bool or (kind is float and value == value):
                return 0
            return 1 if kind is str else 2 if kind is bytes else None
        if depth > 20:
            return None
        shape = []
        for item in value:
            kind = type(item)
            if kind is int or kind is bool or (kind is float and item == item):
                shape.append(0)
            elif kind is str or kind is bytes:
                shape.append(1 if kind is str else 2)
            else:
                part = {name}.shape_of(item, depth + 1) if kind is tuple else None
                if part is None:
                    return None
                shape.append(part)
        if all(type(part) is int for part in shape) and len(set(shape)) <= 1:
            return ("*", shape[0] if shape else None)
        return tuple(shape)

    @staticmethod
    def joined(known, shape):
        """The shape of values of both shapes when any two of them compare; else None."""
        if known == shape:
            return known
        if type(known) is not tuple or type(shape) is not tuple:
            return None
        if known[:1] == ("*",) and shape[:1] == ("*",):
            if known[1] is not None and shape[1] is not None:
                return None
            return shape if known[1] is None else known
        if len(known) != len(shape) or ("*",) in (known[:1], shape[:1]):
            return None
        parts = tuple({name}.joined(a, b) for a, b in zip(known, shape))
        return None if None in parts else parts

    def append(self, value):
        if self.plain is not None:
            self.plain.append(value)
            return
        shape = self.shape_of(value)
        if shape is not None and self.shape is not None:
            shape = self.joined(self.shape, shape)
        if shape is None:  # back to the list, in the order the list would have
            done = sorted(pair for pair in self.heap if pair[1] < self.sorted_upto)
            since = [pair for pair in self.heap if pair[1] >= self.sorted_upto]
            since.sort(key={itemgetter}(1))
            self.plain = [item for item, _ in done + since]
            self.heap = None
            self.plain.append(value)
            return
        self.shape = shape
        {heapq}.heappush(self.heap, (value, self.arrivals))
        self.arrivals += 1

    def take_min(self):
        if self.plain is None and self.heap:
            return {heapq}.heappop(self.heap)[0]
        items = [] if self.plain is None else self.plain
        value = min(items)
        items.remove(value)
        return value

    def take_sorted(self):
        if self.plain is None and self.heap:
            self.sorted_upto = self.arrivals
            return {heapq}.heappop(self.heap)[0]
        items = [] if self.plain is None else self.plain
        items.sort()
        return items.pop(0)

    def __len__(self):
        return len(self.heap) if self.plain is None else len(self.plain)
'''


class GuardedMinHeap(MinHeap):
    """`min-heap` for a list whose elements may be of any type: the list becomes a `_MinList`
    (module doc), which serves `append`, `len`, truth tests and the taking of the smallest
    element from a heap while the elements allow it, and from the list otherwise.

    Precondition: as `min-heap`'s (a plain local bound once, to a list display, `[]` or
    `list(...)`, whose other uses are `append` statements, `len` and truth tests), except
    for the element type: not one `min-heap` already serves, and not known to be something
    the heap would never hold (objects: they would only pay for the wrapper).
    """

    id = "min-heap-guarded"
    title = "take the smallest element from a heap, checked at run time, instead of scanning a list"

    def find(self, ctx: FunctionContext) -> list[Site]:
        # an annotated binding would go on calling the wrapper a list
        return [s for s in super().find(ctx) if isinstance(s.node.body[0], cst.Assign)]

    def elements_ok(self, elem: T) -> bool:
        return family(elem) is None and _maybe_ordered(elem)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        heapq = module_ref(ctx, "heapq", change)
        operator = module_ref(ctx, "operator", change)
        helper = module_helper(
            ctx.module, ctx.module_names, change.constants, "_MinList",
            lambda n: _HELPER.format(name=n, heapq=heapq, itemgetter=f"{operator}.itemgetter").lstrip(),
        )  # fmt: skip
        for site in sites:
            name, takes, _appends = site.extra  # the wrapper appends as the list did
            small = site.node.body[0]
            wrapped = cst.parse_expression(f"{helper}({code(small.value)})")
            change.replace[id(small.value)] = lambda _u, w=wrapped: w
            for first, second in takes:
                how = "take_min" if _is_min(first) else "take_sorted"
                target = _taken_into(first if _is_min(first) else second)
                new = cst.parse_statement(f"{target} = {name}.{how}()\n")
                change.replace[id(first)] = lambda u, new=new: new.with_changes(
                    leading_lines=u.leading_lines
                )
                change.replace[id(second)] = lambda _u: cst.RemoveFromParent()
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep {names} as a heap (heapq) while its elements are plain numbers, strings or "
            "tuples of them (checked as they arrive), instead of scanning it for the smallest"
        )


def _maybe_ordered(t: T | None) -> bool:
    if t is None:
        return True
    if t.kind == "tuple":
        if t.items is not None:
            return all(_maybe_ordered(i) for i in t.items)
        return _maybe_ordered(t.elem)
    return t.kind in _MAYBE_ORDERED
