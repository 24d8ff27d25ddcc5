"""Can the objects a call's arguments reach change while a loop runs? A pure loop changes
only the function's own fresh containers; this says which ones, and whether an argument
may reach one of them."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.freshness import bindings_of
from agent.engines.rules.inserts import alias_groups, stored_values
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.stdlib import MUTATING_METHODS, MUTATING_STDLIB
from agent.engines.rules.syntax import walk


def changed_containers(ctx: FunctionContext, loop: cst.CSTNode) -> set[str] | None:
    """The locals whose containers `loop` changes (`c[k] = v`, `c.x = v`, `c.append(v)`,
    `heapq.heappush(c, v)`, `del c[k]`, `c[k] += v`), or None when it changes one that is
    not named by a local."""
    out: set[str] = set()
    for n in walk(loop, into_scopes=True):
        targets: list[cst.BaseExpression] = []
        if isinstance(n, cst.Assign):
            targets = [t.target for t in n.targets]
        elif isinstance(n, cst.AugAssign | cst.AnnAssign | cst.Del | cst.For | cst.CompFor):
            targets = [n.target]
        elif isinstance(n, cst.Call):
            receiver = _changed_by_call(ctx, n)
            if receiver is False:
                return None
            if isinstance(receiver, str):
                out.add(receiver)
        for target in targets:
            if not _collect(target, out):
                return None
    return out


def _collect(target: cst.BaseExpression, out: set[str]) -> bool:
    if isinstance(target, cst.Name):
        return True
    if isinstance(target, cst.Tuple | cst.List):
        return all(_collect(e.value, out) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _collect(target.value, out)
    base = target
    while isinstance(base, cst.Subscript | cst.Attribute):
        base = base.value
    if isinstance(base, cst.Name):
        out.add(base.value)
        return True
    return False


def _changed_by_call(ctx: FunctionContext, call: cst.Call) -> str | bool | None:
    """The local a call changes, None for none, False for one that is not a local."""
    name = ctx.scope.dotted(call.func)
    position = MUTATING_STDLIB.get(name) if name is not None else None
    if position is not None:
        target = call.args[position].value if len(call.args) > position else None
        return target.value if isinstance(target, cst.Name) else False
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in MUTATING_METHODS:
        base = func.value
        while isinstance(base, cst.Subscript | cst.Attribute):
            base = base.value
        return base.value if isinstance(base, cst.Name) else False
    return None


def arguments_stable(ctx: FunctionContext, loop: cst.CSTNode, names: set[str]) -> bool:
    """No container that the locals `names` may reach changes while `loop` runs (the loop is
    known pure: it changes only fresh containers). A name reaches a changed container when
    it is one, may name the same one or a part of it, or holds the caller's objects into
    which the function may have stored one of its own (it never does when it is pure)."""
    changed = changed_containers(ctx, loop)
    if changed is None:
        return False
    if not changed:
        return True
    scope = ctx.scope
    values = bindings_of(ctx.fn)
    for p in scope.params:
        values.setdefault(p, []).append(None)
    groups = alias_groups(values, stored_values(ctx.fn, scope.dotted), parts=True)
    touched = set().union(*(groups.get(c, {c}) for c in changed))
    whole_pure: bool | None = None
    for name in names:
        if name in scope.immutables:
            continue
        if name in touched:
            return False
        if scope.fresh.get(name, 0) >= 1:
            continue  # an own container of a group the loop does not change
        foreign = name not in scope.locals or (name in scope.params and values[name] == [None])
        if not foreign:
            return False
        if whole_pure is None:
            whole_pure = scope.pure(ctx.fn.body)
        if not whole_pure:
            return False
    return True
