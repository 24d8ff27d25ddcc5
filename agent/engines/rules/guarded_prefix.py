"""Aggregates of a growing prefix of a sequence whose type is not known statically: the
running value is used while the sequence is a list or tuple and every element read so far is
a number of the right kind (checked at run time); otherwise the original rescan runs."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import fresh_name
from agent.engines.rules.prefix import PrefixAggregate
from agent.engines.rules.rewrite import Change, FunctionContext, Site
from agent.engines.rules.typeinfo import elem_of

_NUMBERS = {"max": ("int", "float"), "min": ("int", "float"), "sum": ("int",)}
"""Element types served by the running value: exact ints and floats compare without raising
and are immutable; only ints for `sum` (float sums could round differently)."""


class GuardedPrefixAggregate(PrefixAggregate):
    """`for i in range(len(xs)): ... max(xs[:i + 1]) ...` with `xs` of unknown type ⇒ a
    running value updated with `xs[i]` at the top of the loop body while `xs` is exactly a
    list or tuple and each element is exactly an int or a float (an int for `sum`), and the
    original `max(xs[:i + 1])` once anything else turns up.

    Precondition: that of `prefix-aggregate` (the loop is `for i in range(len(xs))`, `i` and
    `xs` are never rebound, `xs` is never stored into or handed to other code) except that
    the type of `xs` or of its elements is unknown; `type`, `int`, `float`, `list` and
    `tuple` are the builtins. The running value folds exactly as the builtin does.
    """

    id = "prefix-aggregate-guarded"
    title = "keep a running max/min/sum of numbers instead of rescanning a growing prefix"

    def types_ok(self, ctx: FunctionContext, seq: str, kind: str) -> bool:
        if super().types_ok(ctx, seq, kind):
            return False  # known types are `prefix-aggregate`
        t = ctx.env.get(seq)
        if t.kind not in ("list", "tuple", "unknown") or elem_of(t).kind != "unknown":
            return False
        names = ("type", "int", "float", "list", "tuple")
        return all(ctx.scope.builtin(cst.Name(n)) == n for n in names)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        nothing = fresh_name("_NOTHING", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{nothing} = object()\n"))
        made: dict[tuple[int, str, str], tuple[str, str]] = {}
        inits: dict[int, tuple[cst.CSTNode, list[cst.BaseStatement]]] = {}
        updates: dict[int, list[cst.BaseStatement]] = {}
        for site in sites:
            kind, seq, index, loop = site.extra
            key = (id(loop), kind, seq)
            if key not in made:
                var = fresh_name(f"{seq}_{kind}", ctx.module_names)
                fast = fresh_name(f"{seq}_{kind}_numeric", ctx.module_names)
                item = fresh_name(f"{seq}_item", ctx.module_names)
                made[key] = (var, fast)
                served = " or ".join(f"type({item}) is {k}" for k in _NUMBERS[kind])
                if kind == "sum":
                    start, fold = "0", f"{var} += {item}"
                else:
                    op = ">" if kind == "max" else "<"
                    start = nothing
                    fold = (
                        f"if {var} is {nothing} or {item} {op} {var}:\n            {var} = {item}"
                    )
                inits.setdefault(id(loop), (loop, []))[1].extend(
                    cst.parse_module(
                        f"{var} = {start}\n{fast} = type({seq}) is list or type({seq}) is tuple\n"
                    ).body
                )
                updates.setdefault(id(loop), []).append(
                    cst.parse_statement(
                        f"if {fast}:\n    {item} = {seq}[{index}]\n"
                        f"    if {served}:\n        {fold}\n    else:\n        {fast} = False\n"
                    )
                )
            var, fast = made[key]
            change.replace[id(site.node)] = lambda u, var=var, fast=fast: cst.parse_expression(
                f"({var} if {fast} else {cst.Module([]).code_for_node(u)})"
            )
        for loop_id, (loop, new) in inits.items():
            first = loop.body.body[0]  # type: ignore[attr-defined]
            change.insert_before(first, *updates[loop_id])
            change.insert_before(loop, *new)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep {calls} as a running value while the elements are numbers (checked at run "
            "time) instead of rescanning the prefix"
        )
