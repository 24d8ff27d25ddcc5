"""Where a SEARCH section matches a file, down a ladder, and what to say when it does not.

Tiers, on whole lines: exact; whitespace-tolerant (trailing and inner runs of whitespace
ignored, indentation still equal); re-indented (the whole block at a uniformly different
indentation; the replacement is re-indented the same way). Blank lines at the edges of SEARCH
are context: the block first matches with them; when that fails they are dropped, and the
same blank edge lines are dropped from REPLACE, so applying a block never adds blank lines.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.llm.edits import EditBlock

SIMILAR_AT_LEAST = 0.6
"""Closest-lines hints below this similarity say "no similar lines" instead of misleading."""


# matching ------------------------------------------------------------------------------------
def _lead(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _squash(line: str) -> str:
    """Inner whitespace runs collapsed, trailing whitespace dropped, indentation kept."""
    return _lead(line).replace("\t", "    ") + " ".join(line.split())


def _find(hay: Sequence[str], needle: Sequence[str]) -> list[int]:
    n = len(needle)
    if n == 0 or n > len(hay):
        return []
    first = needle[0]
    return [i for i in range(len(hay) - n + 1) if hay[i] == first and hay[i : i + n] == needle]


def _reindent_matches(flines: Sequence[str], slines: Sequence[str]) -> list[tuple[int, int]]:
    """(start, indentation delta) of places where `slines` appear uniformly re-indented."""
    fs = [_squash(x) for x in flines]
    ss = [_squash(x) for x in slines]
    content = [s.lstrip() for s in ss]
    out: list[tuple[int, int]] = []
    n = len(ss)
    for i in range(len(fs) - n + 1):
        delta: int | None = None
        for k in range(n):
            f = fs[i + k]
            if not content[k]:
                if f.strip():
                    break
                continue
            if f.lstrip() != content[k]:
                break
            d = (len(f) - len(f.lstrip())) - (len(ss[k]) - len(content[k]))
            if delta is None:
                delta = d
            elif d != delta:
                break
        else:
            if delta is not None and delta != 0:
                out.append((i, delta))
    return out


def _reindent(lines: Sequence[str], delta: int, unit: str) -> list[str] | None:
    out = []
    for line in lines:
        if not line.strip():
            out.append(line)
        elif delta > 0:
            out.append(unit * delta + line)
        else:
            lead = _lead(line).replace("\t", "    ")
            if len(lead) < -delta:
                return None
            out.append(lead[-delta:] + line.lstrip())
    return out


def split_lines(text: str) -> tuple[list[str], str, bool]:
    """(lines, newline, ends with newline); only newlines split (form feeds stay in a line)."""
    nl = "\r\n" if "\r\n" in text else "\n"
    ends = text.endswith(nl)
    body = text[: -len(nl)] if ends else text
    return (body.split(nl) if body else []), nl, ends or not text


def _blank_edges(lines: Sequence[str]) -> tuple[int, int]:
    """(leading, trailing) blank lines of `lines`."""
    lead = next((i for i, x in enumerate(lines) if x.strip()), len(lines))
    trail = next((i for i, x in enumerate(reversed(lines)) if x.strip()), len(lines))
    return lead, trail


def _trim(lines: Sequence[str], lead: int, trail: int) -> list[str]:
    """`lines` without up to `lead` leading and `trail` trailing blank lines."""
    out = list(lines)
    for _ in range(lead):
        if out and not out[0].strip():
            out.pop(0)
    for _ in range(trail):
        if out and not out[-1].strip():
            out.pop()
    return out


def apply_block(text: str, block: EditBlock) -> tuple[str, str]:
    """`text` with the block applied and the ladder tier used; `LookupError` if it cannot be.

    The LookupError's args are (kind, reason, hint) for a `BlockFailure`.
    """
    slines = block.search.splitlines()
    rlines = block.replace.splitlines()
    if not any(x.strip() for x in slines):
        raise LookupError(
            "empty-search",
            "the SEARCH section is empty",
            "Quote the exact existing lines to replace (new files cannot be created).",
        )
    flines, nl, ends_nl = split_lines(text)

    def splice(start: int, n: int, new: Sequence[str]) -> str:
        out = [*flines[:start], *new, *flines[start + n :]]
        return nl.join(out) + (nl if ends_nl and out else "")

    lead, trail = _blank_edges(slines)
    if lead or trail:
        hits = _find(flines, slines)
        if len(hits) == 1:
            return splice(hits[0], len(slines), rlines), "exact"
        # The blank edges are not there (or not only once): match without them, and drop the
        # same blank edges from the replacement, or each application would add blank lines.
        slines = slines[lead : len(slines) - trail]
        rlines = _trim(rlines, lead, trail)
    start, new, tier = _ladder(flines, slines, rlines, block)
    return splice(start, len(slines), new), tier


def _ladder(
    flines: Sequence[str], slines: Sequence[str], rlines: Sequence[str], block: EditBlock
) -> tuple[int, Sequence[str], str]:
    """(start line, replacement lines, tier) of the one place `slines` match."""
    hits = _find(flines, slines)
    if len(hits) == 1:
        return hits[0], rlines, "exact"
    if len(hits) > 1:
        raise _ambiguous(hits, len(slines))
    squashed = [_squash(x) for x in flines]
    hits = _find(squashed, [_squash(x) for x in slines])
    if len(hits) == 1:
        return hits[0], rlines, "whitespace"
    if len(hits) > 1:
        raise _ambiguous(hits, len(slines))
    moved = _reindent_matches(flines, slines)
    if len(moved) == 1:
        start, delta = moved[0]
        first = next(flines[start + k] for k in range(len(slines)) if flines[start + k].strip())
        unit = "\t" if _lead(first).startswith("\t") and delta > 0 else " "
        new = _reindent(rlines, delta // 4 if unit == "\t" else delta, unit)
        if new is not None:
            return start, new, "reindent"
    if len(moved) > 1:
        raise _ambiguous([m[0] for m in moved], len(slines))
    raise LookupError("no-match", "the SEARCH lines do not match the file", _hint(flines, block))


def _ambiguous(hits: Sequence[int], n: int) -> LookupError:
    where = ", ".join(f"{h + 1}-{h + n}" for h in hits[:5])
    return LookupError(
        "ambiguous",
        f"the SEARCH lines match {len(hits)} places (lines {where})",
        "Include more surrounding lines so the SEARCH section matches exactly one place.",
    )


CANDIDATE_STARTS = 64
"""Windows scored in full when the file shares lines with SEARCH (the best-voted starts)."""


def _likely_starts(flines: Sequence[str], slines: Sequence[str]) -> list[int] | None:
    """Window starts voted for by lines SEARCH shares with the file (None: no line shared).

    A file of thousands of lines has too many windows to compare each in full; a window
    that resembles SEARCH almost always shares some line with it exactly.
    """
    where: dict[str, list[int]] = {}
    for i, line in enumerate(flines):
        if line.strip():
            where.setdefault(line.strip(), []).append(i)
    votes: Counter[int] = Counter()
    for k, line in enumerate(slines):
        for i in where.get(line.strip(), ())[:1000]:
            votes[i - k] += 1
    if not votes:
        return None
    best = [start for start, _ in votes.most_common(CANDIDATE_STARTS)]
    return sorted({max(0, s + d) for s in best for d in (-1, 0, 1)})


def closest_lines(flines: Sequence[str], slines: Sequence[str]) -> tuple[float, int, int]:
    """(similarity, start, end) of the file window most like `slines` (end exclusive)."""
    n = max(1, len(slines))
    target = "\n".join(x.strip() for x in slines)
    best = (0.0, 0, 0)
    starts = _likely_starts(flines, slines)
    for size in sorted({n, max(1, n - 1), n + 1}):
        every = range(0, max(1, len(flines) - size + 1))
        for i in every if starts is None else starts:
            window = "\n".join(x.strip() for x in flines[i : i + size])
            matcher = difflib.SequenceMatcher(None, target, window, autojunk=False)
            if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                continue
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, i, min(len(flines), i + size))
    return best


def _hint(flines: Sequence[str], block: EditBlock) -> str:
    slines = [x for x in block.search.splitlines() if x.strip()]
    notes: list[str] = []
    if any(x.strip() in ("...", "# ...", "// ...") for x in slines):
        notes.append("Do not elide lines with '...': quote every line of the SEARCH section.")
    ratio, start, end = closest_lines(flines, slines)
    if ratio >= SIMILAR_AT_LEAST and end > start:
        shown = "\n".join(flines[start:end])
        notes.append(
            f"Did you mean to match these actual lines ({block.path} lines {start + 1}-{end})?\n"
            f"```\n{shown}\n```"
        )
    else:
        notes.append(f"No lines of {block.path} are similar; check the file's current text.")
    replace = block.replace.strip("\n")
    text = "\n".join(flines)
    if replace.strip() and replace in text:
        notes.append(
            f"The REPLACE lines are already in {block.path}: this block may already be applied."
        )
    return "\n".join(notes)
