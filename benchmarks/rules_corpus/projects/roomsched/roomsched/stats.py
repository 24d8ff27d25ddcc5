"""How well the rooms are used."""

from __future__ import annotations

from roomsched.calendar import Calendar
from roomsched.timeutil import DAY_END, DAY_START, duration, parse_time


def utilization(calendar: Calendar) -> dict[str, float]:
    """Share of opening hours each room is booked, rounded to 3 places, in room order."""
    opening = duration(DAY_START, DAY_END)
    result = {}
    for room in calendar.rooms:
        used = 0
        for booking in calendar.bookings_for(room.name):
            used += duration(booking.start, booking.end)
        result[room.name] = round(used / opening, 3)
    return result


def busiest_hour(calendar: Calendar) -> tuple[int, int]:
    """(hour, number of rooms in use at its start) for the busiest full hour."""
    best = (parse_time(DAY_START) // 60, -1)
    for hour in range(parse_time(DAY_START) // 60, parse_time(DAY_END) // 60):
        at = hour * 60
        in_use = 0
        for booking in calendar.bookings:
            if parse_time(booking.start) <= at < parse_time(booking.end):
                in_use += 1
        if in_use > best[1]:
            best = (hour, in_use)
    return best
