"""A growing list sorted again and again (`sorted(xs)` or `statistics.median(xs)` in a loop that
appends to `xs`) gets a sorted twin, kept up to date with `bisect.insort` at each append; each
`sorted(xs)` becomes a copy of the twin (linear, where sorting again costs n log n
comparisons), each median takes the twin, already in order."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.attr_values import built_family
from agent.engines.rules.edits import fresh_name
from agent.engines.rules.growing import sole_argument_of
from agent.engines.rules.list_uses import inside, list_init, method_call, read_only, uses_of
from agent.engines.rules.ordering import family
from agent.engines.rules.places import enclosing_loops, module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names
from agent.engines.rules.typeinfo import elem_of


class SortedShadow(Rule):
    """`xs = []`, `xs.append(v)` statements, and `sorted(xs)` inside a loop ⇒ `xs_sorted =
    []` after `xs = []`, `bisect.insort(xs_sorted, xs[-1])` after every append, and
    `xs_sorted[:]` for every `sorted(xs)`, `statistics.median(xs_sorted)` for every
    `statistics.median(xs)` (`median_low`, `median_high` likewise). `xs` itself is left as it
    was.

    Precondition: `xs` is a plain local (no nested scope sees it, no global declares it)
    bound once, to `[]`; every change to it is an `xs.append(v)` statement on its own line
    in a block, and every other use only reads it (`len`, iteration, indexing, `in`,
    builtins that do not keep it, returning it), so it never escapes to code that could
    change it and the twin always holds its elements in sorted order; `sorted` is the
    builtin, called with `xs` alone; the elements compare without raising and in one
    strict weak order: the list's element type is of one order family (`ordering.family`:
    ints and bools, strs or bytes, or tuples of those; not None nor a union such as `int |
    str`, whose members do not compare: `insort` at an append would raise where no
    `sorted(xs)` might follow), or every appended value is built as one family (`ordering.py`:
    int literals, `int()`, `len()`, str literals, tuples of those, objects of a repository
    class whose `__lt__` compares constant attributes). `insort` puts a new element after
    its equals, as a stable sort keeps equal elements in the order they were appended, so
    the copy is exactly the list `sorted(xs)` returns (the same objects in the same order).
    At least one `sorted(xs)` is inside a loop (elsewhere there is nothing to gain).
    """

    id = "sorted-shadow"
    title = "keep a sorted twin of a growing list instead of sorting it again"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for name in sorted(bound_names(ctx.fn)):
            init = list_init(ctx, name)
            if init is None:
                continue
            found = self._uses(ctx, name, init)
            if found is not None:
                sites.append(ctx.site(init, f"`{name}`", extra=(init, name, *found)))
        return sites

    def _uses(
        self, ctx: FunctionContext, name: str, init: cst.CSTNode
    ) -> tuple[list[cst.SimpleStatementLine], list[cst.Call]] | None:
        appends: list[cst.SimpleStatementLine] = []
        sorts: list[cst.Call] = []
        for n, parent in uses_of(ctx, name):
            if inside(init, n):
                continue
            meth = method_call(ctx, n, parent)
            if meth == "append":
                line = _append_line(ctx, parent)
                if line is None:
                    return None
                appends.append(line)
                continue
            call = self.sort_call(ctx, parent)
            if call is not None:
                sorts.append(call)
                continue
            if meth is not None or not read_only(ctx, n, parent):
                return None
        if not appends or not any(enclosing_loops(ctx, c) for c in sorts):
            return None
        return (appends, sorts) if self.order_ok(ctx, name, appends, sorts) else None

    def sort_call(self, ctx: FunctionContext, parent: cst.CSTNode | None) -> cst.Call | None:
        """The `sorted(...)` or `statistics.median(...)` call this rule serves whose argument
        is `parent`."""
        return _sorted_call(ctx, parent) or median_call(ctx, parent)

    def order_ok(
        self,
        ctx: FunctionContext,
        name: str,
        appends: list[cst.SimpleStatementLine],
        sorts: list[cst.Call],
    ) -> bool:
        return _one_order(ctx, name, appends)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        for site in sites:
            init, name, appends, sorts = site.extra
            twin = fresh_name(f"{name}_sorted", ctx.module_names)
            start = cst.parse_statement(f"{twin} = []\n")
            change.replace[id(init)] = lambda u, s=start: cst.FlattenSentinel([u, s])
            keep = cst.parse_statement(f"{bisect}.insort({twin}, {name}[-1])\n")
            for line in appends:
                change.replace[id(line)] = lambda u, k=keep: cst.FlattenSentinel([u, k])
            copy = cst.parse_expression(f"{twin}[:]")
            for call in sorts:
                if _sorted_call(ctx, call.args[0]) is None:  # a median: it sorts its argument
                    change.replace[id(call)] = lambda u, t=twin: on_twin(u, t)
                else:
                    change.replace[id(call)] = lambda _u, c=copy: c
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a sorted twin of {names} up to date with bisect.insort at each append and "
            "copy it instead of sorting the whole list again"
        )


def _append_line(ctx: FunctionContext, attr: cst.CSTNode | None) -> cst.SimpleStatementLine | None:
    """The statement line `xs.append(v)` (alone on its line, in a block), or None."""
    call = ctx.parents.get(id(attr))
    expr = ctx.parents.get(id(call))
    line = ctx.parents.get(id(expr))
    if not (
        isinstance(call, cst.Call)
        and isinstance(expr, cst.Expr)
        and isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
        and isinstance(ctx.parents.get(id(line)), cst.IndentedBlock)
        and len(call.args) == 1
        and not call.args[0].keyword
        and not call.args[0].star
    ):
        return None
    return line


def _sorted_call(ctx: FunctionContext, parent: cst.CSTNode | None) -> cst.Call | None:
    """`sorted(xs)` (the builtin, `xs` its only argument) when `parent` is its argument."""
    found = sole_argument_of(ctx, parent)
    return found[0] if found is not None and found[1] == "sorted" else None


MEDIANS = frozenset({"statistics.median", "statistics.median_low", "statistics.median_high"})
"""Each sorts its argument first (`sorted(data)`) and reads the middle of that: given the
twin, which is already `sorted(xs)`, the sort keeps it as it is (a check of n - 1
comparisons) and the same elements are read."""


def median_call(ctx: FunctionContext, parent: cst.CSTNode | None) -> cst.Call | None:
    """`statistics.median(xs)` (or `median_low`, `median_high`; `xs` its only argument) when
    `parent` is its argument."""
    call = ctx.parents.get(id(parent)) if isinstance(parent, cst.Arg) else None
    if not isinstance(call, cst.Call) or len(call.args) != 1 or call.args[0] is not parent:
        return None
    if parent.keyword or parent.star:
        return None
    return call if ctx.scope.dotted(call.func) in MEDIANS else None


def on_twin(call: cst.Call, twin: str) -> cst.Call:
    """The median call with the twin (an expression) as its argument."""
    return call.with_changes(args=[call.args[0].with_changes(value=cst.parse_expression(twin))])


def _one_order(ctx: FunctionContext, name: str, appends: list[cst.SimpleStatementLine]) -> bool:
    """The elements are of one order family (see the precondition)."""
    t = ctx.env.names.get(name)
    if t is not None and t.kind == "list" and family(elem_of(t)) is not None:
        return True
    families = set()
    for line in appends:
        call = line.body[0].value  # type: ignore[attr-defined]
        families.add(built_family(ctx.scope, call.args[0].value))
    return len(families) == 1 and None not in families
