"""Whether a loop leaves the records a join indexes as they are: the function's own
containers a pure loop may still change must not be, or hold, or be held by, the records."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.freshness import bindings_of
from agent.engines.rules.inserts import alias_groups, stored_values
from agent.engines.rules.places import store_target
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import bound_names, names_in, param_names, walk

_READERS = frozenset(
    {"len", "sorted", "list", "tuple", "set", "frozenset", "sum", "min", "max", "any", "all"}
)
"""Builtins that read a list they are given and keep nothing of it."""


def kept_by(
    ctx: FunctionContext, loop: cst.CSTNode, records: cst.BaseExpression, scan: cst.CSTNode
) -> bool:
    """`loop` leaves the collection `records` names as it is. A pure loop may still change
    the function's own containers, so when `records` is rooted in a local the function binds
    (not a parameter), every mention of that local in the loop but the one the scan reads
    must be `records`, read: iterated, indexed, tested with `in`, or given to a builtin that
    only reads it (a get-or-create loop that appends to the list it searches would leave an
    index behind); and outside the loop the local is never aliased or handed on (bound,
    read, returned, or a method's receiver: `seen.append(x)` before the loop), nor seen by
    a nested function."""
    root = records
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name) or root.value not in bound_names(ctx.fn):
        return True
    if root.value in param_names(ctx.fn):
        return True
    held = held_in(ctx, root.value)
    if any(isinstance(n, cst.Name) and n.value in held for n in walk(loop, into_scopes=True)):
        return False  # an object of the function's own that is (or may be) one of the records
    scanned = {id(n) for node in _scanned(scan) for n in walk(node)}
    within = {id(n) for n in walk(loop)}
    text = code(records)
    for n in walk(ctx.fn, into_scopes=True):
        if not isinstance(n, cst.Name) or n.value != root.value or id(n) in scanned:
            continue
        if _nested(ctx, n):
            return False
        whole = _chain(ctx, n, text)
        if id(n) in within:
            if whole is None or not _read(ctx, whole):
                return False
        elif not _outside_ok(ctx, n, whole):
            return False
    return True


def held_in(ctx: FunctionContext, name: str) -> set[str]:
    """The function's own containers and objects that the local `name` may hold, or hold
    through others, or that name a part of it: what is put in it (`rows = [rec]`,
    `rows.append(rec)`) and what is read back out of it (`rec = rows[0]`)."""
    values = bindings_of(ctx.fn)
    inserts = stored_values(ctx.fn, ctx.scope.dotted)
    groups = alias_groups(values, inserts, parts=True)
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        related = set(groups.get(current, {current}))
        for value in (*values.get(current, ()), *inserts.get(current, ())):
            related |= names_in(value) if value is not None else set()
        todo += [r for r in related if r in values]
    return {n for n in seen - {name} if ctx.scope.fresh.get(n, 0) >= 1}


def _scanned(scan: cst.CSTNode) -> list[cst.CSTNode]:
    """The expression the scan reads the records from (a loop's or comprehension's
    iterable, or a helper call's arguments)."""
    if isinstance(scan, cst.For):
        return [scan.iter]
    if isinstance(scan, cst.BaseComp):
        return [scan.for_in.iter]
    if isinstance(scan, cst.Call):
        return [a.value for a in scan.args]
    return []


def _nested(ctx: FunctionContext, n: cst.CSTNode) -> bool:
    cur = ctx.parents.get(id(n))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, cst.FunctionDef | cst.Lambda | cst.ClassDef):
            return True
        cur = ctx.parents.get(id(cur))
    return False


def _chain(ctx: FunctionContext, n: cst.CSTNode, text: str) -> cst.CSTNode | None:
    """The `records` expression `n` begins (`n` or `n.a.b`), or None."""
    whole: cst.CSTNode = n
    while code(whole) != text:
        up = ctx.parents.get(id(whole))
        if not isinstance(up, cst.Attribute) or up.value is not whole:
            return None
        whole = up
    return whole


def _outside_ok(ctx: FunctionContext, n: cst.Name, whole: cst.CSTNode | None) -> bool:
    """A mention outside the loop that hands the collection to nothing: a binding, a read,
    `return`, or the receiver of a method call."""
    parent = ctx.parents.get(id(n))
    if isinstance(parent, cst.AssignTarget | cst.For | cst.CompFor) and parent.target is n:
        return True
    if isinstance(parent, cst.Return):
        return True
    node = whole if whole is not None else n
    up = ctx.parents.get(id(node))
    if isinstance(up, cst.Attribute) and up.value is node:
        call = ctx.parents.get(id(up))
        return isinstance(call, cst.Call) and call.func is up
    return whole is not None and _read(ctx, whole)


def _read(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    parent = ctx.parents.get(id(node))
    if isinstance(parent, cst.For | cst.CompFor) and parent.iter is node:
        return True
    if isinstance(parent, cst.ComparisonTarget) and parent.comparator is node:
        return isinstance(parent.operator, cst.In | cst.NotIn)
    if isinstance(parent, cst.Subscript) and parent.value is node:
        return not store_target(ctx, parent)
    if isinstance(parent, cst.Arg) and not parent.keyword and not parent.star:
        call = ctx.parents.get(id(parent))
        return isinstance(call, cst.Call) and ctx.scope.builtin(call.func) in _READERS
    return False
