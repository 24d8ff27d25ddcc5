"""Growing lists of values whose type is not known statically: the running min/max is kept
while every value appended is an int or a float (checked at run time), and the list is kept
too, so `max(seen)` still runs as before the first time any other value turns up."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.growing import RunningMinMax
from agent.engines.rules.rewrite import Change, FunctionContext, Site
from agent.engines.rules.typeinfo import immutable


class GuardedRunningMinMax(RunningMinMax):
    """`seen.append(x)` then `max(seen)` (or `min`) on every iteration, with `x` of unknown
    type ⇒ a running maximum kept next to the list while every appended value is exactly an
    int or a float, and `max(seen)` only once some other value was appended.

    Precondition: that of `running-min-max` (a plain local list bound once to `[]` before
    the loop, appended to once per iteration in a statement of its own, every other mention
    `max(seen)`/`min(seen)` in a later statement of the body) except that the values' type
    is unknown. Exact ints and floats are immutable and compare with each other without
    raising, so `max` over the list equals the fold `if x > best: best = x` (which is how
    `max` itself compares, keeping the first of equal values and treating NaN alike); for any
    other value the original call runs on the list, which is still complete.
    """

    id = "running-min-max-guarded"
    title = "keep a running min/max of numbers instead of rescanning a growing list"

    def values_ok(self, ctx: FunctionContext, value: cst.BaseExpression) -> bool:
        if immutable(ctx.env.infer(value)):
            return False  # known types are `running-min-max`
        return all(ctx.scope.builtin(cst.Name(n)) == n for n in ("type", "int", "float"))

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        nothing = fresh_name("_NOTHING", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{nothing} = object()\n"))
        for site in sites:
            name, init, call, calls = site.extra
            kinds = sorted({code(c.func) for c in calls})
            running = {k: fresh_name(f"{name}_{k}", ctx.module_names) for k in kinds}
            fast = fresh_name(f"{name}_numeric", ctx.module_names)
            item = fresh_name(f"{name}_item", ctx.module_names)
            updates = "".join(
                f"        if {var} is {nothing} or {item} {'>' if k == 'max' else '<'} {var}:\n"
                f"            {var} = {item}\n"
                for k, var in running.items()
            )
            new = cst.parse_module(
                f"{item} = {code(call.args[0].value)}\n"
                f"{name}.append({item})\n"
                f"if {fast}:\n"
                f"    if type({item}) is int or type({item}) is float:\n{updates}"
                f"    else:\n        {fast} = False\n"
            ).body
            starts = [cst.parse_statement(f"{var} = {nothing}\n") for var in running.values()]
            starts.append(cst.parse_statement(f"{fast} = True\n"))
            change.replace[id(init)] = lambda u, starts=starts: cst.FlattenSentinel([u, *starts])
            change.replace[id(site.node)] = lambda u, new=new: cst.FlattenSentinel(
                [new[0].with_changes(leading_lines=u.leading_lines), *new[1:]]
            )
            for c in calls:
                var = running[code(c.func)]
                change.replace[id(c)] = lambda u, var=var, fast=fast: cst.parse_expression(
                    f"({var} if {fast} else {code(u)})"
                )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a running min/max of {names} while the values appended are numbers "
            "instead of rescanning the list"
        )
