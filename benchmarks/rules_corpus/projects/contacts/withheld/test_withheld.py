import random

import pytest

from contacts import Company, Contact, ContactBook, normalize_email, normalize_phone
from contacts.export import export_csv, quote, search
from contacts.normalize import normalize_name


def test_normalizer_edges() -> None:
    assert normalize_email("a@b.c") == ""
    assert normalize_email("a b@c.de") == ""
    assert normalize_email("x+y+z@firma.de") == "x@firma.de"
    assert normalize_email("J.D@gmail.com") == "jd@gmail.com"
    assert normalize_phone("") == ""
    assert normalize_phone("1234") == ""
    assert normalize_phone("12345") == "+4912345"
    assert normalize_phone("1701234567") == "+491701234567"
    assert normalize_phone("+1 (555) 010-9999") == "+15550109999"
    assert normalize_phone("0170 123", default_country="43") == "+43170123"
    assert normalize_name("Zoë  O'Neil-Smith") == "zoe oneilsmith"


def test_get_missing_and_remove() -> None:
    book = ContactBook()
    book.add(Contact(5, "A", "B"))
    with pytest.raises(KeyError):
        book.get(6)
    book.remove(5)
    with pytest.raises(KeyError):
        book.get(5)
    book.add(Contact(5, "C", "D"))
    assert book.get(5).first == "C"


def test_contacts_edited_after_adding_are_seen() -> None:
    book = ContactBook()
    a = Contact(1, "A", "One", "a@x.org")
    b = Contact(2, "B", "Two", "b@x.org")
    book.add(a)
    book.add(b)
    assert book.find_duplicates() == []
    b.email = "A@X.ORG"
    assert book.find_duplicates() == [(1, 2)]
    b.email = ""
    b.phone = a.phone = "040 1234567"
    assert book.find_duplicates() == [(1, 2)]
    book.contacts.append(Contact(3, "B", "Two", "", "040-1234567"))
    assert book.find_duplicates() == [(1, 2), (1, 3), (2, 3)]


def test_same_name_needs_same_nonempty_city() -> None:
    book = ContactBook()
    book.add(Contact(1, "Ann", "Lee"))
    book.add(Contact(2, "Ann", "Lee"))
    book.add(Contact(3, "Ann", "Lee", city="Ulm"))
    book.add(Contact(4, "Änn", "Lee", city="ULM"))
    assert book.find_duplicates() == [(3, 4)]


def test_merge_chains_and_missing_ids() -> None:
    book = ContactBook()
    for i in range(1, 4):
        book.add(Contact(i, "X", "Y", "same@x.org" if i != 2 else "", "030 1234567"))
    assert book.find_duplicates() == [(1, 2), (1, 3), (2, 3)]
    assert book.merge_all_duplicates() == 2
    assert [c.id for c in book.contacts] == [1]
    with pytest.raises(KeyError):
        book.merge(1, 99)


def test_company_lookup_and_grouping() -> None:
    book = ContactBook([Company(1, "A"), Company(2, "B"), Company(1, "A-dup")])
    book.add(Contact(10, "p", "q", company_id=1))
    book.add(Contact(11, "p", "r", company_id=3))
    book.add(Contact(12, "p", "s", company_id=1))
    assert book.company_name(book.get(10)) == "A"
    assert book.company_name(book.get(11)) == ""
    assert book.by_company() == {"A": [10, 12], "A-dup": [10, 12]}
    book.companies.append(Company(3, "C"))
    assert book.company_name(book.get(11)) == "C"


def test_export_quoting_and_search() -> None:
    assert quote('say "hi"') == '"say ""hi"""'
    assert quote("a\nb") == '"a\nb"'
    book = ContactBook()
    book.add(Contact(1, "Sören", "Koch"))
    book.add(Contact(2, "Soren", "Kochanski"))
    book.add(Contact(3, "Karl", "Sorensen"))
    assert search(book, "SÖREN koch") == [1, 2]
    assert search(book, "") == [1, 2, 3]
    assert export_csv(ContactBook()) == "id,name,email,phone,company,city\n"


def test_random_duplicates_against_pairwise_definition() -> None:
    rng = random.Random(12)
    book = ContactBook()
    for i in range(40):
        book.add(Contact(i, rng.choice(["Al", "Bo", "Cy"]), rng.choice(["K", "L"]),
                         rng.choice(["", "a@x.org", "A@X.org", "b+q@x.org", "b@x.org"]),
                         rng.choice(["", "0301234567", "+49 30 1234567", "040 7654321"]),
                         None, rng.choice(["", "Ulm", "ulm"])))
    pairs = book.find_duplicates()
    expected = [
        (a.id, b.id)
        for i, a in enumerate(book.contacts)
        for b in book.contacts[i + 1:]
        if (normalize_email(a.email) and normalize_email(a.email) == normalize_email(b.email))
        or (normalize_phone(a.phone) and normalize_phone(a.phone) == normalize_phone(b.phone))
        or (normalize_name(a.full_name) == normalize_name(b.full_name)
            and a.city.lower() == b.city.lower() != "")
    ]
    assert pairs == expected
