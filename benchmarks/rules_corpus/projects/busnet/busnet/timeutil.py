"""Clock times as 'HH:MM' strings and minutes after midnight.

Hours may run past 24 (up to 47) so that trips crossing midnight keep increasing times,
the way most published timetables write them.
"""

MAX_HOURS = 48


def parse_time(text):
    """Return the number of minutes after midnight for an 'HH:MM' string."""
    if not isinstance(text, str):
        raise ValueError(f"time must be a string, got {text!r}")
    parts = text.strip().split(":")
    if len(parts) != 2:
        raise ValueError(f"malformed time {text!r}")
    hours, minutes = parts
    if not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"malformed time {text!r}")
    h = int(hours)
    m = int(minutes)
    if h >= MAX_HOURS or m >= 60:
        raise ValueError(f"time out of range {text!r}")
    return h * 60 + m


def format_time(minutes):
    """Return 'HH:MM' for a number of minutes after midnight."""
    if minutes < 0:
        raise ValueError(f"negative time {minutes}")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_between(start, end):
    """Minutes from start to end, both 'HH:MM' strings (negative if end is earlier)."""
    return parse_time(end) - parse_time(start)

