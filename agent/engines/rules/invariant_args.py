"""Arguments of a call that read only names in a known way, put as those names, so the hoist
rules can ask whether the names change: a generator over a name (`max(r.score for r in
rows)`), a dict's view (`totals.values()`), a lambda (`sorted(xs, key=lambda x: -x)`)."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.places import comp_targets
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import dotted, names_in, walk

_VIEWS = frozenset({"values", "keys", "items"})
"""Dict methods whose result, passed on, only reads the dict."""


def plain_arguments(ctx: FunctionContext, call: cst.Call) -> cst.Call:
    """`call` with each argument that reads only names in a known way put as those names: a
    generator expression with one `for` over a (dotted) name and no calls, a dict's
    `.values()`, `.keys()` or `.items()`, or a lambda (its free names: what it reads when the
    callee calls it, which the purity of the code around it covers). Any other argument is
    left for the caller to judge."""
    args: list[cst.Arg] = []
    for arg in call.args:
        value = arg.value
        if isinstance(value, cst.GeneratorExp) and _simple_generator(value):
            free = sorted(names_in(value) - comp_targets(value))
            args.extend(arg.with_changes(value=cst.Name(n)) for n in free)
        elif dict_view(ctx, value):
            assert isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            args.append(arg.with_changes(value=value.func.value))
        elif isinstance(value, cst.Lambda) and _simple_lambda(value):
            free = sorted(names_in(value.body) - _lambda_params(value))
            args.extend(arg.with_changes(value=cst.Name(n)) for n in free)
        else:
            args.append(arg)
    return call.with_changes(args=args)


def iterated(ctx: FunctionContext, call: cst.Call) -> list[cst.BaseExpression]:
    """What the call iterates and may use up: each argument, but a generator argument's
    iterable in its place, and nothing for a dict view (the dict is read, never used up) or
    a lambda (called, not iterated)."""
    out = []
    for arg in call.args:
        value = arg.value
        if isinstance(value, cst.GeneratorExp):
            out.append(value.for_in.iter)
        elif not dict_view(ctx, value) and not isinstance(value, cst.Lambda):
            out.append(value)
    return out


def dict_view(ctx: FunctionContext, value: cst.BaseExpression) -> bool:
    if not isinstance(value, cst.Call) or value.args:
        return False
    func = value.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in _VIEWS:
        return False
    return dotted(func.value) and ctx.env.infer(func.value).kind == "dict"


def _simple_generator(gen: cst.GeneratorExp) -> bool:
    """One `for` over a (dotted) name, no calls, no `:=`: it reads only its names."""
    first = gen.for_in
    if first.inner_for_in is not None or first.asynchronous or not dotted(first.iter):
        return False
    return not any(
        isinstance(n, cst.Call | cst.NamedExpr | cst.BaseComp) for n in walk(gen) if n is not gen
    )


def _simple_lambda(fn: cst.Lambda) -> bool:
    """Plain positional parameters without defaults (a default is evaluated where the lambda
    is made), and no `:=`, comprehension or nested lambda in its body, whose names would not
    all be free."""
    params = fn.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.star_kwarg is not None:
        return False
    if params.kwonly_params or params.posonly_params:
        return False
    if any(p.default is not None for p in params.params):
        return False
    return not any(isinstance(n, cst.NamedExpr | cst.BaseComp | cst.Lambda) for n in walk(fn.body))


def _lambda_params(fn: cst.Lambda) -> set[str]:
    return {p.name.value for p in fn.params.params}
