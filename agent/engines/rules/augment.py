"""Augmented assignments change in place what their target holds when it is mutable
(`rows += more` extends the list `rows` names; `groups[k] |= tags` updates the set in
`groups`): such a statement is an effect on that object, not only a new binding."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.syntax import walk
from agent.engines.rules.typeinfo import immutable

if TYPE_CHECKING:
    from agent.engines.rules.effects import Scope


def augment_ok(scope: Scope, target: cst.BaseExpression) -> bool:
    """`target op= value` changes nothing but the function's own objects: a local that is
    not a parameter (or one known to hold an immutable value), or an item or attribute of a
    container whose elements are the function's own too."""
    if isinstance(target, cst.Name):
        name = target.value
        if immutable(scope.env.get(name)) or scope.fresh.get(name, 0) >= 1:
            return True
        return name not in scope.params and _own_values(scope, name)
    if isinstance(target, cst.Subscript):
        inner = cst.Subscript(target, [cst.SubscriptElement(cst.Index(cst.Integer("0")))])
        return scope.store_ok(inner)  # as a store into what the item holds
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
        return scope.fresh.get(target.value.value, 0) >= 2
    return False


def _own_values(scope: Scope, name: str) -> bool:
    """Every value bound to the local (but by augmenting it) is immutable or a container the
    function made: it never names a caller's object (`x = rows[0]`, `for x in rows`)."""
    from agent.engines.rules.freshness import container_level, immutable_expr, local_bindings

    for n in walk(scope.fn.body, into_scopes=True):
        if isinstance(n, cst.AugAssign):
            continue
        for bound, value in local_bindings(n):
            if bound != name:
                continue
            if value is None:
                return False
            if not (immutable_expr(scope, value) or container_level(scope, value) >= 1):
                return False
    return True
