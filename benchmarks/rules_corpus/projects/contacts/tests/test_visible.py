import pytest

from contacts import (
    Company,
    Contact,
    ContactBook,
    DuplicateId,
    normalize_email,
    normalize_name,
    normalize_phone,
)
from contacts.export import export_csv, search


def test_normalizers() -> None:
    assert normalize_email(" Jane.Doe+news@GoogleMail.com ") == "janedoe@gmail.com"
    assert normalize_email("no-at-sign") == ""
    assert normalize_phone("0170 123-4567") == "+491701234567"
    assert normalize_phone("0044 20 7946 0958") == "+442079460958"
    assert normalize_name("  Jörg   Weiß ") == "jorg weiss"


def test_add_get_duplicates() -> None:
    book = ContactBook()
    book.add(Contact(1, "Ann", "Lee", "ann@x.org"))
    book.add(Contact(2, "ANN", "lee", "", "", None, "Köln"))
    book.add(Contact(3, "Bob", "Ray", "ANN@X.ORG"))
    book.add(Contact(4, "Ann", "Lee", "", "", None, "köln"))
    with pytest.raises(DuplicateId):
        book.add(Contact(1, "X", "Y"))
    assert book.get(3).first == "Bob"
    assert book.find_duplicates() == [(1, 3), (2, 4)]


def test_merge_and_export() -> None:
    book = ContactBook([Company(7, "Acme, Inc.")])
    book.add(Contact(1, "Ann", "Lee", "ann@x.org", "", 7))
    book.add(Contact(2, "Ann", "Lee", "ann@x.org", "030 1234567", None, "Berlin"))
    assert book.merge_all_duplicates() == 1
    ann = book.get(1)
    assert (ann.phone, ann.city, ann.company_id) == ("030 1234567", "Berlin", 7)
    csv_text = export_csv(book)
    assert csv_text.splitlines()[1] == '1,Ann Lee,ann@x.org,+49301234567,"Acme, Inc.",Berlin'
    assert search(book, "ANN") == [1]
    assert book.by_company() == {"Acme, Inc.": [1]}
