import copy
import math
import random
from datetime import date, datetime, timedelta

import pytest

from pharmacy import dates, drugs, prescriptions, reports, stock

# ---------------------------------------------------------------- reference implementations

REF_SALTS = set(drugs.SALT_WORDS)
REF_FORMS = set(drugs.FORM_WORDS)


def ref_normalize(name):
    import re
    text = name.lower().replace("-", " ").replace(",", " ")
    text = re.sub(r"\d+(\.\d+)?\s*((mg|mcg|micrograms|g|ml)\b|%)", " ", text)
    words = [w for w in text.split() if w not in REF_FORMS]
    kept = [w for w in words if w not in REF_SALTS] or words
    joined = " ".join(kept)
    return drugs.SYNONYMS.get(joined, joined)


def ref_interactions(names):
    uniq = []
    for n in names:
        c = ref_normalize(n)
        if c not in uniq:
            uniq.append(c)
    table = [(ref_normalize(a), ref_normalize(b), s, note)
             for a, b, s, note in drugs.INTERACTIONS]
    out = []
    for i, x in enumerate(uniq):
        for y in uniq[i + 1:]:
            for a, b, s, note in table:
                if {a, b} == {x, y}:
                    out.append({"drug_a": x, "drug_b": y, "severity": s, "note": note})
    order = {"major": 0, "moderate": 1, "minor": 2}
    return sorted(out, key=lambda h: order[h["severity"]])


def ref_fefo(batches, drug, qty, on_date):
    d = date.fromisoformat(on_date)
    target = ref_normalize(drug)
    usable = [b for b in batches if ref_normalize(b["drug"]) == target and b["qty"] > 0
              and date.fromisoformat(b["expiry"]) > d]
    usable.sort(key=lambda b: (b["expiry"], b["received"], b["batch_id"]))
    if sum(b["qty"] for b in usable) < qty:
        return None
    taken = []
    for b in usable:
        if qty == 0:
            break
        u = min(qty, b["qty"])
        taken.append((b["batch_id"], u))
        qty -= u
    return taken


def rec(rx_id, patient, drug, qty, day):
    return {"rx_id": rx_id, "patient_id": patient, "drug": drug, "quantity": qty,
            "date": day, "batches": []}


def make_rx(**overrides):
    rx = {"rx_id": "RX1", "patient_id": "P1", "drug": "Metformin HCl 500mg",
          "dose": "1 tablet", "frequency": "BD", "quantity": 56, "issued": "2024-01-01",
          "refills": 2}
    rx.update(overrides)
    return rx


def batch(batch_id, drug, qty, expiry, received="2024-01-01"):
    return stock.make_batch(batch_id, drug, qty, expiry, received)


# ---------------------------------------------------------------- names and interactions

@pytest.mark.parametrize("raw,expected", [
    ("Amlodipine-Besylate", "amlodipine"),
    ("Levothyroxine Sodium 100 mcg", "levothyroxine"),
    ("Salbutamol 0.1 mg", "salbutamol"),
    ("Hydrocortisone 1% cream", "hydrocortisone cream"),
    ("Calcium Carbonate", "calcium carbonate"),
    ("CO-CODAMOL 30/500", "co codamol 30/500"),
    ("Sertraline, hydrochloride", "sertraline"),
    ("acetylsalicylic acid", "aspirin"),
    ("Metformin  XL", "metformin"),
])
def test_normalize_variants(raw, expected):
    assert drugs.normalize_drug_name(raw) == expected


def test_normalize_is_idempotent_for_formulary_and_table():
    names = list(drugs.FORMULARY) + [n for row in drugs.INTERACTIONS for n in row[:2]]
    for name in names:
        once = drugs.normalize_drug_name(name)
        assert drugs.normalize_drug_name(once) == once


@pytest.mark.parametrize("bad", ["", "   ", "tablets", "500mg", "10 mg capsules"])
def test_normalize_empty_names_raise_value_error(bad):
    with pytest.raises(ValueError):
        drugs.normalize_drug_name(bad)


@pytest.mark.parametrize("bad", [None, 3, ["aspirin"], b"aspirin"])
def test_normalize_non_strings_raise_type_error(bad):
    with pytest.raises(TypeError):
        drugs.normalize_drug_name(bad)


def test_drug_info_returns_copy_and_raises_key_error():
    info = drugs.drug_info("Tramadol HCl 50mg")
    assert info["name"] == "tramadol" and info["controlled"] is True
    info["max_daily"] = 999
    assert drugs.FORMULARY["tramadol"]["max_daily"] == 8
    with pytest.raises(KeyError):
        drugs.drug_info("unobtainium")


def test_find_interactions_empty_and_single():
    assert drugs.find_interactions([]) == []
    assert drugs.find_interactions(["warfarin"]) == []
    assert drugs.find_interactions(["warfarin", "Warfarin Sodium 3mg"]) == []


def test_find_interactions_order_follows_input():
    hits = drugs.find_interactions(["Aspirin", "Warfarin"])
    assert (hits[0]["drug_a"], hits[0]["drug_b"]) == ("aspirin", "warfarin")


def test_find_interactions_ties_keep_pair_order():
    hits = drugs.find_interactions(["lithium", "naproxen", "ibuprofen", "warfarin"])
    majors = [(h["drug_a"], h["drug_b"]) for h in hits if h["severity"] == "major"]
    assert majors == [("lithium", "naproxen"), ("lithium", "ibuprofen"),
                      ("naproxen", "warfarin"), ("ibuprofen", "warfarin")]
    assert [h["severity"] for h in hits][-1] == "moderate"


def test_find_interactions_does_not_mutate_input_and_accepts_tuples():
    names = ["Warfarin", "Aspirin", "warfarin"]
    snapshot = list(names)
    drugs.find_interactions(names)
    assert names == snapshot
    assert drugs.find_interactions(tuple(names)) == drugs.find_interactions(names)


def test_find_interactions_rejects_bad_names():
    with pytest.raises(TypeError):
        drugs.find_interactions(["warfarin", None])
    with pytest.raises(ValueError):
        drugs.find_interactions(["warfarin", " "])


def test_find_interactions_random_against_reference():
    rng = random.Random(7)
    pool = [n for row in drugs.INTERACTIONS for n in row[:2]] + ["Paracetamol 500mg",
                                                                 "Omeprazole 20 mg caps",
                                                                 "Gabapentin"]
    for _ in range(300):
        names = [rng.choice(pool) for _ in range(rng.randint(0, 8))]
        assert drugs.find_interactions(names) == ref_interactions(names)


def test_check_new_drug_when_new_drug_in_current_list():
    hits = drugs.check_new_drug("aspirin", ["Aspirin 75mg", "warfarin"])
    assert [(h["drug_a"], h["drug_b"]) for h in hits] == [("aspirin", "warfarin")]
    current = ("warfarin",)
    assert drugs.check_new_drug("digoxin", current) == []


def test_interaction_table_unchanged_by_use():
    before = copy.deepcopy(drugs.INTERACTIONS)
    hits = drugs.find_interactions(["warfarin", "aspirin"])
    hits[0]["note"] = "changed"
    assert drugs.INTERACTIONS == before
    assert drugs.find_interactions(["warfarin", "aspirin"])[0]["note"] == \
        "increased bleeding risk"


# ---------------------------------------------------------------- dates

def test_parse_date_inputs():
    assert dates.parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    assert dates.parse_date(date(2024, 1, 2)) == date(2024, 1, 2)
    assert dates.parse_date(datetime(2024, 1, 2, 13, 5)) == date(2024, 1, 2)
    assert dates.add_days("2024-02-28", 2) == date(2024, 3, 1)
    assert dates.format_date(date(2024, 3, 1)) == "2024-03-01"


@pytest.mark.parametrize("bad", ["2023-02-29", "2024-13-01", "yesterday", "", None, 20240101,
                                 ["2024-01-01"]])
def test_parse_date_invalid(bad):
    with pytest.raises(ValueError):
        dates.parse_date(bad)


# ---------------------------------------------------------------- stock

@pytest.mark.parametrize("args", [
    ("", "aspirin", 10, "2025-01-01"),
    ("B", "aspirin", 0, "2025-01-01"),
    ("B", "aspirin", -5, "2025-01-01"),
    ("B", "aspirin", "lots", "2025-01-01"),
    ("B", "aspirin", 10, "2024-01-01"),
    ("B", "aspirin", 10, "not a date"),
])
def test_make_batch_validation(args):
    with pytest.raises(ValueError):
        stock.make_batch(*args, "2024-01-01")


def test_make_batch_normalises():
    b = stock.make_batch("B7", "Aspirin 75mg", "12", date(2025, 1, 1), "2024-01-01")
    assert b == {"batch_id": "B7", "drug": "aspirin", "qty": 12, "expiry": "2025-01-01",
                 "received": "2024-01-01"}


def test_receive_delivery_duplicate_within_delivery_adds_nothing():
    batches = [batch("X", "aspirin", 5, "2025-01-01")]
    with pytest.raises(ValueError):
        stock.receive_delivery(batches, [("Y", "aspirin", 5, "2025-01-01"),
                                         ("Y", "warfarin", 5, "2025-01-01")], "2024-01-01")
    assert [b["batch_id"] for b in batches] == ["X"]
    with pytest.raises(ValueError):
        stock.receive_delivery(batches, [("Z", "aspirin", 5, "2025-01-01"),
                                         ("W", "aspirin", 0, "2025-01-01")], "2024-01-01")
    assert len(batches) == 1
    new = stock.receive_delivery(batches, [("Z", "Warfarin Sodium", 5, "2025-01-01")],
                                 "2024-01-01")
    assert new == [batches[-1]] and batches[-1]["drug"] == "warfarin"


def test_usable_batches_ties_and_expiry_boundary():
    batches = [
        batch("C", "aspirin", 5, "2024-06-01", "2024-01-03"),
        batch("B", "aspirin", 5, "2024-06-01", "2024-01-02"),
        batch("A", "aspirin", 5, "2024-06-01", "2024-01-03"),
        batch("D", "aspirin", 5, "2024-03-01"),
        batch("E", "aspirin", 5, "2024-03-02"),
    ]
    order = [b["batch_id"] for b in stock.usable_batches(batches, "Aspirin", "2024-03-01")]
    assert order == ["E", "B", "A", "C"]
    batches[4]["qty"] = 0
    order = [b["batch_id"] for b in stock.usable_batches(batches, "aspirin", "2024-03-01")]
    assert order == ["B", "A", "C"]
    assert stock.stock_on_hand(batches, "aspirin", "2024-06-01") == 0


def test_dispense_stock_errors():
    batches = [batch("A", "aspirin", 5, "2025-01-01")]
    for bad in (0, -3):
        with pytest.raises(ValueError):
            stock.dispense_stock(batches, "aspirin", bad, "2024-02-01")
    with pytest.raises(stock.StockError) as info:
        stock.dispense_stock(batches, "Aspirin 75 mg", 6, "2024-02-01")
    assert (info.value.drug, info.value.wanted, info.value.available) == ("aspirin", 6, 5)
    assert batches[0]["qty"] == 5
    assert stock.dispense_stock(batches, "aspirin", 5, "2024-02-01") == [("A", 5)]
    assert batches[0]["qty"] == 0
    with pytest.raises(stock.StockError):
        stock.dispense_stock(batches, "aspirin", 1, "2024-02-01")


def test_dispense_stock_random_against_reference():
    rng = random.Random(11)
    names = ["aspirin", "Warfarin Sodium", "warfarin", "Metformin HCl", "metformin"]
    start = date(2024, 1, 1)
    batches = []
    for i in range(60):
        exp = start + timedelta(days=rng.randint(1, 120))
        rcv = start - timedelta(days=rng.randint(0, 3))
        batches.append(batch(f"B{rng.randint(0, 999):03d}-{i}", rng.choice(names),
                             rng.randint(1, 40), exp.isoformat(), rcv.isoformat()))
    expected = copy.deepcopy(batches)
    for step in range(400):
        day = (start + timedelta(days=step // 4)).isoformat()
        drug = rng.choice(names)
        qty = rng.randint(1, 60)
        want = ref_fefo(expected, drug, qty, day)
        if want is None:
            with pytest.raises(stock.StockError):
                stock.dispense_stock(batches, drug, qty, day)
        else:
            assert stock.dispense_stock(batches, drug, qty, day) == want
            for bid, units in want:
                for b in expected:
                    if b["batch_id"] == bid:
                        b["qty"] -= units
        assert batches == expected


# ---------------------------------------------------------------- dosage and validation

@pytest.mark.parametrize("dose,value", [("half tablet", 0.5), (1.5, 1.5), ("3", 3.0),
                                        ("  Two tablets ", 2.0), ("2.5 ml", 2.5)])
def test_parse_dose_values(dose, value):
    assert prescriptions.parse_dose(dose) == value


@pytest.mark.parametrize("dose", ["1/0 tablet", "-1 tablet", "", "some", 0, "0 tablets"])
def test_parse_dose_invalid(dose):
    with pytest.raises(ValueError):
        prescriptions.parse_dose(dose)


@pytest.mark.parametrize("freq,value", [("B.D.", 2), ("twice   daily", 2), ("Nocte", 1),
                                        ("weekly", 1 / 7), ("every 24 hours", 1),
                                        ("EVERY 4 HOURS", 6)])
def test_doses_per_day_values(freq, value):
    assert prescriptions.doses_per_day(freq) == value


@pytest.mark.parametrize("freq", ["every 0 hours", "every 25 hours", "every x hours", "",
                                  "prn"])
def test_doses_per_day_invalid(freq):
    with pytest.raises(ValueError):
        prescriptions.doses_per_day(freq)


def test_days_supply_minimum_and_weekly():
    assert prescriptions.days_supply(make_rx(dose="4 tablets", frequency="weekly",
                                             quantity=4)) == 7
    assert prescriptions.days_supply(make_rx(dose="2 tablets", frequency="QDS",
                                             quantity=3)) == 1


def test_validate_prescription_copy_and_fields():
    rx = make_rx(issued=date(2024, 1, 1), quantity="28")
    snapshot = dict(rx)
    clean = prescriptions.validate_prescription(rx)
    assert rx == snapshot
    assert clean["drug"] == "metformin" and clean["quantity"] == 28
    assert clean["issued"] == "2024-01-01" and clean["controlled"] is False
    assert prescriptions.validate_prescription(make_rx(drug="Gabapentin"))["controlled"] is False
    assert prescriptions.validate_prescription(
        make_rx(drug="Codeine Phosphate 30mg", frequency="QDS"))["controlled"] is True
    no_refills = make_rx()
    del no_refills["refills"]
    assert prescriptions.validate_prescription(no_refills)["refills"] == 0


@pytest.mark.parametrize("changes", [{"quantity": 0}, {"quantity": "many"},
                                     {"refills": -1}, {"issued": "2024-02-30"},
                                     {"dose": "lots"}, {"frequency": "hourly"},
                                     {"drug": ""}, {"drug": 5},
                                     {"dose": "2 tablets", "frequency": "QDS"}])
def test_validate_prescription_errors_are_value_errors(changes):
    with pytest.raises(ValueError):
        prescriptions.validate_prescription(make_rx(**changes))


def test_validate_prescription_missing_fields_named():
    rx = make_rx()
    del rx["dose"]
    del rx["issued"]
    with pytest.raises(ValueError, match="dose, issued"):
        prescriptions.validate_prescription(rx)


# ---------------------------------------------------------------- refills

def test_refill_status_not_yet_issued():
    assert prescriptions.refill_status(make_rx(issued="2024-03-01"), [], "2024-02-01") == (
        False, "not yet issued", date(2024, 3, 1))


def test_refill_status_expiry_boundaries():
    rx = make_rx()
    assert prescriptions.refill_status(rx, [], "2024-07-02")[0] is True
    assert prescriptions.refill_status(rx, [], "2024-07-03")[1] == "prescription expired"
    cd = make_rx(drug="Tramadol HCl", dose="1 capsule", frequency="QDS", quantity=28)
    assert prescriptions.refill_status(cd, [], "2024-01-29")[0] is True
    assert prescriptions.refill_status(cd, [], "2024-01-30") == (
        False, "prescription expired", None)


def test_refill_status_uses_latest_fill_and_ignores_other_rx():
    rx = make_rx(refills=5, quantity=30, frequency="OD")
    log = [rec("RX1", "P1", "metformin", 30, "2024-02-10"),
           rec("RX1", "P1", "metformin", 30, "2024-01-05"),
           rec("RX2", "P1", "metformin", 30, "2024-03-01"),
           rec("RX3", "P2", "aspirin", 30, "2024-02-20")]
    snapshot = copy.deepcopy(log)
    ok, reason, earliest = prescriptions.refill_status(rx, log, "2024-03-01")
    assert earliest == date(2024, 2, 10) + timedelta(days=math.ceil(30 * 0.75))
    assert (ok, reason) == (False, "too early")
    assert log == snapshot


def test_refill_status_earliest_after_expiry_is_expired():
    rx = make_rx(issued="2024-01-01", quantity=56, refills=3)
    log = [rec("RX1", "P1", "metformin", 56, "2024-06-25")]
    assert prescriptions.refill_status(rx, log, "2024-06-30") == (
        False, "prescription expired", None)


# ---------------------------------------------------------------- dispensing

def stocked():
    return [batch("M1", "metformin", 100, "2025-01-01"),
            batch("A1", "aspirin", 100, "2025-01-01"),
            batch("I1", "ibuprofen", 100, "2025-01-01")]


def test_dispense_prescription_invalid_rx_refused():
    batches = stocked()
    log = []
    result = prescriptions.dispense_prescription(make_rx(dose="lots"), batches, log,
                                                 "2024-02-01")
    assert result["status"] == "refused" and "RX1" in result["reason"]
    assert log == [] and batches == stocked()
    rx = make_rx()
    del rx["drug"]
    result = prescriptions.dispense_prescription(rx, batches, log, "2024-02-01")
    assert result["status"] == "refused" and "drug" in result["reason"]


def test_dispense_prescription_hold_leaves_everything():
    batches = stocked()
    log = [rec("RX7", "P1", "Lithium Carbonate", 28, "2024-01-20")]
    log[0]["drug"] = "lithium"
    rx = make_rx(drug="Ibuprofen 400mg", dose="1 tablet", frequency="TDS", quantity=21)
    snapshot = dict(rx)
    result = prescriptions.dispense_prescription(rx, batches, log, "2024-02-01")
    assert result["status"] == "hold"
    assert result["reason"] == "major interaction: ibuprofen+lithium"
    assert result["batches"] == [] and len(log) == 1 and batches == stocked()
    assert rx == snapshot


def test_dispense_prescription_same_drug_not_an_interaction_and_other_patients_ignored():
    batches = stocked()
    log = [rec("RX0", "P1", "aspirin", 28, "2024-01-20"),
           rec("RX5", "P2", "warfarin", 28, "2024-01-20")]
    rx = make_rx(drug="aspirin", frequency="OD", quantity=28)
    result = prescriptions.dispense_prescription(rx, batches, log, date(2024, 2, 1))
    assert result["status"] == "dispensed" and result["interactions"] == []
    assert log[-1] == {"rx_id": "RX1", "patient_id": "P1", "drug": "aspirin", "quantity": 28,
                       "date": "2024-02-01", "batches": [("A1", 28)]}
    assert result["reason"] == "first fill"


def test_dispense_prescription_moderate_interaction_dispensed():
    batches = stocked()
    log = [rec("RX0", "P1", "aspirin", 28, "2024-01-20")]
    rx = make_rx(drug="ibuprofen", frequency="TDS", quantity=21)
    result = prescriptions.dispense_prescription(rx, batches, log, "2024-02-01")
    assert result["status"] == "dispensed"
    assert [h["severity"] for h in result["interactions"]] == ["minor"]


def test_active_medications_boundaries_and_order():
    log = [rec("A", "P1", "warfarin", 1, "2023-11-03"),
           rec("B", "P1", "aspirin", 1, "2023-11-02"),
           rec("C", "P1", "digoxin", 1, "2024-02-02"),
           rec("D", "P1", "metformin", 1, "2024-02-01"),
           rec("E", "P1", "warfarin", 1, "2024-01-01")]
    assert prescriptions.active_medications(log, "P1", "2024-02-01") == ["warfarin",
                                                                         "metformin"]
    assert prescriptions.active_medications(log, "P1", "2024-02-01", window=0) == [
        "metformin"]
    assert prescriptions.active_medications([], "P1", "2024-02-01") == []


# ---------------------------------------------------------------- reports

def test_medication_history_ties_and_out_of_order():
    log = [rec("A", "P1", "warfarin", 10, "2024-02-01"),
           rec("B", "P1", "aspirin", 5, "2024-02-01"),
           rec("A", "P1", "warfarin", 10, "2024-01-01"),
           rec("C", "P2", "digoxin", 7, "2024-03-01"),
           rec("D", "P1", "metformin", 3, "2024-01-15")]
    snapshot = copy.deepcopy(log)
    rows = reports.medication_history(log, "P1")
    assert [r["drug"] for r in rows] == ["aspirin", "warfarin", "metformin"]
    assert rows[1] == {"drug": "warfarin", "first_fill": "2024-01-01",
                       "last_fill": "2024-02-01", "fills": 2, "total_quantity": 20}
    assert log == snapshot
    assert reports.medication_history(log, "nobody") == []
    assert reports.format_history("nobody", []).splitlines() == [
        "Medication history for nobody", "  (none dispensed)"]


def test_medication_history_random_against_reference():
    rng = random.Random(5)
    names = ["aspirin", "warfarin", "digoxin", "metformin", "lithium"]
    log = [rec(f"R{i}", f"P{rng.randint(0, 5)}", rng.choice(names), rng.randint(1, 90),
               (date(2024, 1, 1) + timedelta(days=rng.randint(0, 90))).isoformat())
           for i in range(500)]
    for p in range(7):
        pid = f"P{p}"
        mine = [r for r in log if r["patient_id"] == pid]
        expected = []
        for drug in sorted({r["drug"] for r in mine}):
            rs = [r for r in mine if r["drug"] == drug]
            expected.append({"drug": drug, "first_fill": min(r["date"] for r in rs),
                             "last_fill": max(r["date"] for r in rs), "fills": len(rs),
                             "total_quantity": sum(r["quantity"] for r in rs)})
        expected.sort(key=lambda r: r["last_fill"], reverse=True)
        assert reports.medication_history(log, pid) == expected
        text = reports.format_history(pid, expected)
        assert len(text.splitlines()) == 1 + (len(expected) or 1)


def test_daily_totals_and_empty_report():
    log = [rec("A", "P1", "warfarin", 10, "2024-02-01"),
           rec("B", "P2", "aspirin", 5, "2024-02-01"),
           rec("C", "P3", "warfarin", 7, "2024-02-01"),
           rec("D", "P3", "warfarin", 7, "2024-02-02")]
    totals = reports.daily_totals(log, date(2024, 2, 1))
    assert list(totals.items()) == [("aspirin", (1, 5)), ("warfarin", (2, 17))]
    assert reports.daily_dispensing_report([], "2024-02-01") == (
        "Dispensing report for 2024-02-01\n"
        f"{'Drug':<22} {'Fills':>5} {'Units':>7}\n"
        f"{'TOTAL':<22} {0:>5} {0:>7}\n")
    text = reports.daily_dispensing_report(log, "2024-02-01")
    assert text.splitlines()[2] == f"{'aspirin':<22} {1:>5} {5:>7}"


def test_average_daily_usage_window_and_errors():
    log = [rec("A", "P1", "warfarin", 28, "2024-01-04"),
           rec("B", "P1", "Warfarin Sodium", 28, "2024-01-31"),
           rec("C", "P1", "warfarin", 100, "2024-01-03"),
           rec("D", "P1", "warfarin", 100, "2024-02-01")]
    assert reports.average_daily_usage(log, "warfarin", "2024-01-31") == 56 / 28
    assert reports.average_daily_usage(log, "warfarin", "2024-01-31", 1) == 28
    for bad in (0, -1):
        with pytest.raises(ValueError):
            reports.average_daily_usage(log, "warfarin", "2024-01-31", bad)


def test_stock_out_report_ordering_and_extra_drugs():
    batches = [batch("W1", "warfarin", 10, "2025-01-01"),
               batch("A1", "aspirin", 100, "2025-01-01"),
               batch("G1", "Gabapentin 300mg", 50, "2025-01-01"),
               batch("D1", "digoxin", 50, "2024-01-20")]
    log = [rec("A", "P1", "warfarin", 28, "2024-01-20"),
           rec("B", "P1", "aspirin", 28, "2024-01-20"),
           rec("C", "P1", "digoxin", 28, "2024-01-10")]
    snapshot = copy.deepcopy(batches)
    rows = reports.stock_out_report(batches, log, "2024-01-28")
    assert batches == snapshot
    assert len(rows) == len(drugs.FORMULARY) + 1
    by = {r["drug"]: r for r in rows}
    assert by["digoxin"]["status"] == "OUT" and by["digoxin"]["on_hand"] == 0
    assert by["warfarin"] == {"drug": "warfarin", "on_hand": 10, "daily_usage": 1.0,
                              "days_cover": 10.0, "status": "OK"}
    assert by["gabapentin"]["status"] == "OK" and by["gabapentin"]["days_cover"] is None
    assert rows[0]["drug"] == "digoxin"
    outs = [r["drug"] for r in rows if r["status"] == "OUT"]
    assert outs == ["digoxin"] + sorted(d for d in drugs.FORMULARY
                                        if d not in ("digoxin", "warfarin", "aspirin"))
    oks = [r for r in rows if r["status"] == "OK"]
    assert [r["drug"] for r in oks] == ["warfarin", "aspirin", "gabapentin"]
    low = reports.stock_out_report(batches, log, "2024-01-28", reorder_days=11)
    assert {r["drug"]: r["status"] for r in low}["warfarin"] == "LOW"


def test_stock_out_report_random_against_reference():
    rng = random.Random(3)
    names = ["warfarin", "aspirin", "metformin", "digoxin"]
    start = date(2024, 1, 1)
    batches = [batch(f"B{i}", rng.choice(names), rng.randint(1, 50),
                     (start + timedelta(days=rng.randint(1, 60))).isoformat())
               for i in range(40)]
    log = [rec(f"R{i}", "P1", rng.choice(names), rng.randint(1, 30),
               (start + timedelta(days=rng.randint(0, 59))).isoformat()) for i in range(200)]
    for offset in (5, 20, 40):
        today = start + timedelta(days=offset)
        rows = reports.stock_out_report(batches, log, today.isoformat(), lookback_days=14)
        by = {r["drug"]: r for r in rows}
        for name in names:
            on_hand = sum(b["qty"] for b in batches if b["drug"] == name
                          and date.fromisoformat(b["expiry"]) > today)
            used = sum(r["quantity"] for r in log if r["drug"] == name
                       and today - timedelta(days=13) <= date.fromisoformat(r["date"]) <= today)
            assert by[name]["on_hand"] == on_hand
            assert by[name]["daily_usage"] == round(used / 14, 2)
            if used:
                assert by[name]["days_cover"] == round(on_hand / (used / 14), 1)
        text = reports.format_stock_report(rows, today)
        assert len(text.splitlines()) == len(rows) + 1


def test_full_workflow_is_repeatable():
    def run():
        rng = random.Random(99)
        batches = []
        stock.receive_delivery(batches, [(f"B{i}", rng.choice(list(drugs.FORMULARY)),
                                          rng.randint(20, 200), "2024-12-31")
                                         for i in range(60)], "2024-01-01")
        log = []
        statuses = []
        rxs = [make_rx(rx_id=f"RX{i}", patient_id=f"P{i % 7}",
                       drug=rng.choice(list(drugs.FORMULARY)), frequency="OD",
                       quantity=rng.choice([7, 14, 28]), refills=3) for i in range(40)]
        for day in range(30):
            today = (date(2024, 1, 2) + timedelta(days=day)).isoformat()
            for rx in rng.sample(rxs, 6):
                statuses.append(prescriptions.dispense_prescription(rx, batches, log, today))
        return statuses, batches, log
    a = run()
    assert a == run()
    assert sum(1 for s in a[0] if s["status"] == "dispensed") == len(a[2])
