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

import abc
import builtins
import collections
import datetime
import decimal
import enum
import fractions
import functools
import importlib
import re
import sys
import typing
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.syntax import bound_names, code_of, walk

if TYPE_CHECKING:
    from agent.engines.rules.effects import CallFacts, Scope

_HOOKS = frozenset({"__getattr__", "__getattribute__", "__setattr__", "__dict__"})
_DYNAMIC = frozenset(
    {
        *_HOOKS, "setattr", "delattr", "vars", "locals", "globals", "exec", "eval", "compile",
        "__class__", "__reduce__", "__reduce_ex__", "__setstate__", "__init_subclass__",
        "update_wrapper", "wraps", "SimpleNamespace", "Namespace", "Mock", "MagicMock",
        "NonCallableMock", "MethodType", "partialmethod", "import_module", "__import__",
    }
)  # fmt: skip
"""Names through which code can give an object, a class or a module attributes by a computed
name, or reach such an object."""
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
        if name in bound_names(module) or _spelled(module, name):
            return None  # a module's own `name`, a keyword or string that may make one
        for cls in walk(module, into_scopes=True):
            if not isinstance(cls, cst.ClassDef) or name not in bound_names(cls):
                continue
            found = _defined(cls, name)
            if found is None or id(cls) not in known:
                return None  # bound otherwise, nested, or a class name defined twice
            refs.append(FunctionRef(path, f"{cls.name.value}.{name}", found, cls.name.value))
    return refs or None


def _spelled(module: cst.Module, name: str) -> bool:
    """`name` is a keyword argument (`SimpleNamespace(name=...)`, `NamedTuple("R",
    name=int)`) or a word of a string handed to a class factory (`namedtuple("R", "a
    name")`, `make_dataclass`, an enum's functional form), which makes it a field."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    for n in walk(module, into_scopes=True):
        if isinstance(n, cst.Arg) and n.keyword is not None and n.keyword.value == name:
            return True
        if isinstance(n, cst.Call) and code_of(n.func).rsplit(".", 1)[-1] in _FACTORIES:
            strings = (cst.SimpleString, cst.FormattedStringText)
            if any(isinstance(s, strings) and word.search(s.value) for s in walk(n)):
                return True
    return False


_FACTORIES = frozenset(
    {"namedtuple", "NamedTuple", "make_dataclass", "Enum", "IntEnum", "Flag", "IntFlag",
     "StrEnum", "TypedDict"}
)  # fmt: skip


def _defined(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    """The plain method `cls` defines as `name`: its body binds `name` once, by an
    undecorated, synchronous `def` with a `self`, at its top level."""
    if bound_names(cls).get(name) != 1:
        return None
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            plain = not stmt.decorators and not stmt.asynchronous and stmt.params.params
            return stmt if plain else None
    return None


def _outside_bases(project: Project) -> frozenset[str] | None:
    """The attribute names the repository's classes inherit from builtin or standard-library
    bases; None when the world is not closed: a class derives from anything else or has a
    metaclass, or some code can give an object attributes by a computed name (`setattr`,
    `__dict__`, an attribute hook, `exec`, a three-argument `type`, a namespace object)."""
    names: set[str] = set()
    for path, module in project.modules.items():
        labels: set[int] = set()  # the `attr` of `x.attr` and keyword names are no references
        for n in walk(module, into_scopes=True):
            if isinstance(n, cst.Attribute):
                labels.add(id(n.attr))
            elif isinstance(n, cst.Arg) and n.keyword is not None:
                labels.add(id(n.keyword))
            if isinstance(n, cst.Name | cst.Attribute) and id(n) not in labels and _dynamic(n):
                return None
            if isinstance(n, cst.Call) and code_of(n.func) == "type" and len(n.args) != 1:
                return None
            if not isinstance(n, cst.ClassDef):
                continue
            if _HOOKS & set(bound_names(n)) or any(k.keyword is not None for k in n.keywords):
                return None
            for base in n.bases:
                inherited = _base_names(project, path, base.value)
                if inherited is None:
                    return None
                names |= inherited
    return frozenset(names)


def _dynamic(n: cst.Name | cst.Attribute) -> bool:
    if isinstance(n, cst.Name):
        return n.value in _DYNAMIC
    builtin = n.attr.value in _BUILTINS  # `re.compile` is no `compile`
    return n.attr.value in _DYNAMIC and (not builtin or code_of(n.value) == "builtins")


_BUILTINS = frozenset({"vars", "locals", "globals", "exec", "eval", "compile"})


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
    """The names of a plain base (an exception, a builtin container or number, an enum, an
    abstract or generic base): none of them lets an object take attributes by a computed
    name (a namespace's `__init__(**kw)` does, and a mock's `__getattr__`)."""
    if value is typing.NamedTuple:  # a function whose classes derive from tuple
        return {*dir(tuple), "_make", "_asdict", "_replace", "_fields", "_field_defaults"}
    if value is typing.TypedDict:
        return set(dir(dict))
    if not isinstance(value, type):
        return None
    if issubclass(value, BaseException) or value in _PLAIN_BASES:
        return set(dir(value))
    return None


_PLAIN_BASES = frozenset(
    {
        object, tuple, list, dict, set, frozenset, str, bytes, int, float,
        collections.OrderedDict, collections.defaultdict, collections.Counter, collections.deque,
        collections.UserDict, collections.UserList, collections.UserString,
        abc.ABC, typing.Generic, typing.Protocol, enum.Enum, enum.IntEnum, enum.Flag,
        enum.IntFlag, decimal.Decimal, fractions.Fraction, datetime.date, datetime.datetime,
        datetime.time, datetime.timedelta,
    }
)  # fmt: skip


def dispatched(scope: Scope, name: str, call: cst.Call) -> CallFacts | None:
    """The facts of `obj.name(...)` on an unknown `obj`: those every candidate method shares,
    when each is pure and leaves its object alone; None otherwise."""
    from agent.engines.rules.effects import CallFacts

    refs = candidates(scope.project, name)
    if refs is None:
        return None
    facts: list[CallFacts] = []
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
