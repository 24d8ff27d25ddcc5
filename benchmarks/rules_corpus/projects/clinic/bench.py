"""Workload: a clinic with 1500 patients, 4000 appointments, a triage of 3000 arrivals.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from clinic import Appointment, Clinic, Patient

NAMES = ["ada", "bo", "cyra", "dag", "eli", "fen", "gus", "hal", "ines", "jo"]


def main() -> None:
    rng = random.Random(2024)
    clinic = Clinic()
    for i in range(1500):
        name = rng.choice(NAMES) + " " + rng.choice(NAMES)
        clinic.admit(Patient(f"P{i:05d}", name, rng.randint(1930, 2020), rng.randint(1, 5)))
    for j in range(4000):
        pid = f"P{rng.randint(0, 1600):05d}"
        fee = f"{rng.randint(20, 200)}.{rng.randint(0, 99):02d}"
        clinic.book(Appointment(j, pid, rng.randint(0, 40), fee))
    bill = clinic.bill()
    print(f"{len(bill)} billed; top {sorted(bill.items(), key=lambda kv: -kv[1])[:2]}")
    arrivals = [f"P{rng.randint(0, 1499):05d}" for _ in range(3000)]
    served = clinic.triage(arrivals)
    print(f"served first {served[:4]}")
    visits = clinic.visits_per_patient()
    print(f"busiest {max(visits, key=lambda v: v[1])}")
    digest = hashlib.sha256(repr((sorted(bill.items()), served, visits)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
