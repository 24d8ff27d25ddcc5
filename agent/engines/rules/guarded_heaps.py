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
    str or bytes, or a tuple of those with one kind per position, they sit in a heap of
    (element, arrival) pairs: equal elements leave in arrival order, which is the one `min`
    picks from the list. Any other element turns the heap back into that list, in arrival
    order, and the list answers from then on."""

    __slots__ = ("plain", "heap", "shape", "arrivals")

    def __init__(self, items):
        self.plain, self.heap, self.shape, self.arrivals = None, [], None, 0
        for item in items:
            self.append(item)

    @staticmethod
    def shape_of(value, kinds={{int: 0, bool: 0, float: 0, str: 1, bytes: 2}}):
        """0, 1 or 2 for a number, str or bytes (not NaN, not a subclass), a tuple of the
        shapes of a tuple's items, None for anything else."""
        kind = type(value)
        if kind is tuple:
            shape = []
            for item in value:
                part = kinds.get(type(item))
                if part is None:
                    part = {name}.shape_of(item) if type(item) is tuple else None
                    if part is None:
                        return None
                elif item != item:
                    return None
                shape.append(part)
            return tuple(shape)
        part = kinds.get(kind)
        return None if part is None or value != value else part

    def append(self, value):
        if self.plain is not None:
            self.plain.append(value)
            return
        shape = self.shape_of(value)
        if shape is None or (self.shape is not None and shape != self.shape):
            self.heap.sort(key={itemgetter}(1))
            self.plain = [item for item, _ in self.heap]
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
