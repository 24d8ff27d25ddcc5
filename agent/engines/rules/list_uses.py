"""Every use of a plain local list, read one at a time: how it is bound, which method each
use calls, and whether a use only reads it. Shared by the rules on lists that only grow."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.places import plain_local
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import bound_names, name_nodes, param_names, walk


def uses_of(ctx: FunctionContext, name: str) -> list[tuple[cst.Name, cst.CSTNode | None]]:
    return [(n, ctx.parents.get(id(n))) for n in name_nodes(ctx.fn) if n.value == name]


def method_call(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None) -> str | None:
    """`meth` when `n` is the receiver of a call `n.meth(...)`."""
    if isinstance(parent, cst.Attribute) and parent.value is n:
        call = ctx.parents.get(id(parent))
        if isinstance(call, cst.Call) and call.func is parent:
            return parent.attr.value
    return None


def list_init(ctx: FunctionContext, name: str) -> cst.SimpleStatementLine | None:
    """The single `name = []` binding of a plain local list, if that is how it is bound (a
    parameter of that name is a second binding: the caller's list before it)."""
    if bound_names(ctx.fn).get(name) != 1 or not plain_local(ctx, name):
        return None
    if name in param_names(ctx.fn):
        return None
    for stmt in walk(ctx.fn):
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            small = stmt.body[0]
            target = (
                small.targets[0].target
                if isinstance(small, cst.Assign) and len(small.targets) == 1
                else small.target
                if isinstance(small, cst.AnnAssign)
                else None
            )
            if isinstance(target, cst.Name) and target.value == name:
                value = getattr(small, "value", None)
                return stmt if value is not None and code(value) in ("[]", "list()") else None
    return None


def inside(stmt: cst.CSTNode, node: cst.CSTNode) -> bool:
    return any(n is node for n in walk(stmt))


def read_only(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None) -> bool:
    """Only reads it (returning it hands over the same list either way)."""
    from agent.engines.rules.purity import _unsafe_use

    if isinstance(parent, cst.Return):
        return True
    return not _unsafe_use(n, parent, ctx.parents, frozenset({"index", "count", "copy"}), ctx.fn)
