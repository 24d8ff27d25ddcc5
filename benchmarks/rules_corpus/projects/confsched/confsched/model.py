"""Plain value classes: clock times, slots, rooms, speakers, talks and bookings."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def parse_time(text: str) -> int:
    """Turn an 'HH:MM' string into minutes after midnight."""
    if not isinstance(text, str):
        raise TypeError(f"time must be a string, not {type(text).__name__}")
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not an HH:MM time: {text!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(f"time out of range: {text!r}")
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    if not 0 <= minutes < 24 * 60:
        raise ValueError(f"minutes out of range: {minutes}")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Slot:
    """A stretch of time on one day of the conference, kept as the 'HH:MM' strings given."""

    def __init__(self, day: int, start: str, end: str) -> None:
        if day < 1:
            raise ValueError(f"days are counted from 1, got {day}")
        if parse_time(end) <= parse_time(start):
            raise ValueError(f"slot ends before it starts: {start}-{end}")
        self.day = day
        self.start = start
        self.end = end

    @property
    def start_minutes(self) -> int:
        return parse_time(self.start)

    @property
    def end_minutes(self) -> int:
        return parse_time(self.end)

    @property
    def duration(self) -> int:
        return self.end_minutes - self.start_minutes

    @property
    def label(self) -> str:
        return f"day {self.day} {self.start.strip()}-{self.end.strip()}"

    def overlaps(self, other: Slot) -> bool:
        if self.day != other.day:
            return False
        return self.start_minutes < other.end_minutes and other.start_minutes < self.end_minutes

    def __repr__(self) -> str:
        return f"Slot({self.day}, {self.start!r}, {self.end!r})"


class Room:
    def __init__(self, name: str, capacity: int, features: Iterable[str] = ()) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a room needs a name")
        if capacity <= 0:
            raise ValueError(f"room {name!r} needs a positive capacity, got {capacity}")
        self.name = name
        self.capacity = capacity
        self.features = frozenset(feature.strip().lower() for feature in features)

    def supports(self, needs: Iterable[str]) -> bool:
        return all(need in self.features for need in needs)

    @property
    def label(self) -> str:
        extras = ", ".join(sorted(self.features)) or "no equipment"
        return f"{self.name} ({self.capacity} seats; {extras})"


class Speaker:
    def __init__(self, name: str, max_talks: int = 3) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a speaker needs a name")
        if max_talks < 1:
            raise ValueError(f"{name} must be allowed at least one talk")
        self.name = name
        self.max_talks = max_talks


class Talk:
    def __init__(self, talk_id: str, title: str, speakers: Iterable[str], audience: int,
                 needs: Iterable[str] = (), track: str = "general") -> None:
        names = tuple(dict.fromkeys(name.strip() for name in speakers))
        if not names:
            raise ValueError(f"talk {talk_id!r} has no speakers")
        if audience < 0:
            raise ValueError(f"talk {talk_id!r} has a negative audience")
        self.talk_id = talk_id
        self.title = title
        self.speakers = names
        self.audience = audience
        self.needs = frozenset(need.strip().lower() for need in needs)
        self.track = track


class Booking:
    def __init__(self, talk_id: str, room_name: str, slot: Slot) -> None:
        self.talk_id = talk_id
        self.room_name = room_name
        self.slot = slot

    def __repr__(self) -> str:
        return f"Booking({self.talk_id!r}, {self.room_name!r}, {self.slot!r})"
