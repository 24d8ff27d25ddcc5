"""Local helper functions called as statements, inlined: the closure's body runs in the loop that
called it, where the effect analysis sees which containers it changes (a call to a nested
function is opaque to it), so the group-by, hoist and cache rewrites can act on that loop."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, walk

_MOST_CALLS = 3
"""Each call gets its own copy of the body: more calls than this would grow the code too much."""


class InlineClosure(Rule):
    """`def bump(day, attended): <statements>` inside a function, called only as statements
    `bump(a, b)` after it ⇒ each call becomes `day = a`, `attended = b` and the statements,
    and the nested function goes.

    Precondition: the nested function is a statement of the function's own body (so it is
    defined before any statement after it runs), bound once, with plain positional
    parameters (no defaults, `*`, `**`, decorators, annotations on nothing else) and no
    `return`, `yield`, `await`, `global`, `nonlocal`, nested function, class or lambda, and
    it never names itself. Every other mention of its name is a call that is a statement on
    its own line, after the definition, with one positional argument per parameter (at
    most three calls). No name the nested function binds (its parameters included) is
    mentioned anywhere else in the enclosing function, so the inlined names clash with
    nothing, and the free names it reads mean what they meant: the enclosing function's
    locals (read when the call runs, as a closure reads them), globals and builtins.
    """

    id = "inline-closure"
    title = "inline a local helper function called as a statement"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for stmt in ctx.fn.body.body:
            if isinstance(stmt, cst.FunctionDef):
                calls = _inlinable(ctx, stmt)
                if calls:
                    sites.append(ctx.site(stmt, f"`{stmt.name.value}`", extra=calls))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            closure = site.node
            assert isinstance(closure, cst.FunctionDef)
            params = [p.name.value for p in closure.params.params]
            body = [s for s in closure.body.body if not is_docstring(s)]
            change.replace[id(closure)] = lambda u: cst.RemoveFromParent()
            for line, call in site.extra:
                binds = [
                    cst.parse_statement(f"{name} = {code(arg.value)}")
                    for name, arg in zip(params, call.args, strict=True)
                ]
                inlined = [*binds, *body]
                inlined[0] = inlined[0].with_changes(leading_lines=line.leading_lines)
                change.replace[id(line)] = lambda u, new=inlined: cst.FlattenSentinel(new)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(s.detail for s in sites)
        return (
            f"inline the local helper function(s) {names} where they are called, so the loop "
            "that calls them shows what they change"
        )


def _inlinable(
    ctx: FunctionContext, closure: cst.FunctionDef
) -> list[tuple[cst.SimpleStatementLine, cst.Call]]:
    name = closure.name.value
    ps = closure.params
    if closure.decorators or closure.asynchronous is not None:
        return []
    if isinstance(ps.star_arg, cst.Param | cst.ParamStar) or ps.star_kwarg is not None:
        return []
    if ps.posonly_params or ps.kwonly_params or closure.returns is not None:
        return []
    if any(p.default is not None or p.annotation is not None for p in ps.params):
        return []  # both are evaluated when the definition runs
    for n in walk(closure.body, into_scopes=True):
        if isinstance(n, (*SCOPES, cst.Return, cst.Yield, cst.Await, cst.Global, cst.Nonlocal)):
            return []
    if any(n.value == name for n in name_nodes(closure.body)):
        return []
    if bound_names(ctx.fn).get(name) != 1 or name in _params(ctx.fn):
        return []
    inner = set(bound_names(closure)) | {p.name.value for p in ps.params}
    after = False
    calls: list[tuple[cst.SimpleStatementLine, cst.Call]] = []
    statement_calls = _statement_calls(ctx.fn, name)
    for stmt in ctx.fn.body.body:
        if stmt is closure:
            after = True
            continue
        for n in name_nodes(stmt):
            if n.value in inner:
                return []  # a clash: the inlined names would change this code's
            if n.value != name:
                continue
            found = statement_calls.get(id(n))
            if not after or found is None or len(found[1].args) != len(ps.params):
                return []
            calls.append(found)
    if inner & _params(ctx.fn):
        return []
    return calls if 0 < len(calls) <= _MOST_CALLS else []


def _statement_calls(
    fn: cst.FunctionDef, name: str
) -> dict[int, tuple[cst.SimpleStatementLine, cst.Call]]:
    """By id of the called name: each `name(args)` that is a whole statement line, with
    positional arguments only."""
    out = {}
    for n in walk(fn):
        if not isinstance(n, cst.SimpleStatementLine) or len(n.body) != 1:
            continue
        expr = n.body[0]
        if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
            continue
        call = expr.value
        if not isinstance(call.func, cst.Name) or call.func.value != name:
            continue
        if not any(a.keyword is not None or a.star for a in call.args):
            out[id(call.func)] = (n, call)
    return out


def _params(fn: cst.FunctionDef) -> set[str]:
    ps = fn.params
    out = {p.name.value for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params)}
    if isinstance(ps.star_arg, cst.Param):
        out.add(ps.star_arg.name.value)
    if ps.star_kwarg is not None:
        out.add(ps.star_kwarg.name.value)
    return out
