"""Workload: three simulated days at a service counter (600 customers each, shifts, VIPs).

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from simqueue import Customer, Simulation, VipCustomer

N_CUSTOMERS = 600


def make_customers(rng: random.Random) -> list[Customer]:
    customers = []
    t = 0.0
    for cid in range(N_CUSTOMERS):
        t += rng.expovariate(1 / 0.9)
        service = 0.5 + rng.expovariate(1 / 2.2)
        kind = VipCustomer if rng.random() < 0.1 else Customer
        customers.append(kind(cid, round(t, 3), round(service, 3)))
    return customers


def main() -> None:
    rng = random.Random(88)
    scenarios = [
        ("three desks", [("a", 1.0), ("b", 1.0), ("c", 0.8)], [(200, "b", "close"),
                                                              (260, "b", "open")]),
        ("two fast desks", [("a", 1.3), ("b", 1.2)], []),
        ("lunch rota", [("a", 1.0), ("b", 1.0), ("c", 1.0)], [(120, "a", "close"),
                                                             (180, "a", "open"),
                                                             (180, "c", "close"),
                                                             (240, "c", "open")]),
    ]
    reports = []
    for name, desks, shifts in scenarios:
        sim = Simulation(desks, make_customers(rng), shifts)
        report = sim.run()
        reports.append(report)
        print(f"{name}: served {report['served']}, mean wait {report['mean_wait']:.3f}, "
              f"p90 {report['p90_wait']:.3f}, max queue {report['max_queue']}")
    partial = Simulation([("a", 1.0), ("b", 1.0)], make_customers(rng)).run(until=300)
    print(f"partial day: served {partial['served']}, still waiting {partial['waiting']}")
    digest = hashlib.sha256(repr((reports, partial)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
