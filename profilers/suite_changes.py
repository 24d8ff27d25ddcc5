"""The functions a candidate's diff changes, for picking the benchmarks that run them.

Each hunk's removed lines are looked up in the base's file and its added lines in the head's
(both read on the host from the sandboxes' work trees; nothing is imported or run). A line
inside a function names that function, qualified as py-spy shows methods (`Class.method`);
a line outside any function (a module constant, a class attribute, an import) names the
whole file (`*`), since any function of that file may read it. A change to a file that is
not Python source cannot be mapped (compiled code has no frames of its own in a Python
profile): the answer is then None, meaning "any benchmark may be affected".
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from profilers.suite_select import ChangedFunction

WHOLE_FILE = "*"
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _path(line: str) -> str | None:
    name = line[4:].split("\t", 1)[0].strip()
    if name == "/dev/null":
        return None
    return name[2:] if name[:2] in ("a/", "b/") else name


def changed_lines(diff: str) -> Iterator[tuple[str | None, str | None, set[int], set[int]]]:
    """(old path, new path, removed line numbers, added line numbers) per file of a git diff."""
    old = new = None
    removed: set[int] = set()
    added: set[int] = set()
    at_old = at_new = 0
    started = header = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            if started:
                yield old, new, removed, added
            old = new = None
            removed, added, started, header = set(), set(), True, True
        elif header and line.startswith("--- "):
            old = _path(line)
        elif header and line.startswith("+++ "):
            new = _path(line)
        elif m := _HUNK.match(line):
            header = False
            at_old, at_new = int(m[1]), int(m[2])
        elif header:
            continue
        elif line.startswith("-"):
            removed.add(at_old)
            at_old += 1
        elif line.startswith("+"):
            added.add(at_new)
            at_new += 1
        elif line.startswith(" "):
            at_old += 1
            at_new += 1
    if started:
        yield old, new, removed, added


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line with decorators, last line) of every function."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            name = prefix + node.name
            yield name, first, node.end_lineno or node.lineno
            yield from _functions(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)


def enclosing(source: str, lines: Iterable[int]) -> set[str]:
    """The innermost function around each line (`*` for a line outside every function, or
    when the source does not parse)."""
    wanted = set(lines)
    if not wanted:
        return set()
    try:
        spans = list(_functions(ast.parse(source)))
    except (SyntaxError, ValueError):
        return {WHOLE_FILE}
    out: set[str] = set()
    for line in wanted:
        around = [(last - first, name) for name, first, last in spans if first <= line <= last]
        out.add(min(around)[1] if around else WHOLE_FILE)
    return out


def _read(root: Path, path: str) -> str:
    try:
        return (root / path).read_text(errors="replace")
    except OSError:
        return ""


def changed_functions(
    diff: str, base_root: Path, head_root: Path, subdir: str = ""
) -> list[ChangedFunction] | None:
    """(task-relative file, function) pairs the diff changes (paths in the diff are
    repository-relative); None when a changed file is not Python source."""
    out: set[ChangedFunction] = set()
    prefix = f"{subdir.strip('/')}/" if subdir.strip("/") else ""
    for old, new, removed, added in changed_lines(diff):
        for root, path, lines in ((base_root, old, removed), (head_root, new, added)):
            if path is None or not lines:
                continue
            if not path.endswith(".py"):
                return None
            rel = path[len(prefix) :] if prefix and path.startswith(prefix) else path
            out.update((rel, name) for name in enclosing(_read(root, path), lines))
    return sorted(out)
