"""Turning a batch of room requests into bookings."""

from __future__ import annotations

from dataclasses import dataclass, field

from roomsched.calendar import Calendar
from roomsched.timeutil import duration, format_time, parse_time


@dataclass
class Request:
    title: str
    owner: str
    start: str
    end: str
    people: int
    needs: list[str] = field(default_factory=list)
    flexible: bool = False


def smallest_fitting_rooms(calendar: Calendar, request: Request):
    """Rooms big enough and equipped for the request, smallest first (ties: listing order)."""
    ordered = sorted(calendar.rooms, key=lambda room: room.capacity)
    return [r for r in ordered if r.capacity >= request.people and r.has(request.needs)]


def allocate(calendar: Calendar, requests: list[Request]):
    """Books each request in the smallest free room; flexible requests may move later.

    Returns (booked, refused) lists of (request, booking-or-reason).
    """
    booked = []
    refused = []
    for request in requests:
        placed = None
        for room in smallest_fitting_rooms(calendar, request):
            if calendar.is_free(room.name, request.start, request.end):
                placed = calendar.book(room.name, request.start, request.end,
                                       request.title, request.owner)
                break
        if placed is None and request.flexible:
            length = duration(request.start, request.end)
            best = None
            for room in smallest_fitting_rooms(calendar, request):
                slot = calendar.next_free(room.name, request.start, length)
                if slot is not None and (best is None or parse_time(slot) < parse_time(best[1])):
                    best = (room, slot)
            if best is not None:
                room, slot = best
                placed = calendar.book(room.name, slot, format_time(parse_time(slot) + length),
                                       request.title, request.owner)
        if placed is None:
            refused.append((request, "no room"))
        else:
            booked.append((request, placed))
    return booked, refused
