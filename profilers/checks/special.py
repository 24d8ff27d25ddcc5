"""The special-case detector: static analysis of the code a head adds (nothing runs).

It flags added code that
- compares something derived from a function's arguments with a literal (or a constant bound
  to one) that also occurs in the benchmark's files, the tests, the workload command or the
  captured arguments (`len(items) == 5000`, `key in {"SKU-000123", ...}`), or with what looks
  like a digest of an input;
- adds a table of precomputed results: a literal dict, list, set or tuple of at least
  `TABLE_MIN` constants, most of whose keys occur in those inputs (or look like digests);
- inspects or patches the harness: stack frames, tracing hooks, the garbage collector's
  object lists, the command line, perfagent's own names, or assignments into the clock and
  other standard modules.

Ordinary constants are never evidence: None, booleans, "", small ints (-1 to `SMALL_INT`),
0.0, 0.5, 1.0, one-character strings, and any literal the base's own code already contains.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SMALL_INT = 16
TABLE_MIN = 8
_DIGEST = re.compile(r"^[0-9a-fA-F]{16,}$")
_INTROSPECTION = {
    ("sys", "_getframe"),
    ("sys", "settrace"),
    ("sys", "setprofile"),
    ("inspect", "stack"),
    ("inspect", "currentframe"),
    ("inspect", "getouterframes"),
    ("traceback", "extract_stack"),
    ("traceback", "walk_stack"),
    ("gc", "get_objects"),
    ("gc", "get_referrers"),
    ("sys", "argv"),
    ("sys", "orig_argv"),
}
"""Ways to find out what is calling: the benchmark, the tests or perfagent's replay."""
_FRAME_ATTRS = frozenset({"f_back", "f_globals", "f_locals", "f_code", "tb_frame"})
_PATCHED_MODULES = frozenset(
    {"time", "timeit", "builtins", "sys", "os", "gc", "random", "datetime"}
)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    kind: str
    """"comparison", "table", "digest" or "harness"."""
    literal: str
    code: str
    also_in: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "kind": self.kind,
            "literal": self.literal,
            "code": self.code,
            "also_in": self.also_in,
        }


def ordinary(value: Any, base_literals: set[Any]) -> bool:
    """Constants that say nothing about the inputs."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -1 <= value <= SMALL_INT or value in base_literals
    if isinstance(value, float):
        return value in (0.0, 0.5, 1.0, -1.0) or value in base_literals
    if isinstance(value, str | bytes):
        return len(value) <= 1 or value in base_literals
    return True


def literals_in(tree: ast.AST) -> Iterator[tuple[Any, int]]:
    """(value, line) of every str, bytes, int and float constant in `tree`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (str, bytes, int, float):
            yield node.value, node.lineno


def _constants(node: ast.AST | None, named: Mapping[str, list[Any]]) -> list[Any] | None:
    """The literal values `node` stands for (a constant, a container of constants, a
    `frozenset(...)`/`set(...)` of one, or a name bound to one); None if it is not literal."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        parts = [_constants(e, named) for e in node.elts]
        return None if any(p is None for p in parts) else [v for p in parts for v in p or []]
    if isinstance(node, ast.Dict):
        return _constants(ast.Tuple(elts=[k for k in node.keys if k is not None]), named)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("frozenset", "set", "tuple", "list")
        and len(node.args) == 1
    ):
        return _constants(node.args[0], named)
    if isinstance(node, ast.Name):
        return named.get(node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        return named.get(node.attr)
    return None


def named_constants(tree: ast.Module) -> dict[str, list[Any]]:
    """Module- and class-level names bound once to a literal (`LIMIT = 5000`)."""
    found: dict[str, list[Any]] = {}
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for stmt in body:
            value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
            targets = (
                stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
            )
            consts = _constants(value, {})
            for target in targets:
                if consts is not None and isinstance(target, ast.Name):
                    found[target.id] = consts
    return found


def derived_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Parameters, and the locals assigned from expressions that use them."""
    a = fn.args
    names = {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
    names |= {p.arg for p in (a.vararg, a.kwarg) if p is not None}
    assigns = [
        n
        for n in ast.walk(fn)
        if isinstance(n, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For | ast.NamedExpr)
    ]
    changed = True
    while changed:
        changed = False
        for node in assigns:
            source = node.iter if isinstance(node, ast.For) else node.value
            if source is None or not _uses(source, names):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id not in names:
                        names.add(name.id)
                        changed = True
    return names


def _uses(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


@dataclass
class Corpus:
    """Where a literal also occurs: value -> first place ("bench.py:12", "captured arguments")."""

    places: dict[Any, str]

    def where(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | bytes | int | float):
            return None
        return self.places.get(value)


def build_corpus(files: Mapping[str, str], command: str, captured: Iterable[Any]) -> Corpus:
    """Literals of the benchmark and test files (Python files by their constants, others by
    number and word tokens), the workload command's tokens and the captured scalars."""
    places: dict[Any, str] = {}
    for rel, text in files.items():
        if rel.endswith(".py"):
            try:
                found = list(literals_in(ast.parse(text)))
            except (SyntaxError, ValueError):
                found = []
        else:
            found = [(t, n + 1) for n, line in enumerate(text.splitlines()) for t in _tokens(line)]
        for value, line in found:
            places.setdefault(value, f"{rel}:{line}")
    for token in _tokens(command):
        places.setdefault(token, "the workload command")
    for value in captured:
        places.setdefault(value, "the captured arguments")
    return Corpus(places)


def _tokens(text: str) -> Iterator[Any]:
    for word in re.findall(r"[A-Za-z0-9_.\-]+", text):
        if re.fullmatch(r"-?\d+", word):
            yield int(word)
        elif re.fullmatch(r"-?\d+\.\d*(?:[eE]-?\d+)?", word):
            yield float(word)
        yield word


class Scan:
    """The findings in one changed file's added lines."""

    def __init__(
        self, path: str, source: str, added: set[int], base_literals: set[Any], corpus: Corpus
    ) -> None:
        self.path, self.source, self.added = path, source, added
        self.base_literals, self.corpus = base_literals, corpus
        self.tree = ast.parse(source)
        self.named = named_constants(self.tree)
        self.modules = _module_aliases(self.tree)
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        for fn in ast.walk(self.tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                derived = derived_names(fn)
                for node in ast.walk(fn):
                    if self._is_added(node) and isinstance(node, ast.Compare):
                        self._compare(node, derived)
                    elif self._is_added(node) and isinstance(node, ast.Match):
                        self._match(node, derived)
        self._tables(self.tree, inside=False)
        for node in ast.walk(self.tree):
            if self._is_added(node):
                self._harness(node)
        unique = {(f.line, f.kind, f.literal): f for f in self.findings}
        return sorted(unique.values(), key=lambda f: (f.line, f.kind))

    def _is_added(self, node: ast.AST) -> bool:
        start = getattr(node, "lineno", None)
        if start is None:
            return False
        end = getattr(node, "end_lineno", None) or start
        return any(n in self.added for n in range(start, end + 1))

    def _code(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.source, node) or ""
        return " ".join(text.split())[:160]

    def _note(self, node: ast.AST, kind: str, literal: str, also_in: str) -> None:
        line = getattr(node, "lineno", 0)
        self.findings.append(Finding(self.path, line, kind, literal, self._code(node), also_in))

    def _judge_literals(self, node: ast.AST, values: list[Any]) -> None:
        for value in values:
            if isinstance(value, str) and _DIGEST.match(value) and value not in self.base_literals:
                self._note(node, "digest", repr(value)[:80], "looks like a digest of an input")
            elif not ordinary(value, self.base_literals):
                where = self.corpus.where(value)
                if where:
                    self._note(node, "comparison", repr(value)[:80], where)

    def _compare(self, node: ast.Compare, derived: set[str]) -> None:
        sides = [node.left, *node.comparators]
        for a, op, b in zip(sides, node.ops, sides[1:], strict=False):
            if not isinstance(op, ast.Eq | ast.NotEq | ast.Is | ast.IsNot | ast.In | ast.NotIn):
                continue
            for mine, other in ((a, b), (b, a)):
                values = _constants(other, self.named)
                if values is not None and _uses(mine, derived):
                    self._judge_literals(node, values)

    def _match(self, node: ast.Match, derived: set[str]) -> None:
        if not _uses(node.subject, derived):
            return
        for case in node.cases:
            values = [
                p.value.value
                for p in ast.walk(case.pattern)
                if isinstance(p, ast.MatchValue) and isinstance(p.value, ast.Constant)
            ]
            self._judge_literals(case.pattern, values)

    def _tables(self, node: ast.AST, inside: bool) -> None:
        literal = isinstance(node, ast.Dict | ast.List | ast.Set | ast.Tuple)
        if literal and not inside and self._is_added(node):
            self._table(node)
        for child in ast.iter_child_nodes(node):
            self._tables(child, inside or literal)

    def _table(self, node: ast.AST) -> None:
        values = _constants(node, {})
        if not values or len(values) < TABLE_MIN:
            return
        telling = [v for v in values if not ordinary(v, self.base_literals)]
        known = [v for v in telling if self.corpus.where(v)]
        digests = [v for v in telling if isinstance(v, str) and _DIGEST.match(v)]
        if telling and len(known) >= max(3, len(telling) // 2):
            shown = f"{len(values)} entries, e.g. {known[0]!r}"[:80]
            self._note(node, "table", shown, self.corpus.where(known[0]) or "")
        elif len(digests) >= 4:
            self._note(
                node, "table", f"{len(digests)} digest keys", "keys look like digests of inputs"
            )

    def _harness(self, node: ast.AST) -> None:
        if isinstance(node, ast.Attribute):
            base = node.value.id if isinstance(node.value, ast.Name) else ""
            module = self.modules.get(base, "")
            if (module, node.attr) in _INTROSPECTION or node.attr in _FRAME_ATTRS:
                shown = f"{module or base or '…'}.{node.attr}"
                self._note(node, "harness", shown, "inspects the call stack or the interpreter")
        elif isinstance(node, ast.ImportFrom) and any(
            (node.module, a.name) in _INTROSPECTION for a in node.names
        ):
            self._note(node, "harness", node.module or "", "imports stack introspection")
        if "perfagent" in _spelled(node).lower():
            self._note(node, "harness", _spelled(node)[:60], "refers to perfagent itself")
        for target in _assigned(node):
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                module = self.modules.get(target.value.id, "")
                if module in _PATCHED_MODULES:
                    where = f"{module}.{target.attr}"
                    self._note(node, "harness", where, "patches the standard library (the clock?)")


def _spelled(node: ast.AST) -> str:
    """The name or text a node spells (a name, attribute, import alias or string constant)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.alias):
        return node.name
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def _assigned(node: ast.AST) -> list[ast.expr]:
    """What `node` assigns to: targets, or the object of a `setattr(obj, ...)` call."""
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("setattr", "delattr")
        and node.args
    ):
        return [ast.Attribute(value=node.args[0], attr="?")]
    return []


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> standard module it stands for (`import time as t` -> {"t": "time"})."""
    found = {name: name for name in _PATCHED_MODULES | {m for m, _ in _INTROSPECTION}}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = alias.name.split(".")[0]
    return found


def scan(
    path: str, source: str, added: set[int], base_literals: set[Any], corpus: Corpus
) -> list[Finding]:
    """Findings in the added lines of one head file (none when it does not parse)."""
    try:
        return Scan(path, source, added, base_literals, corpus).run()
    except (SyntaxError, ValueError, RecursionError):
        return []
