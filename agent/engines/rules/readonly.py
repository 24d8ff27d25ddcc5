"""Module-level tables written as lists, sets or dicts of literals (`SUFFIX_RULES = [(r"ies$",
"y"), ...]`, `UNITS = {"kg": 1000}`) that the repository only ever reads: as good as
constants for the effect analysis, so a function that reads one can still be cached."""

from __future__ import annotations

import weakref
from collections.abc import Callable

import libcst as cst

from agent.engines.rules.syntax import bound_names, code_of, param_names, parent_map, stored, walk

READING_CALLS = frozenset(
    {
        "len", "sorted", "min", "max", "sum", "any", "all", "tuple", "frozenset", "set", "list",
        "dict", "enumerate", "zip", "reversed", "iter", "repr", "str",
    }
)  # fmt: skip
"""Builtins that read their argument (copying what they keep) and never change it."""
READING_METHODS = frozenset({"get", "keys", "values", "items", "index", "count", "copy"})


def literal_table(value: cst.BaseExpression, literal: Callable[[cst.BaseExpression], bool]) -> bool:
    """A list, set or dict display whose elements (keys and values) are immutable literals,
    so reading one never hands out anything that could be changed."""
    if isinstance(value, cst.List) and len(value.elements) < 2:
        return False  # `SCALE = [1.0]`: a cell, made a list to be changed
    if isinstance(value, cst.List | cst.Set):
        return all(isinstance(e, cst.Element) and literal(e.value) for e in value.elements)
    if isinstance(value, cst.Dict):
        return all(
            isinstance(e, cst.DictElement) and literal(e.key) and literal(e.value)
            for e in value.elements
        )
    if isinstance(value, cst.Call) and code_of(value.func) in ("set", "list"):
        return len(value.args) == 1 and split_literal(value.args[0].value, literal)
    return split_literal(value, literal)


_KNOWN: weakref.WeakKeyDictionary[object, dict[tuple[str, str], bool]] = weakref.WeakKeyDictionary()


def only_read(project: object, path: str, name: str) -> bool:
    """`_only_read`, once per project and table."""
    known = _KNOWN.setdefault(project, {})
    if (path, name) not in known:
        known[path, name] = _only_read(project, path, name)
    return known[path, name]


def _only_read(project: object, path: str, name: str) -> bool:
    """Every use of module `path`'s table `name` in the repository only reads it: iterated,
    indexed, tested for membership, or handed to a reading builtin or method (`READING_*`).
    It is never assigned to another name, passed elsewhere, returned, changed in place or
    reached as a module attribute; another module may use it only through `from ... import
    name` (no alias), under the same rule. Only UPPER_CASE names count: by convention
    nothing outside the repository changes a constant either."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    if not name.isupper():
        return False
    for where, module in project.modules.items():
        if where != path:
            imported = project.imports.get(where, {}).get(name)
            mine = imported is not None and project.by_dotted.get(imported[0]) == path
            if _as_attribute(module, name):
                return False
            if not _mentions(module, name):
                continue  # most modules: no parent map to build
            if not mine:
                return False
        if not _reads_only(module, name, own=where == path):
            return False
    return True


def _mentions(module: cst.Module, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in walk(module, into_scopes=True))


def _as_attribute(module: cst.Module, name: str) -> bool:
    return any(
        isinstance(n, cst.Attribute) and n.attr.value == name
        for n in walk(module, into_scopes=True)
    )


def _reads_only(module: cst.Module, name: str, own: bool) -> bool:
    parents = parent_map(module)
    builtins = READING_CALLS - _bound_anywhere(module)
    for n in walk(module, into_scopes=True):
        if not isinstance(n, cst.Name) or n.value != name:
            continue
        up = parents.get(id(n))
        if isinstance(up, cst.ImportAlias) and up.asname is None:
            continue  # `from pkg.mod import NAME`: its uses below are checked like the rest
        if own and isinstance(up, cst.AssignTarget | cst.AnnAssign) and _module_level(up, parents):
            continue  # the definition itself
        if not _read(n, up, parents, builtins):
            return False
    return True


def _bound_anywhere(module: cst.Module) -> set[str]:
    """Every name the module binds in any scope (a `max` of its own is not the builtin);
    a `*` import could bind any of them."""
    if any(isinstance(n, cst.ImportStar) for n in walk(module, into_scopes=True)):
        return set(READING_CALLS)
    names = set(bound_names(module))
    for n in walk(module, into_scopes=True):
        if isinstance(n, cst.FunctionDef | cst.ClassDef):
            names |= {n.name.value, *bound_names(n)}
        if isinstance(n, cst.FunctionDef | cst.Lambda):
            names |= param_names(n)
        elif isinstance(n, cst.CompFor):
            names |= {x.value for x in walk(n.target) if isinstance(x, cst.Name)}
        elif isinstance(n, cst.ImportAlias):
            alias = n.asname.name if n.asname is not None else n.name
            names.add(code_of(alias).split(".")[0])
    return names


def _module_level(node: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    stmt = parents.get(id(node))
    while stmt is not None and not isinstance(stmt, cst.SimpleStatementLine):
        stmt = parents.get(id(stmt))
    return stmt is not None and isinstance(parents.get(id(stmt)), cst.Module)


def _read(
    n: cst.Name,
    up: cst.CSTNode | None,
    parents: dict[int, cst.CSTNode],
    builtins: frozenset[str] | set[str],
) -> bool:
    if isinstance(up, cst.For | cst.CompFor):
        return up.iter is n
    if isinstance(up, cst.ComparisonTarget):
        return isinstance(up.operator, cst.In | cst.NotIn) and up.comparator is n
    if isinstance(up, cst.Subscript):
        cell = any(  # `SCALE[0]`: a list read at a fixed place is a cell, made to be changed
            isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.Integer)
            for e in up.slice
        )
        return up.value is n and not cell and not stored(up, parents)
    if isinstance(up, cst.Arg):
        call = parents.get(id(up))
        if _literal_join(call) and up.keyword is None and not up.star:
            return True
        return (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value in builtins
            and up.keyword is None
            and not up.star
            # `max(T, other)` returns one of its arguments: T itself, handed on
            and (call.func.value not in ("min", "max") or len(call.args) == 1)
        )
    if isinstance(up, cst.Attribute) and up.value is n:
        call = parents.get(id(up))
        return up.attr.value in READING_METHODS and isinstance(call, cst.Call) and call.func is up
    return False


def _literal_join(call: cst.CSTNode | None) -> bool:
    """`"|".join(...)`: a string literal's `join`, which only iterates its argument."""
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "join"
        and isinstance(call.func.value, cst.SimpleString | cst.ConcatenatedString)
        and len(call.args) == 1
    )


def split_literal(value: cst.BaseExpression, literal: Callable[[cst.BaseExpression], bool]) -> bool:
    """`"a b c".split()` (or with literal arguments): a fresh list of strings from a literal."""
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and value.func.attr.value == "split"
        and isinstance(value.func.value, cst.SimpleString | cst.ConcatenatedString)
        and all(literal(a.value) and a.keyword is None and not a.star for a in value.args)
    )
