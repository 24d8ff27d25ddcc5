"""Departures from the published timetable (a list of {"stop", "time", "line"} dicts)."""

from __future__ import annotations


def parse_hhmm(text):
    hours, minutes = text.strip().split(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h < 48 and 0 <= m < 60):
        raise ValueError(f"bad time {text!r}")
    return h * 60 + m


def format_hhmm(minutes):
    minutes = int(round(minutes))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def next_departures(timetable, stop, after, count=3):
    """The next `count` departures from `stop` at or after `after` ("HH:MM"), earliest first."""
    start = parse_hhmm(after)
    found = []
    for entry in timetable:
        if entry["stop"] != stop:
            continue
        when = parse_hhmm(entry["time"])
        if when >= start:
            found.append((when, entry["line"]))
    found.sort()
    return [(format_hhmm(when), line) for when, line in found[:count]]
