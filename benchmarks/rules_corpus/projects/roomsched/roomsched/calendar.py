"""One day's bookings for every room in the building."""

from __future__ import annotations

from roomsched.models import Booking, Room
from roomsched.timeutil import DAY_END, DAY_START, format_time, overlaps, parse_time


class BookingError(ValueError):
    pass


class Calendar:
    def __init__(self, rooms: list[Room]) -> None:
        self.rooms = list(rooms)
        self.bookings: list[Booking] = []

    def room(self, name: str) -> Room:
        for room in self.rooms:
            if room.name == name:
                return room
        raise BookingError(f"no room called {name!r}")

    def bookings_for(self, room_name: str) -> list[Booking]:
        return [b for b in self.bookings if b.room == room_name]

    def is_free(self, room_name: str, start: str, end: str) -> bool:
        for booking in self.bookings_for(room_name):
            if overlaps(booking.start, booking.end, start, end):
                return False
        return True

    def book(self, room_name: str, start: str, end: str, title: str, owner: str) -> Booking:
        self.room(room_name)
        if parse_time(end) <= parse_time(start):
            raise BookingError(f"{title}: ends before it starts")
        if parse_time(start) < parse_time(DAY_START) or parse_time(end) > parse_time(DAY_END):
            raise BookingError(f"{title}: outside opening hours")
        if not self.is_free(room_name, start, end):
            raise BookingError(f"{title}: {room_name} is taken {start}-{end}")
        booking = Booking(room_name, start, end, title, owner)
        self.bookings.append(booking)
        self.bookings.sort(key=lambda b: (parse_time(b.start), b.room))
        return booking

    def cancel(self, room_name: str, start: str) -> Booking:
        for i, booking in enumerate(self.bookings):
            if booking.room == room_name and booking.start == start:
                return self.bookings.pop(i)
        raise BookingError(f"nothing booked in {room_name} at {start}")

    def next_free(self, room_name: str, after: str, minutes: int) -> str | None:
        """Earliest start at or after `after` with `minutes` free in the room, or None."""
        candidate = parse_time(after)
        for booking in self.bookings_for(room_name):
            if parse_time(booking.end) <= candidate:
                continue
            if parse_time(booking.start) >= candidate + minutes:
                break
            candidate = parse_time(booking.end)
        if candidate + minutes > parse_time(DAY_END):
            return None
        return format_time(candidate)

    def agenda(self, owner: str) -> list[str]:
        return [b.describe() for b in self.bookings if b.owner == owner]
