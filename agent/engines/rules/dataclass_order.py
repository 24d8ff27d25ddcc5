"""Dataclasses ordered by their fields (`@dataclass(order=True)`): objects compare as the tuple
of their fields, so they have a fixed total order when every field is an int, str or bytes
(or a tuple of those) that cannot change: the class is frozen, or the repository never
stores an attribute of a field's name."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import code_of
from agent.engines.rules.typeinfo import T, annotation_type

_OPTIONS = frozenset({"order", "frozen", "eq", "repr", "slots", "kw_only", "unsafe_hash"})
_OWN = frozenset({"__lt__", "__gt__", "__le__", "__ge__", "__eq__", "__setattr__", "__post_init__"})
_DEFAULTS = (cst.Integer, cst.SimpleString)


def ordered_dataclass(
    project: Project, path: str, cls: cst.ClassDef, methods: dict[str, cst.FunctionDef]
) -> bool:
    """`cls` is a dataclass with `order=True` whose fields give a fixed total order."""
    options = _dataclass_options(project, path, cls)
    if options is None or options.get("order") != "True" or options.get("eq", "True") != "True":
        return False
    if _OWN & set(methods):
        return False
    fields = _fields(cls)
    if not fields:
        return False
    from agent.engines.rules.ordering import family

    if family(T("tuple", items=tuple(t for _, t in fields))) is None:
        return False
    name = cls.name.value
    frozen = options.get("frozen") == "True"
    return all(
        not dynamic_access(project, f) and (frozen or not attribute_stores(project, f, name))
        for f, _ in fields
    )


def _dataclass_options(project: Project, path: str, cls: cst.ClassDef) -> dict[str, str] | None:
    """The keyword options of the class's only decorator, `dataclasses.dataclass(...)`."""
    if len(cls.decorators) != 1:
        return None
    deco = cls.decorators[0].decorator
    if not isinstance(deco, cst.Call):
        return None
    func = code_of(deco.func)
    imports = project.imports.get(path, {})
    spelled = imports.get(func) == ("dataclasses", "dataclass") or (
        func == "dataclasses.dataclass" and imports.get("dataclasses") == ("dataclasses", None)
    )
    if not spelled:
        return None
    options = {}
    for arg in deco.args:
        if arg.keyword is None or arg.keyword.value not in _OPTIONS:
            return None
        options[arg.keyword.value] = code_of(arg.value)
    return options


def _fields(cls: cst.ClassDef) -> list[tuple[str, T]]:
    """(name, type) of each field, in order; empty when one is not a plain annotated name
    with no default or a literal one (a `field(...)` may leave it out of the comparison)."""
    out = []
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.AnnAssign):
                continue
            if "ClassVar" in code_of(small.annotation.annotation):
                continue
            if not isinstance(small.target, cst.Name):
                return []
            if small.value is not None and not isinstance(small.value, _DEFAULTS):
                return []
            out.append((small.target.value, annotation_type(small.annotation.annotation)))
    return out
