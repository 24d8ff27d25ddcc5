"""Workload: a year at a branch library's loan desk, 2023.

90 titles and 420 members, daily checkouts and returns with ISBNs typed in every spelling,
reservations on popular books, an overdue list three days a week and a monthly circulation
report. Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from loans import (
    Book,
    Catalog,
    LoanDesk,
    LoanRefused,
    format_report,
    is_open,
    load_members,
    money,
    monthly_report,
)
from loans.isbn import isbn10_check_digit, isbn13_check_digit, normalize_isbn

N_BOOKS = 90
N_MEMBERS = 420
ATTEMPTS_PER_DAY = 4
KEEP_DAYS = [3, 7, 10, 14, 18, 21, 25, 30, 40, 50, 75, 120]

WORDS = ["river", "winter", "garden", "silent", "city", "glass", "north", "salt", "orchard",
         "lantern", "harbour", "kingdom", "paper", "stone", "summer", "night", "island", "wolf",
         "letters", "clockwork", "ashes", "meadow", "tide", "crown", "mirror", "empire"]
FIRST = ["Ana", "Björn", "Chiara", "Dmitri", "Elif", "Fatima", "Greta", "Hiro", "Ines", "José",
         "Kwame", "Léa", "Mateo", "Nadia", "Olu", "Priya", "Quentin", "Rosa", "Søren", "Tomás"]
LAST = ["Abara", "Berg", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito",
        "Jovanović", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn"]
HOLIDAYS = [date(2023, 1, 2), date(2023, 1, 16), date(2023, 2, 20), date(2023, 4, 7),
            date(2023, 5, 29), date(2023, 7, 4), date(2023, 9, 4), date(2023, 10, 9),
            date(2023, 11, 10), date(2023, 11, 23), date(2023, 11, 24), date(2023, 12, 25),
            date(2023, 12, 26)]


def make_isbn(rng: random.Random) -> str:
    if rng.random() < 0.3:
        body = "".join(rng.choice("0123456789") for _ in range(9))
        return body + isbn10_check_digit(body)
    body = rng.choice(["978", "979"]) + "".join(rng.choice("0123456789") for _ in range(9))
    return body + isbn13_check_digit(body)


def spellings(digits: str) -> list[str]:
    if len(digits) == 10:
        return [digits, digits.lower(), f"{digits[0]}-{digits[1:5]}-{digits[5:9]}-{digits[9]}",
                f"{digits[:1]} {digits[1:5]} {digits[5:9]} {digits[9:].lower()}",
                f"ISBN {digits}"]
    return [digits, f"{digits[:3]}-{digits[3]}-{digits[4:8]}-{digits[8:12]}-{digits[12]}",
            f"{digits[:3]} {digits[3:12]} {digits[12]}", f"ISBN: {digits[:3]}-{digits[3:]}"]


def build(rng: random.Random):
    books, seen = [], set()
    while len(books) < N_BOOKS:
        digits = make_isbn(rng)
        key = normalize_isbn(digits)
        if key in seen:
            continue
        seen.add(key)
        title = " ".join(rng.sample(WORDS, rng.randint(2, 4))).title()
        authors = tuple(f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                        for _ in range(rng.choice([1, 1, 1, 2, 3])))
        books.append((Book(rng.choice(spellings(digits)), title, authors, rng.randint(1, 4)),
                      spellings(digits)))
    lines = ["# code, name, e-mail, joined, kind"]
    codes = rng.sample(range(1, 10000), N_MEMBERS)
    for n, code in enumerate(codes):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        kind = rng.choices(["adult", "child", "senior"], weights=[6, 3, 2])[0]
        joined = date(2015, 1, 1) + timedelta(days=rng.randint(0, 2900))
        letter = "ABCDEFGH"[n % 8]
        sep = rng.choice([",", ", ", " , "])
        lines.append(sep.join([f"{letter}{code:04d}", name, f"{name.split()[0].lower()}{n}"
                               "@mail.example", joined.isoformat(), kind.upper()
                               if rng.random() < 0.2 else kind]))
        if rng.random() < 0.05:
            lines.append("")
    return books, lines


def main() -> None:
    rng = random.Random(1873)
    books, lines = build(rng)
    catalog = Catalog(book for book, _ in books)
    members = load_members("\n".join(lines))
    codes = [m["code"] for m in members]
    desk = LoanDesk(catalog, members, HOLIDAYS)
    weights = [1.0 / (rank + 25) for rank in range(len(books))]
    rng.shuffle(weights)
    plans: dict[date, list[tuple[str, str]]] = {}
    results = []
    counts = {"lent": 0, "refused": 0, "reserved": 0, "returned": 0, "paid": 0, "picked up": 0}
    fines_charged = 0
    day = date(2023, 1, 1)
    pending: list[tuple[str, str]] = []
    while day <= date(2023, 12, 31):
        pending.extend(plans.pop(day, []))
        if is_open(day, HOLIDAYS):
            for spelling, code in pending:
                fine = desk.return_book(spelling, code.lower(), day)
                fines_charged += fine
                counts["returned"] += 1
                if fine and rng.random() < 0.6:
                    desk.pay(code, desk.balances[code])
                    counts["paid"] += 1
            for spelling, _code in pending:
                waiting = desk.queue(spelling)
                if waiting:
                    try:
                        loan = desk.checkout(spelling, waiting[0], day)
                        results.append(("picked up", loan[0], loan[1], loan[3].isoformat()))
                        counts["picked up"] += 1
                        back = day + timedelta(days=rng.choice(KEEP_DAYS))
                        plans.setdefault(back, []).append((spelling, loan[1]))
                    except LoanRefused as refusal:
                        results.append(("not picked up", str(refusal)[:24]))
            pending = []
            for _ in range(ATTEMPTS_PER_DAY):
                code = rng.choice(codes)
                _book, names = rng.choices(books, weights=weights)[0]
                spelling = rng.choice(names)
                try:
                    loan = desk.checkout(spelling, code, day)
                except LoanRefused as refusal:
                    counts["refused"] += 1
                    if rng.random() < 0.5:
                        try:
                            place = desk.reserve(rng.choice(names), code, day)
                            counts["reserved"] += 1
                            results.append(("reserve", day.isoformat(), code, place))
                        except LoanRefused:
                            pass
                    results.append(("refused", day.isoformat(), str(refusal)[:24]))
                    continue
                counts["lent"] += 1
                back = day + timedelta(days=rng.choice(KEEP_DAYS))
                plans.setdefault(back, []).append((rng.choice(names), code))
                results.append(("lent", loan[0], loan[1], loan[3].isoformat()))
            if day.weekday() in (0, 2, 4):
                late = desk.overdue(day)
                owed = sum(row[2] for row in late)
                results.append(("overdue", day.isoformat(), len(late), owed,
                                late[0][0][1] if late else ""))
        if (day + timedelta(days=1)).month != day.month:
            report = monthly_report(desk, day.year, day.month)
            results.append(("report", format_report(report)))
        day += timedelta(days=1)

    print(f"books {len(catalog)}, members {len(members)}, on loan at year end {len(desk.loans)}")
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"fines charged {money(fines_charged)}, "
          f"outstanding {money(sum(desk.balances.values()))}")
    results.append(("balances", sorted(desk.balances.items())))
    print(results[-2][1])
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
