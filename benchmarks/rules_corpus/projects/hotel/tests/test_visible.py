from datetime import date

import pytest

from hotel import (
    assign_rooms,
    availability_calendar,
    available_rooms,
    nightly_rate,
    nights_between,
    occupancy_by_night,
    overbooking,
    quote_stay,
    revenue_by_night,
    search,
    validate_booking,
)

ROOM_TYPES = [
    {"code": "SGL", "name": "Single", "capacity": 1},
    {"code": "DBL", "name": "Double", "capacity": 2},
]
ROOMS = [
    {"id": "101", "type": "SGL", "floor": 1},
    {"id": "102", "type": "DBL", "floor": 1},
    {"id": "103", "type": "DBL", "floor": 1},
]
PLAN = {"code": "BAR", "prices": {"SGL": 80.0, "DBL": 100.0},
        "weekday_factors": {"sat": 1.5},
        "seasons": [{"name": "high", "start": "2024-03-10", "end": "2024-03-20", "factor": 2.0}]}


def booking(bid, room_type, check_in, check_out, room_id=None, status="confirmed"):
    return {"id": bid, "room_id": room_id, "room_type": room_type, "guests": 1,
            "check_in": check_in, "check_out": check_out, "status": status,
            "rate_plan": "BAR"}


BOOKINGS = [
    booking("B1", "DBL", "2024-03-01", "2024-03-03", room_id="102"),
    booking("B2", "DBL", "2024-03-02", "2024-03-04"),
    booking("B3", "SGL", "2024-03-01", "2024-03-02", room_id="101", status="cancelled"),
]


def test_nights_between():
    assert nights_between("2024-02-28", "2024-03-01") == 2
    assert nights_between(date(2024, 12, 31), date(2025, 1, 1)) == 1
    with pytest.raises(ValueError):
        nights_between("2024-03-02", "2024-03-02")


def test_nightly_rate_weekday_and_season():
    assert nightly_rate(PLAN, "DBL", date(2024, 3, 4)) == 100.0  # Monday
    assert nightly_rate(PLAN, "DBL", date(2024, 3, 2)) == 150.0  # Saturday
    assert nightly_rate(PLAN, "SGL", date(2024, 3, 16)) == 240.0  # Saturday in season


def test_quote_stay():
    assert quote_stay(PLAN, "DBL", "2024-03-01", "2024-03-04") == 350.0


def test_validate_booking():
    validate_booking(BOOKINGS[0], ROOMS, ROOM_TYPES)
    bad = dict(BOOKINGS[0], guests=3)
    with pytest.raises(ValueError):
        validate_booking(bad, ROOMS, ROOM_TYPES)


def test_available_rooms():
    assert available_rooms(ROOMS, ROOM_TYPES, BOOKINGS, "2024-03-01", "2024-03-02") == [
        "101", "103"]
    assert available_rooms(ROOMS, ROOM_TYPES, BOOKINGS, "2024-03-03", "2024-03-05",
                           guests=2) == ["102", "103"]


def test_assign_rooms():
    assert assign_rooms(BOOKINGS, ROOMS) == {"B2": "103"}


def test_occupancy_by_night():
    rows = occupancy_by_night(BOOKINGS, ROOMS, "2024-03-01", "2024-03-04")
    assert [(r["night"], r["occupied"]) for r in rows] == [
        ("2024-03-01", 1), ("2024-03-02", 2), ("2024-03-03", 1)]
    assert rows[1]["pct"] == 66.7


def test_revenue_by_night():
    rows = revenue_by_night(BOOKINGS, [PLAN], "2024-03-01", "2024-03-04")
    assert rows == [("2024-03-01", 100.0), ("2024-03-02", 300.0), ("2024-03-03", 100.0)]


def test_availability_and_overbooking():
    extra = BOOKINGS + [booking("B4", "DBL", "2024-03-02", "2024-03-03")]
    calendar = availability_calendar(ROOMS, extra, "2024-03-01", "2024-03-04")
    assert calendar == {"DBL": [1, 0, 1], "SGL": [1, 1, 1]}
    assert overbooking(extra, ROOMS, "2024-03-01", "2024-03-04") == [
        {"night": "2024-03-02", "room_type": "DBL", "demand": 3, "capacity": 2}]


def test_search_orders_by_price():
    offers = search(ROOMS, ROOM_TYPES, BOOKINGS, [PLAN], "2024-03-04", "2024-03-06")
    assert [(o["room_type"], o["total"], o["free"]) for o in offers] == [
        ("SGL", 160.0, 1), ("DBL", 200.0, 2)]
