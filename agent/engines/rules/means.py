"""`statistics.mean` of floats without a Fraction per value.

`statistics.mean` returns the exact sum of its values divided by their count, rounded once
(every Python since 3.8). It gets the exact sum by turning every value into a Fraction, which
makes a mean of a few floats cost as much as a few hundred float operations. `math.fsum`
returns the exact sum rounded once, in C; summing the values again with the negated result
gives what that rounding lost, rounded once, and so on until nothing is left. The few floats
found this way add up to the exact sum, and dividing their integer ratios gives the same
once-rounded mean. Anything other than a non-empty list of finite floats goes to
`statistics.mean` itself."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import walk

_HELPER = '''
def {name}(data):
    """statistics.mean(data), the same float for floats, from a few math.fsum passes:
    each pass gives the exact sum of the values and the negated parts so far, rounded once,
    so the parts end up summing exactly to the values' sum (at most about 40 passes, as
    each part is 2**-53 of the one before or less, and every sum of floats is a whole
    multiple of the smallest float)."""
    values = data if type(data) is list else list(data)
    if not values or set(map(type, values)) != {{float}}:
        return {statistics}.mean(values)
    parts = []
    try:
        part = {math}.fsum(values)
        while part:
            if part - part != 0.0 or len(parts) > 64:  # an inf or a nan among the values
                return {statistics}.mean(values)
            parts.append(-part)
            part = {math}.fsum([*values, *parts])
    except (OverflowError, ValueError):  # an intermediate sum beyond the largest float
        return {statistics}.mean(values)
    ratios = [p.as_integer_ratio() for p in parts]
    common = max([d for _, d in ratios], default=1)  # powers of two: each divides it
    return -sum([n * (common // d) for n, d in ratios]) / (common * len(values))
'''


class ExactMean(Rule):
    """`statistics.mean(xs)` ⇒ a module-level helper that computes the same float for a list
    of floats from `math.fsum` passes and calls `statistics.mean` for anything else.

    Precondition: the call names `statistics.mean` through the module's imports (not a
    local, not a name an enclosing function could bind) and passes one positional argument.
    The argument is evaluated where it was and read once, as `statistics.mean` reads it;
    the helper materializes it as a list first, which reads the same values in the same
    order."""

    id = "exact-mean"
    title = "compute statistics.mean of floats from math.fsum passes"
    adds_helpers = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if ctx.cls is None and "." in ctx.qualname:
            return []  # a nested function: an enclosing one may bind `statistics` or `mean`
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or ctx.scope.dotted(node.func) != "statistics.mean":
                continue
            if len(node.args) != 1 or node.args[0].star or node.args[0].keyword is not None:
                continue
            if code(node.func).split(".")[0] in ctx.scope.locals:
                continue
            sites.append(ctx.site(node, f"`{code(node)}`"))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        statistics = module_ref(ctx, "statistics", change)
        math = module_ref(ctx, "math", change)
        name = _existing(ctx.module, statistics, math) or _added(ctx, statistics, math, change)
        for site in sites:
            call = site.node
            assert isinstance(call, cst.Call)
            new = call.with_changes(func=cst.Name(name))
            change.replace[id(call)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} for lists of floats from a few math.fsum passes (the same "
            "correctly rounded mean, without a Fraction per value)"
        )


def _helper(name: str, statistics: str, math: str) -> str:
    return _HELPER.format(name=name, statistics=statistics, math=math).lstrip("\n")


def _existing(module: cst.Module, statistics: str, math: str) -> str | None:
    """The helper an earlier rewrite of this module added, to call it again."""
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value.startswith("_exact_mean"):
            spelled = module.code_for_node(stmt.with_changes(leading_lines=()))
            if spelled == _helper(stmt.name.value, statistics, math):
                return stmt.name.value
    return None


def _added(ctx: FunctionContext, statistics: str, math: str, change: Change) -> str:
    name = fresh_name("_exact_mean", ctx.module_names)
    helper = cst.parse_statement(_helper(name, statistics, math))
    change.constants.append(helper.with_changes(leading_lines=[cst.EmptyLine()] * 2))
    return name
