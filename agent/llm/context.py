"""Code context for the planner, chosen by measurement and bounded by a token budget.

The source of the hot functions (by profile share), the imports of their files, the functions
they call (callees defined in the editable sources) and the functions that call them, in that
priority, until the budget (about four characters per token) is spent. Every snippet is one
whole definition or one run of import statements; a hot function too large for what is left
is shown as its signature and the body statements that fit (never a line cut in half), and
everything that did not fit is listed as omitted, with its lines. Without a usable profile,
whole files are shown in the order given. (The coder's context is `agent.llm.windows`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from agent.llm.index import FunctionDef, SourceIndex, line_count, profile_path
from agent.protocols import Hotspot, HotspotProfile

__all__ = [
    "CodeContext",
    "ContextConfig",
    "FunctionDef",
    "Snippet",
    "SourceIndex",
    "build_context",
    "estimate_tokens",
    "fit",
    "hot_functions",
    "import_groups",
    "profile_path",
]


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
    """A piece of an editable file shown to a model: one definition or one import run."""

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
    cuts: tuple[int, ...] = ()
    """Lines after which a too-large snippet may be cut (ends of a definition's body
    statements, ends of a file's top-level statements); empty: shown whole or not at all."""
    shown_to: int = 0
    """When only the start of the definition is shown: its last line shown (else 0)."""

    def render(self) -> str:
        note = f" ({self.note})" if self.note else ""
        lang = "python" if self.path.endswith(".py") else ""
        what = self.role if self.role in ("imports", "file") else f"{self.role} `{self.name}`"
        span = f"lines {self.start}-{self.end}"
        if self.shown_to:
            span = f"lines {self.start}-{self.shown_to} of {self.start}-{self.end}"
        return f"### {self.path} {span}: {what}{note}\n```{lang}\n{self.text.rstrip()}\n```"

    def label(self) -> str:
        """How an omitted snippet is listed."""
        lines = f"lines {self.shown_to + 1}-{self.end}" if self.shown_to else self.span()
        return f"{self.path}:{self.name} ({lines})"

    def span(self) -> str:
        return f"lines {self.start}-{self.end}"


@dataclass(frozen=True)
class CodeContext:
    snippets: tuple[Snippet, ...]
    omitted: tuple[str, ...] = ()
    """What did not fit the budget ("path:name (lines a-b)")."""

    @property
    def tokens(self) -> int:
        return sum(estimate_tokens(s.render()) for s in self.snippets)

    def render(self) -> str:
        parts = [s.render() for s in self.snippets]
        if self.omitted:
            parts.append("Not shown (budget): " + ", ".join(self.omitted))
        return "\n\n".join(parts)


def definition_snippet(index: SourceIndex, f: FunctionDef, role: str, note: str = "") -> Snippet:
    text = index.lines(f.path, f.start, f.end)
    cuts = tuple(end for _, end in f.body)
    return Snippet(f.path, f.qualname, f.start, f.end, role, text, note, cuts)


def file_snippet(index: SourceIndex, path: str) -> Snippet:
    """A whole file, cuttable between its top-level statements."""
    text = index.sources[path]
    n = max(1, line_count(text))
    inside: set[int] = set()
    for d in index.definitions(path):
        if "." not in d.qualname:
            inside.update(range(d.start, d.end))
    cuts = tuple(k for k in range(1, n + 1) if k not in inside)
    return Snippet(path, path, 1, n, "file", text, cuts=cuts)


def import_groups(index: SourceIndex, path: str) -> list[Snippet]:
    """The top-level imports of `path` as runs of consecutive import statements: a module
    with imports at both ends gives two snippets, not one spanning the whole file."""
    groups: list[tuple[int, int]] = []
    for a, b in index.import_spans(path):
        between = index.lines(path, groups[-1][1] + 1, a - 1) if groups else "x"
        if groups and all(not x.strip() or x.lstrip().startswith("#") for x in between.split("\n")):
            groups[-1] = (groups[-1][0], b)
        else:
            groups.append((a, b))
    return [Snippet(path, "imports", a, b, "imports", index.lines(path, a, b)) for a, b in groups]


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


def share(h: Hotspot) -> str:
    return f"{h.total_share:.0%} of samples, {h.self_share:.0%} self"


def related(
    index: SourceIndex, hot: list[tuple[FunctionDef, Hotspot]], limit: int
) -> list[Snippet]:
    """Callees and callers of the hot functions (callers that are hot themselves left out)."""
    out: list[Snippet] = []
    hot_names = {f.name for f, _ in hot}
    for f, _ in hot:
        callees = [
            g for name in sorted(f.calls - {f.name}) for g in index.named(name, prefer=f.path)[:1]
        ]
        out += [
            definition_snippet(index, g, "callee", f"called by {f.qualname}")
            for g in callees[:limit]
        ]
        callers = [g for g in index.callers(f.name) if g.name not in hot_names]
        callers.sort(key=lambda g: (g.path != f.path, g.path, g.start))
        out += [
            definition_snippet(index, g, "caller", f"calls {f.qualname}") for g in callers[:limit]
        ]
    return out


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
        candidates += [definition_snippet(index, f, "hot", share(h)) for f, h in hot]
        for path in dict.fromkeys(f.path for f, _ in hot):
            candidates += import_groups(index, path)
        candidates += related(index, hot, config.max_related)
    else:
        candidates += [file_snippet(index, path) for path in sources]
    return fit(candidates, config.max_tokens)


def shown(kept: list[Snippet], s: Snippet) -> bool:
    """Whether every line of `s` is already in a kept snippet of the same file."""
    return any(
        k.path == s.path and k.start <= s.start and s.end <= (k.shown_to or k.end) for k in kept
    )


def shorten(s: Snippet, max_tokens: int) -> Snippet | None:
    """A too-large snippet cut after the last statement that fits (a definition keeps its
    signature); None when nothing fits."""
    lines = s.text.split("\n")
    head = estimate_tokens(replace(s, text="", shown_to=s.end).render())
    chars, last = 0, 0
    cuts = set(s.cuts)
    for k, line in enumerate(lines, start=s.start):
        chars += len(line) + 1
        if head + chars // 4 > max_tokens:
            break
        if k in cuts:
            last = k
    if not last or last >= s.end:
        return None
    return replace(s, text="\n".join(lines[: last - s.start + 1]), shown_to=last)


def fit(candidates: Iterable[Snippet], max_tokens: int) -> CodeContext:
    """Snippets in order while they fit; one already shown is skipped; a hot definition too
    large for what is left shows its start; everything else that does not fit is listed."""
    kept: list[Snippet] = []
    omitted: list[str] = []
    used = 0
    for s in candidates:
        if shown(kept, s):
            continue
        cost = estimate_tokens(s.render())
        if used + cost <= max_tokens:
            kept.append(s)
            used += cost
            continue
        part = shorten(s, max_tokens - used) if s.role in ("hot", "file") else None
        if part is not None:
            kept.append(part)
            used += estimate_tokens(part.render())
            omitted.append(part.label())
        else:
            omitted.append(s.label())
    return CodeContext(tuple(kept), tuple(dict.fromkeys(omitted)))
