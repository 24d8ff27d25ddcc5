"""Workload: a day of web-shop parcels; quotes, consolidation, manifest and carrier invoice.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from parcels import Parcel, consolidate, manifest, quote_all
from parcels.shipping import invoice_lines

STREETS = ["Main St.", "Hauptstr.", "Oak Ave", "Station Rd", "Mill Lane", "Church St",
           "Bahnhofstr", "High Street", "Park Ave.", "Rose Rd."]
CITIES = ["Berlin", "Hamburg", "London", "Munich", "Cologne", "Leeds"]
POSTCODES = ["10115", "12043", "20095", "40210", "50667", "80331", "90402", "SW1A 1AA",
             "EC1A 1BB", "W1A 0AX", "N1 9GU", "E1 6AN", "30159", "70173", "60311", "01067",
             "ZZ9 9ZZ"]


def variant(rng: random.Random, address: str) -> str:
    if rng.random() < 0.3:
        address = address.upper()
    if rng.random() < 0.3:
        address = address.replace(" ", "  ")
    if rng.random() < 0.3:
        address = address.replace(",", " ,")
    return "  " + address if rng.random() < 0.2 else address


def main() -> None:
    rng = random.Random(99)
    doors = []
    for _ in range(300):
        number = f"{rng.randint(1, 200)}{rng.choice(['', '', ' b', 'a'])}"
        doors.append(
            (f"{number} {rng.choice(STREETS)}, Apt {rng.randint(1, 30)}, {rng.choice(CITIES)}",
             rng.choice(POSTCODES))
        )
    parcels = []
    for i in range(2000):
        address, postcode = rng.choice(doors)
        weight = round(rng.choice([0.3, 1.2, 2.0, 4.5, 7.0, 12.0, 25.0, 40.0]) *
                       rng.uniform(0.8, 1.0), 2)
        parcels.append(Parcel(f"P{i:06d}", f"Customer {rng.randint(1, 900)}",
                              variant(rng, address), postcode, weight, rng.random() < 0.15))
    quotes = quote_all(parcels)
    groups = consolidate(parcels)
    lines = manifest(parcels)
    invoice = invoice_lines(parcels)
    accepted = [q for q in quotes.values() if q is not None]
    print(f"{len(parcels)} parcels, {len(accepted)} accepted, revenue {sum(accepted):.2f}")
    print(f"{len(groups)} stops, largest {max(len(g) for g in groups)}")
    print(f"manifest {len(lines)} lines, totals {[ln for ln in lines if '|TOTAL|' in ln][:4]}")
    print(f"invoice {invoice[-1]}")
    digest = hashlib.sha256("\n".join(lines + invoice).encode()).hexdigest()[:16]
    print(f"manifest+invoice sha256 {digest}")


if __name__ == "__main__":
    main()
