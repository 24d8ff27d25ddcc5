"""How alike two plans are: normalized word overlap and character similarity, so a planner
does not offer the same idea twice, or again after it was tried."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from agent.protocols import Plan

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "from",
        "into",
        "that",
        "this",
        "it",
        "its",
        "is",
        "are",
        "be",
        "as",
        "at",
        "or",
        "use",
        "using",
        "so",
        "each",
        "per",
        "all",
        "then",
        "than",
        "via",
    ]
)


def normalize(text: str) -> str:
    words = re.sub(r"[^a-z0-9_]+", " ", text.lower()).split()
    return " ".join(w for w in words if w not in STOPWORDS)


def similarity(a: str, b: str) -> float:
    """Max of word-set Jaccard and character similarity of the normalized texts (0..1)."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 1.0 if na == nb else 0.0
    wa, wb = set(na.split()), set(nb.split())
    jaccard = len(wa & wb) / len(wa | wb)
    chars = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    return max(jaccard, chars)


def drop_duplicates(
    plans: Sequence[Plan], threshold: float, tried: Sequence[str] = ()
) -> list[Plan]:
    """Plans in order without near-duplicates of earlier ones or of titles already tried."""
    kept: list[Plan] = []
    tried_norm = {normalize(t) for t in tried if t}
    for p in plans:
        if normalize(p.title) in tried_norm:
            continue
        if any(similarity(t, p.title) >= max(threshold, 0.9) for t in tried):
            continue
        if any(
            normalize(p.title) == normalize(k.title)
            or similarity(f"{p.title}\n{p.text}", f"{k.title}\n{k.text}") >= threshold
            for k in kept
        ):
            continue
        kept.append(p)
    return kept
