"""Text analysis: splitting into words, case and accent folding, stop words, a small stemmer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

STOP_WORDS = frozenset(
    """a about an and are as at be been but by can did do for from had has have he her his
    how i if in into is it its me my no not of on or our she so than that the their them
    then there these they this to up was we were what when where which who will with would
    you your""".split()
)

# Tried in order; the first rule that matches wins.  Every rule keeps a stem of at least
# three letters so that short words ("red", "bus", "sing") are left alone.
SUFFIX_RULES: list[tuple[str, str]] = [
    (r"(\w{3,})ational$", r"\1ate"),
    (r"(\w{3,})ization$", r"\1ize"),
    (r"(\w{3,})(ful|ous|ive)ness$", r"\1\2"),
    (r"(\w{3,})ations?$", r"\1ate"),
    (r"(\w{2,})ies$", r"\1y"),
    (r"(\w{3,})ings?$", r"\1"),
    (r"(\w{3,})edly$", r"\1"),
    (r"(\w{3,})ed$", r"\1"),
    (r"(\w{3,})ly$", r"\1"),
    (r"(\w{3,})ments?$", r"\1"),
    (r"(\w{3,}[^su'])s$", r"\1"),
]


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: ``"Café"`` -> ``"cafe"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def stem(word: str) -> str:
    """Strip one common English suffix from an already folded word."""
    for pattern, replacement in SUFFIX_RULES:
        stemmed, count = re.subn(pattern, replacement, word)
        if count:
            return stemmed
    return word


def analyze_word(word: str) -> str | None:
    """The index term for one word, or None for a stop word."""
    word = re.sub(r"'s$", "", fold(word).replace("\u2019", "'"))
    if not word or word in STOP_WORDS:
        return None
    return stem(word)


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, word)`` for every word of ``text``, in order."""
    for match in WORD_RE.finditer(text):
        yield match.start(), match.end(), match.group()


def tokenize(text: str) -> list[str]:
    """The index terms of ``text`` in order, stop words removed."""
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    terms = []
    for word in WORD_RE.findall(text):
        term = analyze_word(word)
        if term is not None:
            terms.append(term)
    return terms
