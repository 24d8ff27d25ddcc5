from datetime import date

import pytest

from loans import (
    Book,
    Catalog,
    IsbnError,
    LoanDesk,
    LoanRefused,
    format_isbn,
    format_report,
    load_members,
    money,
    monthly_report,
    normalize_isbn,
    open_days_between,
    overdue_fine,
    to_isbn10,
)

MEMBERS = """\
# code, name, e-mail, joined, kind
A0001, Ada Lovelace, ada@example.org, 2020-01-05, adult
b0002 , Ben Okafor , BEN@example.org , 2021-06-30 , CHILD

C0003,Chiara Rossi,chiara@example.org,2019-11-11,senior
"""


def make_desk(holidays=()):
    catalog = Catalog([
        Book("0-306-40615-2", "The Salt Road", ("Ines Berg",), copies=1),
        Book("978-1-86197-876-9", "Glass Harbour", ("Olu Abara", "Rosa Quinn"), copies=2),
        Book("9780262033848", "Winter Letters", ("Hiro Ito",), copies=1),
    ])
    return LoanDesk(catalog, load_members(MEMBERS), holidays)


def test_normalize_accepts_every_spelling():
    assert normalize_isbn("0-306-40615-2") == "9780306406157"
    assert normalize_isbn("0 306 40615 2") == normalize_isbn("9780306406157")
    assert normalize_isbn("ISBN: 978-0-306-40615-7") == "9780306406157"
    assert normalize_isbn("080442957x") == "9780804429573"
    assert to_isbn10("978-0-306-40615-7") == "0306406152"
    assert format_isbn("0306406152") == "978-0-3064-0615-7"


def test_normalize_rejects_bad_check_digits():
    with pytest.raises(IsbnError):
        normalize_isbn("0-306-40615-3")
    with pytest.raises(IsbnError):
        normalize_isbn("9780306406158")
    with pytest.raises(IsbnError):
        normalize_isbn("12345")


def test_catalog_finds_books_by_any_spelling():
    desk = make_desk()
    assert desk.catalog.get("9780306406157").title == "The Salt Road"
    assert desk.catalog.find("1-86197-876-6").copies == 2
    assert desk.catalog.find("978 0 13 110362 7") is None
    with pytest.raises(KeyError):
        desk.catalog.get("978-0-13-110362-7")
    with pytest.raises(ValueError):
        desk.catalog.add(Book("0306406152", "Same Book Again"))


def test_members_load_from_lines():
    members = load_members(MEMBERS)
    assert [m["code"] for m in members] == ["A0001", "B0002", "C0003"]
    assert members[1]["kind"] == "child"
    assert members[1]["email"] == "ben@example.org"
    assert members[2]["joined"] == date(2019, 11, 11)


def test_checkout_and_return_on_time():
    desk = make_desk()
    loan = desk.checkout("0-306-40615-2", "a0001", date(2023, 3, 1))
    assert loan == ("9780306406157", "A0001", date(2023, 3, 1), date(2023, 3, 22))
    assert desk.available("0306406152") == 0
    with pytest.raises(LoanRefused):
        desk.checkout("9780306406157", "B0002", date(2023, 3, 2))
    assert desk.return_book("978-0-306-40615-7", "A0001", date(2023, 3, 20)) == 0
    assert desk.available("0306406152") == 1


def test_late_return_is_fined_per_open_day():
    desk = make_desk(holidays=[date(2023, 3, 24)])
    desk.checkout("9780306406157", "A0001", date(2023, 3, 1))
    fine = desk.return_book("9780306406157", "A0001", date(2023, 3, 28))
    # 23, 25, 27, 28 March are open; the 24th is a holiday and the 26th a Sunday
    assert fine == 4 * 25
    assert desk.balances["A0001"] == 100
    assert desk.pay("A0001", 40) == 60


def test_open_days_and_fine_cap():
    assert open_days_between(date(2023, 1, 1), date(2023, 1, 8)) == 6
    assert open_days_between(date(2023, 1, 8), date(2023, 1, 1)) == 0
    assert overdue_fine(date(2023, 1, 1), date(2023, 6, 1), "child") == 300
    assert overdue_fine(date(2023, 1, 10), date(2023, 1, 9), "adult") == 0


def test_reservations_are_first_come_first_served():
    desk = make_desk()
    desk.checkout("9780306406157", "A0001", date(2023, 3, 1))
    assert desk.reserve("0-306-40615-2", "C0003", date(2023, 3, 2)) == 1
    assert desk.reserve("0306406152", "B0002", date(2023, 3, 3)) == 2
    assert desk.queue("9780306406157") == ["C0003", "B0002"]
    desk.return_book("9780306406157", "A0001", date(2023, 3, 10))
    with pytest.raises(LoanRefused):
        desk.checkout("9780306406157", "B0002", date(2023, 3, 10))
    desk.checkout("9780306406157", "C0003", date(2023, 3, 10))
    assert desk.queue("9780306406157") == ["B0002"]


def test_overdue_list_latest_first():
    desk = make_desk()
    desk.checkout("9780306406157", "A0001", date(2023, 3, 1))
    desk.checkout("9781861978769", "B0002", date(2023, 3, 1))
    desk.checkout("9780262033848", "C0003", date(2023, 3, 10))
    rows = desk.overdue(date(2023, 4, 5))
    assert [row[0][1] for row in rows] == ["A0001", "B0002", "C0003"]
    assert rows[0][1:] == (12, 300)
    assert rows[1][1:] == (6, 60)
    assert rows[2][1:] == (4, 40)


def test_monthly_report():
    desk = make_desk()
    desk.checkout("9780306406157", "A0001", date(2023, 3, 1))
    desk.checkout("9781861978769", "A0001", date(2023, 3, 2))
    desk.checkout("9781861978769", "B0002", date(2023, 3, 2))
    desk.return_book("9780306406157", "A0001", date(2023, 3, 30))
    report = monthly_report(desk, 2023, 3)
    assert report.checkouts == 3
    assert report.returns == 1 and report.late_returns == 1
    assert report.fines == 175
    assert report.top_titles[0] == ("Glass Harbour", "9781861978769", 2)
    assert report.by_kind == {"adult": 2, "child": 1}
    assert report.busiest == [("A0001", 2), ("B0002", 1)]
    text = format_report(report)
    assert text.startswith("Circulation, March 2023")
    assert "$1.75" in text
    assert money(-5) == "-$0.05"
