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


_NUMBERS = frozenset({"int", "float", "bool", "obj:Decimal", "obj:Fraction"})


def augment_ok(scope: Scope, node: cst.AugAssign) -> bool:
    """`target op= value` changes nothing but the function's own objects: a local that is
    not a parameter and never holds a caller's object (or one known to hold an immutable
    value), or an item or attribute of a container of the function's own that either holds
    only its own objects too or is only counted on (`+=`/`-=` of a number, which no list,
    set or dict takes in place: they raise)."""
    target = node.target
    if isinstance(target, cst.Name):
        name = target.value
        if immutable(scope.env.get(name)) or scope.fresh.get(name, 0) >= 1:
            return True
        return name not in scope.params and _own_values(scope, name)
    counted = isinstance(node.operator, cst.AddAssign | cst.SubtractAssign) and (
        scope.env.infer(node.value).kind in _NUMBERS
    )
    if isinstance(target, cst.Subscript):
        inner = cst.Subscript(target, [cst.SubscriptElement(cst.Index(cst.Integer("0")))])
        return scope.store_ok(target if counted else inner)  # else: a store into the item
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
        return scope.fresh.get(target.value.value, 0) >= (1 if counted else 2)
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
            if not (
                immutable_expr(scope, value) or container_level(scope, value) >= 1 or _scaled(value)
            ):
                return False
    return True


def _scaled(value: cst.BaseExpression) -> bool:
    """A value scaled by a number literal other than 0 and 1 (`mark / top * 100.0`): a new
    value, as every number type makes one. Not `0 + x` nor `x * 1`: a class may hand back
    its operand there (`__radd__` returning `self` for 0 is how `sum` is supported)."""
    if not isinstance(value, cst.BinaryOperation):
        return False
    scales = (cst.Multiply, cst.Divide, cst.FloorDivide, cst.Power)
    right = value.right
    if not isinstance(value.operator, scales) or not isinstance(right, cst.Integer | cst.Float):
        return False
    return float(right.evaluated_value) not in (0.0, 1.0)
