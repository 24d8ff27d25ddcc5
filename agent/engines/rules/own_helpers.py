"""perfagent's own run-time helpers, found again in a project that an earlier rewrite wrote
them into. They reach attributes by a computed name (`vars(record)`, `getattr(record,
field)`), which would make every rule that asks `dynamic_access` refuse the project from
then on. Recognised by their exact text, they say instead which fields they read: none for
the plain-read check (it looks at `vars` only for membership and a descriptor's type), and
for the index's key reader the field names its scans are given, which must all be literals."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.join_helpers import PLAIN_TEMPLATE
from agent.engines.rules.list_index import INDEX_TEMPLATE, KEY_OF_TEMPLATE
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import walk

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
_KINDS = (("_plain_key", _PLAIN), ("_plain_key_of", _KEY_OF), ("_ListIndex", _INDEX))


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
    for module in project.modules.values():
        for stmt in module.body:
            kind = _kind(stmt)
            if kind is None:
                continue
            nodes.update(id(n) for n in walk(stmt, into_scopes=True))
            assert isinstance(stmt, cst.FunctionDef | cst.ClassDef)
            if kind is _KEY_OF:
                readers.add(stmt.name.value)
            indexes |= kind is _INDEX
    if not readers and not indexes:
        return OwnHelpers(frozenset(nodes), frozenset())
    return OwnHelpers(frozenset(nodes), _fields(project, nodes, readers))


def _kind(stmt: cst.CSTNode) -> re.Pattern[str] | None:
    if not isinstance(stmt, cst.FunctionDef | cst.ClassDef):
        return None
    for base, pattern in _KINDS:
        if stmt.name.value.startswith(base):
            code = cst.Module([]).code_for_node(stmt.with_changes(leading_lines=())).strip()
            found = pattern.fullmatch(code)
            if found and found["name"] == stmt.name.value:
                return pattern
    return None


def _fields(project: Project, inside: set[int], readers: set[str]) -> frozenset[str] | None:
    """The field names given to the key readers: as the second argument of a direct call, or
    of any `.candidates(...)` call (one, or a tuple of them) (how the index's scans name the field that the index then
    also reads as its list grows or shrinks); None when one is not a string literal."""
    fields: set[str] = set()
    for module in project.modules.values():
        called: set[int] = set()
        for n in walk(module, into_scopes=True):
            if (
                isinstance(n, cst.Name)
                and n.value in readers
                and id(n) not in inside
                and id(n) not in called
            ):
                return None  # handed on as a value: called where this cannot see
            if not isinstance(n, cst.Call) or id(n) in inside:
                continue
            func = n.func
            called.add(id(func))
            asked = (isinstance(func, cst.Name) and func.value in readers) or (
                isinstance(func, cst.Attribute) and func.attr.value == "candidates"
            )
            if not asked:
                continue
            args = n.args
            if len(args) < 2 or any(a.keyword or a.star for a in args):
                return None
            named = args[1].value
            for name in named.elements if isinstance(named, cst.Tuple) else [named]:
                if isinstance(name, cst.Element):
                    name = name.value
                if isinstance(name, cst.SimpleString):
                    fields.add(str(name.evaluated_value))
                elif not isinstance(name, cst.Integer):  # a tuple's item: no attribute
                    return None
    return frozenset(fields)
