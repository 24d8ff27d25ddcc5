"""Code context for prompts, chosen by measurement and bounded by a token budget.

For the planner: the source of the hot functions (by profile share), the imports of their
files, the functions they call (callees defined in the editable sources) and the functions that
call them, in that priority, until the budget (about four characters per token) is spent.
For the coder: whole files, the plan's target files first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from agent.llm.edits import resolve_path
from agent.protocols import Hotspot, HotspotProfile


def estimate_tokens(text: str) -> int:
    """Rough token count (about four characters per token) for budgets and context sizing."""
    return (len(text) + 3) // 4


@dataclass(frozen=True)
class ContextConfig:
    """How much code the planner sees."""

    max_tokens: int = 6000
    """Budget for all snippets together (≈ 4 characters per token)."""
    max_hot: int = 8
    """Hot functions considered, hottest first."""
    max_related: int = 4
    """Callers and callees shown per hot function (each)."""


@dataclass(frozen=True)
class Snippet:
    """A piece of an editable file shown to a model."""

    path: str
    name: str
    start: int
    """1-based first line."""
    end: int
    """1-based last line (inclusive)."""
    role: str
    """"hot", "imports", "callee", "caller" or "file"."""
    text: str
    note: str = ""

    def render(self) -> str:
        note = f" ({self.note})" if self.note else ""
        lang = "python" if self.path.endswith(".py") else ""
        what = self.role if self.role in ("imports", "file") else f"{self.role} `{self.name}`"
        return (
            f"### {self.path} lines {self.start}-{self.end}: {what}{note}\n"
            f"```{lang}\n{self.text.rstrip()}\n```"
        )


@dataclass(frozen=True)
class CodeContext:
    snippets: tuple[Snippet, ...]
    omitted: tuple[str, ...] = ()
    """What did not fit the budget ("path:name")."""

    @property
    def tokens(self) -> int:
        return sum(estimate_tokens(s.render()) for s in self.snippets)

    def render(self) -> str:
        parts = [s.render() for s in self.snippets]
        if self.omitted:
            parts.append("Not shown (budget): " + ", ".join(self.omitted))
        return "\n\n".join(parts)


@dataclass(frozen=True)
class FunctionDef:
    path: str
    qualname: str
    name: str
    start: int
    end: int
    calls: frozenset[str] = field(default_factory=frozenset)


@dataclass
class SourceIndex:
    """Functions and imports of the editable Python files (files that do not parse are skipped)."""

    sources: Mapping[str, str]
    functions: list[FunctionDef] = field(default_factory=list)
    imports: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, sources: Mapping[str, str]) -> SourceIndex:
        index = cls(sources)
        for path, text in sources.items():
            if not path.endswith(".py"):
                continue
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            index.imports[path] = [
                (n.lineno, n.end_lineno or n.lineno)
                for n in tree.body
                if isinstance(n, ast.Import | ast.ImportFrom)
            ]
            index._walk(path, tree, "")
        return index

    def _walk(self, path: str, node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                calls = frozenset(
                    n.func.id if isinstance(n.func, ast.Name) else n.func.attr
                    for n in ast.walk(child)
                    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name | ast.Attribute)
                )
                qual = f"{prefix}{child.name}"
                end = child.end_lineno or child.lineno
                self.functions.append(FunctionDef(path, qual, child.name, start, end, calls))
                self._walk(path, child, qual + ".")
            elif isinstance(child, ast.ClassDef):
                self._walk(path, child, f"{prefix}{child.name}.")
            else:
                self._walk(path, child, prefix)

    def enclosing(self, path: str, line: int) -> FunctionDef | None:
        """The innermost function of `path` containing `line`."""
        found = [f for f in self.functions if f.path == path and f.start <= line <= f.end]
        return min(found, key=lambda f: f.end - f.start) if found else None

    def named(self, name: str, prefer: str = "") -> list[FunctionDef]:
        short = name.rsplit(".", 1)[-1].split(" ", 1)[0]
        found = [f for f in self.functions if f.name == short]
        return sorted(found, key=lambda f: (f.path != prefer, f.path, f.start))

    def snippet(self, f: FunctionDef, role: str, note: str = "") -> Snippet:
        lines = self.sources[f.path].split("\n")[f.start - 1 : f.end]
        return Snippet(f.path, f.qualname, f.start, f.end, role, "\n".join(lines), note)


def profile_path(file: str, sources: Mapping[str, str]) -> str | None:
    """The editable file a profiler's path names: relative, a suffix, or absolute (the
    longest editable path it ends with)."""
    path = resolve_path(file, sources)
    if path is not None:
        return path
    ends = [p for p in sources if file.replace("\\", "/").endswith("/" + p)]
    return max(ends, key=len) if ends else None


def hot_functions(
    profile: HotspotProfile, index: SourceIndex, limit: int
) -> list[tuple[FunctionDef, Hotspot]]:
    """The editable functions the profile points at, hottest first, each once."""
    ranked = sorted(profile.hotspots, key=lambda h: h.self_share + h.total_share, reverse=True)
    out: list[tuple[FunctionDef, Hotspot]] = []
    seen: set[tuple[str, str]] = set()
    for h in ranked:
        path = profile_path(h.file, index.sources)
        if path is None:
            continue
        f = index.enclosing(path, h.line) if h.line > 0 else None
        if f is None or (h.function and f.name != h.function.rsplit(".", 1)[-1]):
            by_name = [g for g in index.named(h.function, prefer=path) if g.path == path]
            f = by_name[0] if by_name else f
        if f is None or (f.path, f.qualname) in seen:
            continue
        seen.add((f.path, f.qualname))
        out.append((f, h))
        if len(out) >= limit:
            break
    return out


def _share(h: Hotspot) -> str:
    return f"{h.total_share:.0%} of samples, {h.self_share:.0%} self"


def build_context(
    profile: HotspotProfile,
    sources: Mapping[str, str],
    config: ContextConfig | None = None,
) -> CodeContext:
    """Hot functions, their files' imports, callees and callers, within `config.max_tokens`.

    Without a usable profile, whole files are shown in the order given (hot files first).
    """
    config = config or ContextConfig()
    index = SourceIndex.build(sources)
    hot = hot_functions(profile, index, config.max_hot)
    candidates: list[Snippet] = []
    if hot:
        candidates += [index.snippet(f, "hot", _share(h)) for f, h in hot]
        for path in dict.fromkeys(f.path for f, _ in hot):
            spans = index.imports.get(path, [])
            if spans:
                lines = sources[path].split("\n")
                text = "\n".join("\n".join(lines[a - 1 : b]) for a, b in spans)
                candidates.append(
                    Snippet(path, "imports", spans[0][0], spans[-1][1], "imports", text)
                )
        hot_names = {f.name for f, _ in hot}
        for f, _ in hot:
            callees = [
                g
                for name in sorted(f.calls - {f.name})
                for g in index.named(name, prefer=f.path)[:1]
            ]
            candidates += [
                index.snippet(g, "callee", f"called by {f.qualname}")
                for g in callees[: config.max_related]
            ]
            callers = [g for g in index.functions if f.name in g.calls and g.name not in hot_names]
            callers.sort(key=lambda g: (g.path != f.path, g.path, g.start))
            candidates += [
                index.snippet(g, "caller", f"calls {f.qualname}")
                for g in callers[: config.max_related]
            ]
    else:
        for path, text in sources.items():
            n = text.count("\n") + (0 if text.endswith("\n") else 1)
            candidates.append(Snippet(path, path, 1, max(1, n), "file", text))
    return fit(candidates, config.max_tokens)


def fit(candidates: Iterable[Snippet], max_tokens: int) -> CodeContext:
    """Snippets in order while they fit; overlapping ones once; the first one cut if needed."""
    kept: list[Snippet] = []
    omitted: list[str] = []
    used = 0
    for s in candidates:
        if any(k.path == s.path and k.start <= s.start and s.end <= k.end for k in kept):
            continue
        cost = estimate_tokens(s.render())
        if used + cost <= max_tokens:
            kept.append(s)
            used += cost
        elif not kept:
            keep_chars = max(max_tokens * 4 - 160, max_tokens * 2)
            text = s.text[:keep_chars].rsplit("\n", 1)[0] + "\n# ... (cut to fit the budget)"
            kept.append(Snippet(s.path, s.name, s.start, s.end, s.role, text, s.note))
            used = max_tokens
        else:
            omitted.append(f"{s.path}:{s.name}")
    return CodeContext(tuple(kept), tuple(dict.fromkeys(omitted)))


def files_for_plan(
    sources: Mapping[str, str],
    targets: Sequence[str],
    plan_text: str,
    max_tokens: int,
) -> tuple[dict[str, str], list[str]]:
    """Whole files for the coder: the plan's targets, then files its text names, then the rest
    in the order given, while they fit. Returns (shown path -> text, paths not shown)."""
    order: list[str] = []
    for t in targets:
        path = resolve_path(t.split(":", 1)[0], sources)
        if path:
            order.append(path)
    order += [p for p in sources if p in plan_text or p.rsplit("/", 1)[-1] in plan_text]
    order += list(sources)
    shown: dict[str, str] = {}
    left_out: list[str] = []
    used = 0
    for path in dict.fromkeys(order):
        cost = estimate_tokens(sources[path]) + 20
        if used + cost <= max_tokens:
            shown[path] = sources[path]
            used += cost
        else:
            left_out.append(path)
    return shown, left_out
