"""Prescriptions, dosage schedules, refill eligibility and dispensing."""

import math

from .dates import add_days, format_date, parse_date
from .drugs import check_new_drug, drug_info, normalize_drug_name
from .stock import StockError, dispense_stock

FREQUENCIES = {
    "od": 1, "once daily": 1, "daily": 1, "mane": 1, "nocte": 1, "on": 1, "at night": 1,
    "bd": 2, "twice daily": 2, "tds": 3, "three times daily": 3,
    "qds": 4, "four times daily": 4, "weekly": 1 / 7, "once weekly": 1 / 7,
}

NUMBER_WORDS = {"half": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

VALIDITY_DAYS = 183            # an ordinary prescription is valid for six months
CONTROLLED_VALIDITY_DAYS = 28  # controlled drugs: 28 days from issue
EARLY_REFILL_FRACTION = 0.75   # may refill once 75% of the last supply should be used
ACTIVE_WINDOW_DAYS = 90        # a drug filled within this many days counts as current

REQUIRED_FIELDS = ("rx_id", "patient_id", "drug", "dose", "frequency", "quantity", "issued")


def parse_dose(dose):
    """Units per dose from text like "2 tablets", "1/2 tablet", "one capsule" or 1.5."""
    if isinstance(dose, (int, float)):
        value = float(dose)
    else:
        first = str(dose).strip().lower().split(" ")[0] if str(dose).strip() else ""
        try:
            if first in NUMBER_WORDS:
                value = float(NUMBER_WORDS[first])
            elif "/" in first:
                num, den = first.split("/")
                value = float(num) / float(den)
            else:
                value = float(first)
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"cannot read dose: {dose!r}") from exc
    if value <= 0:
        raise ValueError(f"dose must be positive: {dose!r}")
    return value


def doses_per_day(frequency):
    """Doses per day from "BD", "twice daily", "every 8 hours" and similar."""
    text = " ".join(str(frequency).lower().replace(".", "").split())
    if text in FREQUENCIES:
        return FREQUENCIES[text]
    if text.startswith("every ") and text.endswith(" hours"):
        hours = text.split()[1]
        if hours.isdigit() and 0 < int(hours) <= 24:
            return 24 / int(hours)
    raise ValueError(f"unknown frequency: {frequency!r}")


def daily_units(rx):
    return parse_dose(rx["dose"]) * doses_per_day(rx["frequency"])


def days_supply(rx):
    """Whole days one fill of the prescription lasts (at least 1)."""
    return max(1, int(rx["quantity"] / daily_units(rx)))


def validate_prescription(rx):
    """A checked, normalised copy of the prescription dict; raises ValueError if bad."""
    missing = [f for f in REQUIRED_FIELDS if f not in rx]
    if missing:
        raise ValueError(f"prescription missing fields: {', '.join(missing)}")
    clean = dict(rx)
    try:
        clean["drug"] = normalize_drug_name(rx["drug"])
        clean["quantity"] = int(rx["quantity"])
        clean["issued"] = format_date(rx["issued"])
        clean["refills"] = int(rx.get("refills", 0))
        per_day = daily_units(clean)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"invalid prescription {rx.get('rx_id')}: {exc}") from exc
    if clean["quantity"] <= 0:
        raise ValueError(f"invalid prescription {rx['rx_id']}: quantity must be positive")
    if clean["refills"] < 0:
        raise ValueError(f"invalid prescription {rx['rx_id']}: negative refills")
    try:
        info = drug_info(clean["drug"])
    except KeyError:
        info = None
    if info is not None and per_day > info["max_daily"]:
        raise ValueError(f"invalid prescription {rx['rx_id']}: {per_day:g} {info['unit']}s "
                         f"a day exceeds the maximum of {info['max_daily']}")
    clean["controlled"] = bool(info and info["controlled"])
    return clean


def fills_for(log, rx_id):
    """Log records for one prescription, oldest first."""
    records = [rec for rec in log if rec["rx_id"] == rx_id]
    records.sort(key=lambda rec: parse_date(rec["date"]))
    return records


def last_fill_date(log, rx_id):
    records = fills_for(log, rx_id)
    if not records:
        return None
    return parse_date(records[-1]["date"])


def refill_status(rx, log, on_date):
    """(eligible, reason, earliest_date) for filling rx on on_date; earliest_date is the
    first date a fill is allowed (None if it never will be again)."""
    rx = validate_prescription(rx)
    today = parse_date(on_date)
    issued = parse_date(rx["issued"])
    validity = CONTROLLED_VALIDITY_DAYS if rx["controlled"] else VALIDITY_DAYS
    expires = add_days(issued, validity)
    if today < issued:
        return False, "not yet issued", issued
    if today > expires:
        return False, "prescription expired", None
    used = len(fills_for(log, rx["rx_id"]))
    allowed = 1 + rx["refills"]
    if used >= allowed:
        return False, "no refills remaining", None
    last = last_fill_date(log, rx["rx_id"])
    if last is None:
        return True, "first fill", issued
    wait = math.ceil(days_supply(rx) * EARLY_REFILL_FRACTION)
    earliest = add_days(last, wait)
    if earliest > expires:
        return False, "prescription expired", None
    if today < earliest:
        return False, "too early", earliest
    return True, "refill due", earliest


def active_medications(log, patient_id, on_date, window=ACTIVE_WINDOW_DAYS):
    """Drugs filled for the patient in the window days up to on_date, first filled first."""
    today = parse_date(on_date)
    start = add_days(today, -window)
    drugs = []
    for rec in log:
        filled = parse_date(rec["date"])
        if rec["patient_id"] == patient_id and start <= filled <= today:
            if rec["drug"] not in drugs:
                drugs.append(rec["drug"])
    return drugs


def dispense_prescription(rx, batches, log, on_date):
    """Try to fill rx on on_date; on success take stock from batches and append to log.

    Returns a dict of rx_id, status ("dispensed", "refused", "hold", "out of stock"), reason,
    interactions and batches taken. A major interaction holds the fill unless rx["override"].
    """
    result = {"rx_id": rx.get("rx_id"), "status": "refused", "reason": "",
              "interactions": [], "batches": []}
    try:
        clean = validate_prescription(rx)
    except ValueError as exc:
        result["reason"] = str(exc)
        return result
    eligible, reason, _ = refill_status(clean, log, on_date)
    result["reason"] = reason
    if not eligible:
        return result
    current = [d for d in active_medications(log, clean["patient_id"], on_date)
               if d != clean["drug"]]
    hits = check_new_drug(clean["drug"], current)
    result["interactions"] = hits
    if any(h["severity"] == "major" for h in hits) and not rx.get("override"):
        result["status"] = "hold"
        result["reason"] = "major interaction: " + ", ".join(
            f"{h['drug_a']}+{h['drug_b']}" for h in hits if h["severity"] == "major")
        return result
    try:
        taken = dispense_stock(batches, clean["drug"], clean["quantity"], on_date)
    except StockError as exc:
        result["status"] = "out of stock"
        result["reason"] = str(exc)
        return result
    log.append({"rx_id": clean["rx_id"], "patient_id": clean["patient_id"],
                "drug": clean["drug"], "quantity": clean["quantity"],
                "date": format_date(on_date), "batches": taken})
    result["status"] = "dispensed"
    result["batches"] = taken
    return result
