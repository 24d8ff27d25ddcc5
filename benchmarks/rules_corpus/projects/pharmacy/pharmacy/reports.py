"""Patient medication histories, daily dispensing reports and stock-out reports."""

from .dates import add_days, format_date, parse_date
from .drugs import FORMULARY, normalize_drug_name
from .stock import stock_on_hand

STATUS_ORDER = {"OUT": 0, "LOW": 1, "OK": 2}
REORDER_DAYS = 7


def medication_history(log, patient_id):
    """One row per drug the patient has had: drug, first_fill, last_fill, fills and
    total_quantity. Most recently filled first, ties by drug name."""
    rows = []
    for rec in log:
        if rec["patient_id"] != patient_id:
            continue
        row = None
        for existing in rows:
            if existing["drug"] == rec["drug"]:
                row = existing
        if row is None:
            row = {"drug": rec["drug"], "first_fill": rec["date"], "last_fill": rec["date"],
                   "fills": 0, "total_quantity": 0}
            rows.append(row)
        if parse_date(rec["date"]) < parse_date(row["first_fill"]):
            row["first_fill"] = rec["date"]
        if parse_date(rec["date"]) > parse_date(row["last_fill"]):
            row["last_fill"] = rec["date"]
        row["fills"] += 1
        row["total_quantity"] += rec["quantity"]
    rows.sort(key=lambda r: r["drug"])
    rows.sort(key=lambda r: parse_date(r["last_fill"]), reverse=True)
    return rows


def format_history(patient_id, rows):
    lines = [f"Medication history for {patient_id}"] + ([] if rows else ["  (none dispensed)"])
    for row in rows:
        lines.append(f"  {row['drug']:<22} {row['fills']:>3} fills {row['total_quantity']:>6} "
                     f"units  {row['first_fill']} to {row['last_fill']}")
    return "\n".join(lines)


def daily_totals(log, day):
    """{drug: (fills, units)} for the records dispensed on day, in drug name order."""
    target = parse_date(day)
    names = []
    fills = []
    units = []
    for rec in log:
        if parse_date(rec["date"]) != target:
            continue
        if rec["drug"] in names:
            idx = names.index(rec["drug"])
            fills[idx] += 1
            units[idx] += rec["quantity"]
        else:
            names.append(rec["drug"])
            fills.append(1)
            units.append(rec["quantity"])
    totals = {}
    for name in sorted(names):
        idx = names.index(name)
        totals[name] = (fills[idx], units[idx])
    return totals


def daily_dispensing_report(log, day):
    """Text report of what was dispensed on day."""
    totals = daily_totals(log, day)
    report = f"Dispensing report for {format_date(day)}\n{'Drug':<22} {'Fills':>5} {'Units':>7}\n"
    all_fills = 0
    all_units = 0
    for drug, (fills, units) in totals.items():
        report += f"{drug:<22} {fills:>5} {units:>7}\n"
        all_fills += fills
        all_units += units
    report += f"{'TOTAL':<22} {all_fills:>5} {all_units:>7}\n"
    return report


def average_daily_usage(log, drug, on_date, lookback_days=28):
    """Mean units of drug dispensed per day over the lookback_days before on_date
    (on_date itself included)."""
    if lookback_days <= 0:
        raise ValueError("lookback_days must be positive")
    target = normalize_drug_name(drug)
    end = parse_date(on_date)
    start = add_days(end, -(lookback_days - 1))
    total = 0
    for rec in log:
        filled = parse_date(rec["date"])
        if start <= filled <= end and normalize_drug_name(rec["drug"]) == target:
            total += rec["quantity"]
    return total / lookback_days


def stock_out_report(batches, log, on_date, lookback_days=28, reorder_days=REORDER_DAYS):
    """Per formulary (or stocked) drug: on_hand, daily_usage, days_cover (None without usage)
    and status OUT (none usable), LOW (cover < reorder_days) or OK; sorted by status, cover,
    drug."""
    drugs = list(FORMULARY.keys())
    for batch in batches:
        name = normalize_drug_name(batch["drug"])
        if name not in drugs:
            drugs.append(name)
    rows = []
    for drug in drugs:
        on_hand = stock_on_hand(batches, drug, on_date)
        usage = average_daily_usage(log, drug, on_date, lookback_days)
        cover = on_hand / usage if usage > 0 else None
        if on_hand == 0:
            status = "OUT"
        elif cover is not None and cover < reorder_days:
            status = "LOW"
        else:
            status = "OK"
        rows.append({"drug": drug, "on_hand": on_hand, "daily_usage": round(usage, 2),
                     "days_cover": None if cover is None else round(cover, 1),
                     "status": status})
    rows.sort(key=lambda r: (STATUS_ORDER[r["status"]],
                             r["days_cover"] if r["days_cover"] is not None else float("inf"),
                             r["drug"]))
    return rows


def format_stock_report(rows, on_date):
    lines = [f"Stock report {format_date(on_date)}"]
    for row in rows:
        cover = "-" if row["days_cover"] is None else f"{row['days_cover']:.1f}d"
        lines.append(
            f"{row['status']:<4} {row['drug']:<22} on hand {row['on_hand']:>6}  "
            f"use/day {row['daily_usage']:>7.2f}  cover {cover:>7}"
        )
    return "\n".join(lines)
