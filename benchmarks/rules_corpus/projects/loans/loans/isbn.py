"""ISBN clean-up: the desk accepts ISBN-10 and ISBN-13 in any spelling and keys on ISBN-13."""

from __future__ import annotations

import re


class IsbnError(ValueError):
    """Raised for text that is not a valid ISBN-10 or ISBN-13."""


def isbn13_check_digit(first12: str) -> str:
    total = 0
    for i, ch in enumerate(first12):
        total += int(ch) * (1 if i % 2 == 0 else 3)
    return str((10 - total % 10) % 10)


def isbn10_check_digit(first9: str) -> str:
    total = sum((10 - i) * int(ch) for i, ch in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_isbn(raw: str) -> str:
    """Return the 13 digits of an ISBN given as ISBN-10 or ISBN-13, hyphens and spaces allowed."""
    if not isinstance(raw, str):
        raise TypeError(f"an ISBN is text, not {type(raw).__name__}")
    cleaned = re.sub(r"[\s\-\u2010\u2011\u2013\u2014]+", "", raw).upper()
    if cleaned.startswith("ISBN"):
        cleaned = cleaned[4:].lstrip(":")
    if re.fullmatch(r"[0-9]{9}[0-9X]", cleaned):
        if isbn10_check_digit(cleaned[:9]) != cleaned[9]:
            raise IsbnError(f"bad ISBN-10 check digit in {raw!r}")
        body = "978" + cleaned[:9]
        return body + isbn13_check_digit(body)
    if re.fullmatch(r"[0-9]{13}", cleaned):
        if not cleaned.startswith(("978", "979")):
            raise IsbnError(f"ISBN-13 must start with 978 or 979: {raw!r}")
        if isbn13_check_digit(cleaned[:12]) != cleaned[12]:
            raise IsbnError(f"bad ISBN-13 check digit in {raw!r}")
        return cleaned
    raise IsbnError(f"not an ISBN: {raw!r}")


def format_isbn(isbn: str) -> str:
    """Hyphenate an ISBN for display: prefix-group-publisher-title-check."""
    d = normalize_isbn(isbn)
    return f"{d[:3]}-{d[3]}-{d[4:8]}-{d[8:12]}-{d[12]}"


def to_isbn10(isbn: str) -> str | None:
    """The ISBN-10 spelling of an ISBN, or None for 979 numbers, which have none."""
    d = normalize_isbn(isbn)
    if not d.startswith("978"):
        return None
    return d[3:12] + isbn10_check_digit(d[3:12])
