"""The counts `count-by-bisect` serves: `sum(1 for o in items if o[k] > value)`,
`len([o for o in items if ...])`, and the loop `for o in items: if o[k] > value: n += 1`."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import bound_names, name_nodes, names_in, nested_scope_names, walk

_OPS = {
    cst.GreaterThan: ">",
    cst.GreaterThanEqual: ">=",
    cst.LessThan: "<",
    cst.LessThanEqual: "<=",
}


def count_of(call: cst.Call, bound: set[str]) -> tuple | None:
    """(items, key index text, op, value, value first) of a count the rule serves."""
    if not isinstance(call.func, cst.Name) or len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.keyword or arg.star:
        return None
    comp = arg.value
    if call.func.value == "sum" and isinstance(comp, cst.GeneratorExp):
        if not (isinstance(comp.elt, cst.Integer) and comp.elt.value == "1"):
            return None
    elif call.func.value == "len" and isinstance(comp, cst.ListComp):
        if not isinstance(comp.elt, cst.Integer | cst.SimpleString | cst.Name):
            return None
    else:
        return None
    loop = comp.for_in
    if loop.inner_for_in is not None or loop.asynchronous or len(loop.ifs) != 1:
        return None
    if not isinstance(loop.target, cst.Name) or not _items(loop.iter):
        return None
    item = loop.target.value
    if isinstance(comp.elt, cst.Name) and comp.elt.value != item:
        return None
    return _compared(loop.ifs[0].test, item, loop.iter, bound)


def _items(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return True
    return (
        isinstance(node, cst.Call)
        and not node.args
        and isinstance(node.func, cst.Attribute)
        and isinstance(node.func.value, cst.Name)
        and node.func.attr.value == "values"
    )


def _compared(
    test: cst.BaseExpression, item: str, items: cst.BaseExpression, bound: set[str]
) -> tuple | None:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    op = _OPS.get(type(target.operator))
    if op is None:
        return None
    for key, value, value_first in ((test.left, target.comparator, False),
                                    (target.comparator, test.left, True)):  # fmt: skip
        index = _key_index(key, item)
        if index is not None and _plain_value(value, item, bound) and item not in names_in(items):
            return items, index, op, value, value_first
    return None


def _key_index(key: cst.BaseExpression, item: str) -> str | None:
    if isinstance(key, cst.Name) and key.value == item:
        return "None"
    if not isinstance(key, cst.Subscript) or not isinstance(key.value, cst.Name):
        return None
    if key.value.value != item or len(key.slice) != 1:
        return None
    index = key.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer | cst.SimpleString):
        return code(index.value)
    return None


def _plain_value(value: cst.BaseExpression, item: str, bound: set[str]) -> bool:
    if isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
        return True
    return isinstance(value, cst.Name) and value.value != item and value.value in bound


def counting_loop(ctx: FunctionContext, loop: cst.For, bound: set[str]) -> tuple | None:
    """(items, index, op, value, value first, counter) of `for o in items: if <compare>:
    n += 1`, when `n` is an int local (bound only to int literals, moved only by `+= 1`),
    the loop has no `else` and sits in no `try` or `with`, and `o` is read nowhere else."""
    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    if loop.orelse is not None or loop.asynchronous or len(body) != 1:
        return None
    test = body[0]
    if not isinstance(test, cst.If) or test.orelse is not None:
        return None
    lines = test.body.body if isinstance(test.body, cst.IndentedBlock) else ()
    if len(lines) != 1:
        return None
    bump = lines[0]
    if not isinstance(bump, cst.SimpleStatementLine) or len(bump.body) != 1:
        return None
    counter = _bumped(bump.body[0])
    if counter is None or not isinstance(loop.target, cst.Name) or not _items(loop.iter):
        return None
    item = loop.target.value
    if counter == item or counter in names_in(loop.iter) or counter in bound:
        return None
    if not _int_counter(ctx, counter) or not _only_here(ctx, loop, item):
        return None
    if not _set_before(ctx, loop, counter):
        return None  # `n += 1` would raise only on a hit; `n += count` always
    up = ctx.parents.get(id(loop))
    while up is not None and up is not ctx.fn:
        if isinstance(up, cst.Try | cst.TryStar | cst.With):
            return None
        up = ctx.parents.get(id(up))
    found = _compared(test.test, item, loop.iter, bound)
    return None if found is None else (*found, counter)


def _bumped(small: cst.CSTNode) -> str | None:
    """`n` of `n += 1`."""
    if not isinstance(small, cst.AugAssign) or not isinstance(small.operator, cst.AddAssign):
        return None
    if not isinstance(small.target, cst.Name):
        return None
    one = small.value
    return small.target.value if isinstance(one, cst.Integer) and one.value == "1" else None


def _int_counter(ctx: FunctionContext, name: str) -> bool:
    """Every binding of `name` in the function is `name = <int literal>` or `name += 1`, and
    no nested scope sees it: it is always an int (or unbound)."""
    if name in nested_scope_names(ctx.fn) or name not in bound_names(ctx.fn):
        return False
    for n in name_nodes(ctx.fn, into_scopes=False):
        if n.value != name:
            continue
        up = ctx.parents.get(id(n))
        if isinstance(up, cst.AssignTarget):
            assign = ctx.parents.get(id(up))
            if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
                return False
            if not isinstance(assign.value, cst.Integer):
                return False
        elif isinstance(up, cst.AugAssign) and up.target is n:
            if _bumped(up) != name:
                return False
        elif _binds(up, n):
            return False
    return True


_BINDERS: tuple[type[cst.CSTNode], ...] = (
    cst.Param, cst.AsName, cst.Del, cst.NamedExpr, cst.Element, cst.StarredElement, cst.Global,
    cst.Nonlocal, cst.ImportAlias, cst.AnnAssign, cst.For, cst.CompFor,
)  # fmt: skip


def _binds(up: cst.CSTNode | None, n: cst.Name) -> bool:
    """`n` may be bound here by something other than a plain assignment statement (a loop's
    target, `with ... as`, an unpacking, `del`, an import, a parameter...)."""
    if isinstance(up, cst.For | cst.CompFor):
        return any(x is n for x in walk(up.target))
    return isinstance(up, _BINDERS)


def _only_here(ctx: FunctionContext, loop: cst.For, item: str) -> bool:
    """The loop's target is a plain local read nowhere outside the loop (its last value,
    which the loop would have left it bound to, is never seen)."""
    if item in nested_scope_names(ctx.fn):
        return False
    inside = {id(n) for n in walk(loop)}
    return all(id(n) in inside for n in name_nodes(ctx.fn) if n.value == item)


def _set_before(ctx: FunctionContext, loop: cst.For, counter: str) -> bool:
    """An earlier statement of the loop's own block binds the counter (to an int literal:
    `_int_counter`), so it is bound whenever the loop runs."""
    block = ctx.parents.get(id(loop))
    if not isinstance(block, cst.IndentedBlock):
        return False
    for stmt in block.body:
        if stmt is loop:
            return False
        if isinstance(stmt, cst.SimpleStatementLine) and counter in bound_names(stmt):
            return True
    return False
