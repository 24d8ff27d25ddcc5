import copy
import random
from collections import Counter
from datetime import date, timedelta

import pytest

from hotel import (
    arrivals,
    assign_rooms,
    availability_calendar,
    available_rooms,
    booking_total,
    busiest_nights,
    cheapest_plan,
    conflicts,
    date_range,
    format_revenue,
    kpis,
    nightly_rate,
    occupancy_by_night,
    occupancy_by_type,
    overbooking,
    parse_date,
    quote_stay,
    revenue_by_night,
    revenue_by_type,
    search,
    stay_nights,
    validate_booking,
)

ROOM_TYPES = [
    {"code": "SGL", "name": "Single", "capacity": 1},
    {"code": "DBL", "name": "Double", "capacity": 2},
    {"code": "FAM", "name": "Family", "capacity": 4},
]
PLANS = [
    {"code": "BAR", "prices": {"SGL": 80.0, "DBL": 100.0, "FAM": 150.0},
     "weekday_factors": {"fri": 1.1, "sat": 1.25},
     "seasons": [{"name": "a", "start": "2024-04-10", "end": "2024-04-15", "factor": 1.5},
                 {"name": "b", "start": "2024-04-14", "end": "2024-04-30", "factor": 1.2}]},
    {"code": "NRF", "prices": {"SGL": 70.0, "DBL": 90.0}, "min_nights": 3},
    {"code": "LONG", "prices": {"DBL": 95.0, "FAM": 140.0}, "min_nights": 2,
     "long_stay": {"nights": 5, "pct": 10}},
]


def booking(bid, room_type, check_in, check_out, room_id=None, status="confirmed",
            plan="BAR", guests=1):
    return {"id": bid, "room_id": room_id, "room_type": room_type, "guests": guests,
            "check_in": check_in, "check_out": check_out, "status": status, "rate_plan": plan}


def random_hotel(seed, n_rooms=14, n_bookings=120):
    rng = random.Random(seed)
    rooms = [{"id": f"R{i:02d}", "type": rng.choice(["SGL", "DBL", "DBL", "FAM"]),
              "out_of_service": rng.random() < 0.1} for i in range(n_rooms)]
    rng.shuffle(rooms)
    bookings = []
    base = date(2024, 4, 1)
    for n in range(n_bookings):
        code = rng.choice(["SGL", "DBL", "DBL", "FAM"])
        arrive = base + timedelta(days=rng.randrange(30))
        leave = arrive + timedelta(days=rng.randint(1, 6))
        same_type = [r["id"] for r in rooms if r["type"] == code]
        room_id = rng.choice(same_type) if same_type and rng.random() < 0.3 else None
        bookings.append(booking(f"B{n:03d}", code, arrive.isoformat(), leave.isoformat(),
                                room_id=room_id,
                                status=rng.choice(["confirmed", "confirmed", "checked_in",
                                                   "cancelled", "tentative", "checked_out"]),
                                plan=rng.choice(["BAR", "BAR", "LONG"]) if code != "SGL"
                                else "BAR"))
    return rooms, bookings


ACTIVE = {"confirmed", "checked_in", "checked_out"}


def ref_nights(b):
    start = date.fromisoformat(b["check_in"])
    end = date.fromisoformat(b["check_out"])
    return [start + timedelta(days=i) for i in range((end - start).days)]


def ref_demand(bookings):
    demand = Counter()
    for b in bookings:
        if b["status"] in ACTIVE:
            for night in ref_nights(b):
                demand[b["room_type"], night] += 1
    return demand


def test_empty_inputs():
    assert date_range("2024-04-05", "2024-04-05") == []
    assert date_range("2024-04-06", "2024-04-05") == []
    assert assign_rooms([], []) == {}
    assert availability_calendar([], [], "2024-04-01", "2024-04-03") == {}
    assert occupancy_by_night([], [], "2024-04-01", "2024-04-02") == [
        {"night": "2024-04-01", "occupied": 0, "available": 0, "pct": 0.0}]
    assert search([], ROOM_TYPES, [], PLANS, "2024-04-01", "2024-04-02") == []
    assert overbooking([], [], "2024-04-01", "2024-04-09") == []
    assert conflicts([]) == []
    assert revenue_by_type([], PLANS, "2024-04-01", "2024-04-09") == {}
    assert kpis([], [], PLANS, "2024-04-01", "2024-04-03") == {
        "revenue": 0.0, "room_nights": 0, "occupancy": 0.0, "adr": 0.0, "revpar": 0.0}
    assert busiest_nights([], top=3) == []
    assert format_revenue([]) == ""


def test_parse_date_inputs_and_errors():
    assert parse_date(" 2024-04-05 ") == date(2024, 4, 5)
    assert parse_date("2024-4-5") == date(2024, 4, 5)
    assert parse_date(date(2024, 4, 5)) == date(2024, 4, 5)
    with pytest.raises(TypeError):
        parse_date(20240405)
    with pytest.raises(ValueError):
        parse_date("05/04/2024")
    with pytest.raises(ValueError):
        parse_date("2024-02-30")


def test_stay_errors():
    with pytest.raises(ValueError):
        stay_nights("2024-04-05", "2024-04-04")
    with pytest.raises(ValueError):
        stay_nights("2024-01-01", "2024-03-02")
    assert len(stay_nights("2024-01-01", "2024-03-01")) == 60
    with pytest.raises(ValueError):
        quote_stay(PLANS[1], "DBL", "2024-04-01", "2024-04-03")
    with pytest.raises(KeyError):
        nightly_rate(PLANS[1], "FAM", date(2024, 4, 1))
    with pytest.raises(KeyError):
        booking_total(booking("X", "DBL", "2024-04-01", "2024-04-02", plan="NOPE"), PLANS)
    with pytest.raises(ValueError):
        busiest_nights([], top=-1)


def test_validate_booking_errors():
    rooms = [{"id": "1", "type": "SGL"}, {"id": "2", "type": "DBL"}]
    good = booking("A", "DBL", "2024-04-01", "2024-04-03", room_id="2", guests=2)
    validate_booking(good, rooms, ROOM_TYPES)
    missing = dict(good)
    del missing["check_out"]
    with pytest.raises(KeyError):
        validate_booking(missing, rooms, ROOM_TYPES)
    with pytest.raises(KeyError):
        validate_booking(dict(good, room_type="PENT"), rooms, ROOM_TYPES)
    with pytest.raises(KeyError):
        validate_booking(dict(good, room_id="9"), rooms, ROOM_TYPES)
    with pytest.raises(ValueError):
        validate_booking(dict(good, room_id="1"), rooms, ROOM_TYPES)
    with pytest.raises(ValueError):
        validate_booking(dict(good, guests=0), rooms, ROOM_TYPES)
    with pytest.raises(ValueError):
        validate_booking(dict(good, status="lost"), rooms, ROOM_TYPES)
    with pytest.raises(ValueError):
        validate_booking(dict(good, check_out="2024-04-01"), rooms, ROOM_TYPES)


def test_rates_seasons_weekdays_and_long_stay():
    bar = PLANS[0]
    # first matching season wins; season end is inclusive
    assert nightly_rate(bar, "DBL", date(2024, 4, 15)) == 150.0  # Monday, season a
    assert nightly_rate(bar, "DBL", date(2024, 4, 16)) == 120.0  # season b
    assert nightly_rate(bar, "SGL", date(2024, 4, 12)) == 132.0  # Friday, season a
    assert nightly_rate(bar, "DBL", date(2024, 5, 1)) == 100.0
    assert quote_stay(PLANS[2], "DBL", "2024-04-01", "2024-04-05") == 380.0
    assert quote_stay(PLANS[2], "DBL", "2024-04-01", "2024-04-06") == 427.5
    assert quote_stay(bar, "SGL", date(2024, 4, 11), date(2024, 4, 13)) == 252.0


def test_cheapest_plan_ties_and_min_nights():
    plans = [{"code": "ZED", "prices": {"DBL": 100.0}},
             {"code": "ABC", "prices": {"DBL": 100.0}},
             {"code": "MIN", "prices": {"DBL": 10.0}, "min_nights": 4}]
    assert cheapest_plan(plans, "DBL", "2024-05-06", "2024-05-08") == ("ABC", 200.0)
    assert cheapest_plan(plans, "DBL", "2024-05-06", "2024-05-10") == ("MIN", 40.0)
    assert cheapest_plan(plans, "FAM", "2024-05-06", "2024-05-08") is None


def test_busiest_nights_ties():
    rows = [{"night": "2024-04-03", "occupied": 5}, {"night": "2024-04-01", "occupied": 5},
            {"night": "2024-04-02", "occupied": 7}, {"night": "2024-04-04", "occupied": 1}]
    assert [r["night"] for r in busiest_nights(rows, top=3)] == [
        "2024-04-02", "2024-04-01", "2024-04-03"]
    assert busiest_nights(rows, top=0) == []


def test_search_ties_and_guest_filter():
    rooms = [{"id": "1", "type": "DBL"}, {"id": "2", "type": "TWN"},
             {"id": "3", "type": "SGL"}]
    kinds = [{"code": "TWN", "capacity": 2}, {"code": "DBL", "capacity": 2},
             {"code": "SGL", "capacity": 1}]
    plans = [{"code": "BAR", "prices": {"DBL": 90.0, "TWN": 90.0, "SGL": 90.0}}]
    offers = search(rooms, kinds, [], plans, "2024-05-06", "2024-05-07", guests=2)
    assert [o["room_type"] for o in offers] == ["DBL", "TWN"]
    taken = [booking("X", "TWN", "2024-05-05", "2024-05-07")]
    offers = search(rooms, kinds, taken, plans, "2024-05-06", "2024-05-07", guests=2)
    assert [o["room_type"] for o in offers] == ["DBL"]


def test_mutation_after_calls_is_seen():
    rooms = [{"id": "1", "type": "DBL"}, {"id": "2", "type": "DBL"}]
    bookings = [booking("A", "DBL", "2024-04-01", "2024-04-03", room_id="1"),
                booking("B", "DBL", "2024-04-02", "2024-04-04")]
    first = occupancy_by_night(bookings, rooms, "2024-04-01", "2024-04-04")
    assert [r["occupied"] for r in first] == [1, 2, 1]
    assert assign_rooms(bookings, rooms) == {"B": "2"}
    bookings[0]["status"] = "cancelled"
    assert [r["occupied"] for r in occupancy_by_night(bookings, rooms, "2024-04-01",
                                                      "2024-04-04")] == [0, 1, 1]
    assert assign_rooms(bookings, rooms) == {"B": "1"}
    bookings[1]["check_out"] = "2024-04-05"
    assert availability_calendar(rooms, bookings, "2024-04-01", "2024-04-05") == {
        "DBL": [2, 1, 1, 1]}
    rooms[0]["out_of_service"] = True
    assert available_rooms(rooms, ROOM_TYPES, bookings, "2024-04-01", "2024-04-02") == ["2"]
    assert assign_rooms(bookings, rooms) == {"B": "2"}
    plans = copy.deepcopy(PLANS)
    before = revenue_by_night(bookings, plans, "2024-04-02", "2024-04-03")
    plans[0]["prices"]["DBL"] = 200.0
    plans[0]["seasons"].append({"name": "x", "start": "2024-04-01", "end": "2024-04-03",
                                "factor": 3.0})
    after = revenue_by_night(bookings, plans, "2024-04-02", "2024-04-03")
    assert before == [("2024-04-02", 100.0)] and after == [("2024-04-02", 600.0)]
    bookings.append(booking("C", "DBL", "2024-04-02", "2024-04-03"))
    bookings.append(booking("D", "DBL", "2024-04-02", "2024-04-03"))
    assert overbooking(bookings, rooms, "2024-04-02", "2024-04-03") == [
        {"night": "2024-04-02", "room_type": "DBL", "demand": 3, "capacity": 1}]


def test_calls_do_not_mutate_inputs():
    rooms, bookings = random_hotel(3)
    saved = copy.deepcopy((rooms, bookings))
    assign_rooms(bookings, rooms)
    search(rooms, ROOM_TYPES, bookings, PLANS, "2024-04-05", "2024-04-08", 2)
    kpis(bookings, rooms, PLANS, "2024-04-01", "2024-05-01")
    assert (rooms, bookings) == saved


def test_date_objects_in_bookings():
    rooms = [{"id": "1", "type": "SGL"}]
    bookings = [booking("A", "SGL", date(2024, 4, 1), date(2024, 4, 3), room_id="1"),
                booking("B", "SGL", "2024-04-02 ", " 2024-04-04")]
    assert conflicts(bookings) == []
    assert assign_rooms(bookings, rooms) == {"B": None}
    rows = occupancy_by_night(bookings, rooms, date(2024, 4, 1), "2024-04-05")
    assert [r["occupied"] for r in rows] == [1, 2, 1, 0]
    assert arrivals(bookings, "2024-04-02") == ["B"]


def test_revenue_by_type_and_kpis_small():
    rooms = [{"id": "1", "type": "DBL"}, {"id": "2", "type": "SGL"}]
    bookings = [booking("A", "DBL", "2024-04-01", "2024-04-03", room_id="1"),
                booking("B", "SGL", "2024-04-02", "2024-04-03", room_id="2"),
                booking("C", "DBL", "2024-03-30", "2024-04-02", status="checked_out"),
                booking("D", "SGL", "2024-04-02", "2024-04-03", status="tentative")]
    assert revenue_by_type(bookings, PLANS, "2024-04-01", "2024-04-05") == {
        "DBL": 200.0, "SGL": 80.0}
    figures = kpis(bookings, rooms, PLANS, "2024-04-01", "2024-04-03")
    assert figures == {"revenue": 380.0, "room_nights": 4, "occupancy": 100.0,
                       "adr": 95.0, "revpar": 95.0}
    text = format_revenue(revenue_by_night(bookings, PLANS, "2024-04-01", "2024-04-03"))
    assert text.splitlines() == [f"2024-04-01 Mon {'200.00 EUR':>16}",
                                 f"2024-04-02 Tue {'180.00 EUR':>16}"]


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_random_reports_against_reference(seed):
    rooms, bookings = random_hotel(seed)
    start, end = "2024-03-30", "2024-05-03"
    nights = [date(2024, 3, 30) + timedelta(days=i) for i in range(34)]
    demand = ref_demand(bookings)
    capacity = Counter(r["type"] for r in rooms if not r["out_of_service"])
    types = sorted({r["type"] for r in rooms})
    assert availability_calendar(rooms, bookings, start, end) == {
        t: [max(capacity[t] - demand[t, n], 0) for n in nights] for t in types}
    expected_over = []
    for n in nights:
        for t in sorted(set(types) | {b["room_type"] for b in bookings
                                      if b["status"] in ACTIVE}):
            if demand[t, n] > capacity[t]:
                expected_over.append({"night": n.isoformat(), "room_type": t,
                                      "demand": demand[t, n], "capacity": capacity[t]})
    assert overbooking(bookings, rooms, start, end) == expected_over
    rows = occupancy_by_night(bookings, rooms, start, end)
    assert [r["occupied"] for r in rows] == [sum(demand[t, n] for t in ("SGL", "DBL", "FAM"))
                                             for n in nights]
    by_type = occupancy_by_type(bookings, rooms, start, end)
    for t in types:
        assert by_type[t]["sold"] == sum(demand[t, n] for n in nights)
        assert by_type[t]["available"] == capacity[t] * len(nights)
    plans = {p["code"]: p for p in PLANS}
    revenue = revenue_by_night(bookings, PLANS, start, end)
    for (night, total), n in zip(revenue, nights, strict=True):
        assert night == n.isoformat()
        expected = 0.0
        for b in bookings:
            if b["status"] in ACTIVE and n in ref_nights(b):
                expected += nightly_rate(plans[b["rate_plan"]], b["room_type"], n)
        assert total == round(expected, 2)


@pytest.mark.parametrize("seed", [7, 8])
def test_random_assignment_and_conflicts_against_reference(seed):
    rooms, bookings = random_hotel(seed, n_rooms=10, n_bookings=90)
    held = {}
    expected_conflicts = set()
    active = [b for b in bookings if b["status"] in ACTIVE]
    for b in active:
        if b["room_id"] is None:
            continue
        for n in ref_nights(b):
            for other in held.get((b["room_id"], n), []):
                expected_conflicts.add(tuple(sorted((other, b["id"]))))
            held.setdefault((b["room_id"], n), []).append(b["id"])
    assert conflicts(bookings) == sorted(expected_conflicts)
    waiting = sorted((b for b in active if b["room_id"] is None),
                     key=lambda b: (b["check_in"], b["id"]))
    expected = {}
    usable = sorted((r for r in rooms if not r["out_of_service"]), key=lambda r: r["id"])
    for b in waiting:
        chosen = None
        for r in usable:
            if r["type"] == b["room_type"] and all((r["id"], n) not in held
                                                    for n in ref_nights(b)):
                chosen = r["id"]
                break
        expected[b["id"]] = chosen
        if chosen:
            for n in ref_nights(b):
                held.setdefault((chosen, n), []).append(b["id"])
    assert assign_rooms(bookings, rooms) == expected


def test_random_search_against_reference():
    rooms, bookings = random_hotel(11)
    demand = ref_demand(bookings)
    capacity = Counter(r["type"] for r in rooms if not r["out_of_service"])
    rng = random.Random(11)
    for _ in range(15):
        arrive = date(2024, 4, 1) + timedelta(days=rng.randrange(28))
        leave = arrive + timedelta(days=rng.randint(1, 7))
        guests = rng.randint(1, 4)
        stay = [arrive + timedelta(days=i) for i in range((leave - arrive).days)]
        expected = []
        for kind in ROOM_TYPES:
            if kind["capacity"] < guests:
                continue
            free = min(capacity[kind["code"]] - demand[kind["code"], n] for n in stay)
            free = min(free, capacity[kind["code"]])
            if free <= 0:
                continue
            best = cheapest_plan(PLANS, kind["code"], arrive.isoformat(), leave.isoformat())
            if best is not None:
                expected.append({"room_type": kind["code"], "free": free, "plan": best[0],
                                  "total": best[1]})
        expected.sort(key=lambda o: (o["total"], o["room_type"]))
        assert search(rooms, ROOM_TYPES, bookings, PLANS, arrive.isoformat(),
                      leave.isoformat(), guests) == expected
