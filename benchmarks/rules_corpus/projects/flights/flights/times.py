"""Clock times as minutes after midnight of the first day, and their text forms."""

from __future__ import annotations

import re

TIME_PATTERN = r"^(\d{1,2}):(\d{2})(?:\+(\d))?$"
NUMBER_PATTERN = r"^([A-Z0-9]{2})(\d{1,4})$"

DAY = 24 * 60


def parse_time(value: int | str) -> int:
    """Minutes after midnight for ``"HH:MM"`` or ``"HH:MM+D"`` (D days later), or an int."""
    if isinstance(value, bool):
        raise TypeError("a time must be minutes or 'HH:MM'")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"negative time {value}")
        return value
    if not isinstance(value, str):
        raise TypeError("a time must be minutes or 'HH:MM'")
    match = re.match(TIME_PATTERN, value.strip())
    if match is None:
        raise ValueError(f"bad time {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(f"bad time {value!r}")
    days = int(match.group(3) or 0)
    return days * DAY + hours * 60 + minutes


def format_minutes(total: int) -> str:
    """``"HH:MM"``, with ``"+D"`` appended when the time falls on a later day."""
    days = total // DAY
    rest = total - days * DAY
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    if days:
        text += f"+{days}"
    return text


def format_duration(minutes: int) -> str:
    hours = minutes // 60
    return f"{hours}h{minutes - hours * 60:02d}"


def airline_of(number: str) -> str:
    """The two-character carrier code of a flight number such as ``"LH1234"``."""
    match = re.match(NUMBER_PATTERN, number) if isinstance(number, str) else None
    if match is None:
        raise ValueError(f"bad flight number {number!r}")
    return match.group(1)
