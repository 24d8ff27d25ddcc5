"""One-expression helpers called in a loop, inlined: the scan hidden in the callee becomes a
comprehension of the caller's loop, where the join, hoist and cache rewrites can see it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.places import COMPREHENSIONS, comp_targets, enclosing_loops
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, names_in, walk

_SAFE_BUILTINS = frozenset(
    {
        "sum",
        "len",
        "min",
        "max",
        "any",
        "all",
        "abs",
        "round",
        "sorted",
        "list",
        "tuple",
        "set",
        "frozenset",
        "dict",
        "str",
        "int",
        "float",
        "bool",
        "enumerate",
        "zip",
        "range",
        "isinstance",
        "None",
        "True",
        "False",
    }
)
"""Free names an inlined body may use besides its parameters (when neither module shadows
them): builtins whose meaning does not depend on the module they are named in."""
_CONSUMERS = frozenset(
    {"sum", "min", "max", "any", "all", "list", "tuple", "set", "frozenset", "sorted", "dict"}
)
"""Builtins that consume a generator argument at once (so it cannot outlive the call)."""


class InlineExpressionCall(Rule):
    """`f(x, rows)` in a loop, where `f` is a repository function whose body is one `return`
    of an expression holding a comprehension (`[r for r in rows if r.k == x.k]`) ⇒ that
    expression with the arguments in place of the parameters.

    Precondition: the callee is a plain module function (no decorators, no defaults, no
    `*`/`**` or keyword-only parameters, not a generator, not the caller) called with one
    positional argument per parameter; each argument is a literal or a name that is a
    parameter of the caller or the target of an enclosing `for` (always bound, and names
    have no side effects, so evaluating one lazily or twice is the same as once); the body's
    free names are its parameters and builtins neither module shadows; its comprehension
    variables clash with no parameter or argument; a generator expression in it is consumed
    at once by a builtin (a lazy one would see the caller's variable change later).
    """

    id = "inline-call"
    title = "inline a one-expression helper called in a loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or not enclosing_loops(ctx, node):
                continue
            body = self._inlinable(ctx, node)
            if body is not None:
                sites.append(ctx.site(node, f"`{code(node)}`", body))
        return sites

    def _inlinable(self, ctx: FunctionContext, call: cst.Call) -> cst.BaseExpression | None:
        target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
        if not isinstance(target, FunctionRef) or target.cls is not None:
            return None
        fn = target.fn
        if fn is ctx.fn or fn.decorators or fn.asynchronous is not None:
            return None
        params = fn.params
        if isinstance(params.star_arg, cst.Param | cst.ParamStar):
            return None
        if params.posonly_params or params.kwonly_params or params.star_kwarg is not None:
            return None
        names = [p.name.value for p in params.params]
        if any(p.default is not None for p in params.params) or len(call.args) != len(names):
            return None
        if any(a.keyword is not None or a.star for a in call.args):
            return None
        expr = _single_return(fn)
        if expr is None or not any(isinstance(n, COMPREHENSIONS) for n in walk(expr)):
            return None
        args = {n: a.value for n, a in zip(names, call.args, strict=True)}
        if not all(_stable_arg(ctx, a, call) for a in args.values()):
            return None
        if not self._closed(ctx, target.path, expr, set(names), args):
            return None
        return _substitute(expr, args)

    def _closed(
        self,
        ctx: FunctionContext,
        callee_path: str,
        expr: cst.BaseExpression,
        params: set[str],
        args: dict[str, cst.BaseExpression],
    ) -> bool:
        """Free names are parameters or unshadowed builtins; no clashes; no lazy generator."""
        inner = comp_targets(expr)
        arg_names = set().union(*(names_in(a) for a in args.values())) if args else set()
        if inner & (params | arg_names | _names_outside_comprehensions(expr)):
            return False
        caller_locals = set(bound_names(ctx.fn)) | {p.name.value for p in _all_params(ctx.fn)}
        for name in names_in(expr) - inner - params:
            if name not in _SAFE_BUILTINS or name in caller_locals:
                return False
            for path in (ctx.path, callee_path):
                if name in ctx.project.defs.get(path, {}) or name in ctx.project.imports.get(
                    path, {}
                ):
                    return False
        for n in walk(expr, into_scopes=True):
            if isinstance(n, (*SCOPES, cst.NamedExpr, cst.Yield, cst.Await)):
                return False
            if isinstance(n, cst.GeneratorExp) and not _consumed(expr, n):
                return False
        return True

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            inlined = cst.parse_expression(f"({code(site.extra)})")
            change.replace[id(site.node)] = lambda _u, new=inlined: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"inline the one-expression helper call(s) {calls} so the scan they hide runs in "
            "this loop, where it can be indexed or hoisted"
        )


def _all_params(fn: cst.FunctionDef) -> list[cst.Param]:
    p = fn.params
    stars = [s for s in (p.star_arg, p.star_kwarg) if isinstance(s, cst.Param)]
    return [*p.posonly_params, *p.params, *p.kwonly_params, *stars]


def _single_return(fn: cst.FunctionDef) -> cst.BaseExpression | None:
    body = list(fn.body.body) if isinstance(fn.body, cst.IndentedBlock) else []
    if body and is_docstring(body[0]):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine):
        return None
    line = body[0].body
    if len(line) != 1 or not isinstance(line[0], cst.Return) or line[0].value is None:
        return None
    return line[0].value


def _stable_arg(ctx: FunctionContext, arg: cst.BaseExpression, call: cst.Call) -> bool:
    """A literal, or a caller parameter / enclosing `for` target that is never deleted."""
    if isinstance(arg, cst.Integer | cst.Float | cst.SimpleString):
        return True
    if not isinstance(arg, cst.Name):
        return False
    if arg.value in ("None", "True", "False"):
        return True
    if any(isinstance(n, cst.Del) and arg.value in names_in(n) for n in walk(ctx.fn)):
        return False
    if arg.value in {p.name.value for p in _all_params(ctx.fn)}:
        return True
    for loop in enclosing_loops(ctx, call):
        if isinstance(loop, cst.For) and arg.value in names_in(loop.target):
            return True
        if isinstance(loop, COMPREHENSIONS) and arg.value in _own_targets(loop):
            parts = [getattr(loop, a, None) for a in ("elt", "key", "value")]
            if any(p is not None and _inside(ctx, call, p) for p in parts):
                return True  # the element runs with every comprehension variable bound
    return False


def _own_targets(comp: cst.CSTNode) -> set[str]:
    out: set[str] = set()
    clause = getattr(comp, "for_in", None)
    while clause is not None:
        out |= names_in(clause.target)
        clause = clause.inner_for_in
    return out


def _inside(ctx: FunctionContext, node: cst.CSTNode, root: cst.CSTNode) -> bool:
    cur: cst.CSTNode | None = node
    while cur is not None and cur is not ctx.fn:
        if cur is root:
            return True
        cur = ctx.parents.get(id(cur))
    return False


def _names_outside_comprehensions(expr: cst.BaseExpression) -> set[str]:
    out: set[str] = set()
    stack: list[cst.CSTNode] = [expr]
    while stack:
        cur = stack.pop()
        if isinstance(cur, COMPREHENSIONS):
            continue
        if isinstance(cur, cst.Attribute):
            stack.append(cur.value)
            continue
        if isinstance(cur, cst.Name):
            out.add(cur.value)
        stack.extend(cur.children)
    return out


def _consumed(expr: cst.BaseExpression, gen: cst.GeneratorExp) -> bool:
    """`gen` is the only argument of a consuming builtin call in `expr`."""
    for n in walk(expr):
        if (
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Name)
            and n.func.value in _CONSUMERS
            and len(n.args) == 1
            and n.args[0].value is gen
        ):
            return True
    return False


def _substitute(
    expr: cst.BaseExpression, args: dict[str, cst.BaseExpression]
) -> cst.BaseExpression | None:
    """`expr` with every variable name that is a parameter replaced by its argument."""
    targets = {id(n): args[n.value] for n in name_nodes(expr) if n.value in args}

    class _Sub(cst.CSTTransformer):
        def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
            return targets.get(id(original_node), updated_node)

    out = expr.visit(_Sub())
    return out if isinstance(out, cst.BaseExpression) else None
