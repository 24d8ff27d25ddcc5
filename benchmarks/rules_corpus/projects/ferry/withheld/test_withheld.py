import random
from datetime import date, datetime, timedelta

import pytest

from ferry import (
    Booking,
    CapacityError,
    DailyReport,
    FareCalculator,
    Journey,
    Port,
    Route,
    Timetable,
    Vessel,
    apply_pct,
    earliest_arrival,
    reachable_ports,
    vehicle_class,
    vehicle_length,
)
from ferry.fares import SEASON_PCT, VEHICLE_CLASSES

DAY = date(2024, 5, 7)  # Tuesday, shoulder season


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute)


def network():
    t = Timetable()
    t.add_port("AAA", "Alpha", 20)
    t.add_port("BBB", "Bravo", 15)
    t.add_port("CCC", "Charlie", 10)
    t.add_port("DDD", "Delta", 0)
    t.add_route("AAA", "BBB", 16, 1000)
    t.add_route("BBB", "AAA", 16, 1000)
    t.add_route("BBB", "CCC", 8, 600)
    t.add_route("CCC", "BBB", 8, 600)
    t.add_route("AAA", "CCC", 40, 2000)
    t.add_route("CCC", "DDD", 8, 500)
    for i in range(8):
        t.add_vessel(f"V{i}", 10 + 10 * i, 5 * i)
    return t


# ---------------------------------------------------------------- reference code

def ref_season(calc_seasons, d):
    for start, end, name in calc_seasons:
        sm, sd = (int(x) for x in start.split("-"))
        em, ed = (int(x) for x in end.split("-"))
        if (sm, sd) <= (d.month, d.day) <= (em, ed):
            return name
    raise ValueError


def ref_quote(base, when, adults, children, vehicle, return_leg=False, seasons=None):
    from ferry.fares import SEASONS
    seasons = seasons or SEASONS
    sub = adults * base + (children * base * 50 + 50) // 100
    if vehicle is not None:
        pct = [v for v in VEHICLE_CLASSES if v[0] == vehicle][0][2]
        sub += (base * pct + 50) // 100
    total = (sub * SEASON_PCT[ref_season(seasons, when.date())] + 50) // 100
    if when.weekday() in (4, 6) and 15 <= when.hour <= 19:
        total = (total * 110 + 50) // 100
    if return_leg:
        total = (total * 80 + 50) // 100
    return total


def ref_best(tt, origin, dest, start, pax, max_transfers):
    """Brute force over every chain of sailings: (earliest arrival, fewest legs)."""
    best = None

    def walk(port, ready, legs):
        nonlocal best
        if legs and port == dest:
            key = (legs[-1].arrival, len(legs))
            if best is None or key < best:
                best = key
        if len(legs) == max_transfers + 1:
            return
        for s in tt.sailings:
            if s.route.origin.code != port:
                continue
            need = ready + timedelta(minutes=tt.port(port).transfer_minutes) if legs else ready
            if s.departure < need:
                continue
            booked = sum(b.adults + b.children for b in tt.bookings
                         if b.sailing is s and not b.cancelled)
            if booked + pax > s.vessel.passengers:
                continue
            walk(s.route.destination.code, s.arrival, legs + [s])

    walk(origin, start, [])
    return best


def random_timetable(seed, n_ports=5, n_sailings=45):
    rng = random.Random(seed)
    tt = Timetable()
    codes = ["PAA", "PBB", "PCC", "PDD", "PEE", "PFF"][:n_ports]
    for c in codes:
        tt.add_port(c, c.lower(), rng.choice([0, 5, 10, 20]))
    for a in codes:
        for b in codes:
            if a != b and rng.random() < 0.55:
                tt.add_route(a, b, rng.randint(3, 40), rng.randint(200, 2000),
                             rng.choice([12.0, 16.0, 20.0]))
    for i in range(n_sailings):
        tt.add_vessel(f"V{i}", rng.randint(4, 12), rng.choice([0, 10, 20]))
    made = 0
    while made < n_sailings:
        route = rng.choice(tt.routes)
        when = at(6) + timedelta(minutes=5 * rng.randrange(0, 12 * 14))
        try:
            tt.schedule(route.origin.code, route.destination.code, f"V{made}", when)
        except ValueError:
            continue
        made += 1
    for _ in range(40):
        s = rng.choice(tt.sailings)
        try:
            tt.book(s.sailing_id, rng.randint(1, 3), rng.randint(0, 2))
        except CapacityError:
            pass
    return tt, codes, rng


# ---------------------------------------------------------------- model

def test_port_equality_and_hash():
    assert Port("abc", "x") == Port("ABC", "y")
    assert len({Port("abc", "x"), Port("ABC", "y")}) == 1
    assert Port("abc", "x") != "ABC"


@pytest.mark.parametrize("code", ["", "AB", "ABCD", "A1C"])
def test_bad_port_codes(code):
    with pytest.raises(ValueError):
        Port(code, "bad")


def test_negative_transfer_rejected():
    with pytest.raises(ValueError):
        Port("ABC", "x", -1)


def test_route_validation():
    a, b = Port("AAA", "a"), Port("BBB", "b")
    with pytest.raises(ValueError):
        Route(a, Port("aaa", "again"), 5, 100)
    with pytest.raises(ValueError):
        Route(a, b, 0, 100)
    with pytest.raises(ValueError):
        Route(a, b, 5, 100, speed_knots=0)
    with pytest.raises(ValueError):
        Route(a, b, 5, -1)


def test_route_duration_rounds_up():
    r = Route(Port("AAA", "a"), Port("BBB", "b"), 10, 100, speed_knots=3.0)
    assert r.duration == timedelta(minutes=200 + 10)
    r = Route(Port("AAA", "a"), Port("BBB", "b"), 1, 100, speed_knots=7.0)
    assert r.duration == timedelta(minutes=9 + 10)


def test_vessel_validation():
    with pytest.raises(ValueError):
        Vessel("x", 0, 10)
    with pytest.raises(ValueError):
        Vessel("x", 10, -1)


def test_duplicates_rejected():
    tt = network()
    with pytest.raises(ValueError):
        tt.add_port("aaa", "again")
    with pytest.raises(ValueError):
        tt.add_route("AAA", "BBB", 3, 10)
    with pytest.raises(ValueError):
        tt.add_vessel("V1", 10, 10)
    tt.schedule("AAA", "BBB", "V1", at(8))
    with pytest.raises(ValueError):
        tt.schedule("AAA", "BBB", "V2", at(8))
    assert len(tt.sailings) == 1


def test_unknown_lookups_raise_keyerror():
    tt = network()
    with pytest.raises(KeyError):
        tt.port("ZZZ")
    with pytest.raises(KeyError):
        tt.route("AAA", "DDD")
    with pytest.raises(KeyError):
        tt.vessel("nope")
    with pytest.raises(KeyError):
        tt.sailing("AAA-BBB-20240507-0800")
    with pytest.raises(KeyError):
        tt.booking("FB000001")
    with pytest.raises(KeyError):
        tt.schedule("AAA", "BBB", "nope", at(8))
    assert tt.sailings == []


def test_lookups_are_case_insensitive():
    tt = network()
    assert tt.port(" bbb ").code == "BBB"
    assert tt.route("aaa", "bbb").code == "AAA-BBB"


def test_turnaround_boundary():
    tt = network()
    tt.schedule("AAA", "BBB", "V1", at(8))  # arrives 09:10, free at 09:30
    with pytest.raises(ValueError):
        tt.schedule("BBB", "AAA", "V1", at(9, 29))
    tt.schedule("BBB", "AAA", "V1", at(9, 30))
    # a sailing earlier in the day that would still be at sea at 08:00
    with pytest.raises(ValueError):
        tt.schedule("CCC", "BBB", "V1", at(7, 1))
    tt.schedule("CCC", "BBB", "V1", at(7, 0))  # 40 min + 20 turnaround -> free 08:00
    assert len(tt.sailings) == 3


def test_other_vessels_do_not_conflict():
    tt = network()
    tt.schedule("AAA", "BBB", "V1", at(8))
    tt.schedule("BBB", "AAA", "V2", at(8))
    assert len(tt.sailings) == 2


def test_departures_filter_by_port_and_day():
    tt = network()
    tt.schedule("BBB", "CCC", "V1", at(12))
    tt.schedule("AAA", "BBB", "V2", at(8))
    tt.schedule("AAA", "CCC", "V3", at(7))
    tt.schedule("AAA", "BBB", "V4", at(7, 0, DAY + timedelta(days=1)))
    assert [s.sailing_id for s in tt.departures("aaa", DAY)] == [
        "AAA-CCC-20240507-0700", "AAA-BBB-20240507-0800"]
    assert tt.departures("DDD", DAY) == []
    assert tt.sailings_on(date(2030, 1, 1)) == []


def test_sailings_on_ties_sorted_by_id():
    tt = network()
    tt.schedule("BBB", "CCC", "V1", at(8))
    tt.schedule("AAA", "CCC", "V2", at(8))
    tt.schedule("AAA", "BBB", "V3", at(8))
    assert [s.sailing_id for s in tt.sailings_on(DAY)] == [
        "AAA-BBB-20240507-0800", "AAA-CCC-20240507-0800", "BBB-CCC-20240507-0800"]
    # the timetable's own order is insertion order and is left alone
    assert [s.vessel.name for s in tt.sailings] == ["V1", "V2", "V3"]


# ---------------------------------------------------------------- fares

def test_apply_pct_rounds_half_up():
    assert apply_pct(1, 50) == 1
    assert apply_pct(3, 50) == 2
    assert apply_pct(5, 10) == 1
    assert apply_pct(4, 10) == 0
    assert apply_pct(0, 130) == 0


def test_vehicle_tables():
    assert vehicle_class("van") == ("van", 7, 150)
    assert vehicle_length(None) == 0
    assert vehicle_length("bicycle") == 0
    with pytest.raises(ValueError):
        vehicle_class("tank")
    with pytest.raises(ValueError):
        vehicle_length("Car")


def test_all_season_boundaries_and_leap_day():
    fc = FareCalculator()
    d = date(2024, 1, 1)
    while d.year == 2024:
        assert fc.season_for(d) == ref_season(fc.seasons, d), d
        d += timedelta(days=1)
    assert fc.season_for(date(2023, 12, 31)) == "high"
    assert fc.season_for(date(2024, 2, 29)) == "low"


def test_season_gap_and_type_errors():
    fc = FareCalculator(seasons=[("01-01", "06-30", "low")])
    assert fc.season_for(date(2025, 6, 30)) == "low"
    with pytest.raises(ValueError):
        fc.season_for(date(2025, 7, 1))
    with pytest.raises(TypeError):
        fc.season_for("2025-07-01")


def test_custom_tables_are_copied():
    seasons = [("01-01", "12-31", "flat")]
    pct = {"flat": 200}
    classes = [("cart", 2, 25)]
    fc = FareCalculator(seasons=seasons, season_pct=pct, vehicle_classes=classes, child_pct=0)
    seasons.append(("01-01", "12-31", "other"))
    pct["flat"] = 1
    classes.clear()
    route = Route(Port("AAA", "a"), Port("BBB", "b"), 5, 1000)
    assert fc.quote(route, at(9), 1, 3, "cart") == (1000 + 250) * 2
    assert seasons[0] == ("01-01", "12-31", "flat") and len(seasons) == 2
    assert fc.season_for(date(2024, 5, 5)) == "flat"


def test_changing_calculator_seasons_after_use_takes_effect():
    fc = FareCalculator()
    assert fc.season_for(date(2024, 5, 5)) == "shoulder"
    fc.seasons = [("01-01", "12-31", "high")]
    assert fc.season_for(date(2024, 5, 5)) == "high"


def test_quote_validation():
    fc = FareCalculator()
    route = Route(Port("AAA", "a"), Port("BBB", "b"), 5, 1000)
    with pytest.raises(ValueError):
        fc.quote(route, at(9), 0)
    with pytest.raises(ValueError):
        fc.quote(route, at(9), 1, -1)
    with pytest.raises(ValueError):
        fc.quote(route, at(9), 1, 0, "hovercraft")


def test_random_quotes_match_reference():
    rng = random.Random(7)
    fc = FareCalculator()
    codes = [None] + [v[0] for v in VEHICLE_CLASSES]
    for _ in range(400):
        base = rng.randint(0, 5000)
        route = Route(Port("AAA", "a"), Port("BBB", "b"), 5, base)
        when = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 366 * 24 * 60, 7))
        adults, children = rng.randint(1, 5), rng.randint(0, 4)
        vehicle = rng.choice(codes)
        ret = rng.random() < 0.3
        assert fc.quote(route, when, adults, children, vehicle, ret) == ref_quote(
            base, when, adults, children, vehicle, ret)


def test_peak_boundaries():
    fc = FareCalculator()
    sunday = datetime(2024, 5, 12, 15, 0)
    assert fc.is_peak(sunday)
    assert fc.is_peak(sunday.replace(hour=19, minute=59))
    assert not fc.is_peak(sunday.replace(hour=14, minute=59))
    assert not fc.is_peak(datetime(2024, 5, 11, 16))  # Saturday


# ---------------------------------------------------------------- bookings

def test_refs_are_sequential_and_failures_do_not_consume():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V0", at(8))  # 10 seats, no car deck
    assert tt.book(s.sailing_id, 2).ref == "FB000001"
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 1, vehicle="car")
    with pytest.raises(ValueError):
        tt.book(s.sailing_id, 0, 2)
    with pytest.raises(ValueError):
        tt.book(s.sailing_id, 1, vehicle="pony")
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 9)
    assert tt.book(s.sailing_id, 1, vehicle="bicycle").ref == "FB000002"
    assert len(tt.bookings) == 2


def test_capacity_error_is_value_error():
    assert issubclass(CapacityError, ValueError)


def test_exact_fill_allowed():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V1", at(8))  # 20 seats, 5 m
    tt.book(s.sailing_id, 19, 1)
    assert s.seats_left == 0
    assert s.load_factor == 1.0
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 1)


def test_vehicle_deck_exact_fill():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V3", at(8))  # 15 m
    tt.book(s.sailing_id, 1, vehicle="van")
    tt.book(s.sailing_id, 1, vehicle="car")
    tt.book(s.sailing_id, 1, vehicle="motorcycle")
    assert s.lane_metres_left == 0
    assert s.vehicle_load_factor == 1.0
    tt.book(s.sailing_id, 1, vehicle="bicycle")
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 1, vehicle="motorcycle")


def test_zero_deck_vessel():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V0", at(8))
    assert s.vehicle_load_factor == 0.0
    assert s.lane_metres_left == 0


def test_sailing_bookings_returns_a_copy_without_cancelled():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V2", at(8))
    b1 = tt.book(s.sailing_id, 1)
    b2 = tt.book(s.sailing_id, 2)
    tt.cancel(b1.ref)
    got = s.bookings
    assert got == [b2]
    got.clear()
    assert s.bookings == [b2]
    assert tt.bookings == [b1, b2]
    assert tt.booking(b1.ref).cancelled


def test_cancel_then_rebook():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V0", at(8))
    b = tt.book(s.sailing_id, 10)
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 1)
    tt.cancel(b.ref)
    tt.book(s.sailing_id, 10)
    assert s.passengers == 10


def test_return_booking_validation():
    tt = network()
    out = tt.schedule("AAA", "BBB", "V1", at(8))
    early = tt.schedule("BBB", "AAA", "V2", at(9))
    other = tt.schedule("BBB", "CCC", "V3", at(12))
    with pytest.raises(ValueError):
        tt.book_return(out.sailing_id, other.sailing_id, 1)
    with pytest.raises(ValueError):
        tt.book_return(out.sailing_id, early.sailing_id, 1)
    with pytest.raises(KeyError):
        tt.book_return(out.sailing_id, "BBB-AAA-20990101-0000", 1)
    assert tt.bookings == []


def test_return_at_exact_arrival_allowed():
    tt = network()
    out = tt.schedule("AAA", "BBB", "V1", at(8))
    back = tt.schedule("BBB", "AAA", "V2", at(9, 10))
    b1, b2 = tt.book_return(out.sailing_id, back.sailing_id, 1)
    assert (b1.ref, b2.ref) == ("FB000001", "FB000002")


def test_return_booking_is_all_or_nothing():
    tt = network()
    out = tt.schedule("AAA", "BBB", "V3", at(8))
    back = tt.schedule("BBB", "AAA", "V0", at(17))
    tt.book(back.sailing_id, 9)
    with pytest.raises(CapacityError):
        tt.book_return(out.sailing_id, back.sailing_id, 2)
    with pytest.raises(CapacityError):
        tt.book_return(out.sailing_id, back.sailing_id, 1, vehicle="car")
    assert out.passengers == 0
    assert len(tt.bookings) == 1


def test_return_window():
    tt = network()
    out = tt.schedule("AAA", "BBB", "V7", at(8))
    inside = tt.schedule("BBB", "AAA", "V2", at(8, 0, DAY + timedelta(days=30)))
    outside = tt.schedule("BBB", "AAA", "V3", at(8, 5, DAY + timedelta(days=30)))
    _, b_in = tt.book_return(out.sailing_id, inside.sailing_id, 2, 1, "car")
    _, b_out = tt.book_return(out.sailing_id, outside.sailing_id, 2, 1, "car")
    full = ref_quote(1000, inside.departure, 2, 1, "car")
    assert b_out.fare_cents == full
    assert b_in.fare_cents == ref_quote(1000, inside.departure, 2, 1, "car", True)
    assert b_in.fare_cents < full


def test_revenue_of_cancelled_booking():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V2", at(8))
    b = tt.book(s.sailing_id, 1, 1)  # 1500
    assert b.revenue_cents == 1500
    tt.cancel(b.ref)
    assert b.revenue_cents == 150
    assert b.fare_cents == 1500


def test_booking_defaults():
    b = Booking("X", None, 2)
    assert b.passengers == 2 and b.vehicle is None and not b.cancelled
    assert b.linked_ref is None


def test_random_bookings_match_reference_counts():
    rng = random.Random(99)
    tt = network()
    for i in range(8):
        for k in range(3):
            tt.schedule("AAA", "BBB", f"V{i}", at(6 + 5 * k, 5 * i))
    ids = [s.sailing_id for s in tt.sailings]
    ids_before = list(ids)
    vehicles = [None, "car", "van", "bicycle", "truck", "motorcycle"]
    refs = []
    for _ in range(300):
        sid = rng.choice(ids)
        try:
            refs.append(tt.book(sid, rng.randint(1, 4), rng.randint(0, 3),
                                rng.choice(vehicles)).ref)
        except CapacityError:
            pass
        if refs and rng.random() < 0.2:
            ref = refs.pop(rng.randrange(len(refs)))
            tt.cancel(ref)
    assert ids == ids_before
    for s in tt.sailings:
        live = [b for b in tt.bookings if b.sailing is s and not b.cancelled]
        pax = sum(b.adults + b.children for b in live)
        metres = sum(vehicle_length(b.vehicle) for b in live)
        assert s.passengers == pax
        assert s.vehicle_metres == metres
        assert 0 <= pax <= s.vessel.passengers
        assert 0 <= metres <= s.vessel.lane_metres
        assert s.seats_left == s.vessel.passengers - pax


# ---------------------------------------------------------------- connections

def test_connection_argument_errors():
    tt = network()
    with pytest.raises(ValueError):
        earliest_arrival(tt, "AAA", "aaa", at(7))
    with pytest.raises(ValueError):
        earliest_arrival(tt, "AAA", "BBB", at(7), passengers=0)
    with pytest.raises(ValueError):
        earliest_arrival(tt, "AAA", "BBB", at(7), max_transfers=-1)
    with pytest.raises(KeyError):
        earliest_arrival(tt, "AAA", "ZZZ", at(7))


def test_empty_timetable():
    tt = network()
    assert earliest_arrival(tt, "AAA", "BBB", at(7)) is None
    assert reachable_ports(tt, "AAA", at(7)) == {}


def test_departure_exactly_at_start_counts():
    tt = network()
    tt.schedule("AAA", "BBB", "V1", at(8))
    assert earliest_arrival(tt, "AAA", "BBB", at(8)).departure == at(8)


def test_zero_transfer_port():
    tt = network()
    tt.schedule("BBB", "CCC", "V1", at(8))  # arrives 08:40 at CCC (10 min transfer)
    tt.schedule("CCC", "DDD", "V2", at(8, 49))
    tt.schedule("CCC", "DDD", "V3", at(8, 50))
    j = earliest_arrival(tt, "BBB", "DDD", at(7))
    assert j.legs[-1].departure == at(8, 50)


def test_fewer_legs_win_ties():
    tt = network()
    tt.schedule("AAA", "BBB", "V1", at(6))  # arrives 07:10
    tt.schedule("BBB", "CCC", "V2", at(9, 30))  # arrives 10:10
    tt.schedule("AAA", "CCC", "V3", at(7, 30))  # arrives 10:10
    j = earliest_arrival(tt, "AAA", "CCC", at(5))
    assert j.transfers == 0
    assert j.arrival == at(10, 10)


def test_max_transfers_limits_legs():
    tt = network()
    tt.schedule("AAA", "BBB", "V1", at(6))
    tt.schedule("BBB", "CCC", "V2", at(8))
    tt.schedule("CCC", "DDD", "V3", at(9))
    assert earliest_arrival(tt, "AAA", "DDD", at(5), max_transfers=1) is None
    j = earliest_arrival(tt, "AAA", "DDD", at(5), max_transfers=2)
    assert [leg.destination.code for leg in j.legs] == ["BBB", "CCC", "DDD"]
    assert earliest_arrival(tt, "AAA", "CCC", at(5), max_transfers=0) is None
    assert reachable_ports(tt, "AAA", at(5), max_transfers=0) == {"BBB": at(7, 10)}


def test_delays_do_not_change_planned_connections():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V1", at(8))
    tt.record_delay(s.sailing_id, 90)
    assert earliest_arrival(tt, "AAA", "BBB", at(7)).arrival == at(9, 10)


def test_search_leaves_timetable_untouched():
    tt = network()
    tt.schedule("BBB", "CCC", "V1", at(12))
    tt.schedule("AAA", "BBB", "V2", at(8))
    before = list(tt.sailings)
    earliest_arrival(tt, "AAA", "CCC", at(7))
    reachable_ports(tt, "AAA", at(7))
    DailyReport(tt, DAY).render()
    assert tt.sailings == before


def test_journey_basics():
    tt = network()
    s1 = tt.schedule("AAA", "BBB", "V1", at(8))
    s2 = tt.schedule("BBB", "CCC", "V2", at(10))
    legs = [s1, s2]
    j = Journey(legs)
    legs.append(s1)
    assert len(j.legs) == 2
    assert j.fare(2, 1, "car") == (ref_quote(1000, s1.departure, 2, 1, "car")
                                   + ref_quote(600, s2.departure, 2, 1, "car"))
    assert repr(j) == "Journey(AAA-BBB-20240507-0800 BBB-CCC-20240507-1000)"
    with pytest.raises(ValueError):
        Journey([])


def test_connections_respect_seat_availability_after_cancel():
    tt = network()
    s = tt.schedule("AAA", "BBB", "V0", at(8))
    b = tt.book(s.sailing_id, 10)
    assert earliest_arrival(tt, "AAA", "BBB", at(7)) is None
    tt.cancel(b.ref)
    assert earliest_arrival(tt, "AAA", "BBB", at(7), passengers=10).legs == [s]


@pytest.mark.parametrize("seed", range(6))
def test_random_connections_match_brute_force(seed):
    tt, codes, rng = random_timetable(seed)
    for _ in range(12):
        a, b = rng.sample(codes, 2)
        start = at(6) + timedelta(minutes=rng.randrange(0, 8 * 60, 10))
        pax = rng.choice([1, 2, 5])
        mt = rng.choice([0, 1, 2, 3])
        j = earliest_arrival(tt, a, b, start, passengers=pax, max_transfers=mt)
        expected = ref_best(tt, a, b, start, pax, mt)
        if expected is None:
            assert j is None
            continue
        assert (j.arrival, len(j.legs)) == expected
        assert j.origin.code == a and j.destination.code == b
        assert j.departure >= start
        for prev, nxt in zip(j.legs, j.legs[1:]):
            assert prev.destination == nxt.origin
            assert nxt.departure >= prev.arrival + nxt.origin.min_transfer
        for leg in j.legs:
            assert leg.seats_left >= pax


@pytest.mark.parametrize("seed", range(3))
def test_random_reachable_ports_match_brute_force(seed):
    tt, codes, rng = random_timetable(100 + seed)
    origin = codes[0]
    start = at(7)
    reach = reachable_ports(tt, origin, start)
    expected = {}
    for c in codes[1:]:
        best = ref_best(tt, origin, c, start, 1, 2)
        if best is not None:
            expected[c] = best[0]
    assert reach == expected
    assert list(reach) == sorted(reach)


# ---------------------------------------------------------------- reports

def test_empty_day_report():
    tt = network()
    report = DailyReport(tt, DAY)
    assert report.load_factors() == []
    assert report.late_sailings() == []
    assert report.revenue_by_route() == {}
    assert report.busiest_sailing() is None
    info = report.summary()
    assert info["sailings"] == 0 and info["mean_load"] == 0.0 and info["busiest"] is None
    assert report.render().startswith("Operations report 2024-05-07")


def test_late_threshold_and_ties():
    tt = network()
    s1 = tt.schedule("BBB", "CCC", "V1", at(8))
    s2 = tt.schedule("AAA", "BBB", "V2", at(9))
    s3 = tt.schedule("AAA", "CCC", "V3", at(7))
    tt.record_delay(s1.sailing_id, 20)
    tt.record_delay(s2.sailing_id, 20)
    tt.record_delay(s3.sailing_id, 10)
    report = DailyReport(tt, DAY)
    assert report.late_sailings() == [(s2.sailing_id, 20), (s1.sailing_id, 20)]
    assert DailyReport(tt, DAY, late_threshold_minutes=9).late_sailings()[-1] == (
        s3.sailing_id, 10)
    assert report.summary()["late"] == 2


def test_busiest_tie_goes_to_earliest():
    tt = network()
    late = tt.schedule("BBB", "CCC", "V1", at(11))  # 20 seats
    early = tt.schedule("AAA", "BBB", "V3", at(9))  # 40 seats
    tt.book(late.sailing_id, 5)
    tt.book(early.sailing_id, 10)
    assert DailyReport(tt, DAY).busiest_sailing() is early


def test_revenue_only_counts_the_day_and_includes_fees():
    tt = network()
    s1 = tt.schedule("AAA", "BBB", "V1", at(8))
    s2 = tt.schedule("AAA", "BBB", "V2", at(8, 0, DAY + timedelta(days=1)))
    tt.schedule("BBB", "CCC", "V3", at(9))
    tt.book(s1.sailing_id, 1)
    b = tt.book(s1.sailing_id, 2)
    tt.book(s2.sailing_id, 3)
    tt.cancel(b.ref)
    report = DailyReport(tt, DAY)
    assert report.revenue_by_route() == {"AAA-BBB": 1000 + 200, "BBB-CCC": 0}
    assert list(report.revenue_by_route()) == ["AAA-BBB", "BBB-CCC"]
    assert report.summary()["passengers"] == 1


def test_random_report_matches_reference():
    tt, codes, rng = random_timetable(4242, n_ports=6, n_sailings=50)
    for s in tt.sailings:
        if rng.random() < 0.3:
            tt.record_delay(s.sailing_id, rng.randint(0, 40))
    for b in list(tt.bookings):
        if rng.random() < 0.2:
            tt.cancel(b.ref)
    report = DailyReport(tt, DAY)
    expected = {}
    for s in tt.sailings:
        if s.departure.date() != DAY:
            continue
        total = sum(b.fare_cents if not b.cancelled else (b.fare_cents * 10 + 50) // 100
                    for b in tt.bookings if b.sailing is s)
        expected[s.route.code] = expected.get(s.route.code, 0) + total
    assert report.revenue_by_route() == dict(sorted(expected.items()))
    loads = {sid: (p, v) for sid, p, v in report.load_factors()}
    for s in tt.sailings:
        pax = sum(b.passengers for b in tt.bookings if b.sailing is s and not b.cancelled)
        assert loads[s.sailing_id][0] == round(pax / s.vessel.passengers, 3)
    late = sorted(((s.sailing_id, s.delay_minutes) for s in tt.sailings
                   if s.delay_minutes > 10), key=lambda t: (-t[1], t[0]))
    assert report.late_sailings() == late
    text = report.render()
    for code, cents in expected.items():
        assert f"{code:<8} {cents / 100:>12.2f}" in text
