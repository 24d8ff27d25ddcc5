import copy
import math
import random
import statistics
from datetime import date, timedelta

import pytest

import metro

DAY = 24 * 3600
TUESDAY = date(2024, 3, 12)
SATURDAY = date(2024, 3, 16)
SUNDAY = date(2024, 3, 17)
MONDAY = date(2024, 3, 18)

CAL_HEADER = ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
              "start_date,end_date")


# ---------------------------------------------------------------------------
# random feed generator and independent oracles
# ---------------------------------------------------------------------------


def random_feed_data(seed, n_stops=36, n_routes=7, trips_per_route=14):
    rng = random.Random(seed)
    stops = []
    for i in range(n_stops):
        stops.append((f"s{i:02d}", 52.0 + rng.uniform(0, 0.02), 4.0 + rng.uniform(0, 0.03)))
    routes = []
    for i in range(n_routes):
        # short names collide on purpose so ties are broken by trip id
        routes.append((f"r{i}", str(rng.randint(1, 4)), rng.choice([0, 3])))
    services = ["WK", "SA", "SU", "EX"]
    trips = []
    stop_times = []
    for route_id, _, _ in routes:
        pattern = rng.sample([s[0] for s in stops], rng.randint(2, 7))
        hops = [rng.randrange(60, 601, 30) for _ in pattern[1:]]
        for k in range(trips_per_route):
            direction = k % 2
            seq_stops = pattern if direction == 0 else pattern[::-1]
            seq_hops = hops if direction == 0 else hops[::-1]
            trip_id = f"{route_id}t{k:02d}"
            service = rng.choice(services)
            trips.append((trip_id, route_id, service, f"to {seq_stops[-1]}", direction))
            t = rng.randrange(5 * 3600, 26 * 3600, 60)
            for n, stop_id in enumerate(seq_stops):
                dwell = rng.choice([0, 0, 30, 60])
                stop_times.append((trip_id, stop_id, n + 1, t, t + dwell))
                t += dwell
                if n < len(seq_hops):
                    t += seq_hops[n]
    calendars = [
        ("WK", (1, 1, 1, 1, 1, 0, 0), "20240101", "20241231"),
        ("SA", (0, 0, 0, 0, 0, 1, 0), "20240101", "20241231"),
        ("SU", (0, 0, 0, 0, 0, 0, 1), "20240101", "20240630"),
    ]
    exceptions = [("WK", "20240312", 2), ("EX", "20240312", 1), ("EX", "20240316", 1),
                  ("SU", "20240318", 1), ("SA", "20240316", 2)]
    return stops, routes, trips, stop_times, calendars, exceptions


def tables_from_data(data, shuffle_seed=None):
    stops, routes, trips, stop_times, calendars, exceptions = data
    stop_rows = [[sid, f"Stop {sid}", repr(lat), repr(lon)] for sid, lat, lon in stops]
    route_rows = [[rid, name, f"Route {rid}", kind] for rid, name, kind in routes]
    trip_rows = [[route, svc, tid, head, d] for tid, route, svc, head, d in trips]
    st_rows = [[tid, metro.format_time(a), metro.format_time(b), sid, seq]
               for tid, sid, seq, a, b in stop_times]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(st_rows)
    cal_rows = [[sid, *flags, start, end] for sid, flags, start, end in calendars]
    return {
        "stops": metro.dump_table(["stop_id", "stop_name", "stop_lat", "stop_lon"], stop_rows),
        "routes": metro.dump_table(["route_id", "route_short_name", "route_long_name",
                                    "route_type"], route_rows),
        "trips": metro.dump_table(["route_id", "service_id", "trip_id", "trip_headsign",
                                   "direction_id"], trip_rows),
        "stop_times": metro.dump_table(["trip_id", "arrival_time", "departure_time", "stop_id",
                                        "stop_sequence"], st_rows),
        "calendar": metro.dump_table(CAL_HEADER.split(","), cal_rows),
        "calendar_dates": metro.dump_table(["service_id", "date", "exception_type"],
                                           [list(e) for e in exceptions]),
    }


def oracle_active(data, service_id, day):
    _, _, _, _, calendars, exceptions = data
    stamp = day.strftime("%Y%m%d")
    for sid, when, kind in exceptions:
        if sid == service_id and when == stamp:
            return kind == 1
    for sid, flags, start, end in calendars:
        if sid == service_id:
            return start <= stamp <= end and flags[day.weekday()] == 1
    return False


def oracle_board(data, stop_id, day, after, limit, window):
    _, routes, trips, stop_times, _, _ = data
    route_name = {rid: name for rid, name, _ in routes}
    trip_info = {tid: (route, svc) for tid, route, svc, _, _ in trips}
    rows = []
    for tid, sid, _, _, dep in stop_times:
        if sid != stop_id:
            continue
        route, svc = trip_info[tid]
        for service_day, offset in ((day, 0), (day - timedelta(days=1), DAY)):
            when = dep - offset
            if when < 0 or when < after:
                continue
            if window is not None and when >= after + window:
                continue
            if oracle_active(data, svc, service_day):
                rows.append((when, route_name[route], tid, service_day))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows if limit is None else rows[:limit]


def oracle_trip_sequences(data, day):
    _, _, trips, stop_times, _, _ = data
    running = {tid for tid, _, svc, _, _ in trips if oracle_active(data, svc, day)}
    by_trip = {}
    for tid, sid, seq, arr, dep in stop_times:
        if tid in running:
            by_trip.setdefault(tid, []).append((seq, sid, arr, dep))
    return {tid: [(s, a, d) for _, s, a, d in sorted(rows)] for tid, rows in by_trip.items()}


def oracle_reach(sequences, origin, depart):
    best = {origin: depart}
    changed = True
    while changed:
        changed = False
        for rows in sequences.values():
            on = False
            for stop_id, arr, dep in rows:
                if on and arr < best.get(stop_id, math.inf):
                    best[stop_id] = arr
                    changed = True
                if not on and best.get(stop_id, math.inf) <= dep:
                    on = True
    return best


def oracle_haversine(a, b):
    r = 6_371_008.8
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp = math.radians(b[1] - a[1])
    dl = math.radians(b[2] - a[2])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, h)))


@pytest.fixture(scope="module")
def rdata():
    return random_feed_data(7)


@pytest.fixture(scope="module")
def rfeed(rdata):
    return metro.load_feed(tables_from_data(rdata, shuffle_seed=3))


def small_tables():
    return {
        "stops": "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,52.0,4.0\nB,Beta,52.001,4.0\n"
                 "C,Gamma,52.05,4.05\n",
        "routes": "route_id,route_short_name,route_long_name,route_type\n"
                  "R9,9,Nine,3\nR10,10,Ten,3\n",
        "trips": "route_id,service_id,trip_id,trip_headsign,direction_id\n"
                 "R9,WK,x2,C,0\nR10,WK,x1,C,0\nR9,WK,x0,C,0\n",
        "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "x2,08:00:00,08:00:00,A,1\nx2,08:20:00,08:20:00,C,2\n"
                      "x1,08:00:00,08:00:00,A,1\nx1,08:25:00,08:25:00,C,2\n"
                      "x0,08:00:00,08:00:00,A,1\nx0,08:30:00,08:30:00,C,2\n",
        "calendar": CAL_HEADER + "\nWK,1,1,1,1,1,0,0,20240101,20241231\n",
    }


@pytest.fixture
def sfeed():
    return metro.load_feed(small_tables())


# ---------------------------------------------------------------------------
# time helpers
# ---------------------------------------------------------------------------


def test_parse_time_limits():
    assert metro.parse_time("47:59:59") == 47 * 3600 + 59 * 60 + 59
    assert metro.parse_time(" 00:00:00 ") == 0
    with pytest.raises(ValueError):
        metro.parse_time("48:00:00")
    with pytest.raises(ValueError):
        metro.parse_time("12:00:60")


def test_parse_time_type_errors():
    for bad in (800, None, 8.0, b"08:00:00"):
        with pytest.raises(TypeError):
            metro.parse_time(bad)


def test_format_time_round_trip_and_errors():
    for seconds in (0, 59, 3600, 86399, 86400, 90061, 172799):
        assert metro.parse_time(metro.format_time(seconds)) == seconds
    with pytest.raises(ValueError):
        metro.format_time(-1)
    with pytest.raises(TypeError):
        metro.format_time(True)
    assert metro.format_clock(2 * DAY + 60) == "00:01+2"
    assert metro.format_duration(0) == "0 min"
    assert metro.format_duration(61) == "2 min"


def test_parse_date():
    assert metro.parse_date("20240229") == date(2024, 2, 29)
    with pytest.raises(ValueError):
        metro.parse_date("2024-02-29")
    with pytest.raises(ValueError):
        metro.parse_date("20240230")
    with pytest.raises(TypeError):
        metro.parse_date(20240229)


# ---------------------------------------------------------------------------
# loader
# ---------------------------------------------------------------------------


def test_loader_matches_generated_data(rdata, rfeed):
    stops, routes, trips, stop_times, calendars, exceptions = rdata
    assert [s.stop_id for s in rfeed.stops] == [s[0] for s in stops]
    assert [(s.lat, s.lon) for s in rfeed.stops] == [(s[1], s[2]) for s in stops]
    assert [(t.trip_id, t.route_id, t.service_id, t.headsign, t.direction_id)
            for t in rfeed.trips] == [tuple(t) for t in trips]
    expected = sorted(stop_times, key=lambda r: (r[0], r[2]))
    assert [(st.trip_id, st.stop_id, st.stop_sequence, st.arrival, st.departure)
            for st in rfeed.stop_times] == expected
    assert len(rfeed.calendars) == len(calendars)
    assert len(rfeed.calendar_dates) == len(exceptions)


def test_loader_does_not_mutate_tables(rdata):
    tables = tables_from_data(rdata)
    before = copy.deepcopy(tables)
    metro.load_feed(tables)
    assert tables == before


def test_loader_same_result_twice(rdata):
    tables = tables_from_data(rdata, shuffle_seed=11)
    assert metro.load_feed(tables) == metro.load_feed(tables)


def test_loader_blank_times_and_bom():
    t = small_tables()
    t["stops"] = "\ufeff" + t["stops"]
    t["stop_times"] = t["stop_times"].replace("x0,08:00:00,08:00:00,A,1", "x0,,08:00:00,A,1")
    t["stop_times"] = t["stop_times"].replace("x0,08:30:00,08:30:00,C,2", "x0,08:30:00,,C,2")
    feed = metro.load_feed(t)
    rows = feed.trip_stop_times("x0")
    assert [(r.arrival, r.departure) for r in rows] == [(28800, 28800), (30600, 30600)]
    assert feed.get_stop("A").name == "Alpha"


def test_loader_header_only_stop_times():
    t = small_tables()
    t["stop_times"] = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    feed = metro.load_feed(t)
    assert feed.stop_times == []
    assert metro.departure_board(feed, "A", TUESDAY) == []


@pytest.mark.parametrize(
    "table,old,new",
    [
        ("stop_times", "x2,08:00:00,08:00:00,A,1", "x2,08:00:00,08:00:00,Z,1"),
        ("stop_times", "x2,08:00:00,08:00:00,A,1", "nope,08:00:00,08:00:00,A,1"),
        ("stop_times", "x2,08:20:00,08:20:00,C,2", "x2,08:20:00,08:10:00,C,2"),
        ("stop_times", "x2,08:20:00,08:20:00,C,2", "x2,07:50:00,07:50:00,C,2"),
        ("stop_times", "x2,08:20:00,08:20:00,C,2", "x2,08:20:00,08:20:00,C,1"),
        ("stop_times", "x2,08:20:00,08:20:00,C,2", "x2,8h20,8h20,C,2"),
        ("stop_times", "x2,08:20:00,08:20:00,C,2", "x2,,,C,2"),
        ("stop_times", "x2,08:20:00,08:20:00,C,2", "x2,08:20:00,08:20:00,C,two"),
        ("trips", "R9,WK,x0,C,0", "R9,WK,x1,C,0"),
        ("trips", "R9,WK,x0,C,0", "R404,WK,x0,C,0"),
        ("stops", "B,Beta,52.001,4.0", "A,Beta,52.001,4.0"),
        ("stops", "B,Beta,52.001,4.0", "B,Beta,95.0,4.0"),
        ("stops", "B,Beta,52.001,4.0", "B,Beta,north,4.0"),
        ("routes", "R10,10,Ten,3", "R9,10,Ten,3"),
        ("calendar", "WK,1,1,1,1,1,0,0", "WK,1,1,1,1,2,0,0"),
        ("calendar", "20240101,20241231", "20241231,20240101"),
    ],
)
def test_loader_rejects_bad_rows(table, old, new):
    t = small_tables()
    assert old in t[table]
    t[table] = t[table].replace(old, new)
    with pytest.raises(metro.FeedError):
        metro.load_feed(t)


def test_loader_missing_pieces():
    t = small_tables()
    del t["trips"]
    with pytest.raises(metro.FeedError):
        metro.load_feed(t)
    t = small_tables()
    del t["calendar"]
    with pytest.raises(metro.FeedError):
        metro.load_feed(t)
    t = small_tables()
    t["stops"] = t["stops"].replace("stop_lat", "latitude")
    with pytest.raises(metro.FeedError):
        metro.load_feed(t)
    t = small_tables()
    t["calendar_dates"] = "service_id,date,exception_type\nWK,20240312,3\n"
    with pytest.raises(metro.FeedError):
        metro.load_feed(t)
    with pytest.raises(TypeError):
        metro.read_table(None)
    with pytest.raises(metro.FeedError):
        metro.read_table("a,b\n1,2,3\n")
    assert metro.read_table("") == []


# ---------------------------------------------------------------------------
# service calendar
# ---------------------------------------------------------------------------


def test_service_active_matches_oracle(rdata, rfeed):
    start = date(2024, 3, 1)
    for offset in range(0, 130, 3):
        day = start + timedelta(days=offset)
        for sid in ("WK", "SA", "SU", "EX", "NONE"):
            assert metro.service_active(rfeed, sid, day) == oracle_active(rdata, sid, day)
        expected = {s for s in ("WK", "SA", "SU", "EX") if oracle_active(rdata, s, day)}
        assert metro.active_services(rfeed, day) == expected


def test_service_bad_day_type(rfeed):
    with pytest.raises(TypeError):
        metro.service_active(rfeed, "WK", "20240312")
    with pytest.raises(TypeError):
        metro.active_services(rfeed, None)
    assert metro.service_days(rfeed, "WK", MONDAY, TUESDAY) == []


# ---------------------------------------------------------------------------
# departure boards
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", [TUESDAY, SATURDAY, SUNDAY, MONDAY])
def test_boards_match_oracle(rdata, rfeed, day):
    stop_ids = [s[0] for s in rdata[0]]
    for after, limit, window in ((0, None, None), (7 * 3600, 5, None), (3600, None, 4 * 3600),
                                 (20 * 3600, 3, 7200)):
        boards = metro.departure_boards(rfeed, stop_ids, day, after, limit, window)
        assert list(boards) == stop_ids
        for sid in stop_ids:
            got = [(d.time, d.route_name, d.trip_id, d.service_date) for d in boards[sid]]
            assert got == oracle_board(rdata, sid, day, after, limit, window)
            single = metro.departure_board(rfeed, sid, day, after, limit, window)
            assert single == boards[sid]


def test_board_ties_broken_by_route_name_then_trip(sfeed):
    board = metro.departure_board(sfeed, "A", TUESDAY, limit=None)
    assert [(d.route_name, d.trip_id) for d in board] == [("10", "x1"), ("9", "x0"), ("9", "x2")]
    assert {d.time for d in board} == {8 * 3600}


def test_board_independent_of_feed_order(rdata):
    a = metro.load_feed(tables_from_data(rdata, shuffle_seed=1))
    stops, routes, trips, stop_times, calendars, exceptions = rdata
    reordered = (stops, routes[::-1], trips[::-1], stop_times, calendars, exceptions)
    b = metro.load_feed(tables_from_data(reordered, shuffle_seed=2))
    for sid in ("s00", "s05", "s17"):
        assert metro.departure_board(a, sid, SATURDAY, limit=None) == \
            metro.departure_board(b, sid, SATURDAY, limit=None)


def test_board_fresh_results_and_no_mutation(rfeed):
    before = copy.deepcopy(rfeed)
    first = metro.departure_board(rfeed, "s03", SATURDAY, limit=None)
    snapshot = list(first)
    first.clear()
    again = metro.departure_board(rfeed, "s03", SATURDAY, limit=None)
    assert again == snapshot
    boards = metro.departure_boards(rfeed, ["s03", "s04"], TUESDAY)
    boards["s03"].append("junk")
    del boards["s04"]
    assert metro.departure_boards(rfeed, ["s03", "s04"], TUESDAY) == {
        "s03": metro.departure_board(rfeed, "s03", TUESDAY),
        "s04": metro.departure_board(rfeed, "s04", TUESDAY),
    }
    assert rfeed == before


def test_board_edge_cases(sfeed):
    assert metro.departure_boards(sfeed, [], TUESDAY) == {}
    assert metro.departure_board(sfeed, "A", TUESDAY, limit=0) == []
    assert metro.departure_board(sfeed, "B", TUESDAY) == []
    assert metro.departure_board(sfeed, "A", SATURDAY) == []
    assert metro.departure_board(sfeed, "A", TUESDAY, after=8 * 3600 + 1) == []
    dup = metro.departure_boards(sfeed, ["C", "C"], TUESDAY)
    assert list(dup) == ["C"] and len(dup["C"]) == 3


@pytest.mark.parametrize(
    "kwargs,exc",
    [
        ({"stop_id": "nope"}, KeyError),
        ({"day": "20240312"}, TypeError),
        ({"after": -1}, ValueError),
        ({"after": 3600.0}, TypeError),
        ({"after": True}, TypeError),
        ({"limit": -1}, ValueError),
        ({"limit": 2.5}, TypeError),
        ({"window": 0}, ValueError),
    ],
)
def test_board_bad_arguments(sfeed, kwargs, exc):
    args = {"stop_id": "A", "day": TUESDAY}
    args.update(kwargs)
    with pytest.raises(exc):
        metro.departure_board(sfeed, **args)
    stop_id = args.pop("stop_id")
    with pytest.raises(exc):
        metro.departure_boards(sfeed, ["A", stop_id], **args)


def test_format_board_empty(sfeed):
    text = metro.format_board(sfeed, "B", [])
    assert text == "Departures from Beta\n  (no departures)"


# ---------------------------------------------------------------------------
# headways
# ---------------------------------------------------------------------------


def test_headways_match_oracle(rdata, rfeed):
    _, routes, trips, stop_times, _, _ = rdata
    for day in (TUESDAY, SATURDAY, SUNDAY):
        report = metro.headway_report(rfeed, day)
        pairs = sorted({(t[1], t[4]) for t in trips})
        assert [(r.route_id, r.direction_id) for r in report] == pairs
        for row in report:
            firsts = []
            for tid, rid, svc, _, direction in trips:
                if rid == row.route_id and direction == row.direction_id \
                        and oracle_active(rdata, svc, day):
                    firsts.append(min((seq, dep) for t, _, seq, _, dep in stop_times
                                      if t == tid)[1])
            firsts.sort()
            assert metro.route_departures(rfeed, row.route_id, day, row.direction_id) == firsts
            assert row.trips == len(firsts)
            gaps = [b - a for a, b in zip(firsts, firsts[1:])]
            if gaps:
                assert row.min_gap == min(gaps) and row.max_gap == max(gaps)
                assert row.mean_gap == pytest.approx(statistics.fmean(gaps), abs=0.006)
                assert row.median_gap == statistics.median(gaps)
                hours = [t // 3600 for t in firsts]
                top = max(hours.count(h) for h in hours)
                assert row.busiest_count == top
                assert row.busiest_hour == min(h for h in hours if hours.count(h) == top)
            else:
                assert row.min_gap is None and row.mean_gap is None


def test_headway_empty_and_unknown(sfeed):
    stats = metro.headway_stats(sfeed, "R9", SATURDAY)
    assert stats.trips == 0 and stats.first is None and stats.busiest_count == 0
    single = metro.headway_stats(sfeed, "R10", TUESDAY)
    assert single.trips == 1 and single.min_gap is None and single.busiest_hour == 8
    with pytest.raises(KeyError):
        metro.headway_stats(sfeed, "R404", TUESDAY)
    assert metro.route_departures(sfeed, "R9", TUESDAY, stop_id="C") == [30000, 30600]


# ---------------------------------------------------------------------------
# walking transfers
# ---------------------------------------------------------------------------


def test_walking_transfers_match_oracle(rdata, rfeed):
    stops = rdata[0]
    for radius in (0.0, 150.0, 400.0, 900.0):
        got = metro.walking_transfers(rfeed, max_distance=radius, speed=1.1, min_seconds=30)
        expected = []
        for a in stops:
            for b in stops:
                if a[0] != b[0]:
                    d = oracle_haversine(a, b)
                    if d <= radius:
                        walk = max(30, math.ceil(d * 1.25 / 1.1))
                        expected.append((a[0], walk, b[0], d))
        expected.sort(key=lambda e: (e[0], e[1], e[2]))
        assert [(t.from_stop, t.walk_seconds, t.to_stop) for t in got] == \
            [(e[0], e[1], e[2]) for e in expected]
        for t, e in zip(got, expected):
            assert t.distance_m == round(e[3], 1)


def test_walking_transfers_coincident_and_empty():
    feed = metro.Feed(stops=[metro.Stop("p", "P", 52.0, 4.0), metro.Stop("q", "Q", 52.0, 4.0)])
    got = metro.walking_transfers(feed, max_distance=0.0)
    assert [(t.from_stop, t.to_stop, t.distance_m, t.walk_seconds) for t in got] == [
        ("p", "q", 0.0, 60), ("q", "p", 0.0, 60)]
    assert metro.walking_transfers(metro.Feed()) == []
    assert metro.walking_transfers(metro.Feed(stops=feed.stops[:1])) == []


def test_walking_transfers_far_apart_longitudes():
    stops = [metro.Stop("w", "W", 0.0, -179.999), metro.Stop("e", "E", 0.0, 179.999),
             metro.Stop("n", "N", 89.9999, 0.0), metro.Stop("m", "M", 89.9999, 120.0)]
    got = metro.walking_transfers(metro.Feed(stops=stops), max_distance=300.0)
    assert sorted((t.from_stop, t.to_stop) for t in got) == [
        ("e", "w"), ("m", "n"), ("n", "m"), ("w", "e")]


def test_walking_transfers_bad_args_and_fresh(rfeed):
    with pytest.raises(ValueError):
        metro.walking_transfers(rfeed, max_distance=-1)
    with pytest.raises(ValueError):
        metro.walking_transfers(rfeed, speed=0)
    before = copy.deepcopy(rfeed)
    first = metro.walking_transfers(rfeed)
    expected = list(first)
    first.reverse()
    first.pop()
    assert metro.walking_transfers(rfeed) == expected
    assert rfeed == before


# ---------------------------------------------------------------------------
# journeys
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", [TUESDAY, SATURDAY, MONDAY])
def test_reachable_without_walking_matches_oracle(rdata, rfeed, day):
    sequences = oracle_trip_sequences(rdata, day)
    scanner = metro.ConnectionScanner(rfeed, day, transfers=[])
    rng = random.Random(day.toordinal())
    stop_ids = [s[0] for s in rdata[0]]
    for _ in range(12):
        origin = rng.choice(stop_ids)
        depart = rng.randrange(4 * 3600, 25 * 3600, 60)
        expected = oracle_reach(sequences, origin, depart)
        assert scanner.reachable(origin, depart) == dict(sorted(expected.items()))
        for target in rng.sample(stop_ids, 6):
            journey = scanner.earliest_arrival(origin, target, depart)
            if target not in expected:
                assert journey is None
            else:
                assert journey.arrival == expected[target]


def _check_journey(journey, feed, day, transfers, origin, target, depart):
    times = {(st.trip_id, st.stop_id): st for st in feed.stop_times}
    running = set(metro.trips_on(feed, day))
    walks = {(t.from_stop, t.to_stop): t.walk_seconds for t in transfers}
    assert journey.origin == origin and journey.target == target
    at, now = origin, depart
    for i, leg in enumerate(journey.legs):
        assert leg.from_stop == at
        assert leg.departure >= now
        if leg.kind == "ride":
            assert leg.trip_id in running
            board = times[(leg.trip_id, leg.from_stop)]
            alight = times[(leg.trip_id, leg.to_stop)]
            assert board.departure == leg.departure
            assert alight.arrival == leg.arrival
            assert board.stop_sequence < alight.stop_sequence
        else:
            assert leg.kind == "walk"
            assert leg.arrival - leg.departure == walks[(leg.from_stop, leg.to_stop)]
            if i > 0:
                assert journey.legs[i - 1].kind == "ride"
        at, now = leg.to_stop, leg.arrival
    assert at == target
    assert journey.arrival == now


def test_journeys_with_walking_are_valid_and_not_worse(rdata, rfeed):
    transfers = metro.walking_transfers(rfeed, max_distance=500.0)
    rng = random.Random(99)
    stop_ids = [s[0] for s in rdata[0]]
    for day in (TUESDAY, SATURDAY):
        sequences = oracle_trip_sequences(rdata, day)
        scanner = metro.ConnectionScanner(rfeed, day, transfers)
        for _ in range(10):
            origin = rng.choice(stop_ids)
            depart = rng.randrange(5 * 3600, 24 * 3600, 60)
            rides_only = oracle_reach(sequences, origin, depart)
            reach = scanner.reachable(origin, depart)
            for target in stop_ids:
                journey = scanner.earliest_arrival(origin, target, depart)
                if journey is None:
                    assert target not in reach and target not in rides_only
                    continue
                assert journey.arrival == reach[target]
                if target in rides_only:
                    assert journey.arrival <= rides_only[target]
                _check_journey(journey, rfeed, day, transfers, origin, target, depart)


def test_scanner_repeatable_and_isolated(rfeed):
    transfers = metro.walking_transfers(rfeed, max_distance=500.0)
    scanner = metro.ConnectionScanner(rfeed, TUESDAY, transfers)
    first = scanner.earliest_arrival("s01", "s20", 6 * 3600)
    reach = scanner.reachable("s01", 6 * 3600)
    expected_reach = dict(reach)
    reach.clear()
    transfers.clear()
    assert scanner.earliest_arrival("s01", "s20", 6 * 3600) == first
    assert scanner.reachable("s01", 6 * 3600) == expected_reach
    conns = metro.build_connections(rfeed, TUESDAY)
    assert conns == scanner.connections
    conns.clear()
    assert metro.build_connections(rfeed, TUESDAY) == scanner.connections


def test_scanner_does_not_mutate_inputs(rfeed):
    before = copy.deepcopy(rfeed)
    transfers = metro.walking_transfers(rfeed, max_distance=300.0)
    saved = copy.deepcopy(transfers)
    scanner = metro.ConnectionScanner(rfeed, SATURDAY, transfers)
    for origin in ("s00", "s10", "s30"):
        scanner.reachable(origin, 7 * 3600)
        scanner.earliest_arrival(origin, "s02", 7 * 3600)
    assert rfeed == before
    assert transfers == saved


def test_journey_edge_cases(sfeed):
    scanner = metro.ConnectionScanner(sfeed, TUESDAY)
    same = scanner.earliest_arrival("A", "A", 100)
    assert same.legs == () and same.duration == 0
    with pytest.raises(KeyError):
        scanner.earliest_arrival("A", "nowhere", 0)
    with pytest.raises(KeyError):
        scanner.reachable("nowhere", 0)
    with pytest.raises(ValueError):
        scanner.earliest_arrival("A", "C", -5)
    assert scanner.earliest_arrival("A", "C", 8 * 3600 + 1) is None
    # three trips leave A at 08:00; the fastest arrives first and is the one used
    journey = scanner.earliest_arrival("A", "C", 7 * 3600)
    assert journey.arrival == 8 * 3600 + 20 * 60
    assert [leg.trip_id for leg in journey.legs] == ["x2"]
    # B is a short walk from A: the walk is part of what is reachable
    assert scanner.reachable("A", 7 * 3600, deadline=7 * 3600 + 600) == {
        "A": 7 * 3600, "B": 7 * 3600 + 107}
    empty = metro.ConnectionScanner(sfeed, SATURDAY, transfers=[])
    assert empty.connections == []
    assert empty.reachable("A", 0) == {"A": 0}
