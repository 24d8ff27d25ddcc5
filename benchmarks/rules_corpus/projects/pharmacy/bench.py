"""Deterministic workload: a few months of a community pharmacy's dispensing."""

import hashlib
import random
from datetime import date, timedelta

from pharmacy import drugs, prescriptions, reports, stock

SEED = 20240601
START = date(2024, 1, 1)
DAYS = 35
PATIENTS = 90
VISITS_PER_DAY = 7

SPELLINGS = {
    "metformin": ["Metformin HCl 500mg", "metformin hydrochloride", "METFORMIN 500 mg tablets"],
    "warfarin": ["Warfarin Sodium 1mg", "warfarin", "Warfarin  sodium tablets"],
    "amlodipine": ["Amlodipine Besylate 5mg", "amlodipine besilate", "Amlodipine"],
    "sertraline": ["Sertraline Hydrochloride 50 mg", "sertraline"],
    "citalopram": ["Citalopram Hydrobromide 20mg", "citalopram"],
    "tramadol": ["Tramadol HCl 50mg capsules", "tramadol hydrochloride"],
    "codeine": ["Codeine Phosphate 30mg", "codeine"],
    "levothyroxine": ["Levothyroxine Sodium 100 mcg", "thyroxine"],
    "paracetamol": ["Paracetamol 500mg", "acetaminophen", "PARACETAMOL tablets"],
    "lithium": ["Lithium Carbonate 400mg", "lithium"],
    "atorvastatin": ["Atorvastatin Calcium 20mg", "atorvastatin"],
}

DOSES = ["1 tablet", "1 tablet", "2 tablets", "one tablet", "1/2 tablet"]
FREQS = ["OD", "od", "BD", "b.d.", "TDS", "once daily", "twice daily", "nocte",
         "every 12 hours", "every 8 hours", "QDS"]


def spelling(rng, name):
    return rng.choice(SPELLINGS.get(name, [name, name.title()]))


def build_stock(rng, names):
    lines = []
    for name in names:
        for k in range(rng.randint(3, 6)):
            expiry = START + timedelta(days=rng.randint(10, 400))
            lines.append((f"B-{name[:4].upper()}-{k:03d}", spelling(rng, name),
                          rng.choice([56, 84, 112, 168, 224]), expiry.isoformat()))
    return lines


PROFILES = [
    ["warfarin", "amlodipine", "simvastatin", "aspirin", "clopidogrel", "lisinopril",
     "spironolactone", "digoxin", "amiodarone", "atorvastatin", "omeprazole"],
    ["sertraline", "citalopram", "tramadol", "lithium", "omeprazole", "ibuprofen",
     "paracetamol", "codeine"],
    ["ibuprofen", "naproxen", "paracetamol", "codeine", "tramadol", "prednisolone",
     "methotrexate", "omeprazole"],
    ["metformin", "atorvastatin", "lisinopril", "levothyroxine", "aspirin", "prednisolone",
     "salbutamol", "trimethoprim", "ciprofloxacin", "clarithromycin"],
]


def build_prescriptions(rng, names):
    rxs = []
    for p in range(PATIENTS):
        patient = f"P{p:04d}"
        profile = rng.choice(PROFILES)
        for _ in range(rng.randint(3, 7)):
            name = rng.choice(profile) if rng.random() < 0.85 else rng.choice(names)
            dose, freq = rng.choice(DOSES), rng.choice(FREQS)
            units = prescriptions.daily_units({"dose": dose, "frequency": freq})
            if units > drugs.FORMULARY[name]["max_daily"] and rng.random() < 0.9:
                dose, freq = "1 tablet", "OD"
            rxs.append({
                "rx_id": f"RX{len(rxs):05d}",
                "patient_id": patient,
                "drug": spelling(rng, name),
                "dose": dose,
                "frequency": freq,
                "quantity": rng.choice([14, 28, 28, 56, 84]),
                "issued": (START + timedelta(days=rng.randint(-60, DAYS - 10))).isoformat(),
                "refills": rng.randint(0, 5),
                "override": rng.random() < 0.15,
            })
    return rxs


def main():
    rng = random.Random(SEED)
    names = sorted(drugs.FORMULARY)
    batches = []
    stock.receive_delivery(batches, build_stock(rng, names), START.isoformat())
    rxs = build_prescriptions(rng, names)
    log = []
    digest = hashlib.sha256()
    counts = {}
    delivery_no = 0
    for day_no in range(DAYS):
        today = (START + timedelta(days=day_no)).isoformat()
        ready = [rx for rx in rxs if rx["issued"] <= today or rng.random() < 0.01]
        for rx in rng.sample(ready, min(VISITS_PER_DAY, len(ready))):
            result = prescriptions.dispense_prescription(rx, batches, log, today)
            counts[result["status"]] = counts.get(result["status"], 0) + 1
            digest.update(repr(sorted(result.items())).encode())
        digest.update(reports.daily_dispensing_report(log, today).encode())
        if day_no % 7 == 6:
            rows = reports.stock_out_report(batches, log, today)
            digest.update(reports.format_stock_report(rows, today).encode())
            reorder = [r["drug"] for r in rows if r["status"] != "OK"]
            lines = []
            for name in reorder:
                delivery_no += 1
                expiry = date.fromisoformat(today) + timedelta(days=rng.randint(60, 500))
                lines.append((f"D{delivery_no:05d}", spelling(rng, name),
                              rng.choice([112, 224, 336]), expiry.isoformat()))
            stock.receive_delivery(batches, lines, today)
    histories = []
    for p in range(PATIENTS):
        rows = reports.medication_history(log, f"P{p:04d}")
        histories.append(reports.format_history(f"P{p:04d}", rows))
    digest.update("\n".join(histories).encode())
    final = reports.stock_out_report(batches, log, (START + timedelta(days=DAYS)).isoformat())
    digest.update(repr(final).encode())
    print(f"prescriptions: {len(rxs)}  batches: {len(batches)}  log records: {len(log)}")
    print("outcomes: " + ", ".join(f"{k}={counts[k]}" for k in sorted(counts)))
    print(f"units dispensed: {sum(rec['quantity'] for rec in log)}")
    print(f"stock out/low at end: {sum(1 for r in final if r['status'] != 'OK')}")
    print(f"digest: {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
