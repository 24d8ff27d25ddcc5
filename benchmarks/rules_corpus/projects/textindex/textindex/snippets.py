"""Snippets: the best window of a text for a set of terms, with the matches marked."""

from __future__ import annotations

from collections.abc import Iterable

from textindex.analysis import analyze_word, tokenize, word_spans


def best_window(flags: list[bool], width: int) -> int:
    """Start of the ``width``-long window with the most true flags; the earliest on ties."""
    if width < 1:
        raise ValueError("width must be at least 1")
    best_start, best_count = 0, -1
    for start in range(max(1, len(flags) - width + 1)):
        count = 0
        for flag in flags[start:start + width]:
            if flag:
                count += 1
        if count > best_count:
            best_start, best_count = start, count
    return best_start


def _mark(word: str, marker: tuple[str, str]) -> str:
    return f"{marker[0]}{word}{marker[1]}"


def make_snippet(text: str, terms: Iterable[str], width: int = 12,
                 marker: tuple[str, str] = ("[", "]")) -> str:
    """Up to ``width`` words of ``text`` around the densest run of ``terms``, matches marked."""
    if width < 1:
        raise ValueError("width must be at least 1")
    wanted = set(terms)
    spans = list(word_spans(text))
    if not spans:
        return ""
    flags = [analyze_word(word) in wanted for _, _, word in spans]
    start = best_window(flags, width)
    stop = min(start + width, len(spans))
    pieces = []
    cursor = spans[start][0]
    for (begin, end, word), hit in zip(spans[start:stop], flags[start:stop]):
        pieces.append(text[cursor:begin])
        pieces.append(_mark(word, marker) if hit else word)
        cursor = end
    snippet = " ".join("".join(pieces).split())
    if start > 0:
        snippet = "... " + snippet
    if stop < len(spans):
        snippet += " ..."
    return snippet


def highlight(text: str, query: str, marker: tuple[str, str] = ("[", "]")) -> str:
    """The whole of ``text`` with every word that matches a term of ``query`` marked."""
    wanted = set(tokenize(query))
    pieces = []
    cursor = 0
    for begin, end, word in word_spans(text):
        pieces.append(text[cursor:begin])
        pieces.append(_mark(word, marker) if analyze_word(word) in wanted else word)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
