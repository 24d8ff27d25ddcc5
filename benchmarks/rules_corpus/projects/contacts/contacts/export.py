"""CSV export and search for the web front end."""

from __future__ import annotations

from contacts.book import ContactBook
from contacts.normalize import normalize_email, normalize_name, normalize_phone


def quote(value: str) -> str:
    if any(ch in value for ch in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def export_csv(book: ContactBook) -> str:
    out = "id,name,email,phone,company,city\n"
    for contact in book.contacts:
        row = [
            str(contact.id),
            quote(contact.full_name),
            quote(normalize_email(contact.email)),
            quote(normalize_phone(contact.phone)),
            quote(book.company_name(contact)),
            quote(contact.city),
        ]
        out += ",".join(row) + "\n"
    return out


def search(book: ContactBook, query: str) -> list[int]:
    """Ids of contacts whose name contains every word of the query (accents ignored)."""
    words = normalize_name(query).split()
    hits = []
    for contact in book.contacts:
        name = normalize_name(contact.full_name)
        if all(word in name for word in words):
            hits.append(contact.id)
    return hits
