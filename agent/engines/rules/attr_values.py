"""What `sorted-attribute` must know about the values and names around a list attribute: the
order family of an appended value from how it is built (never from an annotation alone:
nothing enforces one, and a float, NaN or None slipped in would order differently), whether a
value given to `remove` is a plain scalar, and whether a name is rebound where it is used."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.effects import Scope
from agent.engines.rules.ordering import order_family
from agent.engines.rules.syntax import bound_names, code_of, names_in, nested_scope_names, walk
from agent.engines.rules.typeinfo import T

_EXACT_INTS = frozenset({"int", "len"})
"""Builtins whose result is always an exact `int` (`str()` may return a subclass of str)."""


def built_family(scope: Scope, expr: cst.BaseExpression, depth: int = 0) -> str | None:
    """The order family of `expr` from how it is built: int/str/bytes literals, `int(..)`,
    `len(..)`, a negated int, tuples of those, a constructor call of a repository class with
    a fixed order, or a local bound once to one of those; None for anything else."""
    if depth > 4:
        return None
    if isinstance(expr, cst.Integer):
        return "num"
    if isinstance(expr, cst.SimpleString):
        return "bytes" if "b" in expr.prefix.lower() else "str"
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return "num" if built_family(scope, expr.expression, depth + 1) == "num" else None
    if isinstance(expr, cst.Tuple) and expr.elements:
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return None
        parts = [built_family(scope, e.value, depth + 1) for e in expr.elements]
        return None if None in parts else f"({','.join(parts)})"  # type: ignore[arg-type]
    if isinstance(expr, cst.Call):
        if scope.builtin(expr.func) in _EXACT_INTS:
            return "num"
        return _constructed(scope, expr)
    if isinstance(expr, cst.Name):
        value = single_assignment(scope.fn, expr.value)
        return built_family(scope, value, depth + 1) if value is not None else None
    return None


def _constructed(scope: Scope, call: cst.Call) -> str | None:
    """`K(...)` of a repository class with a fixed order, built by `type.__call__` (no
    `__new__`, no metaclass), so the value is a `K`."""
    if not isinstance(call.func, cst.Name) or call.func.value in scope.locals:
        return None
    found = scope.project.lookup(scope.path, call.func.value)
    if found is None or not isinstance(found[1], cst.ClassDef) or found[1].keywords:
        return None
    body = found[1].body.body if isinstance(found[1].body, cst.IndentedBlock) else ()
    if any(isinstance(s, cst.FunctionDef) and s.name.value == "__new__" for s in body):
        return None
    return order_family(scope.project, T(f"obj:{found[1].name.value}"))


def single_assignment(fn: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    """The value of `name = value`, when that is the only binding of `name` in `fn` (not a
    parameter, not reached from a nested scope)."""
    ps = fn.params
    params = {p.name.value for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params)}
    if name in params or bound_names(fn).get(name) != 1 or name in nested_scope_names(fn):
        return None
    for n in walk(fn):
        if isinstance(n, cst.CompFor) and name in names_in(n.target):
            return None
    for n in walk(fn):
        if isinstance(n, cst.Assign) and len(n.targets) == 1:
            target = n.targets[0].target
            if isinstance(target, cst.Name) and target.value == name:
                return n.value
    return None


def plain_scalar(scope: Scope, value: cst.BaseExpression, xs: str, family: str) -> bool:
    """`value` is a scalar whose `==` is ordinary (no repository `__eq__` can answer): built
    as one, or a local bound once to an element of `xs` (`min(xs)`, `max(xs)`, `xs[i]`,
    `xs.pop(..)`) while the list's elements are scalars."""
    built = built_family(scope, value)
    if built is not None:
        return not built.startswith("obj:")
    if family.startswith("obj:") or not isinstance(value, cst.Name):
        return False
    bound = single_assignment(scope.fn, value.value)
    if isinstance(bound, cst.Subscript):
        return code_of(bound.value) == xs
    if not isinstance(bound, cst.Call):
        return False
    if isinstance(bound.func, cst.Attribute) and bound.func.attr.value == "pop":
        return code_of(bound.func.value) == xs
    one = len(bound.args) == 1 and not bound.args[0].keyword and not bound.args[0].star
    return (
        one and scope.builtin(bound.func) in ("min", "max") and code_of(bound.args[0].value) == xs
    )


def binds(fn: cst.FunctionDef, name: str, *, own_params: bool) -> bool:
    """`name` is bound anywhere in `fn`, nested scopes included: a parameter (of `fn` itself
    only with `own_params`), an assignment, a loop or comprehension target, an import, a
    `def`/`class`, a `del`, or a `global`/`nonlocal` declaration."""
    for n in walk(fn, into_scopes=True):
        if isinstance(n, cst.FunctionDef | cst.Lambda) and (own_params or n is not fn):
            ps = n.params
            stars = [s for s in (ps.star_arg, ps.star_kwarg) if isinstance(s, cst.Param)]
            every = (*ps.posonly_params, *ps.params, *ps.kwonly_params, *stars)
            if name in {p.name.value for p in every}:
                return True
        if isinstance(n, cst.FunctionDef | cst.Lambda | cst.ClassDef) and name in bound_names(n):
            return True
        if isinstance(n, cst.CompFor) and name in names_in(n.target):
            return True
    return False


def module_binds(module: cst.Module, name: str, imported: bool) -> bool:
    """`name` is bound at module level other than by the one `import` found (`imported`), or
    declared `global` in any function of the module."""
    if bound_names(module).get(name, 0) != (1 if imported else 0):
        return True
    return any(
        isinstance(n, cst.Global) and name in {i.name.value for i in n.names}
        for n in walk(module, into_scopes=True)
    )
