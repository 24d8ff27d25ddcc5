"""Plain-text summaries of an index and of search results."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textindex.index import Hit, SearchIndex


def format_hits(hits: list[Hit], digits: int = 3) -> list[str]:
    """One line per hit: rank, id, score and title."""
    return [f"{rank:>2}. {hit.doc_id:<8} {hit.score:.{digits}f}  {hit.title}"
            for rank, hit in enumerate(hits, 1)]


def tag_counts(index: SearchIndex) -> dict[str, int]:
    counts = Counter(tag for record in index.docs for tag in record["tags"])
    return dict(sorted(counts.items()))


def index_report(index: SearchIndex, top: int = 5) -> str:
    """Size of the index, its most common terms and how often each tag is used."""
    if top < 0:
        raise ValueError("top must not be negative")
    common = sorted(index.postings, key=lambda term: (-len(index.postings[term]), term))[:top]
    lines = [
        f"documents: {len(index)}",
        f"terms: {len(index.postings)}",
        f"average length: {index.average_length():.2f}",
        "common terms: " + ", ".join(f"{term} ({len(index.postings[term])})" for term in common),
        "tags: " + ", ".join(f"{tag}={n}" for tag, n in tag_counts(index).items()),
    ]
    return "\n".join(lines)
