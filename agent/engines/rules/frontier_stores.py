"""Where `keyed-frontier`'s key dicts change: every store to a dict, when the dict is bound
once at the top of the function to a plain dict and every other use only reads it."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import bound_names, name_nodes, names_in, nested_scope_names, walk

READERS = frozenset({"len", "set", "list", "sorted", "tuple", "dict", "min", "max", "sum"})
DICT_READS = frozenset({"get", "__getitem__", "keys", "values", "items", "copy"})


def dict_stores(
    ctx: FunctionContext, body: Sequence[cst.CSTNode], d: str
) -> list[tuple[cst.CSTNode, cst.CSTNode, int]] | None:
    """(statement line, index, top-level position) of every store to the dict `d`, when `d`
    is bound once at the top of the body to a plain dict and otherwise only read."""
    tops = [i for i, stmt in enumerate(body) if bound_at(stmt, ("dict",)) == (d, "dict")]
    if len(tops) != 1 or bound_names(ctx.fn).get(d) != 1:
        return None
    stores = []
    for n in name_nodes(ctx.fn):
        if n.value != d:
            continue
        up = ctx.parents.get(id(n))
        if isinstance(up, cst.AssignTarget):
            line = ctx.parents.get(id(ctx.parents.get(id(up))))
            if line is body[tops[0]]:
                continue
            return None
        if isinstance(up, cst.Subscript) and up.value is n:
            kind = _subscript_use(ctx, up)
            if kind is None:
                return None
            if kind != "load":
                stores.append((*kind, _top_index(ctx, body, up)))
        elif not _dict_read(ctx, n, up):
            return None
    return stores


def _subscript_use(ctx: FunctionContext, sub: cst.Subscript) -> tuple | str | None:
    """`"load"`; for a store, (line, index), with None for either that the helper could not
    be told of by a statement after it; None for any other use."""
    up = ctx.parents.get(id(sub))
    small = ctx.parents.get(id(up)) if isinstance(up, cst.AssignTarget) else up
    if isinstance(up, cst.AssignTarget) or (isinstance(up, cst.AugAssign) and up.target is sub):
        line = ctx.parents.get(id(small))
        index = sub.slice[0].slice if len(sub.slice) == 1 else None
        own_line = (
            isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
            and isinstance(ctx.parents.get(id(line)), cst.IndentedBlock)
            and (isinstance(small, cst.AugAssign) or len(getattr(small, "targets", ())) == 1)
        )
        if isinstance(index, cst.Index) and _simple_index(index.value):
            return (line if own_line else None), index.value
        return (line if own_line else None), None
    node: cst.CSTNode = sub
    while isinstance(up, cst.Element | cst.StarredElement | cst.Tuple | cst.List):
        node, up = up, ctx.parents.get(id(up))
    targets = (cst.AssignTarget, cst.Del, cst.AsName, cst.AnnAssign, cst.AugAssign)
    if isinstance(up, targets) or (isinstance(up, cst.For | cst.CompFor) and up.target is node):
        return None
    return "load"


def rebinds_index(ctx: FunctionContext, line: cst.CSTNode, index: cst.CSTNode) -> bool:
    """The store's own statement may rebind a name of its index (`:=`, or a nested
    function's `nonlocal`), so `touch` after it would name another key."""
    if any(isinstance(n, cst.NamedExpr) for n in walk(line, into_scopes=True)):
        return True
    return bool(names_in(index) & nested_scope_names(ctx.fn))


def _simple_index(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Tuple):
        return all(
            isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in node.elements
        )
    return isinstance(node, cst.Name | cst.Integer | cst.SimpleString)


def _dict_read(ctx: FunctionContext, n: cst.Name, up: cst.CSTNode | None) -> bool:
    """A use of the dict that cannot change it (nor hand it to code that could)."""
    if isinstance(up, cst.Attribute) and up.value is n:
        return up.attr.value in DICT_READS  # called or not (`key=cost.get`): only reads
    if isinstance(up, cst.ComparisonTarget) and up.comparator is n:
        return isinstance(up.operator, cst.In | cst.NotIn)
    if isinstance(up, cst.Arg) and not up.keyword and not up.star:
        call = ctx.parents.get(id(up))
        return isinstance(call, cst.Call) and code(call.func) in READERS
    if isinstance(up, cst.For | cst.CompFor) and up.iter is n:
        return True
    node: cst.CSTNode = n
    while isinstance(up, cst.Element | cst.Tuple):  # `return order, best`
        node, up = up, ctx.parents.get(id(up))
    return isinstance(up, cst.Return) and up.value is node


def _top_index(ctx: FunctionContext, body: Sequence[cst.CSTNode], node: cst.CSTNode) -> int:
    cur: cst.CSTNode | None = node
    while cur is not None and not any(cur is stmt for stmt in body):
        cur = ctx.parents.get(id(cur))
    return next(i for i, stmt in enumerate(body) if stmt is cur)


def bound_at(stmt: cst.CSTNode, kinds: tuple[str, ...]) -> tuple[str, str] | None:
    """(name, kind) when `stmt` is `name = <a constructor or display of one of kinds>`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target, value = small.targets[0].target, small.value
    if not isinstance(target, cst.Name):
        return None
    kind = None
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
        if value.func.value in kinds and len(value.args) <= 1:
            kind = value.func.value
        if value.func.value == "dict":
            kind = "dict"
    elif isinstance(value, cst.Set | cst.SetComp):
        kind = "set"
    elif isinstance(value, cst.List | cst.ListComp):
        kind = "list"
    elif isinstance(value, cst.Dict | cst.DictComp):
        kind = "dict"
    if kind not in kinds or any(a.star or a.keyword for a in getattr(value, "args", ())):
        return None
    return target.value, kind
