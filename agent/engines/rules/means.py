"""`statistics.mean` of floats without a Fraction per value.

`statistics.mean` returns the exact sum of its values divided by their count, rounded once
(every Python since 3.8). It gets the exact sum by turning every value into a Fraction, which
makes a mean of a few floats cost as much as a few hundred float operations. `math.fsum`
returns the exact sum rounded once, in C; summing the values again with the negated result
gives what that rounding lost, rounded once, and so on until nothing is left. The few floats
found this way add up to the exact sum, and dividing their integer ratios gives the same
once-rounded mean.

The call keeps naming the function it named (`statistics.mean`, `mean`, `avg`): the helper
gets that function and calls it for anything but a list, tuple or generator of floats, and
whenever it is not `statistics.mean` itself (rebound, patched by a test), so what the name
means at run time decides, as it did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst

from agent.engines.rules.edits import code, module_helper
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, walk

_HELPER = '''
def {name}(
    fn,
    data,
    _real=__import__("statistics").mean,
    _fsum=__import__("math").fsum,
    _chain=__import__("itertools").chain,
    _generator=__import__("types").GeneratorType,
):
    """fn(data), where fn is what the call named. When that is statistics.mean and data a
    list, tuple or generator of floats, the same float from a few math.fsum passes: each
    gives the exact sum of the values and the negated parts so far, rounded once, so the
    parts soon add up to exactly the values' sum. Anything else, and a sum that needs more
    than three parts, goes to fn itself (a generator with what it gave put back in front)."""
    kind = type(data)
    if fn is not _real or kind not in (list, tuple, _generator):
        return fn(data)
    if kind is _generator:  # read as statistics.mean reads it, and kept up to a bound
        values = []
        for value in data:
            if type(value) is not float or len(values) == 65536:
                return fn(_chain(values, (value,), data))
            values.append(value)
    else:
        values = list(data)  # a private copy: the passes read it again, with the parts
        if set(map(type, values)) != {{float}}:
            return fn(data)
    count = len(values)
    part = None
    while count:
        try:
            part = _fsum(values)
        except (OverflowError, ValueError):  # an intermediate sum beyond the largest float
            break
        if not part or part - part != 0.0 or len(values) - count == 3:
            break
        values.append(-part)
    if part != 0.0:  # no values, an inf or a nan, an overflow, or a rare long sum
        return fn(values[:count] if kind is _generator else data)
    ratios = [p.as_integer_ratio() for p in values[count:]]
    common = max([d for _, d in ratios], default=1)  # powers of two: each divides it
    return -sum([n * (common // d) for n, d in ratios]) / (common * count)
'''


class ExactMean(Rule):
    """`statistics.mean(xs)` ⇒ `_exact_mean(statistics.mean, xs)`, a module-level helper that
    computes the same float for floats from `math.fsum` passes and calls the function it is
    given for anything else.

    Precondition: the call names `statistics.mean` through the module's imports and passes
    one positional argument. The function and the argument are evaluated where they were,
    in the same order. The helper reads a list or tuple once (a copy), and a generator one
    item at a time, handing `statistics.mean` what it read and the rest at the first item
    that is not a float, so a generator is read exactly as far as it was. The helper takes
    its own modules when it is defined (`__import__`), so names the module rebinds later
    (`math`, a star import) cannot reach it."""

    id = "exact-mean"
    title = "compute statistics.mean of floats from math.fsum passes"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if "__import__" in bound_names(ctx.module) or _own_statistics(ctx.project.sources):
            return []
        noted = {id(n) for a in walk(ctx.fn.body) if isinstance(a, cst.Annotation) for n in walk(a)}
        sites = []
        for node in walk(ctx.fn.body):
            if id(node) in noted or not isinstance(node, cst.Call):
                continue
            if ctx.scope.dotted(node.func) != "statistics.mean":
                continue
            if len(node.args) != 1 or node.args[0].star or node.args[0].keyword is not None:
                continue
            sites.append(ctx.site(node, f"`{code(node)}`"))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        name = module_helper(ctx.module, ctx.module_names, change.constants, "_exact_mean", _helper)
        for site in sites:
            call = site.node
            assert isinstance(call, cst.Call)
            value = call.args[0].value
            if isinstance(value, cst.GeneratorExp) and not value.lpar:  # no longer the only one
                value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            args = [cst.Arg(call.func), cst.Arg(value)]
            new = call.with_changes(func=cst.Name(name), args=args)
            change.replace[id(call)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} for floats from a few math.fsum passes (the same correctly "
            "rounded mean, without a Fraction per value)"
        )


def _own_statistics(sources: Mapping[str, str]) -> bool:
    """The repository has a module named `statistics`: a script beside it imports that one,
    and so would the helper."""
    return any(
        path.rsplit("/", 1)[-1] == "statistics.py" or path.endswith("statistics/__init__.py")
        for path in sources
    )


def _helper(name: str) -> str:
    return _HELPER.format(name=name).lstrip("\n")
