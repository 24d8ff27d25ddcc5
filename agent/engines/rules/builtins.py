"""Builtin-call rewrites: `sorted(x)[0]` ⇒ `min(x)`, `sum([...])` ⇒ `sum(...)`, `len(x) == 0` ⇒ `not x`."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.infer import comp_env
from agent.engines.rules.purity import is_pure_expr, read_only_uses
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, walk
from agent.engines.rules.typeinfo import SIZED, elem_of


def _shadowed(ctx: FunctionContext, name: str) -> bool:
    """True when `name` is bound in the function or at module level (not the builtin)."""
    return name in ctx.env.names or name in bound_names(ctx.module)


def _index(node: cst.Subscript) -> int | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.slice[0].slice.value
    if isinstance(value, cst.Integer) and value.value == "0":
        return 0
    if (
        isinstance(value, cst.UnaryOperation)
        and isinstance(value.operator, cst.Minus)
        and isinstance(value.expression, cst.Integer)
        and value.expression.value == "1"
    ):
        return -1
    return None


class SortedMinMax(Rule):
    """`sorted(xs)[0]` ⇒ `min(xs)`, `sorted(xs, reverse=True)[0]` ⇒ `max(xs)` (O(n) not O(n log n)).

    Precondition: `xs` is a name of a sized builtin type, bound once and never mutated in the
    function, and the expression runs only where `xs` is known non-empty (inside `if xs:` /
    `if len(xs)...:` or after `if not xs: return/raise`), because `sorted([])[0]` raises
    IndexError where `min([])` raises ValueError. `key=` is kept. Taking `[-1]` (the last of
    equal maxima) is rewritten only without `key=` and for str/int elements, where equal
    elements are indistinguishable.
    """

    id = "sorted-min-max"
    title = "take min/max instead of sorting to pick one element"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if _shadowed(ctx, "sorted") or _shadowed(ctx, "min") or _shadowed(ctx, "max"):
            return []
        bound = bound_names(ctx.fn)
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Subscript):
                continue
            idx = _index(node)
            call = node.value
            if idx is None or not (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Name)
                and call.func.value == "sorted"
                and call.args
                and not call.args[0].keyword
                and not call.args[0].star
                and isinstance(call.args[0].value, cst.Name)
            ):
                continue
            seq = call.args[0].value.value
            kws = {a.keyword.value: a for a in call.args[1:] if a.keyword}
            if len(kws) != len(call.args) - 1 or set(kws) - {"key", "reverse"}:
                continue
            reverse = False
            if "reverse" in kws:
                rv = kws["reverse"].value
                if not (isinstance(rv, cst.Name) and rv.value in ("True", "False")):
                    continue
                reverse = rv.value == "True"
            seq_t = ctx.env.get(seq)
            if seq_t.kind not in SIZED - {"dict"}:
                continue
            if idx == -1 and ("key" in kws or elem_of(seq_t).kind not in ("str", "int")):
                continue
            if bound.get(seq, 0) > (0 if seq in _params(ctx.fn) else 1):
                continue
            if read_only_uses(ctx.fn, seq).unsafe:
                continue
            if not _known_nonempty(ctx, node, seq):
                continue
            func = "min" if (idx == 0) != reverse else "max"
            sites.append(ctx.site(node, f"`{code(node)}` → {func}", extra=func))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            func = site.extra

            def new(u: cst.CSTNode, func: str = func) -> cst.CSTNode:
                call = u.value  # type: ignore[attr-defined]
                args = [a for a in call.args if not (a.keyword and a.keyword.value == "reverse")]
                args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                return call.with_changes(func=cst.Name(func), args=args)

            change.replace[id(site.node)] = new
        return change


def _params(fn: cst.FunctionDef) -> set[str]:
    ps = fn.params
    return {p.name.value for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params)}


def _truthy_test(test: cst.BaseExpression, seq: str) -> bool:
    """`seq`, `len(seq)`, `len(seq) > 0`, `len(seq) != 0`, `len(seq) >= 1`, or `a and <that>`."""
    if isinstance(test, cst.Name):
        return test.value == seq
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _truthy_test(test.left, seq) or _truthy_test(test.right, seq)
    if _is_len_of(test, seq):
        return True
    if (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and _is_len_of(test.left, seq)
    ):
        op, right = test.comparisons[0].operator, test.comparisons[0].comparator
        if isinstance(right, cst.Integer):
            n = int(right.value, 0)
            return (
                (isinstance(op, cst.GreaterThan) and n >= 0)
                or (isinstance(op, cst.NotEqual) and n == 0)
                or (isinstance(op, cst.GreaterThanEqual) and n >= 1)
            )
    return False


def _is_len_of(node: cst.BaseExpression, seq: str) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "len"
        and len(node.args) == 1
        and isinstance(node.args[0].value, cst.Name)
        and node.args[0].value.value == seq
    )


def _falsy_exit(stmt: cst.CSTNode, seq: str) -> bool:
    """`if not seq: <... return/raise>` (or `if len(seq) == 0:`), with no elif/else."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    test = stmt.test
    negated = (
        isinstance(test, cst.UnaryOperation)
        and isinstance(test.operator, cst.Not)
        and _truthy_test(test.expression, seq)
        and isinstance(test.expression, cst.Name | cst.Call)
    ) or (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and _is_len_of(test.left, seq)
        and isinstance(test.comparisons[0].operator, cst.Equal)
        and isinstance(test.comparisons[0].comparator, cst.Integer)
        and test.comparisons[0].comparator.value == "0"
    )
    if not negated or not isinstance(stmt.body, cst.IndentedBlock | cst.SimpleStatementSuite):
        return False
    last = stmt.body.body[-1]
    smalls = last.body if isinstance(last, cst.SimpleStatementLine) else [last]
    return isinstance(smalls[-1], cst.Return | cst.Raise)


def _known_nonempty(ctx: FunctionContext, node: cst.CSTNode, seq: str) -> bool:
    child: cst.CSTNode = node
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, cst.If) and child is cur.body and _truthy_test(cur.test, seq):
            return True
        if isinstance(cur, cst.IfExp) and child is cur.body and _truthy_test(cur.test, seq):
            return True
        if isinstance(cur, cst.IndentedBlock):
            for stmt in cur.body:
                if stmt is child:
                    break
                if _falsy_exit(stmt, seq):
                    return True
        child, cur = cur, ctx.parents.get(id(cur))
    return False


class SumGenerator(Rule):
    """`sum([e for x in xs])` (also `min`, `max`) ⇒ `sum(e for x in xs)`: no temporary list.

    Precondition: the builtin is not shadowed; the element expression and conditions are
    pure (no calls except pure builtins and read-only methods on builtin types), so
    interleaving their evaluation with the accumulation cannot be observed.
    """

    id = "sum-generator"
    title = "feed sum/min/max a generator instead of a temporary list"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Name)
                and node.func.value in ("sum", "min", "max")
                and not _shadowed(ctx, node.func.value)
                and node.args
                and not node.args[0].keyword
                and not node.args[0].star
                and isinstance(node.args[0].value, cst.ListComp)
            ):
                continue
            if node.func.value in ("min", "max") and any(not a.keyword for a in node.args[1:]):
                continue  # min(a, b) compares two things, not one iterable
            comp = node.args[0].value

            local = comp_env(comp, ctx.env.names)
            if not is_pure_expr(comp, ctx.env, local):
                continue
            sites.append(ctx.site(node, f"`{node.func.value}([...])`"))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:

            def new(u: cst.CSTNode) -> cst.CSTNode:
                call: cst.Call = u  # type: ignore[assignment]
                comp: cst.ListComp = call.args[0].value  # type: ignore[assignment]
                alone = len(call.args) == 1
                gen = cst.GeneratorExp(
                    elt=comp.elt,
                    for_in=comp.for_in,
                    lpar=[] if alone else [cst.LeftParen()],
                    rpar=[] if alone else [cst.RightParen()],
                )
                return call.with_changes(
                    args=[call.args[0].with_changes(value=gen), *call.args[1:]]
                )

            change.replace[id(site.node)] = new
        return change


class LenCompare(Rule):
    """`if len(x) == 0:` ⇒ `if not x:`, `if len(x) > 0:` ⇒ `if x:` in boolean tests.

    Precondition: `x`'s type is a sized builtin (str, bytes, list, tuple, set, dict), whose
    truth value is exactly `len(x) != 0`; the comparison sits directly in an if/while/assert
    test, possibly under `not`/`and`/`or`, where only its truth value is used.
    """

    id = "len-compare"
    title = "test emptiness by truth value instead of len()"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if _shadowed(ctx, "len"):
            return []
        sites = []
        for node in walk(ctx.fn):
            if not (isinstance(node, cst.Comparison) and len(node.comparisons) == 1):
                continue
            left, target = node.left, node.comparisons[0]
            if not (
                isinstance(left, cst.Call)
                and isinstance(left.func, cst.Name)
                and left.func.value == "len"
                and len(left.args) == 1
                and not left.args[0].keyword
                and not left.args[0].star
                and isinstance(target.comparator, cst.Integer)
            ):
                continue
            n = int(target.comparator.value, 0)
            op = target.operator
            if (isinstance(op, cst.Equal) and n == 0) or (isinstance(op, cst.LessThan) and n == 1):
                negate = True
            elif (
                (isinstance(op, cst.NotEqual) and n == 0)
                or (isinstance(op, cst.GreaterThan) and n == 0)
                or (isinstance(op, cst.GreaterThanEqual) and n == 1)
            ):
                negate = False
            else:
                continue
            arg = left.args[0].value
            if ctx.env.infer(arg).kind not in SIZED or not self._in_test(ctx, node):
                continue
            sites.append(ctx.site(node, f"`{code(node)}`", extra=negate))
        return sites

    def _in_test(self, ctx: FunctionContext, node: cst.CSTNode) -> bool:
        child, cur = node, ctx.parents.get(id(node))
        while isinstance(cur, cst.BooleanOperation) or (
            isinstance(cur, cst.UnaryOperation) and isinstance(cur.operator, cst.Not)
        ):
            child, cur = cur, ctx.parents.get(id(cur))
        return isinstance(cur, cst.If | cst.While | cst.Assert) and cur.test is child

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:

            def new(u: cst.CSTNode, negate: bool = site.extra) -> cst.BaseExpression:
                cmp: cst.Comparison = u  # type: ignore[assignment]
                arg = cmp.left.args[0].value  # type: ignore[attr-defined]
                if not isinstance(arg, cst.Name | cst.Attribute | cst.Subscript | cst.Call):
                    arg = arg.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                if negate:
                    return cst.UnaryOperation(
                        operator=cst.Not(), expression=arg, lpar=cmp.lpar, rpar=cmp.rpar
                    )
                return arg.with_changes(lpar=cmp.lpar, rpar=cmp.rpar) if cmp.lpar else arg

            change.replace[id(site.node)] = new
        return change
