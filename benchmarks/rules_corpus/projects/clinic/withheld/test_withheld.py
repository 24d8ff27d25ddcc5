import pytest

from clinic import Appointment, Clinic, Patient


def test_duplicate_ids_first_wins():
    c = Clinic()
    c.admit(Patient("a", "first", 2000, 1))
    c.admit(Patient("a", "second", 2000, 1))
    c.book(Appointment(1, "a", 0, "5"))
    assert c.bill() == {"First (24)": 5.0}
    assert c.patient_by_id("a").name == "first"


def test_admit_after_bill_is_seen():
    c = Clinic()
    c.book(Appointment(1, "x", 0, "5"))
    assert c.bill() == {}
    c.admit(Patient("x", "xi", 2020, 3))
    assert c.bill() == {"Xi (4)": 5.0}


def test_triage_unknown_raises():
    c = Clinic()
    with pytest.raises(AttributeError):
        c.triage(["ghost"])


def test_triage_ties_and_empty():
    c = Clinic()
    for pid in "abcd":
        c.admit(Patient(pid, pid, 2000, 3))
    assert c.triage([]) == []
    assert c.triage(list("dcba")) == list("dcba")


def test_bad_fee_raises():
    c = Clinic()
    c.admit(Patient("a", "a", 2000, 1))
    c.book(Appointment(1, "a", 0, "ten"))
    with pytest.raises(ValueError):
        c.bill()
