"""Workload: a day's timetable of eight hub-and-spoke airlines over 48 airports.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from flights import FlightNetwork, format_minutes

HUBS = ["FRA", "LHR", "CDG", "AMS", "MAD", "IST"]
SPOKES = [
    "ATH", "BCN", "BER", "BRU", "BUD", "CPH", "DUB", "EDI", "GVA", "HAM", "HEL", "KRK",
    "LIS", "LYS", "MAN", "MUC", "MXP", "NCE", "OPO", "OSL", "OTP", "PMI", "PRG", "RIX",
    "SOF", "STR", "SVQ", "TLL", "VCE", "VIE", "VNO", "WAW", "ZAG", "ZRH", "BOD", "BLQ",
    "FCO", "GOT", "NAP", "SPU", "TRN", "VLC",
]
AIRLINES = [("LH", "FRA", "MUC"), ("BA", "LHR", "EDI"), ("AF", "CDG", "LYS"),
            ("KL", "AMS", "BRU"), ("IB", "MAD", "BCN"), ("TK", "IST", "ATH"),
            ("SK", "CPH", "OSL"), ("LX", "ZRH", "GVA")]


def clock(minutes: int) -> str:
    return format_minutes(minutes)


def build(rng: random.Random) -> FlightNetwork:
    net = FlightNetwork()
    for code in HUBS + SPOKES:
        net.add_airport(code, f"{code.title()} International", rng.choice([25, 35, 45, 60]))
    for airline, hub, second in AIRLINES:
        serial = 100
        spokes = rng.sample([c for c in HUBS + SPOKES if c not in (hub, second)], 22)
        for base in (hub, second):
            for spoke in spokes if base == hub else spokes[:8]:
                block = rng.randint(55, 190)
                fare = rng.randint(40, 260)
                for _wave in range(rng.randint(2, 5)):
                    for origin, dest in ((base, spoke), (spoke, base)):
                        dep = rng.randrange(5 * 60, 22 * 60, 5)
                        arr = dep + block + rng.choice([-5, 0, 0, 5, 10])
                        serial += 1
                        price = max(19, fare + rng.randint(-30, 60))
                        if serial % 3:
                            net.add_flight(f"{airline}{serial}", origin, dest, dep, arr, price)
                        else:
                            net.add_flight(f"{airline}{serial}", origin, dest, clock(dep),
                                           clock(arr), price)
    return net


def main() -> None:
    rng = random.Random(2718)
    net = build(rng)
    codes = [a[0] for a in net.airports]
    print(f"{len(net.airports)} airports, {len(net.flights)} flights")
    pairs = [tuple(rng.sample(codes, 2)) for _ in range(40)]
    fastest = [net.earliest_arrival(a, b, rng.randrange(6 * 60, 12 * 60)) for a, b in pairs]
    cheap = [net.cheapest(a, b, rng.randrange(5 * 60, 10 * 60)) for a, b in pairs[:24]]
    print(f"fastest found {sum(1 for r in fastest if r)}, cheapest found "
          f"{sum(1 for r in cheap if r)}, total fare {sum(r[2] for r in cheap if r)}")
    options = [net.alternatives(a, b, k=4, depart_after=6 * 60, max_legs=3)
               for a, b in pairs[:10]]
    print(f"alternatives {[len(o) for o in options]}")
    text = [net.describe(r) for r in fastest if r]
    print(text[0][-1])
    report = net.airline_report()
    hubs = net.hub_stats(top=8)
    print(f"report {len(report)} lines, hubs {[(h[0], h[4]) for h in hubs[:4]]}")
    ripple = []
    for _ in range(4):
        late = {rng.choice(net.flights)[0]: rng.choice([20, 45, 90]) for _ in range(12)}
        ripple.append(net.propagate_delays(late, max_hold=30))
    print(f"knock-on {[(len(d), len(b)) for d, b in ripple]}")
    for flight in rng.sample(net.flights, 30):
        net.retime(flight[0], rng.choice([-30, 15, 40]) if flight[3] >= 30 else 15)
    again = [net.earliest_arrival(a, b, 6 * 60) for a, b in pairs[:15]]
    print(f"after retiming {sum(1 for r in again if r)} found")
    digest = hashlib.sha256(
        repr((fastest, cheap, options, text, report, hubs, ripple, again)).encode()
    ).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
