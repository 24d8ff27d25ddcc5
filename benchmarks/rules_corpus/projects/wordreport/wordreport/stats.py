"""Counts, top lists and keyword-in-context lines."""

from __future__ import annotations

from wordreport.documents import Document
from wordreport.text import normalize, split_words, stem, tokens


def word_counts(docs: list[Document]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for doc in docs:
        for word in tokens(doc.text):
            counts[word] = counts.get(word, 0) + 1
    return counts


def top_words(docs: list[Document], k: int = 10) -> list[tuple[str, int]]:
    """The k most frequent stems; equal counts in alphabetical order."""
    counts = word_counts(docs)
    ranked: list[tuple[str, int]] = []
    for word, count in counts.items():
        ranked.append((word, count))
        ranked.sort(key=lambda pair: (-pair[1], pair[0]))
        if len(ranked) > k:
            ranked.pop()
    return ranked


def document_frequency(docs: list[Document]) -> dict[str, int]:
    frequency: dict[str, int] = {}
    for doc in docs:
        for word in set(tokens(doc.text)):
            frequency[word] = frequency.get(word, 0) + 1
    return frequency


def keyword_in_context(docs: list[Document], keyword: str, width: int = 3) -> list[str]:
    """Lines 'ident: ... left [match] right ...' for every token whose stem matches."""
    target = stem(normalize(keyword))
    lines = []
    for doc in docs:
        words = split_words(doc.text)
        for i, raw in enumerate(words):
            if stem(normalize(raw)) != target:
                continue
            left = " ".join(words[max(0, i - width) : i])
            right = " ".join(words[i + 1 : i + 1 + width])
            line = doc.ident + ": "
            line += "... " + left + " [" + raw + "] " + right + " ..."
            lines.append(line)
    return lines


def tag_summary(docs: list[Document]) -> list[str]:
    tags: dict[str, list[str]] = {}
    for doc in docs:
        for tag in doc.tags:
            tags.setdefault(tag, []).append(doc.ident)
    return [f"{tag}: {len(ids)} ({', '.join(ids[:3])})" for tag, ids in sorted(tags.items())]
