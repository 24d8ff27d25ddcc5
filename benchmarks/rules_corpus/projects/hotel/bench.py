"""Workload: a 45-room hotel over two early-summer months with a few hundred bookings.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from hotel import (
    arrivals,
    assign_rooms,
    availability_calendar,
    available_rooms,
    busiest_nights,
    conflicts,
    format_revenue,
    kpis,
    occupancy_by_night,
    occupancy_by_type,
    overbooking,
    revenue_by_night,
    revenue_by_type,
    search,
    validate_booking,
)

START = date(2024, 5, 1)
DAYS = 50
ROOM_TYPES = [
    {"code": "SGL", "name": "Single", "capacity": 1},
    {"code": "DBL", "name": "Double", "capacity": 2},
    {"code": "TWN", "name": "Twin", "capacity": 2},
    {"code": "FAM", "name": "Family", "capacity": 4},
    {"code": "STE", "name": "Suite", "capacity": 3},
]
TYPE_WEIGHTS = [("SGL", 8), ("DBL", 18), ("TWN", 10), ("FAM", 6), ("STE", 3)]
PLANS = [
    {"code": "BAR", "prices": {"SGL": 89.0, "DBL": 129.0, "TWN": 125.0, "FAM": 189.0,
                               "STE": 289.0},
     "weekday_factors": {"fri": 1.15, "sat": 1.25},
     "seasons": [{"name": "spring", "start": "2024-05-01", "end": "2024-05-31", "factor": 0.95},
                 {"name": "festival", "start": "2024-06-14", "end": "2024-06-17", "factor": 1.6},
                 {"name": "summer", "start": "2024-06-18", "end": "2024-08-31", "factor": 1.3}]},
    {"code": "NRF", "prices": {"SGL": 79.0, "DBL": 115.0, "TWN": 112.0, "FAM": 169.0},
     "weekday_factors": {"sat": 1.2}, "min_nights": 2,
     "seasons": [{"name": "summer", "start": "2024-06-14", "end": "2024-08-31", "factor": 1.25}]},
    {"code": "LONG", "prices": {"SGL": 85.0, "DBL": 122.0, "TWN": 120.0, "FAM": 180.0,
                                "STE": 270.0},
     "min_nights": 5, "long_stay": {"nights": 7, "pct": 12},
     "seasons": [{"name": "summer", "start": "2024-07-01", "end": "2024-08-31", "factor": 1.2}]},
    {"code": "CORP", "prices": {"SGL": 82.0, "DBL": 110.0},
     "weekday_factors": {"sat": 0.9, "sun": 0.9}},
]


def iso(day: date) -> str:
    return day.isoformat()


def make_rooms(rng: random.Random) -> list[dict]:
    rooms = []
    number = 0
    for code, count in TYPE_WEIGHTS:
        for _ in range(count):
            floor = 1 + number // 12
            rooms.append({"id": f"{floor}{number % 12 + 1:02d}", "type": code, "floor": floor,
                          "out_of_service": rng.random() < 0.04})
            number += 1
    rng.shuffle(rooms)
    return rooms


def make_bookings(rng: random.Random, rooms: list[dict], count: int) -> list[dict]:
    taken: set[tuple[str, date]] = set()
    codes = [code for code, weight in TYPE_WEIGHTS for _ in range(weight)]
    bookings = []
    for n in range(count):
        code = rng.choice(codes)
        arrive = START + timedelta(days=rng.randrange(-5, DAYS))
        length = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, 7, 8, 10])
        leave = arrive + timedelta(days=length)
        plan = rng.choice(["BAR", "BAR", "NRF", "LONG", "CORP"])
        if plan == "CORP" and code not in ("SGL", "DBL"):
            plan = "BAR"
        if plan == "NRF" and (length < 2 or code == "STE"):
            plan = "BAR"
        if plan == "LONG" and length < 5:
            plan = "BAR"
        capacity = next(t["capacity"] for t in ROOM_TYPES if t["code"] == code)
        status = rng.choice(["confirmed"] * 8 + ["checked_out", "cancelled", "tentative"])
        room_id = None
        if rng.random() < 0.5:
            nights = [arrive + timedelta(days=i) for i in range(length)]
            for room in rooms:
                if room["type"] == code and not any((room["id"], d) in taken for d in nights):
                    room_id = room["id"]
                    taken.update((room_id, d) for d in nights)
                    break
        bookings.append({"id": f"B{n:04d}", "room_id": room_id, "room_type": code,
                         "guests": rng.randint(1, capacity), "check_in": iso(arrive),
                         "check_out": iso(leave), "status": status, "rate_plan": plan})
    return bookings


def main() -> None:
    rng = random.Random(2024)
    rooms = make_rooms(rng)
    bookings = make_bookings(rng, rooms, 280)
    for booking in bookings:
        validate_booking(booking, rooms, ROOM_TYPES)
    start, end = iso(START), iso(START + timedelta(days=DAYS))

    placed = assign_rooms(bookings, rooms)
    unplaced = sorted(b for b, r in placed.items() if r is None)
    print(f"{len(rooms)} rooms, {len(bookings)} bookings, {len(placed)} to place, "
          f"{len(unplaced)} without a room")
    merged = [dict(b, room_id=placed.get(b["id"], b["room_id"])) for b in bookings]
    clashes = conflicts(merged)

    nightly = occupancy_by_night(merged, rooms, start, end)
    top = busiest_nights(nightly, top=3)
    print(f"busiest {[(row['night'], row['occupied']) for row in top]}")
    by_type = occupancy_by_type(merged, rooms, start, end)
    print(f"occupancy by type {[(code, v['pct']) for code, v in by_type.items()]}")
    figures = kpis(merged, rooms, PLANS, start, end)
    print(f"kpis {figures}")
    revenue_text = format_revenue(revenue_by_night(merged, PLANS, start, end))
    per_type = revenue_by_type(merged, PLANS, start, end)
    over = overbooking(merged, rooms, start, end)
    print(f"overbooked type-nights {len(over)}, clashes {len(clashes)}")
    calendar = availability_calendar(rooms, merged, start, end)

    offers = []
    free_lists = []
    for _ in range(12):
        arrive = START + timedelta(days=rng.randrange(DAYS - 10))
        leave = arrive + timedelta(days=rng.choice([1, 2, 3, 5, 7]))
        guests = rng.choice([1, 2, 2, 3])
        offers.append(search(rooms, ROOM_TYPES, merged, PLANS, iso(arrive), iso(leave), guests))
        free_lists.append(available_rooms(rooms, ROOM_TYPES, merged, iso(arrive), iso(leave),
                                          guests))
    print(f"offers per search {[len(found) for found in offers]}, "
          f"cheapest {min((o['total'], o['room_type']) for found in offers for o in found)}")
    arriving = [len(arrivals(merged, iso(START + timedelta(days=d)))) for d in range(0, DAYS, 7)]
    print(f"weekly arrivals {arriving}")

    digest = hashlib.sha256(repr((unplaced, clashes, nightly, by_type, figures, revenue_text,
                                  per_type, over, calendar, offers, free_lists,
                                  arriving)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
