"""Books on the shelves and the members who borrow them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from loans.isbn import format_isbn, normalize_isbn

MEMBER_RULES = {
    "adult": {"loan_days": 21, "max_loans": 6, "rate": 25, "cap": 1000},
    "child": {"loan_days": 28, "max_loans": 4, "rate": 10, "cap": 300},
    "senior": {"loan_days": 21, "max_loans": 6, "rate": 10, "cap": 500},
}


@dataclass
class Book:
    isbn: str
    title: str
    authors: tuple[str, ...] = ()
    copies: int = 1

    def __post_init__(self):
        if isinstance(self.authors, str):
            self.authors = (self.authors,)
        else:
            self.authors = tuple(self.authors)
        if not self.title.strip():
            raise ValueError("a book needs a title")
        if self.copies < 0:
            raise ValueError(f"copies cannot be negative: {self.copies}")

    @property
    def byline(self) -> str:
        if not self.authors:
            return self.title
        names = f"{self.authors[0]} et al." if len(self.authors) > 2 else " & ".join(self.authors)
        return f"{self.title} by {names}"


class Catalog:
    """The books the library owns, looked up by ISBN in whatever spelling it arrives."""

    def __init__(self, books: Iterable[Book] = ()) -> None:
        self.books: list[Book] = []
        for book in books:
            self.add(book)

    def __len__(self):
        return len(self.books)

    def __iter__(self):
        return iter(self.books)

    def add(self, book: Book) -> Book:
        key = normalize_isbn(book.isbn)
        if self.find(key) is not None:
            raise ValueError(f"duplicate ISBN {format_isbn(key)}")
        self.books.append(book)
        return book

    def find(self, isbn: str) -> Book | None:
        key = normalize_isbn(isbn)
        for book in self.books:
            if normalize_isbn(book.isbn) == key:
                return book
        return None

    def get(self, isbn: str) -> Book:
        book = self.find(isbn)
        if book is None:
            raise KeyError(f"no book with ISBN {isbn!r}")
        return book

    def search(self, text: str) -> list[Book]:
        needle = text.strip().casefold()
        hits = [b for b in self.books
                if needle in b.title.casefold() or any(needle in a.casefold() for a in b.authors)]
        return sorted(hits, key=lambda b: (b.title.casefold(), normalize_isbn(b.isbn)))


def parse_member(line: str, lineno: int = 0) -> dict:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) != 5:
        raise ValueError(f"line {lineno}: expected 5 fields, got {len(parts)}")
    code, name, email, joined, kind = parts
    code = code.upper()
    if not re.fullmatch(r"[A-Z][0-9]{4}", code):
        raise ValueError(f"line {lineno}: bad member code {code!r}")
    if not name:
        raise ValueError(f"line {lineno}: member {code} has no name")
    if "@" not in email:
        raise ValueError(f"line {lineno}: bad e-mail {email!r}")
    kind = kind.lower()
    if kind not in MEMBER_RULES:
        raise ValueError(f"line {lineno}: unknown member kind {kind!r}")
    return {"code": code, "name": name, "email": email.lower(),
            "joined": date.fromisoformat(joined), "kind": kind}


def load_members(lines: str | Iterable[str]) -> list[dict]:
    """Members from CSV-like lines: code, name, e-mail, joined (ISO date), kind."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    members = []
    seen = set()
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        member = parse_member(line, lineno)
        if member["code"] in seen:
            raise ValueError(f"line {lineno}: duplicate member code {member['code']}")
        seen.add(member["code"])
        members.append(member)
    return members
