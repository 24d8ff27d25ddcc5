"""Flow-insensitive type inference of a function's locals from annotations, literals and
builtin calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import libcst as cst

from agent.engines.rules.syntax import names_in
from agent.engines.rules.typeinfo import (
    BOOL,
    BYTES,
    FLOAT,
    INT,
    NONE,
    STR,
    STR_TO_BOOL,
    STR_TO_INT,
    STR_TO_LIST,
    STR_TO_STR,
    UNKNOWN,
    T,
    elem_of,
    join,
)


class TypeEnv:
    """Flow-insensitive types of a function's local names."""

    def __init__(self, names: dict[str, T] | None = None) -> None:
        self.names: dict[str, T] = dict(names or {})

    def get(self, name: str) -> T:
        return self.names.get(name, UNKNOWN)

    def infer(self, expr: cst.BaseExpression, local: dict[str, T] | None = None) -> T:
        """The type of `expr` given the names' types, or UNKNOWN."""
        env = {**self.names, **(local or {})}
        return infer_in(expr, env)


def _target_bindings(target: cst.BaseExpression, t: T) -> Iterator[tuple[str, T]]:
    if isinstance(target, cst.Name):
        yield target.value, t
    elif isinstance(target, cst.Tuple | cst.List):
        elems = target.elements
        for i, el in enumerate(elems):
            if isinstance(el, cst.StarredElement):
                for name in names_in(el.value):
                    yield name, UNKNOWN
                continue
            if t.items is not None and len(t.items) == len(elems):
                sub = t.items[i]
            elif t.kind == "tuple" and t.items is None and t.elem is not None:
                sub = t.elem
            else:
                sub = UNKNOWN
            yield from _target_bindings(el.value, sub)
    else:
        for name in names_in(target):
            if _is_bound_name(target, name):
                yield name, UNKNOWN


def _is_bound_name(target: cst.BaseExpression, name: str) -> bool:
    return isinstance(target, cst.Name) and target.value == name


def comp_env(comp: cst.BaseSimpleComp | cst.DictComp, env: dict[str, T]) -> dict[str, T]:
    local = dict(env)
    clause: cst.CompFor | None = comp.for_in
    while clause is not None:
        it = infer_in(clause.iter, local)
        local.update(_target_bindings(clause.target, elem_of(it)))
        clause = clause.inner_for_in
    return local


Env = dict[str, T]


def infer_in(expr: cst.BaseExpression, env: Env) -> T:
    """The type of `expr` given the types of the names in `env`, or UNKNOWN."""
    for kinds, rule in _INFERENCE:
        if isinstance(expr, kinds):
            return rule(expr, env)
    return UNKNOWN


def _literal(expr: cst.BaseExpression, env: Env) -> T:
    if isinstance(expr, cst.Integer):
        return INT
    if isinstance(expr, cst.Float):
        return FLOAT
    if isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower():
        return BYTES
    return STR


def _name(expr: cst.Name, env: Env) -> T:
    if expr.value in ("True", "False"):
        return BOOL
    if expr.value == "None":
        return NONE
    return env.get(expr.value, UNKNOWN)


def _unary(expr: cst.UnaryOperation, env: Env) -> T:
    if isinstance(expr.operator, cst.Not):
        return BOOL
    inner = infer_in(expr.expression, env)
    return inner if inner.kind in ("int", "float", *_EXACT) else UNKNOWN


_EXACT = ("obj:Decimal", "obj:Fraction")
_EXACT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.Modulo)


def _exact(expr: cst.BinaryOperation, left: T, right: T) -> T | None:
    """Decimal or Fraction arithmetic with its own kind or ints keeps the kind (`**` and `//`
    of Fractions may give floats and ints, so they are left out)."""
    kinds = {left.kind, right.kind}
    for kind in _EXACT:
        if kind in kinds and kinds <= {kind, "int"}:
            operators = (*_EXACT_OPERATORS, cst.Power, cst.FloorDivide)
            if isinstance(expr.operator, _EXACT_OPERATORS if kind == "obj:Fraction" else operators):
                return T(kind)
    return None


def _binary(expr: cst.BinaryOperation, env: Env) -> T:
    left, right = infer_in(expr.left, env), infer_in(expr.right, env)
    exact = _exact(expr, left, right)
    if exact is not None:
        return exact
    if isinstance(expr.operator, cst.Add):
        if left.kind == right.kind == "str":
            return STR
        if left.kind == right.kind == "list":
            return T("list", elem=left.elem if left.elem == right.elem else UNKNOWN)
    if isinstance(expr.operator, cst.Modulo) and left.kind == "str":
        return STR
    if left.kind == right.kind == "int" and not isinstance(expr.operator, cst.Divide):
        return INT
    if {left.kind, right.kind} <= {"int", "float"} and (
        left.kind == "float" or right.kind == "float" or isinstance(expr.operator, cst.Divide)
    ):
        return FLOAT
    return UNKNOWN


def _display(expr: cst.List | cst.Set | cst.Tuple, env: Env) -> T:
    types = [
        UNKNOWN if isinstance(e, cst.StarredElement) else infer_in(e.value, env)
        for e in expr.elements
    ]
    if isinstance(expr, cst.Tuple):
        return T("tuple", items=tuple(types))
    elem: T | None = None
    for t in types:
        elem = join(elem, t)
    kind = "list" if isinstance(expr, cst.List) else "set"
    return T(kind, elem=elem or T("empty"))


def _dict(expr: cst.Dict, env: Env) -> T:
    if not expr.elements:
        return T("dict", elem=T("empty"), value=T("empty"))
    keys: T | None = None
    values: T | None = None
    for el in expr.elements:
        if not isinstance(el, cst.DictElement):
            return T("dict", elem=UNKNOWN, value=UNKNOWN)
        keys, values = join(keys, infer_in(el.key, env)), join(values, infer_in(el.value, env))
    return T("dict", elem=keys, value=values)


def _comprehension(expr: cst.BaseComp, env: Env) -> T:
    local = comp_env(expr, env)  # type: ignore[arg-type]
    if isinstance(expr, cst.DictComp):
        return T("dict", elem=infer_in(expr.key, local), value=infer_in(expr.value, local))
    elt = infer_in(expr.elt, local)  # type: ignore[attr-defined]
    kind = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "iterable"}[type(expr)]
    return T(kind, elem=elt)


def _subscript(expr: cst.Subscript, env: Env) -> T:
    base = infer_in(expr.value, env)
    is_slice = any(isinstance(e.slice, cst.Slice) for e in expr.slice)
    if base.kind in ("str", "bytes") or (base.kind == "list" and is_slice):
        return base
    if base.kind == "list":
        return base.elem or UNKNOWN
    if base.kind in ("dict", "mapping") and not is_slice:
        return base.value or UNKNOWN
    if base.kind == "tuple" and not is_slice:
        idx = expr.slice[0].slice
        if base.items is not None and isinstance(idx, cst.Index):
            if isinstance(idx.value, cst.Integer):
                i = int(idx.value.value, 0)
                return base.items[i] if i < len(base.items) else UNKNOWN
            return UNKNOWN
        return base.elem or UNKNOWN
    return UNKNOWN


def _attribute(expr: cst.Attribute, env: Env) -> T:
    base = infer_in(expr.value, env)
    if base.kind.startswith("obj:"):
        return env.get(f"{base.kind[4:]}.{expr.attr.value}", UNKNOWN)
    return UNKNOWN


def _if_exp(expr: cst.IfExp, env: Env) -> T:
    return join(infer_in(expr.body, env), infer_in(expr.orelse, env))


def _call(expr: cst.Call, env: Env) -> T:
    func = expr.func
    args = [a.value for a in expr.args if not a.keyword and not a.star]
    if isinstance(func, cst.Name) and f"(){func.value}" in env:
        return env[f"(){func.value}"]
    if isinstance(func, cst.Name) and func.value not in env:
        first = infer_in(args[0], env) if args else UNKNOWN
        fixed = _BUILTIN_RESULTS.get(func.value)
        if fixed is not None:
            return fixed
        return _builtin_call(func.value, expr, args, first, env)
    if isinstance(func, cst.Attribute):
        if isinstance(func.value, cst.Name) and func.value.value not in env:
            made = env.get(f"(){func.value.value}.{func.attr.value}")
            if made is not None:
                return made  # `decimal.Decimal(...)` through the module's import
        return _method_call(func, env)
    return UNKNOWN


_BUILTIN_RESULTS = {
    "str": STR,
    "repr": STR,
    "chr": STR,
    "len": INT,
    "ord": INT,
    "hash": INT,
    "int": INT,
    "float": FLOAT,
    "bool": BOOL,
    "isinstance": BOOL,
    "any": BOOL,
    "all": BOOL,
    "range": T("iterable", elem=INT),
}


def _builtin_call(
    name: str, expr: cst.Call, args: list[cst.BaseExpression], first: T, env: Env
) -> T:
    if name in ("list", "sorted"):
        return T("list", elem=elem_of(first) if args else T("empty"))
    if name in ("set", "frozenset"):
        return T(name, elem=elem_of(first) if args else T("empty"))
    if name == "tuple":
        return T("tuple", elem=elem_of(first) if args else UNKNOWN)
    if name == "reversed":
        return T("iterable", elem=elem_of(first))
    if name == "enumerate":
        return T("iterable", elem=T("tuple", items=(INT, elem_of(first))))
    if name == "zip" and args and all(not a.keyword for a in expr.args):
        return T("iterable", elem=T("tuple", items=tuple(elem_of(infer_in(a, env)) for a in args)))
    if name in ("min", "max") and len(args) == 1 and len(expr.args) == 1:
        return elem_of(first)
    if name == "abs" and first.kind in ("int", "float"):
        return first
    if name == "dict" and not expr.args:
        return T("dict", elem=T("empty"), value=T("empty"))
    return UNKNOWN


def _method_call(func: cst.Attribute, env: Env) -> T:
    recv = infer_in(func.value, env)
    meth = func.attr.value
    if recv.kind.startswith("obj:"):
        return env.get(f"{recv.kind[4:]}.{meth}()", UNKNOWN)
    if recv.kind == "str":
        if meth in STR_TO_STR:
            return STR
        if meth in STR_TO_LIST:
            return T("list", elem=STR)
        if meth in STR_TO_INT:
            return INT
        if meth in STR_TO_BOOL:
            return BOOL
        if meth == "encode":
            return BYTES
    if isinstance(func.value, cst.SimpleString) and meth == "join":
        return STR
    if recv.kind in ("dict", "mapping"):
        key, value = recv.elem or UNKNOWN, recv.value or UNKNOWN
        if meth == "keys":
            return T("iterable", elem=key)
        if meth == "values":
            return T("iterable", elem=value)
        if meth == "items":
            return T("iterable", elem=T("tuple", items=(key, value)))
    return UNKNOWN


_INFERENCE: tuple[tuple[Any, Callable[[Any, Env], T]], ...] = (
    ((cst.SimpleString, cst.FormattedString, cst.ConcatenatedString), _literal),
    ((cst.Integer, cst.Float), _literal),
    (cst.Name, _name),
    (cst.Comparison, lambda _e, _env: BOOL),
    (cst.UnaryOperation, _unary),
    (cst.BinaryOperation, _binary),
    ((cst.List, cst.Set, cst.Tuple), _display),
    (cst.Dict, _dict),
    ((cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp), _comprehension),
    (cst.Subscript, _subscript),
    (cst.Call, _call),
    (cst.Attribute, _attribute),
    (cst.IfExp, _if_exp),
)
