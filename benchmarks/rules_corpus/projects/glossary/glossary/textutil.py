"""String helpers: tokenizing, term normalisation, sentence splitting and page ranges."""

import re

# Words that never start, end or appear inside a glossary term.
STOPWORDS = [
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "both", "but", "by", "can", "could", "do", "does", "each",
    "for", "from", "has", "have", "how", "if", "in", "into", "is", "it", "its", "may",
    "more", "most", "must", "no", "not", "of", "on", "one", "only", "or", "other", "our",
    "over", "same", "should", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "to", "two", "under", "up", "use",
    "used", "using", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "within", "without", "would", "you", "your",
]

# Suffix table for the light stemmer: (suffix, replacement). The longest matching suffix
# wins; identity rules ("ss" -> "ss") protect words such as "class" and "status".
SUFFIX_RULES = [
    ("sses", "ss"),
    ("ies", "y"),
    ("xes", "x"),
    ("ss", "ss"),
    ("us", "us"),
    ("is", "is"),
    ("s", ""),
    ("ing", ""),
    ("ings", ""),
    ("ed", ""),
    ("ers", "er"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("izes", "ize"),
    ("ized", "ize"),
    ("izing", "ize"),
    ("ments", "ment"),
    ("ness", ""),
]

# A suffix is only removed when at least this many characters remain before it.
MIN_STEM = 3


def tokenize(text):
    """Return the words of ``text`` in order, keeping inner hyphens and apostrophes."""
    return re.findall(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*", text)


def split_sentences(text):
    """Split ``text`` after '.', '!' or '?' followed by whitespace; blank pieces are dropped."""
    pieces = re.split(r"(?<=[.!?])\s+", text.strip())
    return [piece.strip() for piece in pieces if piece.strip()]


def is_stopword(word):
    return word.lower() in STOPWORDS


def strip_suffix(word):
    """Apply the longest matching rule of ``SUFFIX_RULES`` that leaves a long enough stem."""
    rules = sorted(SUFFIX_RULES, key=lambda rule: len(rule[0]), reverse=True)
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: len(word) - len(suffix)] + replacement
    return word


def normalize_term(word):
    """Normalise one word: lower case, no possessive, no punctuation, suffix stripped.

    Words containing a digit (``ipv6``, ``http2``) are kept as they are after cleaning.
    In hyphenated words only the last part is stemmed. Returns "" when nothing is left.
    """
    word = word.strip().lower()
    word = re.sub(r"'s$", "", word)
    word = re.sub(r"[^a-z0-9\-]", "", word)
    word = re.sub(r"-{2,}", "-", word).strip("-")
    if not word:
        return ""
    if re.search(r"[0-9]", word):
        return word
    parts = word.split("-")
    parts[-1] = strip_suffix(parts[-1])
    return "-".join(parts)


def normalize_phrase(text):
    """Normalise every word of ``text`` and join them with single spaces."""
    words = [normalize_term(word) for word in tokenize(text)]
    return " ".join(word for word in words if word)


def sort_key(text):
    """Alphabetical key for index entries: case and punctuation are ignored first."""
    folded = re.sub(r"[^a-z0-9 ]", "", text.lower())
    folded = re.sub(r"\s+", " ", folded).strip()
    return (folded, text)


def index_letter(text):
    """The heading an entry is filed under: its first letter, or '#' for anything else."""
    key = sort_key(text)[0]
    if key and key[0].isalpha():
        return key[0].upper()
    return "#"


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def collapse_pages(pages):
    """Format page numbers as ranges: [5, 1, 2, 3, 3] -> "1-3, 5"."""
    numbers = sorted(set(pages))
    if not numbers:
        return ""
    parts = []
    start = prev = numbers[0]
    for number in numbers[1:]:
        if number == prev + 1:
            prev = number
            continue
        parts.append(f"{start}-{prev}" if prev != start else f"{start}")
        start = prev = number
    parts.append(f"{start}-{prev}" if prev != start else f"{start}")
    return ", ".join(parts)
