"""What holds at one point of a method about one of its instance's list attributes: that a
`sort()` of it ran before with nothing in between that could append to it, or that it is not
empty there (for `sorted-attribute`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.effects import Scope, effects_of
from agent.engines.rules.syntax import code_of, walk

if TYPE_CHECKING:
    from agent.engines.rules.attr_uses import Use
    from agent.engines.rules.rewrite import FunctionContext

_OWN_CALLS = frozenset({"pop", "remove", "clear", "index", "count", "sort"})
"""Calls on the list itself that never append to it (removals keep a sorted list sorted)."""
_RECEIVERS = frozenset({"str", "bytes", "list", "tuple", "dict", "set", "frozenset"})
_UNSAFE = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Yield, cst.Await, cst.With)


def _levels(
    ctx: FunctionContext, node: cst.CSTNode, method: cst.FunctionDef
) -> Iterator[tuple[list[cst.BaseStatement], int]]:
    """(block statements, index of the statement holding `node`) for every block around
    `node` inside `method`, innermost first."""
    cur: cst.CSTNode = node
    while cur is not method:
        parent = ctx.parents.get(id(cur))
        if parent is None:
            return
        if isinstance(parent, cst.IndentedBlock):
            body = list(parent.body)
            yield body, next(i for i, s in enumerate(body) if s is cur)
        cur = parent


def _is_sort(stmt: cst.CSTNode, me: str, attr: str) -> bool:
    return code_of(stmt).strip() == f"{me}.{attr}.sort()"


def sorted_before(ctx: FunctionContext, use: Use, scope: Scope, me: str, attr: str) -> bool:
    """A `me.attr.sort()` line precedes `use` in a block around it, and the statements from
    there up to and including the one holding `use` cannot append to the list."""
    for body, index in _levels(ctx, use.node, use.method):
        for i in range(index - 1, -1, -1):
            if _is_sort(body[i], me, attr):
                return all(_cannot_append(scope, s, me, attr) for s in body[i + 1 : index + 1])
    return False


def _own_call(call: cst.Call, me: str, attr: str) -> bool:
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in _OWN_CALLS
        and code_of(func.value) == f"{me}.{attr}"
    )


def _cannot_append(scope: Scope, stmt: cst.CSTNode, me: str, attr: str) -> bool:
    """Nothing in `stmt` can append to `me.attr` (which only the class's methods can reach):
    its calls have no effects (on receivers of known type) or are removals from the list."""
    for n in walk(stmt, into_scopes=True):
        if n is not stmt and isinstance(n, _UNSAFE):
            return False
        if not isinstance(n, cst.Call) or _own_call(n, me, attr):
            continue
        if scope.call(n) is None or not _known_receiver(scope, n):
            return False
    return True


def _known_receiver(scope: Scope, call: cst.Call) -> bool:
    """A method call's receiver has a known type (a builtin container or string, or a
    repository class, whose method the effect analysis judged): an object of unknown type
    may be anything a caller passed, whose method could append to the list."""
    func = call.func
    if not isinstance(func, cst.Attribute) or scope.dotted(func) is not None:
        return True
    kind = scope.env.infer(func.value).kind
    return kind in _RECEIVERS or (kind.startswith("obj:") and kind[4:] in scope.project.classes)


def guarded_nonempty(ctx: FunctionContext, use: Use, me: str, attr: str) -> bool:
    """`use` runs only when `me.attr` holds something: it is the body of `... if me.attr else`,
    or its statement follows `if not me.attr: return/raise` (or opens an `if me.attr:` body)
    with nothing in between that could remove from the list."""
    scope = effects_of(ctx.project).scope(ctx.path, use.method, ctx.cls)
    xs = f"{me}.{attr}"
    parent = ctx.parents.get(id(use.node))
    if isinstance(parent, cst.IfExp) and parent.body is use.node and code_of(parent.test) == xs:
        return True
    for body, index in _levels(ctx, use.node, use.method):
        block = ctx.parents.get(id(body[index]))
        owner = ctx.parents.get(id(block))
        if index == 0 and isinstance(owner, cst.If) and code_of(owner.test) == xs:
            return _unchanged(scope, body[index], use.node)
        for i in range(index - 1, -1, -1):
            if _exits_when_empty(body[i], xs):
                return all(_unchanged(scope, s, use.node) for s in body[i + 1 : index + 1])
        return False
    return False


def _exits_when_empty(stmt: cst.CSTNode, xs: str) -> bool:
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    test = stmt.test
    if not (
        isinstance(test, cst.UnaryOperation)
        and isinstance(test.operator, cst.Not)
        and code_of(test.expression) == xs
    ):
        return False
    body = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ()
    last = body[-1] if body else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(
        last.body[-1], cst.Return | cst.Raise
    )


def _unchanged(scope: Scope, stmt: cst.CSTNode, use: cst.CSTNode) -> bool:
    """`stmt` has no calls with effects (but `use` itself), no `del` and no nested scopes."""
    for n in walk(stmt, into_scopes=True):
        if n is use:
            continue
        if n is not stmt and isinstance(n, (*_UNSAFE, cst.Del)):
            return False
        if isinstance(n, cst.Call) and (scope.call(n) is None or not _known_receiver(scope, n)):
            return False
    return True
