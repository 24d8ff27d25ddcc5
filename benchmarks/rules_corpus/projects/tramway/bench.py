"""Deterministic workload for tramway: build a city, plan journeys, price them, read boards,
and summarise a punctuality log."""

import hashlib
import random
from datetime import time, timedelta

from tramway import (
    DepartureBoard,
    FareTable,
    JourneyPlanner,
    Line,
    Mode,
    Network,
    PunctualityLog,
    Rider,
    Stop,
    to_time,
    to_timedelta,
)

ROWS, COLS = 8, 10
JOURNEYS = 6
BOARDS = 16
OBSERVATIONS = 70


def stop_id(r, c):
    return f"S{r:02d}{c:02d}"


def build_network(rng):
    net = Network()
    centre_r, centre_c = ROWS // 2, COLS // 2
    for r in range(ROWS):
        for c in range(COLS):
            zone = 1 + max(abs(r - centre_r), abs(c - centre_c)) // 2
            net.add_stop(Stop(stop_id(r, c), f"Row {r} / Col {c}", zone))
    lines = []
    for r in range(ROWS):
        stops = [stop_id(r, c) for c in range(COLS)]
        runs = [rng.randint(2, 4) for _ in range(COLS - 1)]
        lines.append(Line(f"T{r}", Mode.TRAM, stops, runs))
        lines.append(Line(f"T{r}R", Mode.TRAM, stops[::-1], runs[::-1]))
    for c in range(COLS):
        stops = [stop_id(r, c) for r in range(ROWS)]
        runs = [rng.randint(2, 5) for _ in range(ROWS - 1)]
        lines.append(Line(f"B{c}", Mode.BUS, stops, runs))
        lines.append(Line(f"B{c}R", Mode.BUS, stops[::-1], runs[::-1]))
    for line in lines:
        headway = rng.choice([15, 20, 30])
        first = time(6, rng.randint(0, headway - 1))
        line.add_trips_every(first, time(22, 0), headway)
        net.add_line(line)
    for r in range(ROWS - 1):
        for c in range(COLS - 1):
            if rng.random() < 0.5:
                net.add_walk(stop_id(r, c), stop_id(r + 1, c + 1), rng.randint(5, 12))
    return net


def random_stop(rng):
    return stop_id(rng.randrange(ROWS), rng.randrange(COLS))


def main():
    rng = random.Random(20240611)
    net = build_network(rng)
    digest = hashlib.sha256()

    planner = JourneyPlanner(net, transfer_minutes=2, max_walk_minutes=10)
    fares = FareTable(net, [(1, 240), (2, 310), (3, 380), (5, 470)], validity_minutes=60,
                      bus_discount=20)
    found = transfers = total_minutes = revenue = 0
    for _ in range(JOURNEYS):
        origin, destination = random_stop(rng), random_stop(rng)
        if origin == destination:
            continue
        depart = time(rng.randint(6, 20), rng.randrange(60))
        journey = planner.earliest_arrival(origin, destination, depart)
        if journey is None:
            digest.update(b"none")
            continue
        found += 1
        transfers += journey.transfers
        total_minutes += int(journey.duration.total_seconds() // 60)
        for rider in Rider:
            revenue += fares.price(journey, rider)
        digest.update(journey.summary().encode())

    reach_total = 0
    for _ in range(1):
        reach = planner.reachable(random_stop(rng), time(rng.randint(7, 18), 0), 30)
        reach_total += len(reach)
        digest.update(repr(sorted(reach.items())).encode())

    board_lines = 0
    for _ in range(BOARDS):
        board = DepartureBoard(net, random_stop(rng))
        text = board.render(time(rng.randint(5, 22), rng.randrange(60)), count=6)
        board_lines += text.count("\n")
        digest.update(text.encode())
        some_line = next(iter(net.lines_at(board.stop_id))).line_id
        gaps = board.headways(some_line)
        digest.update(repr(gaps[:5]).encode())

    log = PunctualityLog(net)
    lines = net.lines
    for _ in range(OBSERVATIONS):
        line = rng.choice(lines)
        trip = rng.choice(list(line))
        stop = rng.choice(line.stops)
        scheduled = to_timedelta(trip.time_at(stop))
        late = timedelta(seconds=rng.choice([-90, -30, 0, 0, 30, 60, 120, 240, 420, 900]))
        log.record(trip.trip_id, stop, to_time(scheduled + late))
    report = log.report()
    for stats in report:
        digest.update(f"{stats.name} {stats.mean:.3f} {stats.on_time_ratio:.3f} "
                      f"{stats.percentile(90):.2f} {stats.worst:.2f}".encode())
    worst = log.worst_stops(5)
    digest.update(repr(worst).encode())

    print(f"stops={len(net)} lines={len(lines)} journeys={found} transfers={transfers} "
          f"minutes={total_minutes} revenue={revenue}")
    print(f"reachable={reach_total} board_lines={board_lines} observations={len(log)} "
          f"lines_reported={len(report)} worst_stop={worst[0][0]}")
    print(f"digest={digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
