"""Which locals of a function hold containers it made itself (fresh), and which only ever
hold immutable values; shared by the effect summaries."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.inserts import (
    alias_groups,
    element_source,
    element_stores,
    empty_display,
    stored_values,
)
from agent.engines.rules.syntax import (
    names_in,
    walk,
)
from agent.engines.rules.typeinfo import immutable

if TYPE_CHECKING:
    from agent.engines.rules.effects import Scope


_SAFE_DECORATORS = frozenset({"staticmethod", "property"})
_IMMUTABLE_LITERALS = cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString
_ORDER = {"immutable": 0, "fresh": 1, "unknown": 2}


# --- fresh locals ---------------------------------------------------------------------------


def fresh_levels(
    scope: Scope, foreign: frozenset[str] = frozenset()
) -> tuple[dict[str, int], dict[str, int]]:
    """Locals bound only to containers this function creates: 1 when the container is new,
    2 when everything in it is new or immutable too (what is stored into it later, through
    any local that may name it or through an expression reading one of its elements,
    included). A value read back out of such a container (`x = c[k]`, `x = c.get(k)`) is
    as new as what was stored into it. Second: per local, 2 or 1 when its elements are
    themselves containers of the function's own (1: whatever they hold). The `foreign`
    locals are taken to have been handed anything (by a helper changing them)."""
    values: dict[str, list[cst.BaseExpression | None]] = {}
    for n in walk(scope.fn.body):
        copied = copied_first(scope, n) if isinstance(n, cst.For) else None
        for name, value in local_bindings(n):
            if name != copied:  # the loop's own value is only copied, before anything else
                values.setdefault(name, []).append(value)
    for p in scope.params:
        values[p] = [None]
    inserts = stored_values(scope.fn, scope.dotted)
    for name in foreign:
        inserts.setdefault(name, []).append(None)  # a value of no known freshness
    parts = alias_groups(values, inserts, parts=True)
    inside = element_stores(scope.fn, scope.dotted)
    within = _gathered(inserts, parts)
    for name, members in parts.items():
        within[name] += [v for m in members for v in inside.get(m, ())]
    direct = _gathered(inserts, alias_groups(values, inserts, parts=False))
    levels = {name: 2 for name in values}
    elements = {name: 2 for name in values}
    for _ in range(2 * len(values) + 2):  # each round lowers something, or it is done
        new, new_elements = {}, {}
        for name, vs in values.items():
            deep = min((_stored_level(scope, v, levels) for v in within[name]), default=2)
            level = min(_level(scope, v, levels, elements) for v in vs)
            new[name] = 1 if level == 2 and deep < 2 else level
            put = min((_stored_level(scope, v, levels) for v in direct[name]), default=2)
            empty = all(empty_display(v, scope.builtin) for v in vs)
            made = empty or level == 2  # elements the function made: new containers
            new_elements[name] = 2 if new[name] == 2 else (min(put, 1) if new[name] and made else 0)
        if new == levels and new_elements == elements:
            break
        levels, elements = new, new_elements
    return {k: v for k, v in levels.items() if v}, {k: v for k, v in elements.items() if v}


def _gathered(
    inserts: dict[str, list[cst.BaseExpression | None]], groups: dict[str, set[str]]
) -> dict[str, list[cst.BaseExpression | None]]:
    return {
        name: [v for m in members for v in inserts.get(m, ())] for name, members in groups.items()
    }


def bindings_of(fn: cst.FunctionDef) -> dict[str, list[cst.BaseExpression | None]]:
    """Every value each local is bound to in the function's own scope (None where the
    binding has no single value: a loop's target, an `except ... as`)."""
    values: dict[str, list[cst.BaseExpression | None]] = {}
    for n in walk(fn.body):
        for name, value in local_bindings(n):
            values.setdefault(name, []).append(value)
    return values


def read_back(scope: Scope, name: str) -> bool:
    """`name` is bound to an element read back out of a container (it may be None)."""
    return any(element_source(v) is not None for v in bindings_of(scope.fn).get(name, ()))


def _stored_level(scope: Scope, value: cst.BaseExpression | None, levels: dict[str, int]) -> int:
    if value is None:
        return 0
    if immutable_expr(scope, value):
        return 2
    if isinstance(value, cst.Name):
        return levels.get(value.value, 0) if value.value in scope.locals else 0
    return _level(scope, value, levels)


def _read_level(
    scope: Scope, value: cst.BaseExpression, levels: dict[str, int], elements: dict[str, int]
) -> int | None:
    """How new an element read back out of a local container is (None: not such a read)."""
    source = element_source(value)
    if source is None or source[0] not in scope.locals:
        return None
    container, default = source
    level = elements.get(container, 0) if levels.get(container, 0) else 0
    if default is not None:
        level = min(level, _stored_level(scope, default, levels))
    return level


def local_bindings(n: cst.CSTNode) -> list[tuple[str, cst.BaseExpression | None]]:
    if isinstance(n, cst.Assign):
        out: list[tuple[str, cst.BaseExpression | None]] = []
        for t in n.targets:
            out.extend(_unpack(t.target, n.value))
        return out
    if isinstance(n, cst.AnnAssign) and isinstance(n.target, cst.Name):
        return [(n.target.value, n.value)] if n.value is not None else []
    if isinstance(n, cst.AugAssign) and isinstance(n.target, cst.Name):
        return [(n.target.value, n.value if isinstance(n.value, cst.List) else None)]
    if isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name):
        return [(n.target.value, n.value)]
    if isinstance(n, cst.For | cst.CompFor):
        return [(name, None) for name, _ in _unpack(n.target, None)]
    if isinstance(n, cst.WithItem) and n.asname is not None:
        return [(name, None) for name in names_in(n.asname.name)]
    if isinstance(n, cst.ExceptHandler) and n.name is not None:
        return [(n.name.name.value, None)] if isinstance(n.name.name, cst.Name) else []
    return []


def _unpack(
    target: cst.BaseExpression, value: cst.BaseExpression | None
) -> list[tuple[str, cst.BaseExpression | None]]:
    """Names a target binds, each with its value when the value is a display of the same
    shape (`a, b = [], {}`); subscript and attribute targets bind no name."""
    if isinstance(target, cst.Name):
        return [(target.value, value)]
    if isinstance(target, cst.StarredElement):
        return [(name, None) for name, _ in _unpack(target.value, None)]
    if not isinstance(target, cst.Tuple | cst.List):
        return []
    values: list[cst.BaseExpression | None] = [None] * len(target.elements)
    if (
        isinstance(value, cst.Tuple | cst.List)
        and len(value.elements) == len(target.elements)
        and not any(isinstance(e, cst.StarredElement) for e in value.elements)
    ):
        values = [e.value for e in value.elements]
    out = []
    for el, v in zip(target.elements, values, strict=True):
        out.extend(_unpack(el.value, v))
    return out


def _level(
    scope: Scope,
    value: cst.BaseExpression | None,
    levels: dict[str, int],
    elements: dict[str, int] | None = None,
) -> int:
    if value is None:
        return 0
    read = _read_level(scope, value, levels, elements) if elements is not None else None
    if read is not None:
        return read
    if isinstance(value, cst.Name):
        return levels.get(value.value, 0) if value.value in scope.locals else 0
    if isinstance(value, cst.List | cst.Set | cst.Tuple):
        if isinstance(value, cst.Tuple):
            return 0
        return 2 if all(_element_new(scope, e.value, levels) for e in value.elements) else 1
    if isinstance(value, cst.Dict):
        return (
            2
            if all(
                isinstance(e, cst.DictElement) and _element_new(scope, e.value, levels)
                for e in value.elements
            )
            else 1
        )
    if isinstance(value, cst.ListComp | cst.SetComp):
        return 2 if _element_new(scope, value.elt, levels, comp=True) else 1
    if isinstance(value, cst.DictComp):
        return 2 if _element_new(scope, value.value, levels, comp=True) else 1
    if (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.operator, cst.Multiply)
        and isinstance(value.left, cst.List)
    ):
        return 2 if all(immutable_expr(scope, e.value) for e in value.left.elements) else 1
    if isinstance(value, cst.IfExp):
        return min(_level(scope, value.body, levels), _level(scope, value.orelse, levels))
    if _list_slice(scope, value):  # a new list holding the same elements
        return levels.get(value.value.value, 0)  # type: ignore[attr-defined]
    if isinstance(value, cst.Call):
        facts = scope.call(value)
        if facts is None or facts.returns != "fresh":
            return 0
        name = scope.builtin(value.func)
        if name in ("list", "sorted", "set", "dict") and value.args:
            return 2 if immutable(scope.env.infer(value).elem) else 1
        return 2 if facts.deep else 1
    return 0


_COPIES = frozenset({"list", "dict", "set", "sorted"})
"""Builtins that always build a new container (`tuple(t)` may hand `t` back; a `copy`
method may be anything)."""


def copied_first(scope: Scope, loop: cst.For) -> str | None:
    """`x` of `for x in ...:` (or `for k, x in ...:`) whose body starts `x = dict(x)` (or
    `list`, `set`, `sorted`): what the loop binds is read once, by the copy, and from then
    on `x` holds the copy."""
    from agent.engines.rules.places import single_binding

    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    target, value = (single_binding(body[0]) if body else None) or (None, None)
    if not isinstance(target, cst.Name) or target.value not in _plain_targets(loop.target):
        return None
    if not isinstance(value, cst.Call) or len(value.args) != 1 or value.args[0].keyword:
        return None
    arg = value.args[0]
    if arg.star or not isinstance(arg.value, cst.Name) or arg.value.value != target.value:
        return None
    return target.value if scope.builtin(value.func) in _COPIES else None


def _plain_targets(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, cst.Tuple | cst.List):
        return {e.value.value for e in target.elements if isinstance(e.value, cst.Name)}
    return set()


def _list_slice(scope: Scope, value: cst.BaseExpression) -> bool:
    """`c[a:b]` of a local `c` bound only to list displays, list comprehensions and such
    slices of itself (an annotation may say `list` of anything)."""
    name = _sliced(value)
    if name is None or name not in scope.locals or name in scope.params:
        return False
    bound = bindings_of(scope.fn).get(name, [])
    return all(isinstance(v, cst.List | cst.ListComp) or _sliced(v) == name for v in bound)


def _sliced(value: cst.BaseExpression | None) -> str | None:
    """`c` of `c[a:b]`."""
    if not isinstance(value, cst.Subscript) or not isinstance(value.value, cst.Name):
        return None
    if len(value.slice) != 1 or not isinstance(value.slice[0].slice, cst.Slice):
        return None
    return value.value.value


def container_level(scope: Scope, value: cst.BaseExpression) -> int:
    """2 when `value` is a container made here whose elements are new or immutable too, 1
    when only the container is new, 0 otherwise (by the function's fresh locals)."""
    return _level(scope, value, scope.fresh)


def _element_new(
    scope: Scope, expr: cst.BaseExpression, levels: dict[str, int], comp: bool = False
) -> bool:
    if immutable_expr(scope, expr):
        return True
    if isinstance(expr, cst.Name) and not comp:
        return False
    return _level(scope, expr, levels) == 2 and not isinstance(expr, cst.Name)


def immutable_expr(scope: Scope, expr: cst.BaseExpression) -> bool:
    if isinstance(expr, _IMMUTABLE_LITERALS | cst.FormattedString | cst.ConcatenatedString):
        return True
    if isinstance(expr, cst.Comparison):
        return True
    if isinstance(expr, cst.Name):
        if expr.value not in scope.locals and immutable(scope.env.get(expr.value)):
            return True  # a module constant such as `ZERO = Decimal("0")`
        return expr.value in ("None", "True", "False") or expr.value in scope.immutables
    if isinstance(expr, cst.UnaryOperation):
        return immutable_expr(scope, expr.expression)
    if isinstance(expr, cst.BinaryOperation | cst.BooleanOperation):
        return immutable_expr(scope, expr.left) and immutable_expr(scope, expr.right)
    if isinstance(expr, cst.IfExp):
        return immutable_expr(scope, expr.body) and immutable_expr(scope, expr.orelse)
    if isinstance(expr, cst.Subscript | cst.Attribute) and immutable_expr(scope, expr.value):
        return True
    if isinstance(expr, cst.Tuple):
        return all(immutable_expr(scope, e.value) for e in expr.elements)
    return scope.immutable_value(expr)


_AN_INT = cst.Integer("0")
"""What a loop counter holds, as far as immutability goes."""


def loop_counters(scope: Scope, n: cst.CSTNode) -> set[str]:
    """The names a `for` binds to ints: its target over the builtin `range(...)`, the index
    of the builtin `enumerate(...)` (both raise TypeError before yielding anything else)."""
    if not isinstance(n, cst.For | cst.CompFor) or not isinstance(n.iter, cst.Call):
        return set()
    maker = scope.builtin(n.iter.func)
    if maker == "range" and isinstance(n.target, cst.Name):
        return {n.target.value}
    target = n.target
    if maker == "enumerate" and isinstance(target, cst.Tuple | cst.List) and target.elements:
        first = target.elements[0].value
        if len(target.elements) == 2 and isinstance(first, cst.Name):
            return {first.value}
    return set()


def immutable_locals(scope: Scope, assume: frozenset[str] = frozenset()) -> set[str]:
    """Locals that only ever hold immutable values (numbers, strings, dates, ...); the
    parameters in `assume` count as holding such values, with all they reach."""
    values: dict[str, list[cst.BaseExpression | None]] = {}
    for n in walk(scope.fn.body):
        if isinstance(n, cst.AugAssign) and isinstance(n.target, cst.Name):
            values.setdefault(n.target.value, []).append(n.value)
            continue
        counters = loop_counters(scope, n)
        for name, value in local_bindings(n):
            values.setdefault(name, []).append(_AN_INT if name in counters else value)
    for p in scope.params:
        if not immutable(scope.env.get(p)) and p not in assume:
            values[p] = [None]
    scope.immutables = {n for n in scope.locals if immutable(scope.env.get(n))} | set(values)
    scope.immutables |= assume
    for _ in range(6):
        keep = {
            name
            for name in scope.immutables
            if all(v is not None and immutable_expr(scope, v) for v in values.get(name, []))
        }
        if keep == scope.immutables:
            break
        scope.immutables = keep
    return scope.immutables


def element_of_new(
    expr: cst.BaseExpression, levels: dict[str, int], elements: dict[str, int]
) -> bool:
    """`c[k]` or `c.setdefault(k, d)` of a local whose every element is a container of the
    function's own (`elements`): changing that element changes nothing the function was
    given (what the element holds is not changed)."""
    if isinstance(expr, cst.Subscript):
        base = expr.value
        if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
            return False
    elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        base = expr.func.value
        if expr.func.attr.value != "setdefault" or len(expr.args) != 2:
            return False
    else:
        return False
    if not isinstance(base, cst.Name):
        return False
    return levels.get(base.value, 0) >= 1 and elements.get(base.value, 0) >= 1
