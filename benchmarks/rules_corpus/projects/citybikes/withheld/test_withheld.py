import math
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from citybikes.pricing import (
    CASUAL,
    DURATION_BANDS,
    MEMBER,
    TARIFFS,
    Tariff,
    duration_band,
    duration_band_counts,
    format_cents,
    revenue_by_rider,
    trip_price,
)
from citybikes.report import monthly_report, monthly_summary, suspicious_trips
from citybikes.stations import (
    Station,
    StationNetwork,
    haversine_km,
    load_stations,
    parse_station_line,
)
from citybikes.trips import (
    Trip,
    iter_trips,
    parse_timestamp,
    parse_trip_line,
    read_trips,
    trips_by_bike,
    trips_in_month,
)
from citybikes.usage import (
    Suggestion,
    busiest_stations,
    daily_counts,
    hourly_histogram,
    hourly_net_flow,
    plan_moves,
    rebalancing_suggestions,
    station_usage,
    top_routes,
)

# ---------------------------------------------------------------- reference helpers


def ref_ts(text):
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            pass
    raise ValueError(text)


def ref_minutes(trip):
    return (ref_ts(trip.ended) - ref_ts(trip.started)).total_seconds() / 60.0


def ref_price(tariff, minutes, bike_type="classic"):
    billable = math.ceil(minutes)
    bands = sorted(tariff.bands, key=lambda b: math.inf if b[0] is None else b[0])
    cents = tariff.unlock_cents
    for minute in range(billable):
        for limit, rate in bands:
            if limit is None or minute < limit:
                cents += rate
                break
        if bike_type == "electric":
            cents += tariff.ebike_cents_per_minute
    return cents


def ref_net_flow(trips, station_id):
    flow = [0] * 24
    for t in trips:
        if t.origin == station_id:
            flow[ref_ts(t.started).hour] -= 1
        if t.dest == station_id:
            flow[ref_ts(t.ended).hour] += 1
    return flow


def ref_suggestions(stations, trips, days, fill=0.5, low=0.15, high=0.85):
    out = []
    for st in stations:
        flow = ref_net_flow(trips, st.station_id)
        target = st.capacity * fill
        level = target
        for hour in range(24):
            level += flow[hour] / days
            if level / st.capacity > high:
                if round(level - target) > 0:
                    out.append((hour, st.station_id, "collect", round(level - target)))
                level = target
            elif level / st.capacity < low:
                if round(target - level) > 0:
                    out.append((hour, st.station_id, "deliver", round(target - level)))
                level = target
    out.sort(key=lambda s: (s[0], -s[3], s[1]))
    return out


def make_stations(rng, count):
    return [
        Station(
            f"S{i:02d}",
            f"Stop {i}",
            round(52.5 + rng.uniform(-0.03, 0.03), 5),
            round(13.4 + rng.uniform(-0.04, 0.04), 5),
            rng.randint(4, 12),
        )
        for i in range(count)
    ]


def make_lines(rng, station_ids, count, months=(3,)):
    lines = []
    for n in range(count):
        month = rng.choice(months)
        day = rng.randint(1, 27)
        start = datetime(2024, month, day, rng.randint(0, 23), rng.randint(0, 59))
        start += timedelta(seconds=rng.randint(0, 59))
        end = start + timedelta(seconds=rng.randint(0, 200 * 60))
        lines.append(
            ",".join(
                [
                    f"t{n}",
                    f"b{rng.randint(1, 15)}",
                    start.strftime("%Y-%m-%d %H:%M:%S"),
                    end.strftime("%Y-%m-%d %H:%M:%S"),
                    rng.choice(station_ids),
                    rng.choice(station_ids),
                    rng.choice(["member", "casual", "MEMBER"]),
                    rng.choice(["classic", "electric"]),
                ]
            )
        )
    return lines


@pytest.fixture
def small():
    stations = [
        Station("A", "Alpha", 52.52, 13.40, 10),
        Station("B", "Bravo", 52.53, 13.41, 10),
        Station("C", "Charlie", 52.50, 13.38, 6),
        Station("D", "Delta", 52.52, 13.40, 8),  # same place as A
    ]
    return StationNetwork(stations)


def trip(tid, start, end, origin="A", dest="B", rider="member", bike="classic", bike_id="b1"):
    return Trip(tid, bike_id, start, end, origin, dest, rider, bike)


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "text",
    ["", "2024-03-01", "2024-03-01 08", "2024-02-30 08:00", "2024-03-01 25:00", "a-b-c 1:2:3",
     "2024-03-01 08:00:00:00"],
)
def test_parse_timestamp_errors(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_parse_timestamp_matches_strptime():
    rng = random.Random(1)
    for _ in range(200):
        dt = datetime(2024, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                      rng.randint(0, 59), rng.randint(0, 59))
        assert parse_timestamp(dt.strftime("%Y-%m-%d %H:%M:%S")) == dt
        assert parse_timestamp(" " + dt.strftime("%Y-%m-%d %H:%M") + " ") == dt.replace(second=0)


@pytest.mark.parametrize(
    "line",
    [
        "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member",
        "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,classic,extra",
        "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,visitor,classic",
        "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,scooter",
        ",b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,classic",
        "1,b,2024-03-01 08:00,2024-03-01 08:10,,B,member,classic",
        "1,b,2024-03-01 08:00,not a time,A,B,member,classic",
    ],
)
def test_parse_trip_line_errors(line):
    with pytest.raises(ValueError):
        parse_trip_line(line)


def test_parse_trip_line_strips_and_normalizes():
    t = parse_trip_line(
        " 9 , b2 , 2024-03-01 23:50 , 2024-03-02 00:20 , A , B , Casual , ELECTRIC \r\n"
    )
    assert (t.trip_id, t.bike_id, t.origin, t.dest, t.rider, t.bike_type) == (
        "9", "b2", "A", "B", "casual", "electric")
    assert t.start_hour == 23 and t.end_hour == 0
    assert t.duration_minutes == 30.0
    assert t.day == date(2024, 3, 1)
    assert t.month == (2024, 3)


def test_zero_length_trip_is_valid():
    t = parse_trip_line("1,b,2024-03-01 08:00,2024-03-01 08:00:00,A,A,member,classic")
    assert t.duration_minutes == 0.0 and t.is_round_trip()


def test_iter_trips_raises_without_error_list():
    lines = ["1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,classic", "oops"]
    gen = iter_trips(lines)
    assert next(gen).trip_id == "1"
    with pytest.raises(ValueError):
        next(gen)


def test_iter_trips_skips_blank_comments_and_headers():
    good = "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,classic"
    lines = ["", "   ", "# note", "TRIP_ID,bike,...", good]
    errors = []
    assert [t.trip_id for t in iter_trips(lines, errors)] == ["1"]
    assert errors == []


def test_read_trips_does_not_mutate_lines_and_keeps_first_duplicate():
    lines = [
        "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,classic",
        "2,b,2024-03-01 09:00,2024-03-01 09:10,A,B,member,classic",
        "1,b,2024-03-01 10:00,2024-03-01 10:10,B,C,casual,classic",
        "garbage",
    ]
    before = list(lines)
    errors = []
    trips = read_trips(lines, errors)
    assert lines == before
    assert [t.trip_id for t in trips] == ["1", "2"]
    assert trips[0].origin == "A"
    assert errors == [(4, errors[0][1])]


def test_read_trips_empty():
    assert read_trips("") == []
    assert read_trips([]) == []


def test_read_trips_random_matches_reference():
    rng = random.Random(7)
    lines = make_lines(rng, ["A", "B", "C"], 400)
    lines += lines[:50]
    trips = read_trips("\n".join(lines))
    assert len(trips) == 400
    for t, line in zip(trips, lines):
        parts = [p.strip() for p in line.split(",")]
        assert t.as_tuple() == tuple(parts[:6]) + (parts[6].lower(), parts[7])
        assert t.duration_minutes == pytest.approx(ref_minutes(t))
        assert t.start_hour == ref_ts(t.started).hour
        assert t.end_hour == ref_ts(t.ended).hour


def test_trip_equality_and_repr():
    a = trip("1", "2024-03-01 08:00", "2024-03-01 08:10")
    b = trip("1", "2024-03-01 08:00", "2024-03-01 08:10")
    assert a == b and a != trip("2", "2024-03-01 08:00", "2024-03-01 08:10")
    assert "2024-03-01 08:00" in repr(a)


def test_trips_in_month_and_by_bike():
    trips = [
        trip("3", "2024-03-05 08:00", "2024-03-05 08:10", bike_id="x"),
        trip("1", "2024-03-01 08:00", "2024-03-01 08:10", bike_id="x"),
        trip("2", "2024-04-01 08:00", "2024-04-01 08:10", bike_id="y"),
        trip("0", "2023-03-01 08:00", "2023-03-01 08:10", bike_id="y"),
    ]
    before = list(trips)
    assert [t.trip_id for t in trips_in_month(trips, 2024, 3)] == ["3", "1"]
    by_bike = trips_by_bike(trips)
    assert [t.trip_id for t in by_bike["x"]] == ["1", "3"]
    assert [t.trip_id for t in by_bike["y"]] == ["0", "2"]
    assert trips == before


# ---------------------------------------------------------------- stations


def test_station_validation():
    with pytest.raises(ValueError):
        Station("A", "a", 52.0, 13.0, 0)
    with pytest.raises(ValueError):
        Station("A", "a", 91.0, 13.0, 5)
    with pytest.raises(ValueError):
        Station("A", "a", 52.0, -181.0, 5)
    with pytest.raises(ValueError):
        Station("", "a", 52.0, 13.0, 5)
    with pytest.raises(ValueError):
        parse_station_line("A,a,52.0,13.0")
    with pytest.raises(ValueError):
        parse_station_line("A,a,north,13.0,5")


def test_load_stations_skips_noise():
    stations = load_stations(["station_id,name,lat,lon,capacity", "", "# x", "Q, Quay ,1.5,2.5, 7"])
    assert len(stations) == 1
    s = stations[0]
    assert (s.station_id, s.name, s.lat, s.lon, s.capacity) == ("Q", "Quay", 1.5, 2.5, 7)


def test_network_does_not_mutate_input_and_iterates_in_order(small):
    given = [Station("X", "x", 1.0, 1.0, 3), Station("Y", "y", 1.0, 1.1, 3)]
    before = list(given)
    net = StationNetwork(given)
    assert given == before
    assert [s.station_id for s in net] == ["X", "Y"]
    assert len(small) == 4 and "C" in small and "Z" not in small
    assert small.total_capacity() == 34


def test_network_duplicate_in_constructor():
    with pytest.raises(ValueError):
        StationNetwork([Station("X", "x", 1.0, 1.0, 3), Station("X", "x2", 1.0, 1.0, 3)])


def test_distance_unknown_station(small):
    with pytest.raises(KeyError):
        small.distance("A", "Z")
    with pytest.raises(KeyError):
        small.distance("Z", "Z")
    with pytest.raises(KeyError):
        small.nearest("Z")


def test_distance_values_and_added_station(small):
    assert small.distance("A", "A") == 0.0
    assert small.distance("A", "D") == 0.0
    a, b = small.station("A"), small.station("B")
    assert small.distance("A", "B") == haversine_km(a.lat, a.lon, b.lat, b.lon)
    small.add(Station("E", "Echo", 52.60, 13.40, 5))
    assert small.distance("A", "E") == pytest.approx(8.9, abs=0.1)


def test_nearest_ties_and_predicate(small):
    assert [s.station_id for s in small.nearest("A", k=10)] == ["D", "B", "C"]
    assert [s.station_id for s in small.nearest("D", k=1)] == ["A"]
    picked = small.nearest("A", k=5, predicate=lambda s: s.capacity < 10)
    assert [s.station_id for s in picked] == ["D", "C"]
    assert small.nearest("A", k=0) == []


def test_nearest_random_matches_brute_force():
    rng = random.Random(3)
    stations = make_stations(rng, 30)
    net = StationNetwork(stations)
    for s in stations[:10]:
        expected = sorted(
            (o for o in stations if o.station_id != s.station_id),
            key=lambda o: (haversine_km(s.lat, s.lon, o.lat, o.lon), o.station_id),
        )[:4]
        assert [o.station_id for o in net.nearest(s.station_id, k=4)] == [
            o.station_id for o in expected]


# ---------------------------------------------------------------- pricing


def test_tariff_validation_and_input_not_mutated():
    bands = [(None, 5), (10, 1)]
    t = Tariff("x", 0, bands)
    assert bands == [(None, 5), (10, 1)]
    assert t.ride_cents(12) == 10 + 2 * 5
    with pytest.raises(ValueError):
        Tariff("x", 0, [])
    with pytest.raises(ValueError):
        Tariff("x", 0, [(10, 1)])
    with pytest.raises(ValueError):
        Tariff("x", 0, [(None, 1), (None, 2)])
    with pytest.raises(ValueError):
        Tariff("x", -1, [(None, 1)])
    with pytest.raises(ValueError):
        Tariff("x", 0, [(None, -1)])


def test_negative_minutes_rejected():
    with pytest.raises(ValueError):
        MEMBER.ride_cents(-0.5)
    with pytest.raises(ValueError):
        duration_band(-1)


def test_band_boundaries():
    assert MEMBER.ride_cents(45) == 0
    assert MEMBER.ride_cents(45.01) == 15
    assert MEMBER.ride_cents(90) == 45 * 15
    assert CASUAL.ride_cents(0) == 100
    assert CASUAL.ride_cents(30, "electric") == 100 + 600 + 450
    assert duration_band(14.999) == "under 15 min"
    assert duration_band(15) == "15-30 min"
    assert duration_band(90) == "over 90 min"


def test_prices_random_match_reference():
    rng = random.Random(11)
    custom = Tariff("night", 50, [(None, 9), (5, 0), (20, 4)], ebike_cents_per_minute=3)
    for _ in range(500):
        minutes = rng.choice([rng.uniform(0, 200), float(rng.randint(0, 200))])
        bike = rng.choice(["classic", "electric"])
        for tariff in (MEMBER, CASUAL, custom):
            assert tariff.ride_cents(minutes, bike) == ref_price(tariff, minutes, bike)


def test_trip_price_unknown_rider_and_custom_tariffs():
    t = trip("1", "2024-03-01 08:00", "2024-03-01 08:10", rider="member")
    with pytest.raises(KeyError):
        trip_price(t, {"casual": CASUAL})
    flat = {"member": Tariff("flat", 7, [(None, 0)])}
    assert trip_price(t, flat) == 7
    assert TARIFFS["member"] is MEMBER


def test_revenue_and_bands_random():
    rng = random.Random(5)
    trips = read_trips(make_lines(rng, ["A", "B"], 300))
    revenue = revenue_by_rider(trips)
    for rider in ("member", "casual"):
        subset = [t for t in trips if t.rider == rider]
        expected = sum(ref_price(TARIFFS[rider], ref_minutes(t), t.bike_type) for t in subset)
        assert revenue[rider] == (len(subset), expected)
    counts = duration_band_counts(trips)
    assert list(counts) == [label for label, _, _ in DURATION_BANDS]
    assert sum(counts.values()) == 300
    assert counts["over 90 min"] == sum(1 for t in trips if ref_minutes(t) >= 90)


def test_empty_money_helpers():
    assert revenue_by_rider([]) == {}
    assert set(duration_band_counts([]).values()) == {0}
    assert format_cents(0) == "0.00"
    assert format_cents(-105) == "-1.05"
    assert format_cents(100000) == "1000.00"


# ---------------------------------------------------------------- usage


def test_usage_empty():
    assert hourly_histogram([]) == [0] * 24
    assert daily_counts([]) == {}
    assert station_usage([]) == {}
    assert busiest_stations([]) == []
    assert top_routes([]) == []
    assert hourly_net_flow([], "A") == [0] * 24


def test_ties_broken_by_id():
    trips = [
        trip("1", "2024-03-01 08:00", "2024-03-01 08:10", "C", "D"),
        trip("2", "2024-03-01 08:00", "2024-03-01 08:10", "A", "B"),
    ]
    assert busiest_stations(trips, 10) == [("A", 1), ("B", 1), ("C", 1), ("D", 1)]
    assert top_routes(trips, 10) == [(("A", "B"), 1), (("C", "D"), 1)]


def test_usage_random_matches_reference():
    rng = random.Random(9)
    ids = ["S1", "S2", "S3", "S4", "S5"]
    trips = read_trips(make_lines(rng, ids, 500, months=(2, 3)))
    before = list(trips)
    hist = [0] * 24
    for t in trips:
        hist[ref_ts(t.started).hour] += 1
    assert hourly_histogram(trips) == hist
    days = Counter(ref_ts(t.started).date() for t in trips)
    result = daily_counts(trips)
    assert result == dict(days) and list(result) == sorted(days)
    totals = Counter()
    for t in trips:
        totals[t.origin] += 1
        totals[t.dest] += 1
    assert busiest_stations(trips, 3) == sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    routes = Counter((t.origin, t.dest) for t in trips)
    assert top_routes(trips, 6) == sorted(routes.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    for sid in ids + ["nowhere"]:
        assert hourly_net_flow(trips, sid) == ref_net_flow(trips, sid)
    assert trips == before


def test_rebalancing_validation(small):
    with pytest.raises(ValueError):
        rebalancing_suggestions(small, [], 0)
    with pytest.raises(ValueError):
        rebalancing_suggestions(small, [], 1, fill=0.9, high=0.8)
    assert rebalancing_suggestions(small, [], 30) == []


def test_rebalancing_accepts_generator_and_does_not_mutate(small):
    trips = [trip(str(i), "2024-03-01 08:00", "2024-03-01 08:30", "A", "C") for i in range(5)]
    before = list(trips)
    from_list = rebalancing_suggestions(small, trips, 1)
    from_gen = rebalancing_suggestions(small, (t for t in trips), 1)
    assert from_list == from_gen
    assert trips == before
    assert Suggestion(8, "C", "collect", 5) in from_list
    assert Suggestion(8, "A", "deliver", 5) in from_list


def test_rebalancing_random_matches_reference():
    rng = random.Random(21)
    stations = make_stations(rng, 12)
    net = StationNetwork(stations)
    ids = [s.station_id for s in stations]
    trips = read_trips(make_lines(rng, ids[:6], 900))
    for days, fill in ((3, 0.5), (1, 0.4), (10, 0.6)):
        got = rebalancing_suggestions(net, trips, days, fill=fill)
        assert [tuple(s) for s in got] == ref_suggestions(stations, trips, days, fill=fill)


def test_plan_moves_greedy_and_limits(small):
    suggestions = [
        Suggestion(8, "A", "collect", 5),
        Suggestion(8, "C", "deliver", 2),
        Suggestion(8, "B", "deliver", 2),
        Suggestion(9, "B", "deliver", 3),
    ]
    before = list(suggestions)
    moves = plan_moves(small, suggestions)
    assert suggestions == before
    assert [(m.hour, m.source, m.target, m.bikes) for m in moves] == [
        (8, "A", "B", 2), (8, "A", "C", 2)]
    assert moves[0].km == small.distance("A", "B")
    assert plan_moves(small, suggestions, max_km=0.5) == []
    assert plan_moves(small, []) == []


# ---------------------------------------------------------------- report


def test_suspicious_trips(small):
    trips = [
        trip("fast", "2024-03-01 08:00", "2024-03-01 08:01", "A", "C"),
        trip("zero", "2024-03-01 08:00", "2024-03-01 08:00", "A", "B"),
        trip("round", "2024-03-01 08:00", "2024-03-01 08:00", "A", "A"),
        trip("samespot", "2024-03-01 08:00", "2024-03-01 08:00", "A", "D"),
        trip("slow", "2024-03-01 08:00", "2024-03-01 09:00", "A", "C"),
    ]
    assert [t.trip_id for t in suspicious_trips(small, trips)] == ["fast", "zero"]
    assert suspicious_trips(small, trips, max_kmh=1000) == [trips[1]]


def test_monthly_summary_validation(small):
    with pytest.raises(ValueError):
        monthly_summary(small, [], 2024, 13)


def test_empty_month_report(small):
    text = monthly_report(small, [], 2024, 2)
    assert text.startswith("City bikes - February 2024\n")
    assert "Trips: 0 (0 round trips) over 29 days" in text
    assert "Average ride" not in text
    assert "Revenue: 0.00" in text
    assert "Rebalancing: 0 suggestions, 0 moves" in text


def test_report_random_consistency():
    rng = random.Random(33)
    stations = make_stations(rng, 10)
    net = StationNetwork(stations)
    ids = [s.station_id for s in stations]
    trips = read_trips(make_lines(rng, ids, 600, months=(3, 4)))
    before = list(trips)
    summary = monthly_summary(net, trips, 2024, 3, top=3)
    march = [t for t in trips if ref_ts(t.started).month == 3]
    assert summary["trips"] == len(march)
    assert summary["round_trips"] == sum(1 for t in march if t.origin == t.dest)
    assert summary["minutes"] == pytest.approx(sum(ref_minutes(t) for t in march))
    by_id = {s.station_id: s for s in stations}
    km = sum(
        haversine_km(by_id[t.origin].lat, by_id[t.origin].lon, by_id[t.dest].lat, by_id[t.dest].lon)
        for t in march
    )
    assert summary["km"] == pytest.approx(km)
    assert summary["revenue_cents"] == sum(
        ref_price(TARIFFS[t.rider], ref_minutes(t), t.bike_type) for t in march)
    assert len(summary["busiest"]) == 3
    text = monthly_report(net, trips, 2024, 3, top=3)
    assert text == monthly_report(net, trips, 2024, 3, top=3)
    assert f"Trips: {len(march)} " in text
    assert text.count(" -> ") >= 3
    assert trips == before
