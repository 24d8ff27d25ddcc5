"""A map of the editable files, ranked by the profile (aider's repository map, re-derived):
instead of every path, the files the profile points at come first with their classes and
functions (hot ones marked with their share), then the files related to them by calls, then
short entries for the rest, within a token budget; what does not fit is counted per directory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agent.llm.index import FunctionDef, SourceIndex, line_count, profile_path, top_level_names
from agent.protocols import Hotspot

MAX_DEFS = 24
"""Definitions listed for one file in full; the rest are counted."""
DETAILED = 8
"""Files listed with their definitions; the others get one line."""


@dataclass(frozen=True)
class Weights:
    """What the profile (or a plan) says about files and definitions: share of samples."""

    files: Mapping[str, float] = field(default_factory=dict)
    defs: Mapping[tuple[str, str], float] = field(default_factory=dict)


def profile_weights(hotspots: Iterable[Hotspot], index: SourceIndex) -> Weights:
    """Each editable file and function the profile names, with its inclusive share."""
    files: dict[str, float] = {}
    defs: dict[tuple[str, str], float] = {}
    for h in hotspots:
        path = profile_path(h.file, index.sources)
        if path is None:
            continue
        files[path] = max(files.get(path, 0.0), h.total_share)
        f = index.enclosing(path, h.line) if h.line > 0 else None
        if f is None or f.name != h.function.rsplit(".", 1)[-1]:
            named = [g for g in index.named(h.function, prefer=path) if g.path == path]
            f = named[0] if named else f
        if f is not None:
            key = (path, f.qualname)
            defs[key] = max(defs.get(key, 0.0), h.total_share)
    return Weights(files, defs)


def related_files(index: SourceIndex, weights: Weights) -> Counter[str]:
    """Files that define what the weighted functions call, or call them."""
    hot = [
        f
        for path in dict.fromkeys(p for p, _ in weights.defs)
        for f in index.definitions(path)
        if (f.path, f.qualname) in weights.defs
    ]
    score: Counter[str] = Counter()
    for f in hot:
        for name in f.calls:
            for g in index.named(name, prefer=f.path)[:2]:
                score[g.path] += 1
        for g in index.callers(f.name)[:20]:
            score[g.path] += 1
    return score


def signature(index: SourceIndex, d: FunctionDef) -> str:
    line = index.lines(d.path, d.start, d.start).strip()
    if line.startswith("@"):
        line = index.lines(d.path, d.start, d.header_end or d.start).split("\n")[-1].strip()
    line = line.split("#", 1)[0].rstrip().rstrip(":")
    return line if len(line) <= 90 else line[:87] + "..."


def lines_label(n: int) -> str:
    return f"{n:,} line{'' if n == 1 else 's'}"


def chosen(defs: list[FunctionDef], hot: set[str]) -> list[FunctionDef]:
    """What a file's entry lists: its hot definitions with the classes around them, then
    its other top-level definitions, at most `MAX_DEFS`, in file order."""
    owners = {q.rsplit(".", k)[0] for q in hot for k in range(1, q.count(".") + 1)}
    first = [d for d in defs if d.qualname in hot or d.qualname in owners]
    rest = [d for d in defs if d not in first and "." not in d.qualname]
    rest += [d for d in defs if d not in first and d not in rest]
    keep = first + rest[: max(0, MAX_DEFS - len(first))]
    return sorted(keep, key=lambda d: d.start)


def detailed_entry(index: SourceIndex, path: str, weights: Weights) -> list[str]:
    """The file, then its classes and functions (nested by qualified name)."""
    share = weights.files.get(path)
    head = f"{path} ({lines_label(line_count(index.sources[path]))})"
    head += f" · {share:.0%} of samples" if share else ""
    defs = index.definitions(path)
    keep = chosen(defs, {d.qualname for d in defs if (path, d.qualname) in weights.defs})
    lines = [head]
    for d in keep:
        mark = weights.defs.get((path, d.qualname))
        note = f"  ← {mark:.0%} of samples" if mark else ""
        indent = "  " * (d.qualname.count(".") + 1)
        lines.append(f"{indent}{signature(index, d)}  (line {d.start}){note}")
    if len(defs) > len(keep):
        lines.append(f"  … {len(defs) - len(keep)} more definitions")
    return lines


def brief_entry(index: SourceIndex, path: str) -> str:
    text = index.sources[path]
    top = top_level_names(text)
    names = ", ".join(top[:8]) + (f", … (+{len(top) - 8})" if len(top) > 8 else "")
    return f"{path} ({lines_label(line_count(text))}){': ' + names if names else ''}"


def ranked_files(index: SourceIndex, weights: Weights, skip: Iterable[str] = ()) -> list[str]:
    left_out = set(skip)
    near = related_files(index, weights)
    return sorted(
        (p for p in index.sources if p not in left_out),
        key=lambda p: (-weights.files.get(p, 0.0), -near[p], p),
    )


def repo_map(
    index: SourceIndex, weights: Weights, max_tokens: int, skip: Iterable[str] = ()
) -> str:
    """The map within `max_tokens` (four characters a token); files in `skip` left out."""
    order = ranked_files(index, weights, skip)
    out: list[str] = []
    used = 0
    for rank, path in enumerate(order):
        weighted = weights.files.get(path) or rank < DETAILED // 2
        lines = detailed_entry(index, path, weights) if weighted and rank < DETAILED else []
        entry = "\n".join(lines) if lines else brief_entry(index, path)
        cost = (len(entry) + 4) // 4
        if used + cost > max_tokens:
            if lines and used + (len(brief_entry(index, path)) + 4) // 4 <= max_tokens:
                entry, cost = brief_entry(index, path), (len(brief_entry(index, path)) + 4) // 4
            else:
                out.append(unlisted(index, order[rank:]))
                break
        out.append(entry)
        used += cost
    return "\n".join(out)


def unlisted(index: SourceIndex, paths: list[str]) -> str:
    """One line counting the files left out, by directory."""
    dirs = Counter(p.rsplit("/", 1)[0] + "/" if "/" in p else "./" for p in paths)
    lines = sum(line_count(index.sources[p]) for p in paths)
    where = ", ".join(f"{d} ({n})" for d, n in dirs.most_common(6))
    more = f", {len(dirs) - 6} more directories" if len(dirs) > 6 else ""
    return f"Not listed: {len(paths)} more files ({lines:,} lines) in {where}{more}"
