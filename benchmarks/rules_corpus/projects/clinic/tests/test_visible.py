from clinic import Appointment, Clinic, Patient


def make():
    c = Clinic()
    c.admit(Patient("a", "ann lee", 2000, 2))
    c.admit(Patient("b", "bob", 1990, 5))
    c.admit(Patient("c", "cy", 1980, 2))
    c.book(Appointment(1, "a", 3, "10.50"))
    c.book(Appointment(2, "b", 4, "20"))
    c.book(Appointment(3, "a", 5, "1.25"))
    c.book(Appointment(4, "zz", 5, "99"))
    return c


def test_bill():
    assert make().bill() == {"Ann Lee (24)": 11.75, "Bob (34)": 20.0}


def test_triage_order():
    assert make().triage(["a", "c", "b", "a"]) == ["a", "b", "c", "a"]


def test_visits():
    assert make().visits_per_patient() == [("a", 2), ("b", 1), ("c", 0)]


def test_lookup_missing():
    assert make().patient_by_id("nope") is None
