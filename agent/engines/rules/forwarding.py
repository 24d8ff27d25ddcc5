"""Records passed on: a helper that hands its records to a lookup helper and uses them for
nothing else (`gross_pay(emp, entries)` calling `entries_for(emp, entries)`) scans them for
the same key, so a caller may hand it only the records whose key can match, as it would
the lookup helper itself (`join-index-call`)."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from agent.engines.rules.inline import _substitute
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, names_in, walk

Scan = tuple[str, str, cst.BaseExpression]
"""(scanned parameter, key over `record`, probe in the function's parameters)."""


def fitted(fn: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """{parameter: argument} of a call with positional arguments only, omitted ones taking
    their defaults (evaluated long before), or None."""
    names = [p.name.value for p in fn.params.params]
    required = sum(p.default is None for p in fn.params.params)
    if not required <= len(call.args) <= len(names):
        return None
    if any(a.keyword is not None or a.star for a in call.args):
        return None
    return {n: a.value for n, a in zip(names, call.args, strict=False)}


def straight(fn: cst.FunctionDef) -> bool:
    """Nothing in `fn` defines a nested scope, `yield`s, deletes or declares a global or
    nonlocal name: what it binds, it binds in plain sight."""
    return not any(
        isinstance(n, (*SCOPES, cst.Yield, cst.Global, cst.Nonlocal, cst.Del))
        for n in walk(fn.body, into_scopes=True)
    )


def forwarded_scan(
    ctx: FunctionContext, target: FunctionRef, inner_scan: Callable[[FunctionRef], Scan | None]
) -> Scan | None:
    """The scan of a function whose parameter `p` is read once, as a whole positional
    argument of a call to another module function of the repository that scans it
    (`inner_scan`), every argument of that call being a parameter; its probe is the inner
    one with the parameters substituted. No parameter is rebound and nothing defines a nested
    scope, `yield`s, deletes or declares a global, so `p` and the probe reach the inner call
    as the caller passed them (any number of times: each gets the same records), and the
    records reach nothing else."""
    fn = target.fn
    params = {p.name.value for p in fn.params.params}
    bound = set(bound_names(fn.body))
    if params & bound or not straight(fn):
        return None
    reads = [n.value for n in name_nodes(fn.body)]
    for call in walk(fn.body):
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name):
            continue
        passed = [a.value.value for a in call.args if isinstance(a.value, cst.Name)]
        if len(passed) != len(call.args) or not set(passed) <= params:
            continue
        if call.func.value in params | bound:
            continue  # a local of that name is not the module's function
        inner = ctx.project.resolve(target.path, call.func, None)
        if not isinstance(inner, FunctionRef) or inner.fn is fn:
            continue
        args = fitted(inner.fn, call)
        scan = inner_scan(inner) if args is not None else None
        if args is None or scan is None:
            continue
        param, key, probe = scan
        records = args.get(param)
        if not isinstance(records, cst.Name) or reads.count(records.value) != 1:
            continue  # the records reach the scan and nothing else
        if not names_in(probe) <= set(args) - {param}:
            continue  # an omitted argument's default would feed the probe
        outer = _substitute(probe, args)
        if outer is None or records.value in names_in(outer):
            continue
        if any(isinstance(x, cst.Subscript) for x in walk(outer, into_scopes=True)):
            continue  # `emp["id"]` read by the caller may raise where this function never read it
        return records.value, key, outer
    return None
