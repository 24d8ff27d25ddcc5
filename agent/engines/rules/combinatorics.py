"""Binomial coefficients and falling factorials spelled with `math.factorial`, computed by
`math.comb` and `math.perm` without the huge intermediate factorials."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.factorials import checks_that_raise, factorial_function
from agent.engines.rules.places import module_ref
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import walk

_DIVISIONS = (cst.FloorDivide, cst.Divide)


class FactorialRatio(Rule):
    """`factorial(n) // (factorial(k) * factorial(n - k))` (or `... // factorial(k) //
    factorial(n - k)`, either factor first) ⇒ `math.comb(n, k)`; `factorial(n) //
    factorial(n - k)` ⇒ `math.perm(n, k)`; with `/` the result stays a float (`comb(n, k) /
    1`: the same correctly rounded quotient, and the same OverflowError when it is too big).

    Precondition: `factorial` is the standard library's `math.factorial`, or a hand-written
    factorial function of the same module (`factorials.py`: a product loop equal to it for
    every int `n >= 0`, bound once, not shadowed); `n` and `k` are
    names, attributes of names or integer literals (evaluated again by the guard, which has no
    effect), spelled alike in `n - k`. At run time the new call is used only when `n` and `k`
    are exactly ints with `0 <= k <= n`, where both sides are equal integers; anything else
    (negative numbers, floats, bools, `k > n`) evaluates the original expression and raises
    as before.
    """

    id = "math-comb"
    title = "compute binomial coefficients with math.comb"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if ctx.scope.builtin(cst.Name("type")) != "type":
            return []
        sites = []
        for node in walk(ctx.fn):
            found = _ratio(ctx, node)
            if found is not None:
                fn, n, k = found
                sites.append(ctx.site(node, f"`{code(node)}`", extra=(fn, n, k)))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        math = module_ref(ctx, "math", change)
        for site in sites:
            fn, n, k = site.extra
            node = site.node
            divide = "" if isinstance(node.operator, cst.FloorDivide) else " / 1"
            guard = f"type({n}) is int and type({k}) is int and 0 <= {k} <= {n}"
            text = f"({math}.{fn}({n}, {k}){divide} if {guard} else {code(node)})"
            change.replace[id(node)] = lambda _u, t=text: cst.parse_expression(t)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        found = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {found} with math.comb/math.perm (no huge intermediate factorials), "
            "guarded to ints with 0 <= k <= n where both are equal"
        )


class MathFactorial(Rule):
    """A hand-written factorial function (`factorials.py`: a product loop equal to
    `math.factorial(n)` for every int `n >= 0`, bound once in its module) ⇒ the same function
    that first returns `math.factorial(n)` when `n` is exactly an int `>= 0`, after the checks
    it makes first (which raise on the same values as before). Any other argument (a bool, a
    float, a negative int, an int subclass) runs the original loop, with its result or its
    exception.

    Precondition: as `factorials.factorial_function`; `type` and `math` are not shadowed.
    """

    id = "math-factorial"
    title = "compute a hand-written factorial with math.factorial"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if ctx.scope.builtin(cst.Name("type")) != "type" or ctx.cls is not None:
            return []
        ref = FunctionRef(ctx.path, ctx.qualname, ctx.fn)
        if not factorial_function(ctx.module, ref):
            return []
        body: list[cst.BaseStatement] = list(ctx.fn.body.body)  # type: ignore[arg-type]
        start = 0
        while start < len(body) and (
            is_docstring(body[start]) or checks_that_raise(body[start], _param(ctx.fn))
        ):
            start += 1
        return [ctx.site(body[start], f"`{ctx.fn.name.value}`")]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        math = module_ref(ctx, "math", change)
        n = _param(ctx.fn)
        fast = cst.parse_statement(
            f"if type({n}) is int and {n} >= 0:\n    return {math}.factorial({n})\n"
        )
        for site in sites:
            change.insert_before(site.node, fast)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        found = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"return math.factorial(n) from {found} for exact ints n >= 0 (the loop otherwise)"


def _param(fn: cst.FunctionDef) -> str:
    return fn.params.params[0].name.value


def _ratio(ctx: FunctionContext, node: cst.CSTNode) -> tuple[str, str, str] | None:
    """("comb" or "perm", n, k) of a factorial ratio, as source text."""
    if not isinstance(node, cst.BinaryOperation) or not isinstance(node.operator, _DIVISIONS):
        return None
    kind = type(node.operator)
    left, right = node.left, node.right
    if isinstance(left, cst.BinaryOperation) and isinstance(left.operator, kind):
        top = _factorial_of(ctx, left.left)  # n! // a! // b!
        parts = [_factorial_of(ctx, left.right), _factorial_of(ctx, right)]
        if kind is cst.Divide:
            return None  # n! / a! / b! rounds twice
    else:
        top = _factorial_of(ctx, left)
        if isinstance(right, cst.BinaryOperation) and isinstance(right.operator, cst.Multiply):
            parts = [_factorial_of(ctx, right.left), _factorial_of(ctx, right.right)]
        else:
            parts = [_factorial_of(ctx, right)]
    if top is None or any(p is None for p in parts) or not _simple(top):
        return None
    n = code(top)
    args = [p for p in parts if p is not None]
    for i, arg in enumerate(args):
        k = _k_of(arg, n)
        if k is None:
            continue
        others = args[:i] + args[i + 1 :]
        if not others:
            return "perm", n, k
        if len(others) == 1 and code(others[0]) == k:
            return "comb", n, k
    return None


def _factorial_of(ctx: FunctionContext, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    if not isinstance(expr, cst.Call) or len(expr.args) != 1:
        return None
    arg = expr.args[0]
    if arg.keyword is not None or arg.star:
        return None
    if ctx.scope.dotted(expr.func) == "math.factorial" or _own_factorial(ctx, expr.func):
        return arg.value
    return None


def _own_factorial(ctx: FunctionContext, func: cst.BaseExpression) -> bool:
    """`func` names a hand-written factorial of this module (`factorials.py`), not shadowed
    by a local of the calling function."""
    if not isinstance(func, cst.Name) or func.value in ctx.scope.locals:
        return False
    ref = ctx.project.resolve(ctx.path, func)
    return (
        isinstance(ref, FunctionRef)
        and ref.path == ctx.path
        and factorial_function(ctx.project.modules[ref.path], ref)
    )


def _k_of(expr: cst.BaseExpression, n: str) -> str | None:
    """`k` of `n - k`."""
    if not isinstance(expr, cst.BinaryOperation) or not isinstance(expr.operator, cst.Subtract):
        return None
    if code(expr.left) != n or not _simple(expr.right):
        return None
    return code(expr.right)


def _simple(expr: cst.BaseExpression) -> bool:
    if expr.lpar:
        return False
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name | cst.Integer)
