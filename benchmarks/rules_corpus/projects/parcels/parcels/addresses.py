"""Cleaning the free-text addresses customers type into the web shop."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "str": "strasse",
    "str.": "strasse",
    "st": "street",
    "st.": "street",
    "rd": "road",
    "rd.": "road",
    "ave": "avenue",
    "ave.": "avenue",
    "apt": "apartment",
    "apt.": "apartment",
    "no": "number",
    "no.": "number",
}


def normalize_postcode(raw: str) -> str:
    code = re.sub(r"[^0-9A-Za-z]", "", raw).upper()
    if not code:
        raise ValueError(f"empty postcode {raw!r}")
    return code


def clean_address(raw: str) -> str:
    """Canonical form used to compare addresses: lower case, expanded abbreviations."""
    text = raw.strip().lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"(\d+)\s*([a-z])\b", r"\1\2", text)
    words = []
    for word in text.split(" "):
        bare = word.rstrip(",")
        comma = "," if word.endswith(",") else ""
        words.append(ABBREVIATIONS.get(bare, bare) + comma)
    return " ".join(words)


def same_address(a: str, b: str) -> bool:
    return clean_address(a) == clean_address(b)
