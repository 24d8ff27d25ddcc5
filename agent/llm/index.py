"""What the editable Python files define: functions, classes, imports and the names each
function calls, parsed once per file text (a large repository is parsed once per process,
not once per prompt). Files that do not parse are skipped.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agent.llm.edits import resolve_path


@dataclass(frozen=True)
class FunctionDef:
    """A function or class of an editable file (lines are 1-based, inclusive; a definition
    starts at its first decorator)."""

    path: str
    qualname: str
    name: str
    start: int
    end: int
    calls: frozenset[str] = field(default_factory=frozenset)
    kind: str = "function"
    """"function" or "class"."""
    header_end: int = 0
    """Last line of the signature (`def f(...):`), so a window can always show it."""
    body: tuple[tuple[int, int], ...] = ()
    """(first, last) line of each statement of the body, in order."""

    @property
    def lines(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class ParsedFile:
    definitions: tuple[FunctionDef, ...]
    imports: tuple[tuple[int, int], ...]
    """(first, last) line of each top-level import statement."""


def _span(node: ast.stmt) -> tuple[int, int]:
    return node.lineno, node.end_lineno or node.lineno


def _definition(path: str, node: ast.AST, prefix: str) -> FunctionDef:
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    calls = frozenset(
        n.func.id if isinstance(n.func, ast.Name) else n.func.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name | ast.Attribute)
    )
    body = tuple(_span(s) for s in node.body)
    header_end = max(node.lineno, body[0][0] - 1) if body else node.lineno
    if body and body[0][0] == node.lineno:  # `def f(): return 1`
        header_end = node.lineno
    return FunctionDef(
        path,
        f"{prefix}{node.name}",
        node.name,
        start,
        node.end_lineno or node.lineno,
        calls if not isinstance(node, ast.ClassDef) else frozenset(),
        "class" if isinstance(node, ast.ClassDef) else "function",
        header_end,
        body,
    )


def _walk(path: str, node: ast.AST, prefix: str, out: list[FunctionDef]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            d = _definition(path, child, prefix)
            out.append(d)
            _walk(path, child, d.qualname + ".", out)
        else:
            _walk(path, child, prefix, out)


@functools.lru_cache(maxsize=4096)
def parse_file(path: str, text: str) -> ParsedFile | None:
    """The definitions and imports of one Python file, or None when it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    found: list[FunctionDef] = []
    _walk(path, tree, "", found)
    imports = tuple(_span(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
    return ParsedFile(tuple(found), imports)


@dataclass
class SourceIndex:
    """Functions, classes and imports of the editable Python files."""

    sources: Mapping[str, str]
    functions: list[FunctionDef] = field(default_factory=list)
    classes: list[FunctionDef] = field(default_factory=list)
    imports: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, sources: Mapping[str, str]) -> SourceIndex:
        index = cls(sources)
        for path, text in sources.items():
            if not path.endswith(".py"):
                continue
            parsed = parse_file(path, text)
            if parsed is None:
                continue
            index.imports[path] = list(parsed.imports)
            for d in parsed.definitions:
                (index.functions if d.kind == "function" else index.classes).append(d)
        return index

    def definitions(self, path: str) -> list[FunctionDef]:
        """Every class and function of `path`, in file order."""
        found = [d for d in (*self.classes, *self.functions) if d.path == path]
        return sorted(found, key=lambda d: (d.start, -d.end))

    def enclosing(self, path: str, line: int) -> FunctionDef | None:
        """The innermost function of `path` containing `line`."""
        found = [f for f in self.functions if f.path == path and f.start <= line <= f.end]
        return min(found, key=lambda f: f.end - f.start) if found else None

    def named(self, name: str, prefer: str = "") -> list[FunctionDef]:
        """Functions called `name` (a qualified name matches its last part), those of
        `prefer` first; an exact qualified-name match comes before the others."""
        short = name.rsplit(".", 1)[-1].split(" ", 1)[0]
        found = [f for f in self.functions if f.name == short]
        return sorted(found, key=lambda f: (f.qualname != name, f.path != prefer, f.path, f.start))

    def callers(self, name: str) -> list[FunctionDef]:
        short = name.rsplit(".", 1)[-1]
        return [f for f in self.functions if short in f.calls and f.name != short]

    def lines(self, path: str, start: int, end: int) -> str:
        return "\n".join(self.sources[path].split("\n")[start - 1 : end])

    def target(self, spec: str) -> tuple[str, FunctionDef | None] | None:
        """The file and definition a plan's target names: `path`, `path:function`,
        `path:Class.method` or `path::function`; None when the path is not editable."""
        raw, _, name = spec.partition(":")
        path = resolve_path(raw, self.sources)
        if path is None:
            return None
        name = name.strip(": ").split("(", 1)[0].strip()
        if not name:
            return path, None
        here = [d for d in (*self.functions, *self.classes) if d.path == path]
        exact = [d for d in here if d.qualname == name]
        short = [d for d in here if d.name == name.rsplit(".", 1)[-1]]
        found = exact or short
        return path, (min(found, key=lambda d: d.start) if found else None)


def line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(diff: str) -> dict[str, set[int]]:
    """New-side line numbers a unified diff adds or changes, per repo path (a pure deletion
    marks the line after it)."""
    out: dict[str, set[int]] = {}
    path, line = "", 0
    for raw in diff.splitlines():
        if raw.startswith("+++ "):
            target = raw[4:].strip()
            path = target[2:] if target.startswith("b/") else ""
            continue
        m = HUNK.match(raw)
        if m:
            line = int(m.group(1))
            continue
        if not path or raw.startswith(("--- ", "diff ", "index ")):
            continue
        if raw.startswith("+"):
            out.setdefault(path, set()).add(line)
            line += 1
        elif raw.startswith("-"):
            out.setdefault(path, set()).add(line)
        elif raw.startswith(" "):
            line += 1
    return out


def changed_definitions(diff: str, index: SourceIndex) -> list[str]:
    """`path:qualname` of the functions a diff changed (`path` alone for changes outside
    any function), in file and line order."""
    out: list[str] = []
    for repo_path, lines in changed_lines(diff).items():
        path = resolve_path(repo_path, index.sources)
        if path is None:
            continue
        for n in sorted(lines):
            f = index.enclosing(path, n)
            out.append(f"{path}:{f.qualname}" if f else path)
    return list(dict.fromkeys(out))


def profile_path(file: str, sources: Iterable[str]) -> str | None:
    """The editable file a profiler's path names: relative, a suffix, or absolute (the
    longest editable path it ends with)."""
    names = list(sources)
    path = resolve_path(file, names)
    if path is not None:
        return path
    ends = [p for p in names if file.replace("\\", "/").endswith("/" + p)]
    return max(ends, key=len) if ends else None
