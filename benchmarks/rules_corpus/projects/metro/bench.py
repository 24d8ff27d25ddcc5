"""Deterministic workload: build a synthetic city feed as text tables and query it."""

from __future__ import annotations

import random
import zlib
from datetime import date

import metro

SEED = 20240311
GRID_ROWS = 18
GRID_COLS = 20
N_ROUTES = 7
STOPS_PER_ROUTE = 12
LAT0, LON0 = 52.300, 4.800
DLAT, DLON = 0.0027, 0.0044

WEEKDAY_PROFILE = [(5, 30), (7, 20), (9, 40), (16, 20), (18, 40), (21, 60)]
SATURDAY_PROFILE = [(6, 60), (9, 40), (19, 60)]
SUNDAY_PROFILE = [(7, 60), (19, 90)]
END_OF_SERVICE = 24 * 60 + 30


def _stop_id(r, c):
    return f"S{r:02d}{c:02d}"


def build_tables(rng):
    stops = []
    coords = {}
    for r in range(GRID_ROWS):
        for c in range(GRID_COLS):
            lat = LAT0 + r * DLAT + rng.uniform(-0.0006, 0.0006)
            lon = LON0 + c * DLON + rng.uniform(-0.0009, 0.0009)
            coords[(r, c)] = (lat, lon)
            stops.append([_stop_id(r, c), f"Street {r}/{c}", f"{lat:.6f}", f"{lon:.6f}"])

    routes, trips, stop_times = [], [], []
    services = [("WK", WEEKDAY_PROFILE), ("SA", SATURDAY_PROFILE), ("SU", SUNDAY_PROFILE)]
    for n in range(N_ROUTES):
        route_id = f"R{n + 1:02d}"
        horizontal = n % 2 == 0
        lane = 2 + (n // 2) * 4 + rng.randint(-1, 1)
        r, c = (lane, rng.randint(0, 1)) if horizontal else (rng.randint(0, 1), lane)
        path = [(r, c)]
        while len(path) < STOPS_PER_ROUTE:
            along = rng.choice([1, 2, 2])
            across = rng.choice([-1, 0, 0, 0, 1])
            nr, nc = (r + across, c + along) if horizontal else (r + along, c + across)
            if not (0 <= nr < GRID_ROWS and 0 <= nc < GRID_COLS):
                break
            r, c = nr, nc
            path.append((r, c))
        route_type = 0 if n % 3 == 0 else 3
        first_name = f"Street {path[0][0]}/{path[0][1]}"
        last_name = f"Street {path[-1][0]}/{path[-1][1]}"
        routes.append([route_id, str(n + 1), f"{first_name} - {last_name}", route_type])
        hops = [rng.randint(70, 160) for _ in range(len(path) - 1)]
        for direction in (0, 1):
            seq_cells = path if direction == 0 else path[::-1]
            seq_hops = hops if direction == 0 else hops[::-1]
            headsign = last_name if direction == 0 else first_name
            for service_id, profile in services:
                minute = profile[0][0] * 60 + rng.randint(0, 9)
                k = 0
                while minute < END_OF_SERVICE:
                    gap = next(g for h, g in reversed(profile) if minute >= h * 60)
                    trip_id = f"{route_id}-{service_id}-{direction}-{k:03d}"
                    trips.append([route_id, service_id, trip_id, headsign, direction])
                    t = minute * 60
                    for seq, cell in enumerate(seq_cells, start=1):
                        dwell = 0 if seq in (1, len(seq_cells)) else rng.choice([0, 0, 20, 30])
                        arr = metro.format_time(t)
                        dep = metro.format_time(t + dwell)
                        stop_times.append([trip_id, arr, dep, _stop_id(*cell), seq])
                        t += dwell
                        if seq <= len(seq_hops):
                            t += seq_hops[seq - 1]
                    minute += gap
                    k += 1

    calendar = [
        ["WK", 1, 1, 1, 1, 1, 0, 0, "20240301", "20240630"],
        ["SA", 0, 0, 0, 0, 0, 1, 0, "20240301", "20240630"],
        ["SU", 0, 0, 0, 0, 0, 0, 1, "20240301", "20240630"],
    ]
    calendar_dates = []
    for holiday in ("20240401", "20240427", "20240509", "20240520"):
        calendar_dates.append(["WK", holiday, 2])
        calendar_dates.append(["SA", holiday, 2])
        calendar_dates.append(["SU", holiday, 1])
    return {
        "stops": metro.dump_table(["stop_id", "stop_name", "stop_lat", "stop_lon"], stops),
        "routes": metro.dump_table(
            ["route_id", "route_short_name", "route_long_name", "route_type"], routes
        ),
        "trips": metro.dump_table(
            ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"], trips
        ),
        "stop_times": metro.dump_table(
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times
        ),
        "calendar": metro.dump_table(
            ["service_id", *metro.timeutil.WEEKDAY_NAMES, "start_date", "end_date"], calendar
        ),
        "calendar_dates": metro.dump_table(["service_id", "date", "exception_type"],
                                           calendar_dates),
    }


def crc(obj) -> str:
    return f"{zlib.crc32(repr(obj).encode()):08x}"


def main() -> None:
    rng = random.Random(SEED)
    tables = build_tables(rng)
    feed = metro.load_feed(tables)
    print("feed", feed.summary())

    transfers = metro.walking_transfers(feed, max_distance=350.0)
    print("transfers", len(transfers), crc(transfers))

    served = sorted({st.stop_id for st in feed.stop_times})
    board_stops = rng.sample(served, 16)
    days = [date(2024, 3, 12), date(2024, 3, 16), date(2024, 4, 1)]
    for day in days:
        boards = metro.departure_boards(feed, board_stops, day, after=7 * 3600 + 1800, limit=8)
        late = metro.departure_boards(feed, board_stops[:4], day, after=0, limit=4, window=3600)
        n = sum(len(v) for v in boards.values()) + sum(len(v) for v in late.values())
        print("boards", day.isoformat(), n, crc(boards), crc(late))
        report = metro.headway_report(feed, day)
        busy = sum(row.trips for row in report)
        text = metro.format_headways(report) + metro.format_board(feed, board_stops[0],
                                                                 boards[board_stops[0]])
        print("headways", day.isoformat(), busy, crc(report), crc(text))

    for day in days[:2]:
        scanner = metro.ConnectionScanner(feed, day, transfers)
        journeys = []
        for _ in range(12):
            origin, target = rng.sample(served, 2)
            depart = rng.randrange(6 * 3600, 20 * 3600, 60)
            journeys.append(scanner.earliest_arrival(origin, target, depart))
        found = [j for j in journeys if j is not None]
        total = sum(j.duration for j in found)
        rides = sum(j.rides for j in found)
        print("journeys", day.isoformat(), len(found), total, rides, crc(journeys))
        reach = scanner.reachable(board_stops[0], 8 * 3600, deadline=9 * 3600)
        print("reach", day.isoformat(), len(reach), crc(reach))


if __name__ == "__main__":
    main()
