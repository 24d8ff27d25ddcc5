"""Counting `while` loops (`i = 0`, `while i < n:`, ..., `i += 1`) become `for i in
range(n)`: the interpreter then neither compares nor adds in Python bytecode per iteration, and
rules written for `for` loops over `range` (row binding, ...) can see the loop afterwards."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import (
    bound_names,
    declared_global,
    name_nodes,
    names_in,
    nested_scope_names,
    walk,
)

_LOOPS_AND_SCOPES = (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)


class WhileRange(Rule):
    """`i = START` then `while i < BOUND:` (or `i <= BOUND`, `BOUND > i`, `BOUND >= i`) whose
    body ends with `i += 1` (or `i = i + 1`) ⇒ `for i in range(START, BOUND):` (`BOUND + 1`
    for `<=`) without the increment and the initial assignment.

    Precondition: `START` is an int literal and `i = START` is the statement just before the
    loop, so `i` runs through the ints START, START + 1, ... exactly as `range` yields them;
    `i` is a plain local (not a parameter, not global or nonlocal, seen by no nested scope)
    that the body never rebinds (only the final increment does) and that no code outside the
    initial assignment and the loop mentions, so its value after the loop (one more than the
    range's last) is never read; the loop has no `else` and no `continue` of its own (it
    would skip the increment); `BOUND` is an int that the body cannot change and whose
    evaluation has no effect: a name bound once in the function to an int literal,
    `len(...)` or a sum or difference of those (outside the loop), or `len(x)` / `len(x[INT])` of a name `x` that is not a
    fresh local of the function, the body never rebinds, and the body runs only pure code
    (apart from the function's fresh containers), so `x` keeps its length. The while
    evaluates `BOUND` first at the same point `range` does, so it raises, if at all, there.
    """

    id = "while-range"
    title = "count with for ... in range() instead of a while loop"
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if ctx.scope.builtin(cst.Name("range")) != "range":
            return []
        sites = []
        for node in walk(ctx.fn):
            if isinstance(node, cst.While):
                found = self._counting(ctx, node)
                if found is not None:
                    sites.append(ctx.site(node, f"`{found[1]}`", extra=found))
        return sites

    def _counting(
        self, ctx: FunctionContext, loop: cst.While
    ) -> tuple[cst.SimpleStatementLine, str, str, str] | None:
        """(the initial assignment, the counter, START, the range's stop as text)."""
        test = _test(loop.test)
        body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
        if test is None or loop.orelse is not None or not body:
            return None
        name, bound, inclusive = test
        if not _increment(body[-1], name):
            return None
        init = _init_before(ctx, loop, name)
        if init is None or not _private(ctx, loop, init, name):
            return None
        rest = cst.IndentedBlock(body=list(body[:-1]))
        if name in bound_names(rest) or _own_continue(rest) or name in names_in(bound):
            return None
        if not _invariant_int(ctx, loop, bound):
            return None
        stop = f"{code(bound)} + 1" if inclusive else code(bound)
        start = code(init.body[0].value)  # type: ignore[attr-defined]
        return init, name, start, stop

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            init, name, start, stop = site.extra
            header = f"range({stop})" if start == "0" else f"range({start}, {stop})"
            change.replace[id(init)] = lambda _u: cst.RemoveFromParent()
            change.replace[id(site.node)] = lambda u, init=init, name=name, header=header: _as_for(
                u, init, name, header
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"count {names} with `for ... in range(...)` instead of a while loop"


def _as_for(updated: cst.While, init: cst.SimpleStatementLine, name: str, header: str) -> cst.For:
    block = updated.body
    assert isinstance(block, cst.IndentedBlock)
    stmts = list(block.body[:-1]) or [cst.SimpleStatementLine(body=[cst.Pass()])]
    loop = cst.ensure_type(cst.parse_statement(f"for {name} in {header}:\n    pass\n"), cst.For)
    return loop.with_changes(
        body=block.with_changes(body=stmts),
        leading_lines=[*init.leading_lines, *updated.leading_lines],
    )


def _test(test: cst.BaseExpression) -> tuple[str, cst.BaseExpression, bool] | None:
    """(counter, bound, inclusive) of `i < b`, `i <= b`, `b > i` or `b >= i`."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1 or test.lpar:
        return None
    op, right = test.comparisons[0].operator, test.comparisons[0].comparator
    if isinstance(test.left, cst.Name) and isinstance(op, cst.LessThan | cst.LessThanEqual):
        return test.left.value, right, isinstance(op, cst.LessThanEqual)
    if isinstance(right, cst.Name) and isinstance(op, cst.GreaterThan | cst.GreaterThanEqual):
        return right.value, test.left, isinstance(op, cst.GreaterThanEqual)
    return None


def _increment(stmt: cst.BaseStatement, name: str) -> bool:
    """`name += 1` or `name = name + 1`, alone on its line."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if isinstance(small, cst.AugAssign):
        target, op, value = small.target, small.operator, small.value
        return _is(target, name) and isinstance(op, cst.AddAssign) and _one(value)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        value = small.value
        return (
            _is(small.targets[0].target, name)
            and isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, cst.Add)
            and _is(value.left, name)
            and _one(value.right)
        )
    return False


def _is(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name and not expr.lpar


def _one(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Integer) and expr.value == "1"


def _init_before(
    ctx: FunctionContext, loop: cst.While, name: str
) -> cst.SimpleStatementLine | None:
    """The statement just before `loop` in its block when it is `name = <int literal>`."""
    block = ctx.parents.get(id(loop))
    if not isinstance(block, cst.IndentedBlock):
        return None
    stmts = list(block.body)
    at = next(i for i, s in enumerate(stmts) if s is loop)
    prev = stmts[at - 1] if at else None
    if not isinstance(prev, cst.SimpleStatementLine) or len(prev.body) != 1:
        return None
    small = prev.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    if not _is(small.targets[0].target, name) or not isinstance(small.value, cst.Integer):
        return None
    return prev


def _private(
    ctx: FunctionContext, loop: cst.While, init: cst.SimpleStatementLine, name: str
) -> bool:
    """`name` is a plain local mentioned only by `init` and `loop`."""
    fn = ctx.fn
    params = {p.name.value for p in (*fn.params.posonly_params, *fn.params.params)}
    params |= {p.name.value for p in fn.params.kwonly_params}
    for star in (fn.params.star_arg, fn.params.star_kwarg):
        if isinstance(star, cst.Param):
            params.add(star.name.value)
    if name in params or name in declared_global(fn) or name in nested_scope_names(fn):
        return False
    inside = {id(n) for n in walk(loop, into_scopes=True)} | {id(n) for n in walk(init)}
    return all(id(n) in inside for n in name_nodes(fn) if n.value == name)


def _own_continue(block: cst.CSTNode) -> bool:
    """A `continue` that belongs to the loop whose body is `block`."""
    stack = list(block.children)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Continue):
            return True
        if not isinstance(node, _LOOPS_AND_SCOPES):
            stack.extend(node.children)
    return False


def _invariant_int(ctx: FunctionContext, loop: cst.While, bound: cst.BaseExpression) -> bool:
    if isinstance(bound, cst.Name):
        return _int_name(ctx, loop, bound.value)
    if not isinstance(bound, cst.Call) or ctx.scope.builtin(bound.func) != "len":
        return False
    if len(bound.args) != 1 or bound.args[0].keyword or bound.args[0].star:
        return False
    arg = bound.args[0].value
    if isinstance(arg, cst.Subscript) and len(arg.slice) == 1:
        index = arg.slice[0].slice
        if not isinstance(index, cst.Index) or not isinstance(index.value, cst.Integer):
            return False
        arg = arg.value
    if not isinstance(arg, cst.Name) or arg.lpar or ctx.scope.fresh.get(arg.value, 0):
        return False
    return arg.value not in bound_names(loop.body) and ctx.scope.pure(loop.body)


def _int_name(ctx: FunctionContext, loop: cst.While, name: str) -> bool:
    """`name` is bound exactly once in the function, outside `loop`, to an int expression
    (`_int_expr`), and is no parameter, global or name a nested scope sees."""
    if bound_names(ctx.fn).get(name) != 1 or name in nested_scope_names(ctx.fn):
        return False
    if name in ctx.scope.params:
        return False
    if name in declared_global(ctx.fn) or name in bound_names(loop):
        return False
    for node in walk(ctx.fn):
        single = isinstance(node, cst.Assign) and len(node.targets) == 1
        if single and _is(node.targets[0].target, name):  # type: ignore[attr-defined]
            return _int_expr(ctx, node.value)  # type: ignore[attr-defined]
    return False


def _int_expr(ctx: FunctionContext, expr: cst.BaseExpression) -> bool:
    """An int literal, `len(...)`, or a sum or difference of those (always an int)."""
    if isinstance(expr, cst.Integer):
        return True
    if isinstance(expr, cst.Call):
        return ctx.scope.builtin(expr.func) == "len"
    return (
        isinstance(expr, cst.BinaryOperation)
        and isinstance(expr.operator, cst.Add | cst.Subtract)
        and _int_expr(ctx, expr.left)
        and _int_expr(ctx, expr.right)
    )
