"""What a function puts into its own containers, and which of its locals may name the same
container: the facts `freshness.py` needs before it may call a container new all the way
down, or call a value read back out of one a container of the function's own."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from agent.engines.rules.stdlib import MUTATING_METHODS, MUTATING_STDLIB
from agent.engines.rules.syntax import walk

_TAKING_METHODS = frozenset(
    {"pop", "remove", "clear", "sort", "reverse", "discard", "popitem", "popleft", "rotate"}
)
"""Mutating methods that take elements out or reorder them: their arguments are not stored."""

Inserts = dict[str, list[cst.BaseExpression | None]]
"""Local name -> the values stored into the container it names (None: not known)."""


Resolver = Callable[[cst.BaseExpression], str | None]


def stored_values(fn: cst.FunctionDef, dotted: Resolver) -> Inserts:
    """Every value stored into a container through a local name: `c[k] = v`, `c.append(v)`,
    `c.setdefault(k, v)`, `c.update(m)`, `heapq.heappush(c, v)`, `for c[k] in ...`.
    `dotted(expr)` names standard-library callables (the scope's resolver)."""
    out: Inserts = {}
    for n in walk(fn.body, into_scopes=True):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                _target(out, t.target, n.value)
        elif isinstance(n, cst.AugAssign | cst.AnnAssign):
            if isinstance(n.target, cst.Subscript) and n.value is not None:
                _target(out, n.target, n.value)
        elif isinstance(n, cst.For | cst.CompFor):
            _target(out, n.target, None)
        elif isinstance(n, cst.Call):
            _call(out, n, dotted)
    return out


def element_stores(fn: cst.FunctionDef, dotted: Resolver) -> Inserts:
    """Every value stored into an element of a local container through an expression rather
    than a name: `c[k].append(v)`, `c.setdefault(k, []).append(v)`, `c.get(k).add(v)`,
    `c[k][j] = v`, `heapq.heappush(c[k], v)`, by the root local `c`. What an element holds
    is inside `c` too (a caller's row appended there is reachable from `c`)."""
    out: Inserts = {}
    for n in walk(fn.body, into_scopes=True):
        if isinstance(n, cst.Assign | cst.AugAssign | cst.AnnAssign):
            targets = [t.target for t in n.targets] if isinstance(n, cst.Assign) else [n.target]
            for target in targets:
                root = _element_root(target.value) if isinstance(target, cst.Subscript) else None
                if root is not None and n.value is not None:
                    out.setdefault(root, []).append(n.value)
        elif isinstance(n, cst.Call):
            name = dotted(n.func)
            position = MUTATING_STDLIB.get(name) if name is not None else None
            if position is not None and len(n.args) > position:
                root = _element_root(n.args[position].value)
                if root is not None:
                    out.setdefault(root, []).extend(_arg_values(n.args, skip=position))
            elif isinstance(n.func, cst.Attribute) and n.func.attr.value in MUTATING_METHODS:
                root = _element_root(n.func.value)
                if root is not None and n.func.attr.value not in _TAKING_METHODS:
                    out.setdefault(root, []).extend(_arg_values(n.args, skip=None))
    return out


def _element_root(expr: cst.BaseExpression) -> str | None:
    """`c` when `expr` is an element of the local `c` (`c[k]`, `c.get(k)`, `c.setdefault(k,
    d)`, or an element of one of those), read through an expression."""
    inner: cst.BaseExpression | None = None
    if isinstance(expr, cst.Subscript):
        inner = expr.value
    elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        inner = expr.func.value if expr.func.attr.value in ("get", "setdefault") else None
    if inner is None:
        return None
    if isinstance(inner, cst.Name):
        return inner.value
    return _element_root(inner)


def _target(out: Inserts, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
    if isinstance(target, cst.Subscript):
        base = target.value
        if isinstance(base, cst.Name):
            out.setdefault(base.value, []).append(value)
        return
    if isinstance(target, cst.Tuple | cst.List):
        for element in target.elements:
            _target(out, element.value, None)  # unpacked: which value goes where is unknown
    elif isinstance(target, cst.StarredElement):
        _target(out, target.value, None)


def _call(out: Inserts, call: cst.Call, dotted: Resolver) -> None:
    func = call.func
    name = dotted(func)
    position = MUTATING_STDLIB.get(name) if name is not None else None
    if position is not None:
        target = call.args[position].value if len(call.args) > position else None
        if isinstance(target, cst.Name):
            out.setdefault(target.value, []).extend(_arg_values(call.args, skip=position))
        return
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        meth = func.attr.value
        if meth == "setdefault":  # the key is not a value: like `c[k] = v`, only v is
            out.setdefault(func.value.value, []).extend(_arg_values(call.args[1:], skip=None))
        elif meth in MUTATING_METHODS and meth not in _TAKING_METHODS:
            out.setdefault(func.value.value, []).extend(_arg_values(call.args, skip=None))


def _arg_values(args: Sequence[cst.Arg], skip: int | None) -> list[cst.BaseExpression | None]:
    """The argument values a call stores (a starred or ** argument: unknown)."""
    values: list[cst.BaseExpression | None] = []
    for i, arg in enumerate(args):
        if i == skip:
            continue
        values.append(None if arg.star else arg.value)
    return values


def alias_groups(bindings: Inserts, inserts: Inserts, parts: bool) -> dict[str, set[str]]:
    """Locals that may name the same container: `a = b`; `x = c[k]` and `x = c.get(k, d)`
    with `d` and each name stored into `c`; with `parts`, also `x` with `c` itself (it names
    a part of `c`). Every name maps to its whole group, itself included: what is stored
    into one is stored into all of them (or into a part of them)."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.get(a, a) != a:
            a = parent[a]
        return a

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for name, values in bindings.items():
        for value in values:
            if isinstance(value, cst.Name) and value.value in bindings:
                union(name, value.value)
            for held in _held(value) if parts else ():
                if held in bindings:
                    union(name, held)  # `t = [inner]`: a change to `inner` changes `t`
            source = element_source(value)
            if source is None:
                continue
            container, default = source
            if parts and container in bindings:
                union(name, container)
            for stored in inserts.get(container, ()):
                if isinstance(stored, cst.Name) and stored.value in bindings:
                    union(name, stored.value)
            if isinstance(default, cst.Name) and default.value in bindings:
                union(name, default.value)
    groups: dict[str, set[str]] = {}
    for name in bindings:
        groups.setdefault(find(name), set()).add(name)
    return {name: groups[find(name)] for name in bindings}


def _held(value: cst.BaseExpression | None) -> set[str]:
    """Names a display puts in the container it makes (`[a, *b]`, `{k: v}`, `(a, [b])`)."""
    if not isinstance(value, cst.List | cst.Tuple | cst.Set | cst.Dict):
        return set()
    out: set[str] = set()
    for element in value.elements:
        parts = (
            [element.key, element.value]
            if isinstance(element, cst.DictElement)
            else [element.value]
        )
        for part in parts:
            if isinstance(part, cst.Name):
                out.add(part.value)
            out |= _held(part)
    return out


def element_source(
    value: cst.BaseExpression | None,
) -> tuple[str, cst.BaseExpression | None] | None:
    """(`c`, default) when `value` reads an element back out of the local `c`: `c[k]`
    (default None) or `c.get(k)` / `c.get(k, d)`."""
    if isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name):
        if all(isinstance(s.slice, cst.Index) for s in value.slice):
            return value.value.value, None
        return None
    if not (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and value.func.attr.value == "get"
        and isinstance(value.func.value, cst.Name)
        and 1 <= len(value.args) <= 2
        and not any(a.star or a.keyword for a in value.args)
    ):
        return None
    default = value.args[1].value if len(value.args) == 2 else None
    return value.func.value.value, default


def empty_display(value: cst.BaseExpression | None, builtin: Resolver) -> bool:
    """`[]`, `{}`, `set()`, `dict()`, `list()`: a new container with nothing in it yet."""
    if isinstance(value, cst.List | cst.Dict):
        return not value.elements
    return (
        isinstance(value, cst.Call)
        and builtin(value.func) in ("set", "dict", "list")
        and not value.args
    )
