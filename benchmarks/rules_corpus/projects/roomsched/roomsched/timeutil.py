"""Times of day as 'HH:MM' strings, the way the booking form sends them."""

from __future__ import annotations

DAY_START = "07:00"
DAY_END = "22:00"


def parse_time(text: str) -> int:
    """Minutes since midnight."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(f"not a time: {text!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"not a time: {text!r}")
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def overlaps(start_a: str, end_a: str, start_b: str, end_b: str) -> bool:
    return parse_time(start_a) < parse_time(end_b) and parse_time(start_b) < parse_time(end_a)


def duration(start: str, end: str) -> int:
    return parse_time(end) - parse_time(start)
