"""Which code `obj.name(...)` can run when the type of `obj` is not known: in a closed world,
one of the repository's own methods called `name`.

The world is the repository. Its classes are all there is, unless one of them derives from a
class outside the standard library (whose methods are not known), and a name that a builtin
or standard-library class also uses may stand for that class's method on any object. A name
only the repository uses, defined as a plain method in classes it knows (none nested or
defined twice), never stored as an attribute, bound otherwise in a class body, or reachable
through `__getattr__` hooks or `setattr`, runs one of those definitions. Objects from outside
the repository that happen to have a method of that name are outside this world, as they are
when an unknown receiver's `.get(...)` is read as the builtin one.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import sys
import typing
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access
from agent.engines.rules.effects import CallFacts
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.syntax import code_of, walk

if TYPE_CHECKING:
    from agent.engines.rules.effects import Scope

_HOOKS = frozenset({"__getattr__", "__getattribute__"})
_KNOWN_MODULES = (
    "abc", "argparse", "array", "asyncio", "collections", "concurrent.futures", "configparser",
    "contextlib", "csv", "dataclasses", "datetime", "decimal", "email.message", "enum",
    "fractions", "functools", "hashlib", "heapq", "http.client", "io", "ipaddress", "itertools",
    "json", "logging", "numbers", "pathlib", "queue", "random", "re", "socket", "sqlite3",
    "statistics", "string", "struct", "tempfile", "threading", "types", "typing",
    "urllib.request", "uuid", "weakref", "xml.etree.ElementTree", "zipfile",
)  # fmt: skip


@functools.cache
def foreign_names() -> frozenset[str]:
    """Attribute names of builtin and common standard-library classes."""
    names: set[str] = set()
    for name in ("builtins", *_KNOWN_MODULES):
        try:
            module = builtins if name == "builtins" else importlib.import_module(name)
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, type):
                names.update(dir(value))
    return frozenset(names)


_SEEN: dict[int, tuple[Project, frozenset[str] | None, dict[str, list[FunctionRef] | None]]] = {}


def candidates(project: Project, name: str) -> list[FunctionRef] | None:
    """The methods an unknown receiver's `.name(...)` can run, or None when something else
    may answer it."""
    seen = _SEEN.get(id(project))
    if seen is None or seen[0] is not project:
        if len(_SEEN) > 16:
            _SEEN.clear()
        seen = _SEEN[id(project)] = (project, _outside_bases(project), {})
    if name not in seen[2]:
        seen[2][name] = _candidates(project, name, seen[1])
    return seen[2][name]


def _candidates(
    project: Project, name: str, inherited: frozenset[str] | None
) -> list[FunctionRef] | None:
    if name.startswith("__") or name in foreign_names() or inherited is None or name in inherited:
        return None
    if attribute_stores(project, name) or dynamic_access(project, name, reads=False):
        return None
    known = {id(node) for _, node in project.classes.values()}
    refs = []
    for path, module in project.modules.items():
        for cls in walk(module, into_scopes=True):
            if not isinstance(cls, cst.ClassDef):
                continue
            found = _defined(cls, name)
            if found is None:
                return None
            if not isinstance(found, cst.FunctionDef):
                continue
            if id(cls) not in known:
                return None  # nested, or a class name defined twice
            refs.append(FunctionRef(path, f"{cls.name.value}.{name}", found, cls.name.value))
    return refs or None


def _defined(cls: cst.ClassDef, name: str) -> cst.FunctionDef | bool | None:
    """The plain method `cls` defines as `name`, False when its body binds no `name`, None
    when it binds it otherwise (an assignment, a decorated or async def, no `self`)."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    found: cst.FunctionDef | bool | None = False
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            plain = not stmt.decorators and not stmt.asynchronous and stmt.params.params
            if not plain or found is not False:
                return None
            found = stmt
        elif not isinstance(stmt, cst.FunctionDef | cst.ClassDef) and any(
            isinstance(n, cst.Name) and n.value == name for n in walk(stmt)
        ):
            return None
    return found


def _outside_bases(project: Project) -> frozenset[str] | None:
    """The attribute names the repository's classes inherit from builtin or standard-library
    bases; None when a class derives from anything else, has an attribute hook or a
    metaclass (then the world is not closed)."""
    names: set[str] = set()
    for path, module in project.modules.items():
        for cls in walk(module, into_scopes=True):
            if not isinstance(cls, cst.ClassDef):
                continue
            body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
            if any(isinstance(s, cst.FunctionDef) and s.name.value in _HOOKS for s in body):
                return None
            if any(k.keyword is not None and k.keyword.value == "metaclass" for k in cls.keywords):
                return None
            for base in cls.bases:
                inherited = _base_names(project, path, base.value)
                if inherited is None:
                    return None
                names |= inherited
    return frozenset(names)


def _base_names(project: Project, path: str, base: cst.BaseExpression) -> set[str] | None:
    """Nothing for a class of the repository, the names a builtin or standard-library class
    defines, None for any other base."""
    if isinstance(base, cst.Subscript):  # Generic[T]
        return _base_names(project, path, base.value)
    if isinstance(base, cst.Name):
        found = project.lookup(path, base.value)
        if found is not None:
            return set() if isinstance(found[1], cst.ClassDef) else None
    parts = code_of(base).split(".")
    imported = project.imports.get(path, {}).get(parts[0])
    if imported is None:
        value = vars(builtins).get(parts[0]) if len(parts) == 1 else None
        return set(dir(value)) if isinstance(value, type) else None
    module, attr = imported
    dotted = [*module.split("."), *([attr] if attr else []), *parts[1:]]
    if dotted[0] not in sys.stdlib_module_names:
        return None
    for cut in range(len(dotted) - 1, 0, -1):
        try:
            value = importlib.import_module(".".join(dotted[:cut]))
        except ImportError:
            continue
        for part in dotted[cut:]:
            value = getattr(value, part, None)
        return _class_names(value)
    return None


def _class_names(value: object) -> set[str] | None:
    if value is typing.NamedTuple:  # a function whose classes derive from tuple
        return {*dir(tuple), "_make", "_asdict", "_replace", "_fields", "_field_defaults"}
    if value is typing.TypedDict:
        return set(dir(dict))
    return set(dir(value)) if isinstance(value, type) else None


def dispatched(scope: Scope, name: str, call: cst.Call) -> CallFacts | None:
    """The facts of `obj.name(...)` on an unknown `obj`: those every candidate method shares,
    when each is pure and leaves its object alone; None otherwise."""
    refs = candidates(scope.project, name)
    if refs is None:
        return None
    facts = []
    for ref in refs:
        one = scope.project_call(ref, call, offset=1)
        if one is None or 0 not in scope.effects.summary(ref).readonly:
            return None
        facts.append(one)
    kinds = {f.returns for f in facts}
    return CallFacts(
        kinds.pop() if len(kinds) == 1 else "unknown",
        frozenset.intersection(*(f.readonly_args for f in facts)),
        all(f.never_none for f in facts),
        all(f.closed for f in facts),
        deep=all(f.deep for f in facts),
    )
