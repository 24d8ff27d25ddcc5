"""What the coder is shown: the plan's files, whole when small, else windows around the
functions the plan names (each window whole definitions, with the file's imports and the
class line of a method), plus a repository map of the other editable files, ranked by the
profile the plan carries. Unrelated files are never shown whole to fill a budget.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from agent.llm.context import estimate_tokens, import_groups
from agent.llm.index import FunctionDef, SourceIndex, line_count
from agent.llm.repomap import Weights, repo_map

NAME = re.compile(r"`([A-Za-z_][\w.]*)(?:\(\))?`|\b([A-Za-z_]\w*)\(")


@dataclass(frozen=True)
class Window:
    path: str
    start: int
    end: int
    text: str
    label: str = ""


@dataclass
class CoderContext:
    files: list[tuple[str, str]] = field(default_factory=list)
    """Whole files (path, text)."""
    windows: list[Window] = field(default_factory=list)
    """Parts of larger files, by file and line."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Line counts of the files shown in windows."""
    repo_map: str = ""
    left_out: list[str] = field(default_factory=list)
    """Files the plan named that did not fit at all."""

    @property
    def tokens(self) -> int:
        whole = sum(estimate_tokens(t) + 20 for _, t in self.files)
        parts = sum(estimate_tokens(w.text) + 20 for w in self.windows)
        return whole + parts + estimate_tokens(self.repo_map)


def mentions(text: str, path: str) -> bool:
    """Whether `text` names `path` (whole, not as part of a longer path)."""
    at = text.find(path)
    return at >= 0 and re.search(rf"(?<![\w/.]){re.escape(path)}(?![\w/])", text) is not None


def focus(
    index: SourceIndex, targets: Sequence[str], plan_text: str
) -> list[tuple[str, FunctionDef | None]]:
    """(file, definition or None) the plan is about: its targets, then files and functions
    its text names (a function name only when one editable function has it)."""
    out: list[tuple[str, FunctionDef | None]] = []
    for t in targets:
        found = index.target(t)
        if found is not None:
            out.append(found)
    out += [(p, None) for p in index.sources if mentions(plan_text, p)]
    for m in NAME.finditer(plan_text):
        name = m.group(1) or m.group(2)
        named = index.named(name)
        if len(named) == 1 or (named and named[0].qualname == name):
            out.append((named[0].path, named[0]))
    seen: set[tuple[str, str]] = set()
    unique = []
    for path, d in out:
        key = (path, d.qualname if d else "")
        if key not in seen:
            seen.add(key)
            unique.append((path, d))
    return unique


def with_hot(
    index: SourceIndex, about: list[tuple[str, FunctionDef | None]], weights: Weights
) -> list[tuple[str, FunctionDef | None]]:
    """The plan's focus, with the profile's hot functions of a file it names without one, or
    the three hottest when it names nothing the index knows."""
    named = {p for p, d in about if d is not None}
    paths = {p for p, _ in about} - named if about else {p for p, _ in weights.defs}
    hot = sorted(weights.defs.items(), key=lambda kv: -kv[1])
    extra = [index.target(f"{p}:{q}") for (p, q), _ in hot if p in paths]
    found = [(p, d) for p, d in (x for x in extra if x) if d is not None]
    return about + (found if about else found[:3])


def spans_for(index: SourceIndex, path: str, defs: list[FunctionDef]) -> list[tuple[int, int, str]]:
    """(start, end, label) to show of a large file: imports, each definition whole, the class
    line of a method, up to three same-file callees of each."""
    spans = [(s.start, s.end, "imports") for s in import_groups(index, path)]
    for d in defs:
        spans.append((d.start, d.end, f"`{d.qualname}`"))
        owner = index.owner(d)
        if owner is not None:
            spans.append((owner.start, owner.header_end, f"class `{owner.qualname}`"))
        here = index.definitions(path)
        near = [g for g in here if g.name in d.calls and g.name != d.name and g.kind == "function"]
        near = near[:3]
        spans += [(g.start, g.end, f"`{g.qualname}`, called by `{d.name}`") for g in near]
    return spans


def merged(index: SourceIndex, path: str, spans: list[tuple[int, int, str]]) -> list[Window]:
    out: list[list] = []
    for a, b, label in sorted(spans):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1][1] = b
            if label not in out[-1][2]:
                out[-1][2].append(label)
        else:
            out.append([a, b, [label]])
    return [Window(path, a, b, index.lines(path, a, b), ", ".join(ls)) for a, b, ls in out]


def coder_context(
    sources: Mapping[str, str],
    targets: Sequence[str],
    plan_text: str,
    max_tokens: int,
    whole_file_tokens: int,
    map_tokens: int,
    weights: Weights | None = None,
) -> CoderContext:
    """The files and windows for a plan within `max_tokens` (the map within `map_tokens`)."""
    index = SourceIndex.build(sources)
    about = with_hot(index, focus(index, targets, plan_text), weights or Weights())
    ctx = everything(sources, max_tokens) if not about else CoderContext()
    used = ctx.tokens
    for path in dict.fromkeys(p for p, _ in about):
        text = sources[path]
        defs = [d for p, d in about if p == path and d is not None]
        if estimate_tokens(text) <= whole_file_tokens or not defs:
            cost = estimate_tokens(text) + 20
            if used + cost <= max_tokens:
                ctx.files.append((path, text))
                used += cost
                continue
            if not defs:
                ctx.left_out.append(path)
                continue
        windows = merged(index, path, spans_for(index, path, defs))
        cost = sum(estimate_tokens(w.text) + 20 for w in windows)
        if used + cost > max_tokens:
            ctx.left_out.append(path)
            continue
        ctx.windows += windows
        ctx.sizes[path] = line_count(text)
        used += cost
    shown = {p for p, _ in ctx.files} | set(ctx.sizes)
    budget = min(map_tokens, max(0, max_tokens - used))
    ctx.repo_map = repo_map(index, weights or Weights(), budget, skip=shown) if budget else ""
    return ctx


def everything(sources: Mapping[str, str], max_tokens: int) -> CoderContext:
    """No file or function named: whole files in the order given while they fit (the map
    lists the rest)."""
    ctx = CoderContext()
    used = 0
    for path, text in sources.items():
        cost = estimate_tokens(text) + 20
        if used + cost > max_tokens:
            break
        ctx.files.append((path, text))
        used += cost
    return ctx
