"""A private list attribute that one method appends to and others sort before reading,
where what is appended comes from callers (`push(self, ticket)`), so its kind is known only
from an annotation: the list stays the very same list, but while every element is, checked
at run time, of that kind, it knows how much of itself the last sort left in order, and a
sort only puts the elements added since into place."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.attr_uses import Use
from agent.engines.rules.attr_values import built_family
from agent.engines.rules.edits import code, module_helper
from agent.engines.rules.ordering import order_family
from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.sorted_attr import (
    Plan,
    class_uses,
    instance_param,
    proven_sorted,
    sorted_or_scanned,
)
from agent.engines.rules.typeinfo import annotation_type, elem_of

_HELPER = '''

class {name}(list):
    """The list itself, element for element, at every moment. While each element added
    passes one check as it arrives ({what}), its first `done` elements
    are in the order its last sort left them, so a sort only puts the ones added since into
    place (`bisect.insort`, each after its equals, in arrival order: what a stable sort
    gives) instead of comparing its way through the whole list again."""

    __slots__ = ("kept", "done")

    def __init__(self):
        super().__init__()
        self.kept, self.done = True, 0

    def add(self, value):
        self.append(value)
        if self.kept and not ({test}):
            self.kept = False

    def sort_now(self):
        if not self.kept:
            self.sort()
            return
        added = self[self.done :]
        del self[self.done :]
        placed = 0
        try:
            for value in added:
                {bisect}.insort(self, value)
                placed += 1
        except BaseException:
            self.undo(added, placed)
            self.sort()  # raises as the original sort does, on the list it had
        self.done = len(self)

    def undo(self, added, placed):
        """Back to the list before the sort: what was placed comes out (each the last of its
        identity: an element goes in after its equals), and all is added again."""
        for value in reversed(added[:placed]):
            at = len(self) - 1
            while self[at] is not value:
                at -= 1
            del self[at]
        self.extend(added)
        self.kept = False

    def take(self, *where):
        size = len(self)
        value = self.pop(*where)
        self.taken({index}(where[0]) if where else size - 1, size)
        return value

    def forget(self, where):
        size = len(self)
        del self[where]
        self.taken({index}(where), size)

    def taken(self, at, size):
        if (at + size if at < 0 else at) < self.done:
            self.done -= 1

    def take_equal(self, value):
        try:
            at = self.index(value)
        except ValueError:
            raise ValueError("list.remove(x): x not in list") from None
        del self[at]
        if at < self.done:
            self.done -= 1

    def clear_all(self):
        self.clear()
        self.kept, self.done = True, 0

    def least(self):
        if self.kept and self and self.done == len(self):
            return self[0]
        return min(self)

    def greatest(self):
        if self.kept and self and self.done == len(self):
            return self[{bisect}.bisect_left(self, self[-1])]
        return max(self)
'''
_SCALARS = {"num": ("int", "bool"), "str": ("str",), "bytes": ("bytes",)}


class GuardedSortedAttribute(Rule):
    """`sorted-attribute` for elements whose kind no code shows, only an annotation (of the
    list, `self._items: list[Ticket] = []`, or of the appended parameter, `ticket: Ticket`),
    or where a read after a sort calls code that might append (`agent.can_take(ticket)`).
    The list becomes a list subclass holding the same elements in the same order at every
    moment: appends append, removals remove. While every element added is exactly of the
    kind (`type(v) is Ticket`, or an exact int, str, bytes or tuple of them, checked as it
    arrives), the list counts how many of its first elements are in the order its last sort
    left them, and a sort inserts the elements added since into that part (`bisect.insort`,
    each after its equals, in arrival order: what a stable sort of the whole list gives)
    instead of comparing its way through all of it; `min`/`max` of a fully sorted list read
    its ends. After an element of another kind, every sort is the original sort.

    Precondition: as `sorted-attribute`'s for the attribute and its uses (private to the
    class and confined to its methods, never escaping, only the kinds of use `attr_uses`
    knows, a `del` only of one element), except that reads need not follow a sort; the kind
    comes from the appended values or the annotations, agrees among them, and has a fixed
    total order (`ordering.py`: a class's key reads only attributes set once in `__init__`);
    a class's name means that class at the top level of the module (defined or imported
    there, not only for type checkers). Not used where `sorted-attribute` applies.
    """

    id = "sorted-attribute-guarded"
    title = "sort a list attribute by inserting only what was added since its last sort"

    def find(self, ctx: FunctionContext) -> list[Site]:
        cls = ctx.parents.get(id(ctx.parents.get(id(ctx.fn))))
        me = instance_param(ctx.fn)
        if not isinstance(cls, cst.ClassDef) or ctx.cls is None or me is None:
            return []
        sites = []
        for attr in sorted(sorted_or_scanned(ctx, me)):
            found = _plan(ctx, cls, attr)
            if found is not None:
                init = found[0].of("init")[0]
                sites.append(ctx.site(init.node, f"`{me}.{attr}`", extra=found))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        index = f"{module_ref(ctx, 'operator', change)}.index"
        for site in sites:
            plan, test, what = site.extra

            def text_of(name: str, test: str = test, what: str = what) -> str:
                return _HELPER.format(
                    name=name, test=test, what=what, bisect=bisect, index=index
                ).lstrip()

            helper = module_helper(
                ctx.module, ctx.module_names, change.constants, "_KeptSorted", text_of
            )
            _rewrite_uses(ctx, plan, helper, change)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"make each sort of {names} only insert the elements added since the last sort "
            "(bisect.insort into the part already in order, while every element is of the "
            "annotated kind, checked as it arrives) instead of sorting the whole list again"
        )


def _plan(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> tuple[Plan, str, str] | None:
    """The uses, the run-time test of an element (over `value`) and its words."""
    found = class_uses(ctx, cls, attr)
    if found is None or proven_sorted(ctx, cls, *found):
        return None  # `sorted-attribute` serves it without a check
    plan, scopes = found
    known = {built_family(scopes[id(u.method)], _appended(u)) for u in plan.of("append")}
    families = (known - {None}) | (_hinted(ctx, plan, cls.name.value) if None in known else set())
    if len(families) != 1 or any(_deleted(ctx, u) is False for u in plan.of("pop")):
        return None
    family = families.pop()
    test = None if family is None else _test(ctx, family, "value")
    return None if test is None else (plan, test, _words(family))  # type: ignore[arg-type]


def _appended(use: Use) -> cst.BaseExpression:
    call = use.node.body[0].value  # type: ignore[attr-defined]
    return call.args[0].value


def _hinted(ctx: FunctionContext, plan: Plan, cls: str) -> set[str | None]:
    """The order families the annotations promise: of the list's elements, and of each
    appended parameter (None for an annotation without a fixed order, or none at all)."""
    out: set[str | None] = set()
    declared = ctx.project.fields.get(f"{cls}.{plan.attr}")
    if declared is not None:
        out.add(order_family(ctx.project, elem_of(declared)) if declared.kind == "list" else None)
    for use in plan.of("append"):
        value = _appended(use)
        if not isinstance(value, cst.Name):
            continue
        params = use.method.params
        param = next((p for p in params.params if p.name.value == value.value), None)
        if param is not None and param.annotation is not None:
            t = annotation_type(param.annotation.annotation)
            out.add(order_family(ctx.project, t))
    if not out:
        out.add(None)
    return out


def _test(ctx: FunctionContext, family: str, value: str, depth: int = 0) -> str | None:
    """A check that `value` is exactly of `family` (so it orders as the family does)."""
    if family in _SCALARS:
        kinds = _SCALARS[family]
        return " or ".join(f"type({value}) is {k}" for k in kinds)
    if family.startswith("obj:"):
        name = family[4:]
        return f"type({value}) is {name}" if _module_class(ctx, name) else None
    if not family.startswith("(") or depth > 2:
        return None
    inner = family[1:-1]
    item = f"item{depth}"
    if inner.endswith("...") and "," not in inner:
        part = _test(ctx, inner[:-3], item, depth + 1)
        return (
            None
            if part is None
            else (f"type({value}) is tuple and all({part} for {item} in {value})")
        )
    parts = _split_families(inner)
    tests = [_test(ctx, f, f"{value}[{i}]", depth + 1) for i, f in enumerate(parts)]
    if None in tests:
        return None
    each = " and ".join(f"({t})" for t in tests)
    return f"type({value}) is tuple and len({value}) == {len(parts)} and {each}"


def _split_families(inner: str) -> list[str]:
    """ "num,(str,num),str" -> ["num", "(str,num)", "str"]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


def _module_class(ctx: FunctionContext, name: str) -> bool:
    """`name`, read at the top level of the module, is the repository class `name`."""
    found = ctx.project.lookup(ctx.path, name)
    known = ctx.project.classes.get(name)
    if found is None or known is None or not isinstance(found[1], cst.ClassDef):
        return False
    return found[1] is known[1] and found[0] == known[0]


def _words(family: str) -> str:
    if family.startswith("obj:"):
        return f"exactly a `{family[4:]}`"
    return {"num": "an exact int", "str": "an exact str", "bytes": "exact bytes"}.get(
        family, "a tuple of exact ints, strs or bytes of one shape"
    )


def _deleted(ctx: FunctionContext, use: Use) -> cst.Del | bool | None:
    """For a "pop" use: the `del xs[i]` statement it is (False when that statement deletes
    more than `xs[i]`), or None for a `.pop(...)` call."""
    sub = ctx.parents.get(id(use.node))
    if not isinstance(sub, cst.Subscript):
        return None
    stmt = ctx.parents.get(id(sub))
    return stmt if isinstance(stmt, cst.Del) and stmt.target is sub else False


_RENAMED = {"append": "add", "sort": "sort_now"}
_METHODS = {"pop": "take", "remove": "take_equal", "clear": "clear_all"}


def _rewrite_uses(ctx: FunctionContext, plan: Plan, helper: str, change: Change) -> None:
    """Each use in terms of the helper's methods: the list is made a helper, appends `add`,
    sorts `sort_now`, removals keep its count of sorted elements, `min`/`max` may read it."""
    init = plan.of("init")[0].node
    small = init.body[0]  # type: ignore[attr-defined]
    change.replace[id(small.value)] = lambda _u: cst.parse_expression(f"{helper}()")
    for use in plan.uses:
        if use.kind in _RENAMED:
            call = use.node.body[0].value  # type: ignore[attr-defined]
            name = cst.Name(_RENAMED[use.kind])
            change.replace[id(call.func.attr)] = lambda _u, n=name: n
        elif use.kind in _METHODS:
            gone = _deleted(ctx, use) if use.kind == "pop" else None
            if isinstance(gone, cst.Del):
                sub = gone.target
                assert isinstance(sub, cst.Subscript)
                at = code(cst.ensure_type(sub.slice[0].slice, cst.Index).value)
                call = cst.parse_expression(f"{code(sub.value)}.forget({at})")
                change.replace[id(gone)] = lambda _u, c=call: cst.Expr(c)
                continue
            method = ctx.parents.get(id(use.node))
            assert isinstance(method, cst.Attribute)
            name = cst.Name(_METHODS[use.kind])
            change.replace[id(method.attr)] = lambda _u, n=name: n
        elif use.kind in ("min", "max"):
            call = use.node
            assert isinstance(call, cst.Call)
            how = "least" if use.kind == "min" else "greatest"
            text = f"{code(call.args[0].value)}.{how}()"
            change.replace[id(call)] = lambda _u, t=text: cst.parse_expression(t)
