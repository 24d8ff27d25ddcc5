"""Workload: Monday's room requests for a large office; allocation, agendas and utilization.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from roomsched import Calendar, Request, Room, allocate
from roomsched.stats import busiest_hour, utilization
from roomsched.timeutil import format_time

FEATURES = ["projector", "video", "whiteboard", "phone"]


def main() -> None:
    rng = random.Random(8)
    rooms = [
        Room(f"R{i:02d}", rng.choice([2, 4, 4, 6, 8, 12, 20]),
             rng.sample(FEATURES, rng.randint(0, 3)))
        for i in range(30)
    ]
    calendar = Calendar(rooms)
    requests = []
    for i in range(900):
        start = rng.randrange(7 * 4, 21 * 4) * 15
        length = rng.choice([15, 30, 30, 45, 60, 60, 90, 120])
        end = min(start + length, 22 * 60)
        requests.append(Request(f"meeting {i}", f"user{rng.randrange(120)}", format_time(start),
                                format_time(end), rng.choice([1, 2, 3, 4, 6, 10]),
                                rng.sample(FEATURES, rng.randint(0, 1)), rng.random() < 0.5))
    booked, refused = allocate(calendar, requests)
    usage = utilization(calendar)
    hour = busiest_hour(calendar)
    agendas = [line for owner in ("user1", "user2", "user3") for line in calendar.agenda(owner)]
    digest = hashlib.sha256("\n".join(b.describe() for b in calendar.bookings).encode())
    print(f"booked {len(booked)}, refused {len(refused)}")
    print(f"usage top {sorted(usage.items(), key=lambda kv: -kv[1])[:4]}")
    print(f"busiest hour {hour}")
    print(f"agenda lines {len(agendas)}: {agendas[:2]}")
    print(f"calendar sha256 {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
