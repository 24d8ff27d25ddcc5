"""Clock and date helpers.  Timetable times are seconds after the start of the service day;
hours may run past 24 for trips after midnight (``25:10:00`` is 01:10 the next day)."""

from __future__ import annotations

import re
from datetime import date

DAY_SECONDS = 24 * 3600
MAX_HOURS = 48
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_TIME_RE = re.compile(r"^\s*(\d{1,2}):([0-5]\d):([0-5]\d)\s*$")
_DATE_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_time(text: str) -> int:
    """Parse ``H:MM:SS`` / ``HH:MM:SS`` into seconds."""
    if not isinstance(text, str):
        raise TypeError(f"time must be a string, got {type(text).__name__}")
    m = _TIME_RE.match(text)
    if m is None:
        raise ValueError(f"malformed time {text!r}")
    hours, minutes, seconds = (int(part) for part in m.groups())
    if hours >= MAX_HOURS:
        raise ValueError(f"time {text!r} is beyond {MAX_HOURS} hours")
    return hours * 3600 + minutes * 60 + seconds


def format_time(seconds: int) -> str:
    """Inverse of :func:`parse_time`; hours are not wrapped at midnight."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError("seconds must be an int")
    if seconds < 0:
        raise ValueError("negative time")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def format_clock(seconds: int) -> str:
    """Wall-clock ``HH:MM``; times after midnight get a ``+1`` day marker."""
    if seconds < 0:
        raise ValueError("negative time")
    days, rest = divmod(int(seconds), DAY_SECONDS)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"
    return f"{text}+{days}" if days else text


def format_duration(seconds: int) -> str:
    """Human duration such as ``1h05`` or ``7 min`` (rounded up to whole minutes)."""
    if seconds < 0:
        raise ValueError("negative duration")
    minutes = (seconds + 59) // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60}h{minutes % 60:02d}"


def parse_date(text: str) -> date:
    """Parse a ``YYYYMMDD`` service date."""
    if not isinstance(text, str):
        raise TypeError("date must be a string")
    m = _DATE_RE.match(text)
    if m is None:
        raise ValueError(f"malformed date {text!r}")
    year, month, day = (int(part) for part in m.groups())
    return date(year, month, day)
