"""Near-duplicate tickets by Jaccard similarity of their stems."""

from __future__ import annotations

from wordreport.documents import Document
from wordreport.text import tokens


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def near_duplicates(
    docs: list[Document], threshold: float = 0.6
) -> list[tuple[str, str, float]]:
    """Pairs (earlier id, later id, similarity) at or above the threshold, in document order."""
    pairs = []
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            first = set(tokens(docs[i].text))
            second = set(tokens(docs[j].text))
            score = jaccard(first, second)
            if score >= threshold:
                pairs.append((docs[i].ident, docs[j].ident, round(score, 3)))
    return pairs
