"""A growing list sorted again and again whose values' order is not known statically (or that
is sorted with `reverse=True`): a sorted twin is kept while every appended value is exactly an
int or a float that is not NaN (checked at run time), and the list itself is kept too, so the
original `sorted(...)` runs as before from the first other value on."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.growing import sole_argument_of
from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Site
from agent.engines.rules.shadow_sorted import SortedShadow, _one_order, median_call, on_twin


class GuardedSortedShadow(SortedShadow):
    """`xs = []`, `xs.append(v)` statements, and `sorted(xs)` (or every one of them
    `sorted(xs, reverse=True)`) inside a loop, with values of unknown order ⇒ a twin
    `xs_sorted`, kept sorted with `bisect` after each append while every value appended is
    exactly an int or a float other than NaN, set to None at the first other value; each
    `sorted(xs)` becomes `(xs_sorted[:] if xs_sorted is not None else sorted(xs))`, each
    `sorted(xs, reverse=True)` `xs_sorted[::-1]` (likewise guarded), each
    `statistics.median(xs)` `statistics.median(xs_sorted if xs_sorted is not None else xs)`.

    Precondition: that of `sorted-shadow` for the list (a plain local bound once to `[]`,
    changed only by `xs.append(v)` statements, otherwise only read, so it never escapes and
    the twin always holds its elements) except the element order, which is checked at run
    time: exact ints and non-NaN floats compare with each other without raising, in one total
    order, by value, with no code of their own. Equal values (`1`, `1.0`, `-0.0`, `0.0`) keep
    the order a stable sort gives them: `insort` puts a new value after its equals, as
    `sorted` keeps equal values in append order; for `reverse=True`, which also keeps equal
    values in append order, the twin is kept with `insort_left` (a new value before its
    equals) and read backwards. All the calls of one list sort in the same direction. When
    any other value is appended, the twin is dropped for good and the original call runs on
    the list, which is still complete, and raises, if at all, as before. Lists whose values
    are known to be of one order family without `reverse` are `sorted-shadow`.
    """

    id = "sorted-shadow-guarded"
    title = "keep a sorted twin of a growing list of numbers instead of sorting it again"

    def sort_call(self, ctx: FunctionContext, parent: cst.CSTNode | None) -> cst.Call | None:
        median = median_call(ctx, parent)
        if median is not None:
            return median
        found = sole_argument_of(ctx, parent)
        if found is not None:
            return found[0] if found[1] == "sorted" else None
        call = ctx.parents.get(id(parent)) if isinstance(parent, cst.Arg) else None
        if not isinstance(call, cst.Call) or ctx.scope.builtin(call.func) != "sorted":
            return None
        if len(call.args) != 2 or call.args[0] is not parent or parent.keyword or parent.star:
            return None
        flag = call.args[1]
        if flag.keyword is None or flag.keyword.value != "reverse" or flag.star:
            return None
        return call if isinstance(flag.value, cst.Name) and flag.value.value == "True" else None

    def order_ok(
        self,
        ctx: FunctionContext,
        name: str,
        appends: list[cst.SimpleStatementLine],
        sorts: list[cst.Call],
    ) -> bool:
        kinds = {len(c.args) for c in sorts}
        if len(kinds) != 1:
            return False  # both directions: one twin cannot serve both
        if kinds == {1} and _one_order(ctx, name, appends):
            return False  # `sorted-shadow`
        return all(ctx.scope.builtin(cst.Name(n)) == n for n in ("type", "int", "float"))

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        for site in sites:
            init, name, appends, sorts = site.extra
            backwards = len(sorts[0].args) == 2
            twin = fresh_name(f"{name}_sorted", ctx.module_names)
            start = cst.parse_statement(f"{twin} = []\n")
            change.replace[id(init)] = lambda u, s=start: cst.FlattenSentinel([u, s])
            insort = f"{bisect}.insort_left" if backwards else f"{bisect}.insort"
            item = f"{name}[-1]"
            keep = cst.parse_statement(
                f"if {twin} is not None:\n"
                f"    if (type({item}) is int or type({item}) is float) and {item} == {item}:\n"
                f"        {insort}({twin}, {item})\n"
                f"    else:\n"
                f"        {twin} = None\n"
            )
            for line in appends:
                change.replace[id(line)] = lambda u, k=keep: cst.FlattenSentinel([u, k])
            read = f"{twin}[::-1]" if backwards else f"{twin}[:]"
            for call in sorts:
                if median_call(ctx, call.args[0]) is not None:
                    either = f"{twin} if {twin} is not None else {name}"
                    change.replace[id(call)] = lambda u, e=either: on_twin(u, e)
                    continue
                change.replace[id(call)] = lambda u, read=read, twin=twin: cst.parse_expression(
                    f"({read} if {twin} is not None else {code(u)})"
                )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a sorted twin of {names} with bisect at each append while the values are "
            "numbers, and copy it instead of sorting the whole list again"
        )
