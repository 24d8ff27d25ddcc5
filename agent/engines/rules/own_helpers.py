"""perfagent's own run-time helpers, found again in a project that an earlier rewrite wrote
them into. They reach attributes by a computed name (`vars(record)`, `getattr(record,
field)`), which would make every rule that asks `dynamic_access` refuse the project from
then on. Recognised by their exact text, they say instead which fields they read: none for
the plain-read check (it looks at `vars` only for membership and a descriptor's type) and
for the guard of a served method (it inspects the method it finds, never calls or hands it
on), and for the index's key reader the field names its scans are given, which must all be
literals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.constants import rebound_from_outside
from agent.engines.rules.join_helpers import FIELDS_TEMPLATE, GENERIC_TEXT, PLAIN_TEMPLATE
from agent.engines.rules.list_index import INDEX_TEMPLATE, KEY_OF_TEMPLATE, LIST_INDEX_BUILTINS
from agent.engines.rules.method_joins import GUARD_TEMPLATE
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import bound_names, walk

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def _pattern(template: str, *names: str) -> re.Pattern[str]:
    """`template` with each `{name}` standing for any identifier (the same one each time)."""
    marks = {n: f"QzQ{n}QzQ" for n in names}
    text = re.escape(template.format(**marks).strip())
    for n, mark in marks.items():
        first = text.find(mark)
        text = text[:first] + f"(?P<{n}>{_IDENT})" + text[first + len(mark) :]
        text = text.replace(mark, f"(?P={n})")
    return re.compile(text)


_PLAIN = _pattern(PLAIN_TEMPLATE, "name", "generic", "fields")
_KEY_OF = _pattern(KEY_OF_TEMPLATE, "name", "plain", "no_key")
_INDEX = _pattern(INDEX_TEMPLATE, "name", "plain", "key_of", "no_key")
_GUARD = _pattern(GUARD_TEMPLATE, "name", "plain", "function")
_KINDS = (
    ("_plain_key", _PLAIN),
    ("_plain_key_of", _KEY_OF),
    ("_ListIndex", _INDEX),
    ("_own_method", _GUARD),
)


@dataclass(frozen=True)
class OwnHelpers:
    nodes: frozenset[int]
    """The ids of every node inside a recognised helper (their computed reads are accounted
    for by `fields`)."""
    fields: frozenset[str] | None
    """The attributes the helpers read by name; None when one is not given as a literal."""


def own_helpers(project: Project) -> OwnHelpers:
    found = project.memo.get("own_helpers")
    if not isinstance(found, OwnHelpers):
        found = project.memo["own_helpers"] = _find(project)
    return found


def _find(project: Project) -> OwnHelpers:
    nodes: set[int] = set()
    readers: set[str] = set()  # the key readers' names: called directly, or by the index
    indexes = False
    shapes = _shapes(project)
    shaped = {
        id(n)
        for found in shapes.values()
        for shape in found
        for n in walk(shape[0], into_scopes=True)
    }
    reached = _reached(project, shaped)
    if reached is None:
        return OwnHelpers(frozenset(), frozenset())
    for path, module in project.modules.items():
        for stmt, kind in _ours(project, path, module, shapes[path], reached).items():
            nodes.update(id(n) for n in walk(stmt, into_scopes=True))
            if kind is _KEY_OF:
                readers.add(stmt.name.value)
            indexes |= kind is _INDEX
    if not readers and not indexes:
        return OwnHelpers(frozenset(nodes), frozenset())
    return OwnHelpers(frozenset(nodes), _fields(project, nodes, readers))


_NAMESPACES = frozenset(
    {"exec", "eval", "compile", "globals", "locals", "vars", "__import__", "builtins",
     "__builtins__"}
)  # fmt: skip
"""Names that reach a module's namespace as a dict, or the builtins': with any of them in
the project, no helper is taken for ours."""
_NAMESPACE_ATTRS = frozenset(
    {"__globals__", "f_globals", "f_locals", "__dict__", "modules", "_getframe", "currentframe"}
)


_Shape = tuple[cst.FunctionDef | cst.ClassDef, re.Pattern[str], re.Match[str]]


def _shapes(project: Project) -> dict[str, list[_Shape]]:
    """Per module, every module-level definition with a helper's text, whatever the names in
    it (their own `vars(...)` is what they are recognised for), with its kind and names."""
    out: dict[str, list[_Shape]] = {}
    for path, module in project.modules.items():
        out[path] = []
        for stmt in module.body:
            if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
                match = _kind(stmt)
                if match is not None:
                    out[path].append((stmt, *match))
    return out


def _reached(project: Project, shaped: set[int]) -> set[str] | None:
    """Names that code could rebind in a module other than by binding them there: any
    attribute name (`mod.NAME = v`, `sys.modules[__name__].NAME = v`), any string
    (`setattr(mod, "NAME", v)`) and any name declared `global` or `nonlocal`. None when
    code outside the helpers could reach a namespace as a dict (`globals()`, a frame's
    `f_globals`, `vars`, `exec`, the `builtins` module): then any name could change."""
    out: set[str] = set()
    for module in project.modules.values():
        for n in walk(module, into_scopes=True):
            if id(n) in shaped:
                continue
            if isinstance(n, cst.Name) and n.value in _NAMESPACES:
                return None
            if isinstance(n, cst.Attribute):
                if n.attr.value in _NAMESPACE_ATTRS:
                    return None
                out.add(n.attr.value)
            elif isinstance(n, cst.SimpleString | cst.ConcatenatedString):
                text = n.evaluated_value
                if isinstance(text, str) and len(text) < 200:
                    out.add(text)
            elif isinstance(n, cst.Global | cst.Nonlocal):
                out.update(item.name.value for item in n.names)
    return out


def _ours(
    project: Project, path: str, module: cst.Module, shapes: list[_Shape], reached: set[str]
) -> dict[cst.FunctionDef | cst.ClassDef, re.Pattern[str]]:
    """The module's helpers written by perfagent: the text of one, with every name it refers
    to bound once in the module (and nowhere else: `_reached`, `rebound_from_outside`) to
    another of them (or to the constant perfagent writes beside them), in a module that
    binds none of the builtins they use."""
    bound = bound_names(module)
    if set(bound) & LIST_INDEX_BUILTINS or any(
        isinstance(n, cst.ImportStar) for n in walk(module, into_scopes=True)
    ):
        return {}
    outside = reached | rebound_from_outside(project, path)
    once = {name for name, count in bound.items() if count == 1 and name not in outside}
    found: dict[str, _Shape] = {s[0].name.value: s for s in shapes if s[0].name.value in once}
    values: dict[str, str] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            small = stmt.body[0]
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    values[target.value] = cst.Module([]).code_for_node(small.value)
    imports = project.imports.get(path, {})

    def imported(origin: tuple[str, str]) -> set[str]:
        return {local for local, where in imports.items() if where == origin and local in once}

    namedtuples = imported(("collections", "namedtuple"))

    def constant(name: str, texts: set[str]) -> bool:
        return name in once and values.get(name) in texts

    def holds(name: str, kind: re.Pattern[str]) -> bool:
        return name in found and found[name][1] is kind and valid(name)

    def valid(name: str) -> bool:
        _, kind, names = found[name]
        sentinel = {"object()"}
        if kind is _PLAIN:
            shapes = {FIELDS_TEMPLATE.format(namedtuple=n) for n in namedtuples}
            return constant(names["generic"], {GENERIC_TEXT}) and constant(names["fields"], shapes)
        if kind is _KEY_OF:
            return holds(names["plain"], _PLAIN) and constant(names["no_key"], sentinel)
        if kind is _GUARD:
            functions = imported(("types", "FunctionType"))
            return holds(names["plain"], _PLAIN) and names["function"] in functions
        return (
            holds(names["plain"], _PLAIN)
            and holds(names["key_of"], _KEY_OF)
            and constant(names["no_key"], sentinel)
        )

    return {stmt: kind for name, (stmt, kind, _) in found.items() if valid(name)}


def _kind(stmt: cst.FunctionDef | cst.ClassDef) -> tuple[re.Pattern[str], re.Match[str]] | None:
    for base, pattern in _KINDS:
        if stmt.name.value.startswith(base):
            code = cst.Module([]).code_for_node(stmt.with_changes(leading_lines=())).strip()
            found = pattern.fullmatch(code)
            if found and found["name"] == stmt.name.value:
                return pattern, found
    return None


_KEPT = frozenset({"groups", "blocked"})
"""The index's tables: a field filed there by other code is read by the index."""
_ASKING = frozenset({"candidates", "keys"})
"""The index's methods that take a field (`keys` also as `dict.keys()`, which takes none)."""


def _fields(project: Project, inside: set[int], readers: set[str]) -> frozenset[str] | None:
    """The field names given to the key readers: as the second argument of a direct call, of
    a `.candidates(...)` call (how the index's scans name the field it then also reads as
    its list grows or shrinks) or of a `.keys(...)` call with arguments; one, or a tuple of
    them. None when one is not a literal, or a reader or such a method is reached otherwise
    (handed on as a value, or by `getattr`)."""
    fields: set[str] = set()
    methods, spelled = _ASKING | _KEPT, _ASKING | readers
    for module in project.modules.values():
        called: set[int] = set()
        for n in walk(module, into_scopes=True):
            if id(n) in inside:
                continue
            if isinstance(n, cst.Name) and n.value in readers and id(n) not in called:
                return None
            asks = isinstance(n, cst.Attribute) and n.attr.value in methods
            if asks and id(n) not in called:
                return None  # handed on, or the index's tables reached (a match's `groups()`
                # is called: fine)
            if isinstance(n, cst.Name) and n.value == "methodcaller":
                return None  # it can call `candidates` by a computed name
            if (
                isinstance(n, cst.SimpleString | cst.ConcatenatedString)
                and n.evaluated_value in spelled
            ):
                return None  # `getattr(index, "candidates")`
            if not isinstance(n, cst.Call):
                continue
            func = n.func
            called.add(id(func))
            asked = (isinstance(func, cst.Name) and func.value in readers) or (
                isinstance(func, cst.Attribute)
                and func.attr.value in _ASKING
                and (func.attr.value == "candidates" or n.args)
            )
            if not asked:
                continue
            named = _named(n.args)
            if named is None:
                return None
            fields |= named
    return frozenset(fields)


def _named(args: Sequence[cst.Arg]) -> set[str] | None:
    """The attribute names a call's second argument gives, a literal or a tuple of them."""
    if len(args) < 2 or any(a.keyword or a.star for a in args):
        return None
    named = args[1].value
    out: set[str] = set()
    for item in named.elements if isinstance(named, cst.Tuple) else [named]:
        value = item.value if isinstance(item, cst.Element) else item
        if isinstance(value, cst.SimpleString):
            out.add(str(value.evaluated_value))
        elif not isinstance(value, cst.Integer):  # a tuple's item: no attribute
            return None
    return out
