"""Deterministic workload for the ferry package: build a week of sailings,
take bookings, find connections and print the daily operations reports."""

import hashlib
import random
from datetime import date, datetime, timedelta

from ferry import CapacityError, DailyReport, Timetable, earliest_arrival, reachable_ports

PORTS = [
    ("OBN", "Oban", 25), ("CRN", "Craignure", 15), ("TOB", "Tobermory", 15),
    ("COL", "Coll", 10), ("TIR", "Tiree", 10), ("CSB", "Castlebay", 20),
    ("LBD", "Lochboisdale", 20), ("MAL", "Mallaig", 25), ("ARM", "Armadale", 15),
]
# (port, port, distance in nautical miles, base fare in cents)
LINKS = [
    ("OBN", "CRN", 9, 450), ("OBN", "TOB", 24, 900), ("OBN", "COL", 48, 1350),
    ("COL", "TIR", 12, 500), ("OBN", "CSB", 89, 2100), ("CSB", "LBD", 21, 800),
    ("MAL", "ARM", 5, 350), ("MAL", "LBD", 62, 1700), ("TOB", "COL", 26, 950),
    ("TIR", "CSB", 55, 1500), ("CRN", "TOB", 18, 650), ("MAL", "TOB", 38, 1200),
]
VEHICLES = [None, None, None, "car", "car", "van", "motorcycle", "bicycle", "car+caravan",
            "truck"]
FIRST_DAY = date(2024, 6, 12)
DAYS = 3


def build(rng):
    tt = Timetable()
    for code, name, transfer in PORTS:
        tt.add_port(code, name, transfer)
    for a, b, nm, fare in LINKS:
        speed = rng.choice([14.0, 16.0, 18.5])
        tt.add_route(a, b, nm, fare, speed)
        tt.add_route(b, a, nm, fare, speed)
    for i, (a, b, _nm, _fare) in enumerate(LINKS):
        name = f"MV Isle {i + 1}"
        tt.add_vessel(name, rng.choice([250, 400, 600]), rng.choice([60, 90, 140]),
                      rng.choice([15, 20, 30]))
        crossing = tt.route(a, b).duration
        for d in range(DAYS):
            when = datetime.combine(FIRST_DAY + timedelta(days=d), datetime.min.time())
            when += timedelta(hours=6, minutes=rng.randrange(0, 60, 5))
            here, there = a, b
            while when.hour < 21 and when.date() == FIRST_DAY + timedelta(days=d):
                tt.schedule(here, there, name, when)
                slack = rng.randrange(30, 90, 5)
                when += crossing + timedelta(minutes=slack)
                here, there = there, here
    return tt


def take_bookings(tt, rng, attempts):
    made = rejected = 0
    ids = [s.sailing_id for s in tt.sailings]
    for _ in range(attempts):
        adults = rng.choice([1, 1, 2, 2, 2, 3, 4])
        children = rng.choice([0, 0, 0, 1, 2])
        vehicle = rng.choice(VEHICLES)
        sailing_id = rng.choice(ids)
        try:
            if rng.random() < 0.3:
                out = tt.sailing(sailing_id)
                later = out.departure.date() + timedelta(days=rng.choice([0, 1, 2]))
                back = [s for s in tt.departures(out.destination.code, later)
                        if s.destination == out.origin and s.departure > out.arrival]
                if not back:
                    tt.book(sailing_id, adults, children, vehicle)
                    made += 1
                    continue
                tt.book_return(sailing_id, rng.choice(back).sailing_id, adults, children,
                               vehicle)
                made += 2
            else:
                tt.book(sailing_id, adults, children, vehicle)
                made += 1
        except CapacityError:
            rejected += 1
    cancelled = 0
    for booking in list(tt.bookings):
        if rng.random() < 0.07:
            tt.cancel(booking.ref)
            cancelled += 1
    return made, rejected, cancelled


def main():
    rng = random.Random(20240612)
    tt = build(rng)
    made, rejected, cancelled = take_bookings(tt, rng, 1000)
    for sailing in tt.sailings:
        if rng.random() < 0.25:
            tt.record_delay(sailing.sailing_id, rng.choice([3, 8, 12, 25, 40, 75]))
    digest = hashlib.sha256()

    codes = [p.code for p in tt.ports]
    found = 0
    total_minutes = 0
    for _ in range(12):
        a, b = rng.sample(codes, 2)
        start = datetime.combine(FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
                                 datetime.min.time()) + timedelta(hours=rng.randrange(6, 14))
        journey = earliest_arrival(tt, a, b, start, passengers=rng.choice([1, 2, 4]))
        digest.update(repr(journey).encode())
        if journey is not None:
            found += 1
            total_minutes += int((journey.arrival - start).total_seconds() // 60)
            digest.update(str(journey.fare(2, 1, "car")).encode())
    reach = reachable_ports(tt, "OBN", datetime.combine(FIRST_DAY, datetime.min.time()))
    digest.update(repr(sorted(reach.items())).encode())

    revenue = 0
    for d in range(DAYS):
        report = DailyReport(tt, FIRST_DAY + timedelta(days=d))
        text = report.render()
        digest.update(text.encode())
        digest.update(repr(report.load_factors()).encode())
        revenue += report.summary()["revenue_cents"]

    grid = 0
    for route in tt.routes:
        for hour in (8, 16):
            for d in range(0, 200, 40):
                when = datetime(2024, 1, 5, hour) + timedelta(days=d)
                for vehicle in VEHICLES[2:]:
                    grid += tt.fares.quote(route, when, 2, 1, vehicle)

    print(f"ports {len(tt.ports)} routes {len(tt.routes)} sailings {len(tt.sailings)}")
    print(f"bookings {made} rejected {rejected} cancelled {cancelled}")
    print(f"journeys found {found} total minutes {total_minutes} reachable {len(reach)}")
    print(f"revenue cents {revenue} fare grid {grid}")
    print(f"digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
