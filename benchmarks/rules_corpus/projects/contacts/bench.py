"""Workload: importing trade-fair leads into the contact book; dedup, merge, search, export.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from contacts import Company, Contact, ContactBook
from contacts.export import export_csv, search

FIRST = ["Anna", "Jörg", "Lena", "Max", "Zoë", "Paul", "Sören", "Mia", "Ali", "Eva", "Tom", "Ute"]
LAST = ["Müller", "Schmidt", "Weiß", "Öztürk", "Becker", "Hoffmann", "Schäfer", "Koch", "Bauer"]
CITIES = ["Berlin", "Köln", "München", "Hamburg", "Leipzig", ""]


def make_contact(rng: random.Random, i: int) -> Contact:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    user = f"{first.lower()}.{last.lower()}{rng.randrange(40)}".replace("ö", "oe").replace(
        "ü", "ue").replace("ä", "ae").replace("ß", "ss").replace("ë", "e")
    domain = rng.choice(["gmail.com", "example.org", "firma.de", "googlemail.com"])
    return Contact(i, first, last, f"{user}@{domain}",
                   f"0{rng.randrange(150, 180)} {rng.randrange(1000000, 9999999)}",
                   rng.randrange(60), rng.choice(CITIES))


def variant(rng: random.Random, c: Contact, new_id: int) -> Contact:
    email = c.email.upper() if rng.random() < 0.5 else c.email.replace("@", "+fair@")
    phone = "+49 " + c.phone[1:] if rng.random() < 0.5 else c.phone.replace(" ", "-")
    return Contact(new_id, c.first.upper(), c.last, email if rng.random() < 0.6 else "",
                   phone if rng.random() < 0.6 else "", None, c.city)


def main() -> None:
    rng = random.Random(4242)
    book = ContactBook([Company(i, f"Company {i}") for i in range(60)])
    base = [make_contact(rng, i) for i in range(115)]
    for contact in base:
        book.add(contact)
    for n in range(20):
        book.add(variant(rng, rng.choice(base), 1000 + n))
    duplicates = book.find_duplicates()
    hits = [len(search(book, q)) for q in ("anna", "muller", "SOREN koch", "zoe")]
    merged = book.merge_all_duplicates()
    csv_text = export_csv(book)
    print(f"{len(duplicates)} duplicate pairs, first {duplicates[:4]}")
    print(f"search hits {hits}")
    print(f"merged {merged}, {len(book.contacts)} contacts left")
    print(f"companies {len(book.by_company())}")
    print(f"csv {len(csv_text)} bytes sha256 {hashlib.sha256(csv_text.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
