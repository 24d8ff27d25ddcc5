"""Keyword counts for the free-text comments."""

from __future__ import annotations

import re
from collections import Counter

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further get gets got had hadn't has hasn't
    have haven't having he her here hers herself him himself his how i i'm if in into is isn't it
    it's its itself just let's like me more most much mustn't my myself no nor not now of off on
    once only or other ought our ours ourselves out over own really same she should shouldn't so
    some such than that that's the their theirs them themselves then there there's these they
    they're this those through to too under until up very was wasn't we we're were weren't what
    when where which while who whom why will with won't would wouldn't you you're your yours
    yourself yourselves lot lots bit quite still even feel think
    """.split()
)

WORD_PATTERN = r"[^\W\d_]+(?:'[^\W\d_]+)*"


def normalize_token(token: str) -> str:
    token = token.lower().strip("'")
    if token.endswith("'s"):
        token = token[:-2]
    return token


def extract_keywords(text: str, stop_words=STOP_WORDS, min_length: int = 3) -> list[str]:
    """The meaningful words of one comment, in the order they appear."""
    stops = [word.strip().lower() for word in stop_words]
    words = [normalize_token(token) for token in re.findall(WORD_PATTERN, text)]
    return [word for word in words if len(word) >= min_length and word not in stops]


def count_keywords(texts, stop_words=STOP_WORDS, limit: int | None = None) -> list[tuple]:
    """(word, count) pairs over all texts, most frequent first, ties alphabetical."""
    if limit is not None and limit < 0:
        raise ValueError("limit cannot be negative")
    counts = Counter()
    for text in texts:
        counts.update(extract_keywords(text, stop_words))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked if limit is None else ranked[:limit]
