"""Tokenizing, normalizing and stemming."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

STOPWORDS = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i",
    "if", "in", "into", "is", "it", "its", "my", "no", "not", "of", "on", "or", "our", "so",
    "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "we",
    "were", "when", "which", "will", "with", "you", "your", "can", "cannot", "after", "again",
]

SUFFIXES = ["ational", "ization", "fulness", "ousness", "iveness", "ments", "ment", "ings",
            "ing", "edly", "ed", "ies", "ly", "es", "s"]


def normalize(word: str) -> str:
    """Lower-case, strip accents and anything that is not a letter, digit or apostrophe."""
    decomposed = unicodedata.normalize("NFKD", word)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = re.sub(r"[^a-z0-9']", "", ascii_only.lower())
    return cleaned.strip("'")


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "ies":
                return word[: -len(suffix)] + "y"
            return word[: -len(suffix)]
    return word


def split_words(text: str) -> list[str]:
    return re.split(r"[\s\-/]+", text)


def tokens(text: str, keep_stopwords: bool = False) -> Iterator[str]:
    for raw in split_words(text):
        word = normalize(raw)
        if not word:
            continue
        if not keep_stopwords and word in STOPWORDS:
            continue
        yield stem(word)


def all_tokens(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        yield from tokens(text)
