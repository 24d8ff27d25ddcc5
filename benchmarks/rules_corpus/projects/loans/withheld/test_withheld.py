import copy
import random
from collections import Counter
from datetime import date, timedelta

import pytest

from loans import (
    MEMBER_RULES,
    Book,
    Catalog,
    IsbnError,
    LoanDesk,
    LoanRefused,
    load_members,
    monthly_report,
    normalize_isbn,
    open_days_between,
    overdue_fine,
)
from loans.isbn import isbn10_check_digit, isbn13_check_digit


def brute_open_days(start, end, holidays):
    closed = set(holidays)
    count = 0
    for n in range(1, (end - start).days + 1):
        day = start + timedelta(days=n)
        if day.weekday() != 6 and day not in closed:
            count += 1
    return count


def brute_fine(due, on, kind, holidays):
    if on <= due:
        return 0
    rules = MEMBER_RULES[kind]
    return min(brute_open_days(due, on, holidays) * rules["rate"], rules["cap"])


def random_isbn(rng):
    if rng.random() < 0.4:
        body = "".join(rng.choice("0123456789") for _ in range(9))
        return body + isbn10_check_digit(body)
    body = rng.choice(["978", "979"]) + "".join(rng.choice("0123456789") for _ in range(9))
    return body + isbn13_check_digit(body)


def brute_normalize(text):
    digits = "".join(ch for ch in text.upper() if ch.isascii() and (ch.isdigit() or ch == "X"))
    if len(digits) == 10:
        body = "978" + digits[:9]
        return body + isbn13_check_digit(body)
    return digits


def spell(rng, digits):
    choice = rng.randrange(4)
    if choice == 0:
        return digits.lower()
    if choice == 1:
        return "-".join([digits[:3], digits[3:7], digits[7:]])
    if choice == 2:
        return " " + " ".join(digits) + " "
    return f"ISBN {digits[:4]}\u2013{digits[4:]}"


MEMBERS = """\
A0001, Zoë Åkesson, zoe@example.org, 2020-01-05, adult
B0002, Ben Okafor, ben@example.org, 2021-06-30, child
C0003, Chiara Rossi, chiara@example.org, 2019-11-11, senior
D0004, Dmitri Petrov, dmitri@example.org, 2018-02-01, adult
"""


def small_desk(copies=1, holidays=()):
    catalog = Catalog([Book("0-306-40615-2", "Straße der Möwen", ("Søren Berg",), copies),
                       Book("9781861978769", "Glass Harbour", "Rosa Quinn", 2)])
    return LoanDesk(catalog, load_members(MEMBERS), holidays)


def test_isbn_edge_spellings_and_errors():
    assert normalize_isbn("  isbn:080442957x ") == "9780804429573"
    assert normalize_isbn("978\u20130\u2010306\u201140615\u20147") == "9780306406157"
    assert normalize_isbn("0 8044 2957 X") == normalize_isbn("978-0-8044-2957-3")
    for bad in ["", "   ", "X804429570", "978030640615", "97803064061570",
                "\uff19\uff17\uff18\uff10\uff13\uff10\uff16\uff14\uff10\uff16\uff11\uff15\uff17",
                "9770306406156", "ISBN"]:
        with pytest.raises(IsbnError):
            normalize_isbn(bad)
    with pytest.raises(TypeError):
        normalize_isbn(9780306406157)
    with pytest.raises(TypeError):
        normalize_isbn(None)
    assert issubclass(IsbnError, ValueError)
    for _ in range(3):
        with pytest.raises(IsbnError):
            normalize_isbn("0-306-40615-3")


def test_normalize_random_spellings_match_brute_force():
    rng = random.Random(11)
    for _ in range(400):
        digits = random_isbn(rng)
        for _ in range(3):
            text = spell(rng, digits)
            assert normalize_isbn(text) == brute_normalize(text)


def test_catalog_empty_duplicates_and_input_not_mutated():
    empty = Catalog()
    assert len(empty) == 0 and empty.find("0306406152") is None
    with pytest.raises(IsbnError):
        empty.find("not an isbn")
    books = [Book("0306406152", "A"), Book("9781861978769", "B")]
    before = list(books)
    catalog = Catalog(books)
    assert books == before and len(catalog) == 2
    with pytest.raises(ValueError):
        catalog.add(Book("978 0 306 40615 7", "A again"))
    with pytest.raises(ValueError):
        Catalog([Book("0306406152", "A"), Book("978-0-306-40615-7", "A2")])
    with pytest.raises(IsbnError):
        catalog.add(Book("0306406153", "Bad"))
    assert len(catalog) == 2
    with pytest.raises(ValueError):
        Book("0306406152", "   ")
    with pytest.raises(ValueError):
        Book("0306406152", "T", copies=-1)
    assert catalog.search("STRASSE") == []
    desk = small_desk()
    assert [b.title for b in desk.catalog.search("STRASSE")] == ["Straße der Möwen"]
    assert [b.title for b in desk.catalog.search("søren")] == ["Straße der Möwen"]


def test_catalog_lookup_random_against_brute_force():
    rng = random.Random(5)
    books, keys = [], set()
    while len(books) < 200:
        digits = random_isbn(rng)
        key = brute_normalize(digits)
        if key in keys:
            continue
        keys.add(key)
        books.append(Book(spell(rng, digits), f"Title {len(books)}", copies=rng.randint(0, 3)))
    catalog = Catalog(books)
    for _ in range(500):
        if rng.random() < 0.8:
            book = rng.choice(books)
            query = spell(rng, brute_normalize(book.isbn))
        else:
            query = random_isbn(rng)
        expected = [b for b in books if brute_normalize(b.isbn) == brute_normalize(query)]
        found = catalog.find(query)
        assert (found is None) == (not expected)
        if expected:
            assert found is expected[0]


def test_members_edges():
    lines = ["", "  # comment", "a0001 , Zoë , ZOE@X.ORG , 2020-01-01 , Adult", "   "]
    snapshot = list(lines)
    members = load_members(lines)
    assert lines == snapshot
    assert members == [{"code": "A0001", "name": "Zoë", "email": "zoe@x.org",
                        "joined": date(2020, 1, 1), "kind": "adult"}]
    assert load_members("") == []
    for bad in ["A0001, X, x@y, 2020-01-01, alien", "A001, X, x@y, 2020-01-01, adult",
                "A0001, X, nomail, 2020-01-01, adult", "A0001, , x@y, 2020-01-01, adult",
                "A0001, X, x@y, 2020-01-01", "A0001, X, x@y, 01/01/2020, adult"]:
        with pytest.raises(ValueError):
            load_members([bad])
    with pytest.raises(ValueError):
        load_members(["A0001, X, x@y, 2020-01-01, adult", "a0001, Y, y@y, 2020-01-01, child"])


def test_open_days_and_fines_random_against_brute_force():
    rng = random.Random(3)
    base = date(2023, 1, 1)
    for _ in range(400):
        holidays = [base + timedelta(days=rng.randint(-30, 400)) for _ in range(rng.randint(0, 20))]
        holidays += holidays[:2]
        start = base + timedelta(days=rng.randint(-20, 300))
        end = start + timedelta(days=rng.randint(-10, 200))
        expected = brute_open_days(start, end, holidays) if end > start else 0
        assert open_days_between(start, end, holidays) == expected
        assert open_days_between(start, end, tuple(holidays)) == expected
        assert open_days_between(start, end, set(holidays)) == expected
        kind = rng.choice(sorted(MEMBER_RULES))
        assert overdue_fine(start, end, kind, holidays) == brute_fine(start, end, kind, holidays)
    with pytest.raises(ValueError):
        overdue_fine(base, base + timedelta(days=3), "alien")
    with pytest.raises(ValueError):
        overdue_fine(base, base, "alien")


def test_desk_errors_leave_state_unchanged():
    desk = small_desk()
    with pytest.raises(KeyError):
        desk.checkout("0306406152", "Z9999", date(2023, 5, 1))
    with pytest.raises(KeyError):
        desk.member("")
    with pytest.raises(IsbnError):
        desk.checkout("0306406153", "A0001", date(2023, 5, 1))
    with pytest.raises(KeyError):
        desk.checkout("9780131103627", "A0001", date(2023, 5, 1))
    desk.checkout("0306406152", "  a0001 ", date(2023, 5, 1))
    with pytest.raises(LoanRefused):
        desk.checkout("978-0-306-40615-7", "A0001", date(2023, 5, 2))
    with pytest.raises(KeyError):
        desk.return_book("0306406152", "B0002", date(2023, 5, 3))
    with pytest.raises(ValueError):
        desk.return_book("0306406152", "A0001", date(2023, 4, 30))
    assert desk.loans == [("9780306406157", "A0001", date(2023, 5, 1), date(2023, 5, 22))]
    with pytest.raises(ValueError):
        desk.pay("A0001", 1)
    with pytest.raises(TypeError):
        LoanDesk(desk.catalog, [], ["2023-01-01"])


def test_mutating_members_and_books_between_calls():
    members = load_members(MEMBERS)
    desk = LoanDesk(small_desk().catalog, members)
    assert len(desk.members) == 4
    members.pop()
    assert desk.member("D0004")["name"] == "Dmitri Petrov"
    desk.member("A0001")["kind"] = "child"
    loan = desk.checkout("0306406152", "A0001", date(2023, 5, 1))
    assert loan[3] == date(2023, 5, 29)
    desk.member("a0001")["kind"] = "adult"
    assert desk.return_book("0306406152", "A0001", date(2023, 6, 30)) == 28 * 25
    assert desk.balances == {"A0001": 700}
    desk.member("B0002")["kind"] = "senior"
    desk.catalog.get("0306406152").copies = 0
    with pytest.raises(LoanRefused):
        desk.checkout("0306406152", "B0002", date(2023, 7, 1))
    desk.catalog.get("9780306406157").copies = 2
    assert desk.available("0306406152") == 2
    loan = desk.checkout("0306406152", "B0002", date(2023, 7, 1))
    assert loan[3] == date(2023, 7, 22)
    assert desk.available("0 306 40615 2") == 1


def test_reservation_ties_and_order():
    desk = small_desk()
    desk.checkout("0306406152", "A0001", date(2023, 5, 1))
    assert desk.reserve("0306406152", "B0002", date(2023, 5, 3)) == 1
    assert desk.reserve("0306406152", "C0003", date(2023, 5, 3)) == 2
    assert desk.reserve("0306406152", "D0004", date(2023, 5, 2)) == 1
    assert desk.queue("978-0-306-40615-7") == ["D0004", "B0002", "C0003"]
    with pytest.raises(LoanRefused):
        desk.reserve("0306406152", "b0002", date(2023, 5, 4))
    with pytest.raises(LoanRefused):
        desk.reserve("0306406152", "A0001", date(2023, 5, 4))
    with pytest.raises(KeyError):
        desk.cancel("0306406152", "A0001")
    desk.cancel("0306406152", "d0004")
    assert desk.queue("0306406152") == ["B0002", "C0003"]
    desk.return_book("0306406152", "A0001", date(2023, 5, 5))
    with pytest.raises(LoanRefused):
        desk.checkout("0306406152", "C0003", date(2023, 5, 5))
    desk.checkout("0306406152", "B0002", date(2023, 5, 5))
    assert desk.queue("0306406152") == ["C0003"]
    assert desk.queue("9781861978769") == []


def test_random_workload_against_brute_force_model():
    rng = random.Random(99)
    digits = []
    while len(digits) < 40:
        d = random_isbn(rng)
        if brute_normalize(d) not in {brute_normalize(x) for x in digits}:
            digits.append(d)
    books = [Book(spell(rng, d), f"Book {i % 7}", copies=rng.randint(1, 2))
             for i, d in enumerate(digits)]
    kinds = ["adult", "child", "senior"]
    lines = [f"M{n:04d}, Member {n}, m{n}@example.org, 2020-01-01, {kinds[n % 3]}"
             for n in range(60)]
    holidays = [date(2023, 2, 20), date(2023, 4, 7), date(2023, 5, 29), date(2023, 4, 7)]
    desk = LoanDesk(Catalog(books), load_members(lines), holidays)
    copies = {brute_normalize(b.isbn): b.copies for b in books}
    kind_of = {f"M{n:04d}": kinds[n % 3] for n in range(60)}
    out, history = [], []
    day = date(2023, 1, 2)
    for _ in range(900):
        day += timedelta(days=rng.choice([0, 0, 1]))
        d = rng.choice(digits)
        key = brute_normalize(d)
        code = f"M{rng.randrange(60):04d}"
        mine = [loan for loan in out if loan[0] == key and loan[1] == code]
        if mine and rng.random() < 0.7:
            fine = desk.return_book(spell(rng, d), code.lower(), day)
            out.remove(mine[0])
            assert fine == brute_fine(mine[0][3], day, kind_of[code], holidays)
            history.append((mine[0], day, fine))
            continue
        try:
            loan = desk.checkout(spell(rng, d), code, day)
        except LoanRefused:
            continue
        out.append(loan)
        assert desk.available(d) == copies[key] - sum(1 for x in out if x[0] == key) >= 0
        if rng.random() < 0.05:
            on = day + timedelta(days=rng.randint(0, 60))
            rows = [(x, brute_open_days(x[3], on, holidays),
                     brute_fine(x[3], on, kind_of[x[1]], holidays)) for x in out if x[3] < on]
            rows.sort(key=lambda r: (-r[1], r[0][1], r[0][0]))
            assert desk.overdue(on) == rows
    assert desk.loans == out
    assert desk.returned == history
    for month in range(1, 13):
        first = date(2023, month, 1)
        report = monthly_report(desk, 2023, month, top=100)
        lent = [x for x in [h[0] for h in history] + out if x[2].year == 2023
                and x[2].month == month]
        assert report.checkouts == len(lent)
        per_member = Counter(x[1] for x in lent)
        assert report.busiest == sorted(per_member.items(), key=lambda kv: (-kv[1], kv[0]))
        by_kind = Counter()
        for c, n in per_member.items():
            by_kind[kind_of[c]] += n
        assert report.by_kind == dict(by_kind)
        assert report.fines == sum(h[2] for h in history
                                   if h[1].year == first.year and h[1].month == month)
        assert [t[2] for t in report.top_titles] == sorted(Counter(x[0] for x in lent).values(),
                                                           reverse=True)


def test_report_edges_and_members_not_mutated():
    members = load_members(MEMBERS)
    snapshot = copy.deepcopy(members)
    holidays = [date(2023, 12, 25)]
    desk = LoanDesk(small_desk().catalog, members, holidays)
    report = monthly_report(desk, 2023, 2)
    assert (report.checkouts, report.returns, report.fines, report.top_titles,
            report.by_kind, report.busiest) == (0, 0, 0, [], {}, [])
    with pytest.raises(ValueError):
        monthly_report(desk, 2023, 13)
    with pytest.raises(ValueError):
        monthly_report(desk, 2023, 0)
    desk.checkout("9781861978769", "D0004", date(2023, 3, 1))
    desk.checkout("9781861978769", "A0001", date(2023, 3, 1))
    desk.checkout("0306406152", "C0003", date(2023, 3, 31))
    report = monthly_report(desk, 2023, 3, top=2)
    assert report.top_titles == [("Glass Harbour", "9781861978769", 2),
                                 ("Straße der Möwen", "9780306406157", 1)]
    assert report.busiest == [("A0001", 1), ("C0003", 1)]
    assert members == snapshot and holidays == [date(2023, 12, 25)]
