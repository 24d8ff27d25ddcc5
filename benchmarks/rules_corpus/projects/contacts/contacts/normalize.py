"""Canonical forms used to decide whether two contacts are the same person."""

from __future__ import annotations

import re
import unicodedata

FREE_MAIL = ("gmail.com", "googlemail.com")


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email):
        return ""
    local, domain = email.split("@")
    local = re.sub(r"\+.*$", "", local)
    if domain in FREE_MAIL:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def normalize_phone(raw: str, default_country: str = "49") -> str:
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+" + default_country + digits[1:]
    elif digits and not digits.startswith("+"):
        digits = "+" + default_country + digits
    digits = digits[0:1] + re.sub(r"\D", "", digits[1:])
    return digits if len(digits) >= 8 else ""


def normalize_name(raw: str) -> str:
    decomposed = unicodedata.normalize("NFKD", raw)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ß", "ss")
    return re.sub(r"[^a-z ]", "", re.sub(r"\s+", " ", plain.lower())).strip()
