"""Which functions a candidate changes: the diff's hunks mapped onto the functions and methods
of the base and head sources (stdlib `ast`; no candidate code runs).

A changed line inside a function or method makes that function a target (a nested function
counts for the function it is nested in). A changed line at module level makes every function
that reads a name it binds a target. A changed constructor, class body or decorator marks the
class "rebuilt": its instances made by the base's code are not valid inputs for the head's.
"""

from __future__ import annotations

import ast
import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LAYOUT_METHODS = frozenset(
    {"__init__", "__new__", "__post_init__", "__setstate__", "__getstate__", "__reduce__"}
    | {"__reduce_ex__", "__init_subclass__"}
)
"""Methods that decide what an instance holds: a change there rebuilds the class."""


@dataclass(frozen=True)
class FileChange:
    """One file of a diff: repo-relative path and the changed line numbers on each side."""

    path: str
    added: frozenset[int]
    """Line numbers in the head's file that the diff adds."""
    removed: frozenset[int]
    """Line numbers in the base's file that the diff removes."""
    created: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Span:
    """A function, method or class definition and the lines it covers (decorators included)."""

    qualname: str
    kind: str
    """"function", "method" or "class"."""
    start: int
    end: int
    is_async: bool = False


def spans(tree: ast.Module) -> list[Span]:
    """Definitions reachable by attribute access: module-level functions and classes, and the
    methods and nested classes of classes (functions nested in functions are not)."""
    out: list[Span] = []

    def visit(body: list[ast.stmt], prefix: str, in_class: bool) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                name = prefix + node.name
                end = node.end_lineno or node.lineno
                if isinstance(node, ast.ClassDef):
                    out.append(Span(name, "class", start, end))
                    visit(node.body, name + ".", True)
                else:
                    kind = "method" if in_class else "function"
                    out.append(Span(name, kind, start, end, isinstance(node, ast.AsyncFunctionDef)))

    visit(tree.body, "", False)
    return out


def innermost(all_spans: Iterable[Span], line: int) -> Span | None:
    """The narrowest definition covering `line`, if any."""
    covering = [s for s in all_spans if s.start <= line <= s.end]
    return min(covering, key=lambda s: s.end - s.start, default=None)


@dataclass
class Targets:
    """What a diff changes, per repo-relative Python file."""

    functions: dict[str, set[str]] = field(default_factory=dict)
    """Qualified names of the functions and methods to capture (defined on both sides)."""
    rebuilt: dict[str, set[str]] = field(default_factory=dict)
    """Classes whose instances' layout may differ between base and head."""
    skipped: dict[str, str] = field(default_factory=dict)
    """`path::qualname` -> why a changed function is not captured (async, new, removed)."""

    def as_json(self) -> dict[str, dict[str, list[str]]]:
        return {
            "functions": {p: sorted(q) for p, q in self.functions.items() if q},
            "rebuilt": {p: sorted(q) for p, q in self.rebuilt.items() if q},
        }

    @property
    def count(self) -> int:
        return sum(len(q) for q in self.functions.values())


def _parse(source: str | None) -> ast.Module | None:
    if source is None:
        return None
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


_SKIP_DIRS = frozenset({".git", ".perfagent", "__pycache__", "node_modules", ".venv", ".tox"})


def _python_files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        for name in filenames:
            path = Path(dirpath) / name
            if name.endswith(".py") and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path
    return found


def tree_changes(base: Path, head: Path) -> list[FileChange]:
    """The Python files that differ between two trees, with the lines each side changes
    (whatever made the head: a patch, a commit or both)."""
    mine, theirs = _python_files(base), _python_files(head)
    changes = []
    for rel in sorted(set(mine) | set(theirs)):
        a = mine[rel].read_bytes() if rel in mine else None
        b = theirs[rel].read_bytes() if rel in theirs else None
        if a == b:
            continue
        old = (a or b"").decode("utf-8", "replace").splitlines()
        new = (b or b"").decode("utf-8", "replace").splitlines()
        added: set[int] = set()
        removed: set[int] = set()
        ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag in ("replace", "delete"):
                removed.update(range(i1 + 1, i2 + 1))
            if tag in ("replace", "insert"):
                added.update(range(j1 + 1, j2 + 1))
        changes.append(FileChange(rel, frozenset(added), frozenset(removed), a is None, b is None))
    return changes


def read_source(root: Path, rel: str) -> str | None:
    path = root / rel
    try:
        return path.read_text() if path.is_file() and not path.is_symlink() else None
    except (OSError, UnicodeDecodeError):
        return None


def changed_targets(changes: list[FileChange], base_root: Path, head_root: Path) -> Targets:
    """The functions to capture for `changes` between the two trees."""
    targets = Targets()
    for change in changes:
        if not change.path.endswith(".py") or change.created or change.deleted:
            continue
        base = _parse(read_source(base_root, change.path))
        head = _parse(read_source(head_root, change.path))
        if base is None or head is None:
            continue
        _file_targets(change, base, head, targets)
    return targets


def _file_targets(change: FileChange, base: ast.Module, head: ast.Module, out: Targets) -> None:
    base_spans, head_spans = spans(base), spans(head)
    touched: set[str] = set()
    rebuilt: set[str] = set()
    module_lines: dict[str, set[int]] = {"base": set(), "head": set()}
    for side, lines, all_spans in (
        ("base", change.removed, base_spans),
        ("head", change.added, head_spans),
    ):
        for line in lines:
            span = innermost(all_spans, line)
            if span is None:
                module_lines[side].add(line)
            elif span.kind == "class":
                rebuilt.add(span.qualname)
            else:
                touched.add(span.qualname)
                owner, _, method = span.qualname.rpartition(".")
                if span.kind == "method" and method in LAYOUT_METHODS:
                    rebuilt.add(owner)
    names = _bound_at(base, module_lines["base"]) | _bound_at(head, module_lines["head"])
    touched |= _readers(head, head_spans, names)
    touched |= {n for n in names if _is_def(base_spans, n)}
    _keep_callable(change.path, touched, base_spans, head_spans, head, out)
    if rebuilt:
        out.rebuilt.setdefault(change.path, set()).update(rebuilt)


def _is_def(all_spans: list[Span], qualname: str) -> bool:
    return any(s.qualname == qualname and s.kind != "class" for s in all_spans)


def _keep_callable(
    path: str,
    touched: set[str],
    base_spans: list[Span],
    head_spans: list[Span],
    head: ast.Module,
    out: Targets,
) -> None:
    head_names = _bound_at(head, None)
    by_name = {s.qualname: s for s in base_spans}
    for name in sorted(touched):
        span = by_name.get(name)
        key = f"{path}::{name}"
        if span is None or span.kind == "class":
            out.skipped[key] = "new in the head (the base never calls it)"
        elif span.is_async:
            out.skipped[key] = "async functions are not captured"
        elif not (_is_def(head_spans, name) or ("." not in name and name in head_names)):
            out.skipped[key] = "removed by the head"
        else:
            out.functions.setdefault(path, set()).add(name)


def _statements_at(tree: ast.Module, lines: set[int] | None) -> Iterator[ast.stmt]:
    for stmt in tree.body:
        end = stmt.end_lineno or stmt.lineno
        if lines is None or any(stmt.lineno <= n <= end for n in lines):
            yield stmt


def _bound_at(tree: ast.Module, lines: set[int] | None) -> set[str]:
    """Module-level names bound by the statements covering `lines` (all statements: None)."""
    names: set[str] = set()
    for stmt in _statements_at(tree, lines):
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if lines is None:
                names.add(stmt.name)
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return names


def _readers(tree: ast.Module, all_spans: list[Span], names: set[str]) -> set[str]:
    """Functions and methods of `tree` whose code reads any of `names`."""
    if not names:
        return set()
    found: set[str] = set()
    index = {(s.start, s.qualname): s for s in all_spans}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        span = next((s for (line, _), s in index.items() if line == start), None)
        if span is None or span.kind == "class":
            continue
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if used & names:
            found.add(span.qualname)
    return found
