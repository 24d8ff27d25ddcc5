"""Growing lists of values whose type is not known statically: the running min or max is
kept while every value appended is an int or one other kind of number (float, Fraction or a
finite Decimal), the running sum while they are ints or Fractions (checked at run time), and
the list is kept too, so `max(seen)` still runs as before once any other value turns up."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.growing import RunningMinMax
from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Site
from agent.engines.rules.typeinfo import immutable


class GuardedRunningMinMax(RunningMinMax):
    """`seen.append(x)` then `max(seen)` (or `min`, or `sum(seen)`, `sum(seen, start)`) on
    every iteration, with `x` of unknown type ⇒ a running value kept next to the list while
    every appended value is exactly an int or of one other kind of number, and the original
    call only once some other value was appended.

    Precondition: that of `running-min-max` (a plain local list bound once to `[]` before
    the loop, appended to once per iteration in a statement of its own, every other mention
    an aggregate of it in a later statement of the body) except that the values' type is
    unknown. Ints with floats, with Fractions or with finite Decimals are immutable and
    compare without raising, so `max` over the list equals the fold `if x > best: best = x`
    (which is how `max` itself compares, keeping the first of equal values and treating NaN
    alike). A sum is kept only over ints and Fractions, whose additions are exact and never
    raise, so `sum` equals the running `total + x` in the same order wherever it runs; it
    never runs on floats (`sum` rounds them in its own way since Python 3.12) nor Decimals
    (whose additions round, trap and overflow under the context of the moment), and its
    start is an int literal (evaluated once, where the original evaluates it at every sum).
    """

    id = "running-min-max-guarded"
    title = "keep a running min/max/sum of numbers instead of rescanning a growing list"

    def values_ok(self, ctx: FunctionContext, value: cst.BaseExpression) -> bool:
        if immutable(ctx.env.infer(value)):
            return False  # known types are `running-min-max`
        return all(ctx.scope.builtin(cst.Name(n)) == n for n in ("type", "int", "float"))

    def find(self, ctx: FunctionContext) -> list[Site]:
        return [site for site in super().find(ctx) if self._start(site) is not None]

    def aggregate_of(self, ctx: FunctionContext, parent: cst.CSTNode | None) -> str | None:
        kind = super().aggregate_of(ctx, parent)
        call = ctx.parents.get(id(parent)) if isinstance(parent, cst.Arg) else None
        if kind is not None or not isinstance(call, cst.Call):
            return kind
        if ctx.scope.builtin(call.func) != "sum" or not 1 <= len(call.args) <= 2:
            return None
        first, *rest = call.args
        if first is not parent or first.keyword or first.star:
            return None
        if rest and (rest[0].star or (rest[0].keyword is not None and not _is_start(rest[0]))):
            return None
        return "sum"

    def _start(self, site: Site) -> str | None:
        """The start of the list's sums; None when the sums start differently, or from
        anything but an int literal."""
        sums = [c for c in site.extra[3] if _kind(c) == "sum"]
        starts = {code(c.args[1].value) if len(c.args) > 1 else "0" for c in sums}
        if len(starts) > 1:
            return None
        start = starts.pop() if starts else "0"
        return start if _int_literal(cst.parse_expression(start)) else None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        nothing = fresh_name("_NOTHING", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{nothing} = object()\n"))
        fraction = f"{module_ref(ctx, 'fractions', change)}.Fraction"
        decimal = f"{module_ref(ctx, 'decimal', change)}.Decimal"
        for site in sites:
            name, init, call, calls = site.extra
            start = self._start(site)
            kinds = sorted({_kind(c) for c in calls})
            numbers = [fraction] if "sum" in kinds else ["float", fraction, decimal]
            running = {k: fresh_name(f"{name}_{k}", ctx.module_names) for k in kinds}
            fast, item, kind, family = (
                fresh_name(f"{name}_{part}", ctx.module_names)
                for part in ("numeric", "item", "kind", "family")
            )
            updates = "".join(_update(k, var, item, nothing) for k, var in running.items())
            new = cst.parse_module(
                f"{item} = {code(call.args[0].value)}\n"
                f"{name}.append({item})\n"
                f"if {fast}:\n"
                f"    {kind} = type({item})\n"
                f"    if ({kind} is int or {kind} is {family} or {family} is None and {kind} in "
                f"({', '.join(numbers)},)) and ({kind} is not {decimal} or {item}.is_finite()):\n"
                f"        if {kind} is not int:\n            {family} = {kind}\n{updates}"
                f"    else:\n        {fast} = False\n"
            ).body
            lines = [f"{v} = {start if k == 'sum' else nothing}\n" for k, v in running.items()]
            lines += [f"{fast} = True\n", f"{family} = None\n"]
            begin = [cst.parse_statement(line) for line in lines]
            change.replace[id(init)] = lambda u, begin=begin: cst.FlattenSentinel([u, *begin])
            change.replace[id(site.node)] = lambda u, new=new: cst.FlattenSentinel(
                [new[0].with_changes(leading_lines=u.leading_lines), *new[1:]]
            )
            for c in calls:
                var = running[_kind(c)]
                change.replace[id(c)] = lambda u, var=var, fast=fast: cst.parse_expression(
                    f"({var} if {fast} else {code(u)})"
                )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a running min/max/sum of {names} while the values appended are numbers "
            "instead of rescanning the list"
        )


def _kind(call: cst.Call) -> str:
    return code(call.func)


def _is_start(arg: cst.Arg) -> bool:
    return arg.keyword is not None and arg.keyword.value == "start"


def _update(kind: str, var: str, item: str, nothing: str) -> str:
    if kind == "sum":
        return f"        {var} = {var} + {item}\n"
    op = ">" if kind == "max" else "<"
    return f"        if {var} is {nothing} or {item} {op} {var}:\n            {var} = {item}\n"


def _int_literal(expr: cst.BaseExpression) -> bool:
    """An int literal, or its negation: a start that is evaluated once, before the loop,
    where the original evaluates it at every sum, must be one that cannot raise or round."""
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        expr = expr.expression
    return isinstance(expr, cst.Integer)
