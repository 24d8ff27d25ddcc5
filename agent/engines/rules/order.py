"""Evaluation order inside one statement: is an expression evaluated every time the statement
runs, and before anything that could fail or have an effect?

Rewrites that compute an expression one statement earlier (a lazy hoist, a shared common
subexpression) need both, so the rewritten code raises the same exception at the same point.
"""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.rewrite import FunctionContext

_LITERALS = cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString | cst.ConcatenatedString


def trivial(node: cst.CSTNode) -> bool:
    """A name, a literal or an attribute of one: evaluating it cannot run user code (beyond
    an attribute lookup) and can fail only if the program is already broken."""
    if isinstance(node, cst.Name | _LITERALS):
        return True
    if isinstance(node, cst.Attribute):
        return trivial(node.value)
    if isinstance(node, cst.Arg | cst.Element):
        return trivial(node.value)
    return False


def plain_literal(node: cst.BaseExpression) -> bool:
    """A number or string literal, or one of `True`, `False` and `None`: evaluating it runs
    no code and cannot fail."""
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    return isinstance(node, cst.Integer | cst.Float | cst.SimpleString)


def unconditional(ctx: FunctionContext, node: cst.CSTNode, stmt: cst.CSTNode) -> bool:
    """`node` is evaluated exactly once each time `stmt` runs (for `if`/`while` statements:
    it sits in the test; never in an `elif`, a body, a short-circuited operand, a
    conditional expression's branch, a later link of a comparison chain (`c` in
    `a < b < c`), an `assert`, a comprehension or a lambda)."""
    child: cst.CSTNode = node
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not stmt:
        if conditional_step(cur, child):
            return False
        if isinstance(cur, cst.IndentedBlock | cst.Else | cst.If | cst.While | cst.For):
            return False
        child, cur = cur, ctx.parents.get(id(cur))
    if cur is None:
        return False
    if isinstance(stmt, cst.If | cst.While):
        return child is stmt.test
    return isinstance(stmt, cst.SimpleStatementLine)


def conditional_step(parent: cst.CSTNode, child: cst.CSTNode) -> bool:
    """Evaluating `parent` may leave `child` out, or run it later or apart: a short-circuited
    operand, a conditional expression's branch, a later link of a comparison chain (`< c`
    in `a < b < c`), an `assert` (its message, and all of it under -O), a comprehension or
    a lambda."""
    if isinstance(parent, cst.BooleanOperation) and child is parent.right:
        return True
    if isinstance(parent, cst.IfExp) and child is not parent.test:
        return True
    if isinstance(parent, cst.Comparison) and any(t is child for t in parent.comparisons[1:]):
        return True
    return isinstance(parent, cst.BaseComp | cst.Lambda | cst.CompFor | cst.CompIf | cst.Assert)


def evaluated_first(ctx: FunctionContext, node: cst.CSTNode, stmt: cst.CSTNode) -> bool:
    """Everything `stmt` evaluates before `node` is trivial (see `trivial`)."""
    child: cst.CSTNode = node
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not stmt:
        earlier = _before(cur, child)
        if earlier is None or not all(trivial(e) for e in earlier):
            return False
        child, cur = cur, ctx.parents.get(id(cur))
    return cur is not None


def _before(parent: cst.CSTNode, child: cst.CSTNode) -> list[cst.CSTNode] | None:
    """The parts of `parent` evaluated before `child`; None when the order is not modelled."""
    if isinstance(parent, cst.Call):
        if child is parent.func:
            return []
        args: list[cst.CSTNode] = list(parent.args)
        return [parent.func, *args[: args.index(child)]] if child in args else None
    if isinstance(parent, cst.BinaryOperation | cst.BooleanOperation):
        return [] if child is parent.left else [parent.left]
    if isinstance(parent, cst.Comparison):
        if child is parent.left:
            return []
        targets: list[cst.CSTNode] = list(parent.comparisons)
        i = targets.index(child) if child in targets else -1
        return [parent.left, *(t.comparator for t in parent.comparisons[:i])] if i >= 0 else None
    if isinstance(parent, cst.ComparisonTarget):
        return [] if child is parent.comparator else None
    if isinstance(parent, cst.Subscript):
        return [] if child is parent.value else [parent.value]
    if isinstance(parent, cst.Tuple | cst.List | cst.Set):
        elements: list[cst.CSTNode] = list(parent.elements)
        return elements[: elements.index(child)] if child in elements else None
    if isinstance(parent, cst.AugAssign):
        return [parent.target] if child is parent.value else None
    if isinstance(parent, cst.Assign | cst.AnnAssign):
        return [] if child is parent.value else None
    if isinstance(
        parent,
        cst.Attribute
        | cst.Arg
        | cst.Element
        | cst.Expr
        | cst.Return
        | cst.UnaryOperation
        | cst.SubscriptElement
        | cst.Index
        | cst.FormattedStringExpression
        | cst.IfExp
        | cst.SimpleStatementLine
        | cst.If
        | cst.While,
    ):
        return []
    if isinstance(parent, cst.FormattedString):
        parts: list[cst.CSTNode] = list(parent.parts)
        earlier = parts[: parts.index(child)] if child in parts else []
        return [p for p in earlier if not isinstance(p, cst.FormattedStringText)]
    return None
