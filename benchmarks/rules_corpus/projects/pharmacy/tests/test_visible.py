import pytest

from pharmacy import drugs, prescriptions, reports, stock


def make_rx(**overrides):
    rx = {"rx_id": "RX1", "patient_id": "P1", "drug": "Metformin HCl 500mg",
          "dose": "1 tablet", "frequency": "BD", "quantity": 56, "issued": "2024-01-01",
          "refills": 2}
    rx.update(overrides)
    return rx


def sample_batches():
    batches = []
    stock.receive_delivery(batches, [
        ("B1", "Metformin HCl", 30, "2024-06-30"),
        ("B2", "metformin hydrochloride 500 mg", 40, "2024-03-31"),
        ("B3", "Warfarin Sodium", 100, "2025-01-31"),
    ], "2024-01-01")
    return batches


def test_normalize_drug_name_strips_salts_strength_and_case():
    assert drugs.normalize_drug_name("Metformin HCl 500mg") == "metformin"
    assert drugs.normalize_drug_name("  Amlodipine   Besylate 5 mg tablets") == "amlodipine"
    assert drugs.normalize_drug_name("Warfarin Sodium") == "warfarin"


def test_normalize_drug_name_synonyms():
    assert drugs.normalize_drug_name("Acetaminophen 500mg") == "paracetamol"
    assert drugs.normalize_drug_name("Albuterol") == "salbutamol"


def test_normalize_drug_name_errors():
    with pytest.raises(ValueError):
        drugs.normalize_drug_name("   ")
    with pytest.raises(TypeError):
        drugs.normalize_drug_name(42)


def test_find_interactions_major_pair():
    hits = drugs.find_interactions(["Warfarin 1mg", "Aspirin 75mg"])
    assert hits == [{"drug_a": "warfarin", "drug_b": "aspirin", "severity": "major",
                     "note": "increased bleeding risk"}]


def test_find_interactions_sorted_by_severity():
    hits = drugs.find_interactions(["aspirin", "ibuprofen", "warfarin"])
    assert [h["severity"] for h in hits] == ["major", "major", "minor"]
    assert hits[-1]["drug_a"] == "aspirin" and hits[-1]["drug_b"] == "ibuprofen"


def test_find_interactions_none():
    assert drugs.find_interactions(["paracetamol", "omeprazole", "metformin"]) == []


def test_check_new_drug_only_reports_new_drug_pairs():
    hits = drugs.check_new_drug("Naproxen", ["warfarin", "aspirin", "ibuprofen"])
    pairs = {(h["drug_a"], h["drug_b"]) for h in hits}
    assert pairs == {("naproxen", "warfarin"), ("naproxen", "ibuprofen")}


def test_parse_dose_and_frequency():
    assert prescriptions.parse_dose("2 tablets") == 2
    assert prescriptions.parse_dose("1/2 tablet") == 0.5
    assert prescriptions.parse_dose("one capsule") == 1
    assert prescriptions.doses_per_day("TDS") == 3
    assert prescriptions.doses_per_day("every 6 hours") == 4
    with pytest.raises(ValueError):
        prescriptions.doses_per_day("sometimes")


def test_days_supply():
    assert prescriptions.days_supply(make_rx()) == 28
    assert prescriptions.days_supply(make_rx(dose="2 tablets", frequency="TDS",
                                             quantity=84)) == 14


def test_validate_prescription_rejects_overdose():
    with pytest.raises(ValueError):
        prescriptions.validate_prescription(make_rx(drug="clopidogrel", frequency="BD"))


def test_receive_delivery_rejects_duplicate_batch():
    batches = sample_batches()
    with pytest.raises(ValueError):
        stock.receive_delivery(batches, [("B1", "aspirin", 10, "2025-01-01")], "2024-01-02")
    assert len(batches) == 3


def test_dispense_stock_earliest_expiry_first():
    batches = sample_batches()
    taken = stock.dispense_stock(batches, "metformin", 50, "2024-02-01")
    assert taken == [("B2", 40), ("B1", 10)]
    assert stock.stock_on_hand(batches, "Metformin", "2024-02-01") == 20


def test_dispense_stock_skips_expired_batches():
    batches = sample_batches()
    taken = stock.dispense_stock(batches, "metformin", 10, "2024-04-01")
    assert taken == [("B1", 10)]


def test_dispense_stock_insufficient():
    batches = sample_batches()
    with pytest.raises(stock.StockError):
        stock.dispense_stock(batches, "metformin", 71, "2024-02-01")
    assert [b["qty"] for b in batches] == [30, 40, 100]


def test_refill_status_sequence():
    rx = make_rx(refills=1)
    log = []
    assert prescriptions.refill_status(rx, log, "2024-01-05")[:2] == (True, "first fill")
    log.append({"rx_id": "RX1", "patient_id": "P1", "drug": "metformin", "quantity": 56,
                "date": "2024-01-05", "batches": []})
    ok, reason, earliest = prescriptions.refill_status(rx, log, "2024-01-20")
    assert (ok, reason) == (False, "too early")
    assert earliest.isoformat() == "2024-01-26"
    assert prescriptions.refill_status(rx, log, "2024-01-26")[:2] == (True, "refill due")
    log.append(dict(log[0], date="2024-01-30"))
    assert prescriptions.refill_status(rx, log, "2024-03-01")[:2] == (
        False, "no refills remaining")


def test_refill_status_expired():
    ok, reason, _ = prescriptions.refill_status(make_rx(), [], "2024-08-01")
    assert not ok and reason == "prescription expired"


def test_dispense_prescription_success_appends_log():
    batches = sample_batches()
    log = []
    result = prescriptions.dispense_prescription(make_rx(quantity=56), batches, log,
                                                 "2024-02-01")
    assert result["status"] == "dispensed"
    assert result["batches"] == [("B2", 40), ("B1", 16)]
    assert log[0]["drug"] == "metformin" and log[0]["date"] == "2024-02-01"


def test_dispense_prescription_hold_and_override():
    batches = sample_batches()
    stock.receive_delivery(batches, [("A1", "Aspirin", 100, "2025-01-01")], "2024-01-01")
    log = [{"rx_id": "RX9", "patient_id": "P1", "drug": "warfarin", "quantity": 28,
            "date": "2024-01-20", "batches": []}]
    rx = make_rx(rx_id="RX2", drug="Aspirin 75mg", dose="1 tablet", frequency="OD",
                 quantity=28)
    result = prescriptions.dispense_prescription(rx, batches, log, "2024-02-01")
    assert result["status"] == "hold"
    assert len(log) == 1
    rx["override"] = True
    result = prescriptions.dispense_prescription(rx, batches, log, "2024-02-01")
    assert result["status"] == "dispensed"
    assert result["interactions"][0]["severity"] == "major"


def test_dispense_prescription_out_of_stock():
    batches = sample_batches()
    log = []
    result = prescriptions.dispense_prescription(make_rx(drug="Ibuprofen", frequency="TDS"),
                                                 batches, log, "2024-02-01")
    assert result["status"] == "out of stock"
    assert log == []


def test_active_medications_window():
    log = [
        {"rx_id": "A", "patient_id": "P1", "drug": "warfarin", "quantity": 1,
         "date": "2023-09-01"},
        {"rx_id": "B", "patient_id": "P1", "drug": "aspirin", "quantity": 1,
         "date": "2024-01-10"},
        {"rx_id": "C", "patient_id": "P2", "drug": "digoxin", "quantity": 1,
         "date": "2024-01-10"},
    ]
    assert prescriptions.active_medications(log, "P1", "2024-02-01") == ["aspirin"]


def test_medication_history():
    log = [
        {"rx_id": "A", "patient_id": "P1", "drug": "warfarin", "quantity": 28,
         "date": "2024-01-01"},
        {"rx_id": "B", "patient_id": "P1", "drug": "aspirin", "quantity": 14,
         "date": "2024-01-15"},
        {"rx_id": "A", "patient_id": "P1", "drug": "warfarin", "quantity": 28,
         "date": "2024-01-29"},
    ]
    rows = reports.medication_history(log, "P1")
    assert [r["drug"] for r in rows] == ["warfarin", "aspirin"]
    assert rows[0]["fills"] == 2 and rows[0]["total_quantity"] == 56
    assert rows[0]["first_fill"] == "2024-01-01"


def test_daily_dispensing_report_text():
    log = [
        {"rx_id": "A", "patient_id": "P1", "drug": "warfarin", "quantity": 28,
         "date": "2024-01-01"},
        {"rx_id": "B", "patient_id": "P2", "drug": "aspirin", "quantity": 14,
         "date": "2024-01-01"},
        {"rx_id": "C", "patient_id": "P3", "drug": "aspirin", "quantity": 28,
         "date": "2024-01-01"},
        {"rx_id": "D", "patient_id": "P3", "drug": "aspirin", "quantity": 28,
         "date": "2024-01-02"},
    ]
    text = reports.daily_dispensing_report(log, "2024-01-01")
    lines = text.splitlines()
    assert lines[0] == "Dispensing report for 2024-01-01"
    assert lines[2].split() == ["aspirin", "2", "42"]
    assert lines[3].split() == ["warfarin", "1", "28"]
    assert lines[4].split() == ["TOTAL", "3", "70"]


def test_stock_out_report_statuses():
    batches = sample_batches()
    log = [{"rx_id": "A", "patient_id": "P1", "drug": "metformin", "quantity": 56,
            "date": "2024-01-20"}]
    rows = reports.stock_out_report(batches, log, "2024-01-28")
    by_drug = {r["drug"]: r for r in rows}
    assert by_drug["metformin"]["status"] == "OK"
    assert by_drug["metformin"]["daily_usage"] == 2.0
    assert by_drug["metformin"]["days_cover"] == 35.0
    assert by_drug["aspirin"]["status"] == "OUT"
    assert rows[0]["status"] == "OUT"
    assert by_drug["warfarin"]["days_cover"] is None


def test_format_stock_report_lines():
    rows = [{"drug": "aspirin", "on_hand": 0, "daily_usage": 1.5, "days_cover": 0.0,
             "status": "OUT"}]
    text = reports.format_stock_report(rows, "2024-01-01")
    assert text.splitlines()[0] == "Stock report 2024-01-01"
    assert "aspirin" in text and "OUT" in text
