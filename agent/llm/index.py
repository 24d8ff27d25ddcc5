"""What the editable Python files define: functions, classes, imports and the names each
function calls, parsed once per file text (a large repository is parsed once per process,
not once per prompt). Files that do not parse are skipped.
"""

from __future__ import annotations

import ast
import functools
import keyword
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


KEYWORDS = frozenset(keyword.kwlist) | {"print"}
CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


def _calls(text: str) -> frozenset[str]:
    """Names called in a function's text (a name followed by "(", keywords left out): a
    regular expression, not an AST walk, because a large repository has many functions."""
    return frozenset(CALL.findall(text)) - KEYWORDS


def _definition(path: str, node: ast.AST, prefix: str, lines: list[str]) -> FunctionDef:
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    end = node.end_lineno or node.lineno
    body = tuple(_span(s) for s in node.body)
    header_end = max(node.lineno, body[0][0] - 1) if body else node.lineno
    if body and body[0][0] == node.lineno:  # `def f(): return 1`
        header_end = node.lineno
    is_class = isinstance(node, ast.ClassDef)
    calls = frozenset() if is_class else _calls("\n".join(lines[node.lineno : end]))
    return FunctionDef(
        path,
        f"{prefix}{node.name}",
        node.name,
        start,
        end,
        calls,
        "class" if is_class else "function",
        header_end,
        body,
    )


NESTED = ("body", "orelse", "finalbody", "handlers", "cases")


def _walk(
    path: str, body: list[ast.stmt], prefix: str, lines: list[str], out: list[FunctionDef]
) -> None:
    """Definitions in a list of statements, down through compound statements only (a
    definition cannot sit inside an expression)."""
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            d = _definition(path, stmt, prefix, lines)
            out.append(d)
            _walk(path, stmt.body, d.qualname + ".", lines, out)
            continue
        for name in NESTED:
            for child in getattr(stmt, name, None) or []:
                inner = (
                    child.body if isinstance(child, ast.ExceptHandler | ast.match_case) else [child]
                )
                _walk(path, [x for x in inner if isinstance(x, ast.stmt)], prefix, lines, out)


@functools.lru_cache(maxsize=4096)
def parse_file(path: str, text: str) -> ParsedFile | None:
    """The definitions and imports of one Python file, or None when it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    found: list[FunctionDef] = []
    _walk(path, tree.body, "", text.split("\n"), found)
    imports = tuple(_span(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
    return ParsedFile(tuple(found), imports)


@dataclass
class SourceIndex:
    """Functions, classes and imports of the editable Python files, each file parsed when a
    question first needs it: a name is looked for in the texts first, and only the files
    that mention it are parsed (a 100 k-line repository is not parsed for one prompt)."""

    sources: Mapping[str, str]

    @classmethod
    def build(cls, sources: Mapping[str, str]) -> SourceIndex:
        return cls(sources)

    def parsed(self, path: str) -> ParsedFile | None:
        if not path.endswith(".py") or path not in self.sources:
            return None
        return parse_file(path, self.sources[path])

    def _defs(self, paths: Iterable[str]) -> list[FunctionDef]:
        out: list[FunctionDef] = []
        for path in paths:
            parsed = self.parsed(path)
            out += parsed.definitions if parsed else ()
        return out

    def _mentioning(self, word: str) -> list[str]:
        return [p for p, t in self.sources.items() if p.endswith(".py") and word in t]

    @property
    def functions(self) -> list[FunctionDef]:
        """Every function of every file (parses them all)."""
        return [d for d in self._defs(self.sources) if d.kind == "function"]

    @property
    def imports(self) -> dict[str, list[tuple[int, int]]]:
        return {p: list(f.imports) for p in self.sources if (f := self.parsed(p)) is not None}

    def import_spans(self, path: str) -> list[tuple[int, int]]:
        parsed = self.parsed(path)
        return list(parsed.imports) if parsed else []

    def definitions(self, path: str) -> list[FunctionDef]:
        """Every class and function of `path`, in file order."""
        return sorted(self._defs([path]), key=lambda d: (d.start, -d.end))

    def defined(self, name: str, kind: str = "") -> list[FunctionDef]:
        """Definitions called `name` (its last part, when qualified) anywhere."""
        short = name.rsplit(".", 1)[-1].split(" ", 1)[0]
        word = re.compile(rf"\b(?:def|class)\s+{re.escape(short)}\b")
        paths = dict.fromkeys(
            [*self._mentioning(f"def {short}"), *self._mentioning(f"class {short}")]
        )
        found = self._defs(p for p in paths if word.search(self.sources[p]))
        return [d for d in found if d.name == short and (not kind or d.kind == kind)]

    def enclosing(self, path: str, line: int) -> FunctionDef | None:
        """The innermost function of `path` containing `line`."""
        found = [f for f in self._defs([path]) if f.kind == "function" and f.start <= line <= f.end]
        return min(found, key=lambda f: f.end - f.start) if found else None

    def named(self, name: str, prefer: str = "") -> list[FunctionDef]:
        """Functions called `name` (a qualified name matches its last part), those of
        `prefer` first; an exact qualified-name match comes before the others."""
        found = self.defined(name, "function")
        return sorted(found, key=lambda f: (f.qualname != name, f.path != prefer, f.path, f.start))

    def callers(self, name: str) -> list[FunctionDef]:
        short = name.rsplit(".", 1)[-1]
        found = self._defs(self._mentioning(short + "("))
        return [f for f in found if f.kind == "function" and short in f.calls and f.name != short]

    def owner(self, d: FunctionDef) -> FunctionDef | None:
        """The class a method is defined in."""
        if "." not in d.qualname:
            return None
        qual = d.qualname.rsplit(".", 1)[0]
        return next((c for c in self._defs([d.path]) if c.qualname == qual), None)

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
        here = self._defs([path])
        exact = [d for d in here if d.qualname == name]
        short = [d for d in here if d.name == name.rsplit(".", 1)[-1]]
        found = exact or short
        return path, (min(found, key=lambda d: d.start) if found else None)


TOP_LEVEL = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


def top_level_names(text: str) -> list[str]:
    """Names a module defines at its top level, read without parsing (for the map)."""
    return TOP_LEVEL.findall(text)


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
        path = profile_path(repo_path, index.sources)
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
