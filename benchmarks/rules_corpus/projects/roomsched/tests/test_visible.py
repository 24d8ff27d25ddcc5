import pytest

from roomsched import BookingError, Calendar, Request, Room, allocate
from roomsched.stats import busiest_hour, utilization
from roomsched.timeutil import format_time, parse_time


def calendar() -> Calendar:
    return Calendar([Room("big", 10, ["projector"]), Room("small", 4), Room("mid", 6)])


def test_times() -> None:
    assert parse_time("09:30") == 570
    assert format_time(570) == "09:30"
    with pytest.raises(ValueError):
        parse_time("9.30")


def test_book_and_conflicts() -> None:
    cal = calendar()
    cal.book("small", "10:00", "11:00", "standup", "ann")
    cal.book("small", "09:00", "10:00", "early", "ann")
    assert [b.start for b in cal.bookings] == ["09:00", "10:00"]
    assert not cal.is_free("small", "10:30", "11:30")
    assert cal.is_free("small", "11:00", "12:00")
    with pytest.raises(BookingError):
        cal.book("small", "10:15", "10:45", "clash", "bob")
    with pytest.raises(BookingError):
        cal.book("attic", "10:00", "11:00", "x", "bob")


def test_next_free() -> None:
    cal = calendar()
    cal.book("mid", "09:00", "10:00", "a", "x")
    cal.book("mid", "10:30", "11:00", "b", "x")
    assert cal.next_free("mid", "09:00", 30) == "10:00"
    assert cal.next_free("mid", "09:00", 45) == "11:00"
    assert cal.next_free("mid", "21:30", 60) is None


def test_allocate_smallest_room_and_flexible() -> None:
    cal = calendar()
    requests = [
        Request("a", "x", "09:00", "10:00", 3),
        Request("b", "x", "09:00", "10:00", 3),
        Request("c", "x", "09:00", "10:00", 3, ["projector"]),
        Request("d", "x", "09:00", "10:00", 3, flexible=True),
        Request("e", "x", "09:00", "10:00", 3),
    ]
    booked, refused = allocate(cal, requests)
    assert [(r.title, b.room, b.start) for r, b in booked] == [
        ("a", "small", "09:00"), ("b", "mid", "09:00"), ("c", "big", "09:00"),
        ("d", "small", "10:00"),
    ]
    assert [r.title for r, _ in refused] == ["e"]
    assert utilization(cal)["small"] == round(120 / 900, 3)
    assert busiest_hour(cal) == (9, 3)
