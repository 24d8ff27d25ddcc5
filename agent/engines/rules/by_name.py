"""A method called on an object of unknown type, known by its name alone.

`best[s][0].implied()` reads an item of a dict another function built: the inference has
no type for it. When the repository is the only place a method of that name can come from
(no builtin or common standard-library type has one, no class reaches code from outside
the repository, nothing stores an attribute by that name), the call runs one of the
repository's definitions, and it is as pure as the least pure of them. This is the same
assumption the effects make of `x.strip()` on an unknown `x`, narrowed to names that only
the repository defines."""

from __future__ import annotations

import builtins
import collections
import datetime
import decimal
import enum
import fractions
import functools
import io
import pathlib
import re
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.syntax import walk

if TYPE_CHECKING:
    from agent.engines.rules.effects import CallFacts, Scope

_BUILTIN_TYPES = tuple(t for t in vars(builtins).values() if isinstance(t, type))
_STDLIB_TYPES = (
    *_BUILTIN_TYPES, enum.Enum, enum.Flag, collections.namedtuple("T", "a"),
    decimal.Decimal, decimal.Context, fractions.Fraction, collections.deque,
    collections.Counter, collections.OrderedDict, collections.defaultdict,
    datetime.date, datetime.datetime, datetime.time, datetime.timedelta, datetime.tzinfo,
    io.StringIO, io.BytesIO, io.TextIOWrapper, pathlib.PurePath, pathlib.Path,
    re.Pattern, re.Match,
)  # fmt: skip
_FOREIGN = frozenset(name for t in _STDLIB_TYPES for name in dir(t)) | {"_make", "_fields"}
"""Method names an object the repository did not define may well have."""

_PLAIN_BASES = frozenset(
    {"ABC", "Generic", "Protocol", "NamedTuple", "Enum", "IntEnum", "StrEnum", "Flag"}
) | frozenset(t.__name__ for t in _BUILTIN_TYPES)
"""Bases whose methods all carry names in `_FOREIGN` or dunder names."""

_DECORATORS = frozenset({"classmethod", "staticmethod"})


def named_call(scope: Scope, meth: str, call: cst.Call) -> CallFacts | None:
    """The facts of `x.meth(...)` on an object of unknown type that only the repository's
    methods called `meth` can serve: as pure as the least pure of them; what it keeps of
    its arguments is not known (`x` may even be a class, the arguments shifted)."""
    from agent.engines.rules.effects import CallFacts

    root = call.func.value if isinstance(call.func, cst.Attribute) else None
    while isinstance(root, cst.Attribute | cst.Subscript | cst.Call):
        root = root.func if isinstance(root, cst.Call) else root.value
    if not isinstance(root, cst.Name) or root.value not in scope.locals:
        return None  # `requests.post(...)`: a module or global may be anything
    refs = methods_named(scope.project, meth)
    facts = [scope.receiver_call(ref, call) for ref in refs or ()]
    if not facts or any(f is None for f in facts):
        return None
    known = [f for f in facts if f is not None]
    kinds = {f.returns for f in known}
    return CallFacts(
        kinds.pop() if len(kinds) == 1 else "unknown",
        frozenset(),
        all(f.never_none for f in known),
        all(f.closed for f in known),
        passes_through=True,
        deep=any(f.deep for f in known),
    )


@functools.lru_cache(maxsize=256)  # by the sources' content and the name
def methods_named(project: Project, name: str) -> tuple[FunctionRef, ...] | None:
    """Every definition a call `x.name(...)` on an object of unknown type may run, when the
    repository alone can define it; None when something else could."""
    from agent.engines.rules.closedness import attribute_stores
    from agent.engines.rules.sort_keys import TRAPS

    if name.startswith("__") or name in _FOREIGN:
        return None
    if any(a is None or a.attr.value == name for a in attribute_stores(project)):
        return None  # `obj.name = f` or a setattr: an attribute that is not a method
    refs: list[FunctionRef] = []
    for path, module in project.modules.items():
        for node in walk(module, into_scopes=True):
            if not isinstance(node, cst.ClassDef):
                continue
            found = _in_class(project, path, node, name)
            if found is None or any(s in _members(node) for s in TRAPS):
                return None
            refs += found
    return tuple(refs) if refs else None


def _in_class(
    project: Project, path: str, cls: cst.ClassDef, name: str
) -> list[FunctionRef] | None:
    """The class's own definition of `name` as a plain, class or static method, or None when
    the class may get it some other way (a base from outside the repository, a class
    attribute, a decorator, a class the project cannot resolve by its name)."""
    for base in cls.bases:
        text = cst.Module([]).code_for_node(base.value)
        if base.keyword is not None or base.star:
            return None
        if not (
            text.rsplit(".", 1)[-1].split("[", 1)[0] in _PLAIN_BASES or text in project.classes
        ):
            return None
    if cls.decorators and not all(_dataclass(d) for d in cls.decorators):
        return None
    members = _members(cls)
    if name not in members:
        return []
    fn = members[name]
    if (
        not isinstance(fn, cst.FunctionDef)
        or project.classes.get(cls.name.value, (None, None))[1] is not cls
    ):
        return None
    for d in fn.decorators:
        if not (isinstance(d.decorator, cst.Name) and d.decorator.value in _DECORATORS):
            return None
    return [FunctionRef(path, f"{cls.name.value}.{name}", fn, cls.name.value)]


def _members(cls: cst.ClassDef) -> dict[str, cst.CSTNode]:
    """What the class body binds, by name (a method, or any other statement binding it)."""
    out: dict[str, cst.CSTNode] = {}
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            out[stmt.name.value] = stmt
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                for n in walk(small):
                    if isinstance(n, cst.Name):
                        out.setdefault(n.value, small)
    return out


def _dataclass(d: cst.Decorator) -> bool:
    expr = d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator
    text = cst.Module([]).code_for_node(expr)
    return text.rsplit(".", 1)[-1] in ("dataclass", "total_ordering")
