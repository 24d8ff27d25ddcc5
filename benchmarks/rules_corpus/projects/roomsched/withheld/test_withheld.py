import copy
import random

import pytest

from roomsched import BookingError, Calendar, Request, Room, allocate
from roomsched.allocator import smallest_fitting_rooms
from roomsched.stats import busiest_hour, utilization
from roomsched.timeutil import format_time, overlaps, parse_time


def test_time_edges() -> None:
    assert parse_time("24:00") == 1440
    assert parse_time(" 07:05 ") == 425
    for bad in ("24:01", "7:60", "ab:cd", "10", "10:00:00", "-1:00", ""):
        with pytest.raises(ValueError):
            parse_time(bad)
    assert not overlaps("09:00", "10:00", "10:00", "11:00")
    assert overlaps("09:00", "10:01", "10:00", "11:00")


def test_booking_validation() -> None:
    cal = Calendar([Room("a", 2)])
    with pytest.raises(BookingError):
        cal.book("a", "10:00", "10:00", "empty", "x")
    with pytest.raises(BookingError):
        cal.book("a", "06:45", "07:30", "early", "x")
    with pytest.raises(BookingError):
        cal.book("a", "21:30", "22:15", "late", "x")
    cal.book("a", "07:00", "22:00", "all day", "x")
    assert len(cal.bookings) == 1


def test_order_is_start_then_room_and_cancel() -> None:
    cal = Calendar([Room("b", 2), Room("a", 2)])
    cal.book("b", "09:00", "10:00", "1", "x")
    cal.book("a", "09:00", "10:00", "2", "x")
    cal.book("a", "08:00", "09:00", "3", "x")
    assert [(b.start, b.room) for b in cal.bookings] == [
        ("08:00", "a"), ("09:00", "a"), ("09:00", "b"),
    ]
    removed = cal.cancel("a", "09:00")
    assert removed.title == "2"
    assert cal.is_free("a", "09:00", "10:00")
    cal.book("a", "09:30", "10:00", "4", "x")
    assert [b.title for b in cal.bookings] == ["3", "1", "4"]
    with pytest.raises(BookingError):
        cal.cancel("a", "12:00")


def test_rooms_added_later_and_bookings_edited_directly() -> None:
    cal = Calendar([Room("a", 2)])
    cal.rooms.append(Room("z", 50))
    cal.book("z", "09:00", "10:00", "late room", "x")
    cal.bookings.clear()
    assert cal.is_free("z", "09:00", "10:00")


def test_capacity_ties_keep_room_order_and_inputs_untouched() -> None:
    rooms = [Room("r3", 4), Room("r1", 4), Room("r2", 2), Room("r0", 4, ["video"])]
    cal = Calendar(rooms)
    request = Request("t", "o", "09:00", "10:00", 3)
    assert [r.name for r in smallest_fitting_rooms(cal, request)] == ["r3", "r1", "r0"]
    requests = [Request(f"m{i}", "o", "09:00", "10:00", 3) for i in range(4)]
    snapshot = copy.deepcopy(requests)
    booked, refused = allocate(cal, requests)
    assert [b.room for _, b in booked] == ["r3", "r1", "r0"]
    assert [r.title for r, _ in refused] == ["m3"]
    assert requests == snapshot
    assert [r.name for r in rooms] == ["r3", "r1", "r2", "r0"]


def test_flexible_picks_earliest_slot_across_rooms() -> None:
    cal = Calendar([Room("s", 2), Room("m", 4)])
    cal.book("s", "09:00", "11:00", "x", "x")
    cal.book("m", "09:00", "10:00", "y", "x")
    booked, _ = allocate(cal, [Request("f", "o", "09:00", "09:30", 2, flexible=True)])
    assert (booked[0][1].room, booked[0][1].start, booked[0][1].end) == ("m", "10:00", "10:30")
    cal2 = Calendar([Room("s", 2), Room("m", 4)])
    cal2.book("s", "09:00", "10:00", "x", "x")
    cal2.book("m", "09:00", "10:00", "y", "x")
    booked, _ = allocate(cal2, [Request("f", "o", "09:00", "09:30", 2, flexible=True)])
    assert booked[0][1].room == "s"


def test_agenda_and_stats_on_empty_calendar() -> None:
    cal = Calendar([Room("a", 2), Room("b", 3)])
    assert utilization(cal) == {"a": 0.0, "b": 0.0}
    assert busiest_hour(cal) == (7, 0)
    assert cal.agenda("nobody") == []


def test_random_allocation_never_double_books() -> None:
    rng = random.Random(21)
    cal = Calendar([Room(f"r{i}", rng.choice([2, 4, 8]), rng.sample(["p", "v"], 1))
                    for i in range(6)])
    requests = []
    for i in range(150):
        start = rng.randrange(28, 84) * 15
        requests.append(Request(f"m{i}", f"u{i % 5}", format_time(start),
                                format_time(min(start + rng.choice([15, 30, 60]), 1320)),
                                rng.choice([1, 2, 5]), rng.sample(["p", "v"], rng.randint(0, 1)),
                                rng.random() < 0.5))
    booked, refused = allocate(cal, requests)
    assert len(booked) + len(refused) == 150
    keys = [(parse_time(b.start), b.room) for b in cal.bookings]
    assert keys == sorted(keys)
    for i, a in enumerate(cal.bookings):
        for b in cal.bookings[i + 1:]:
            if a.room == b.room:
                assert not overlaps(a.start, a.end, b.start, b.end)
    for request, booking in booked:
        room = cal.room(booking.room)
        assert room.capacity >= request.people and room.has(request.needs)
