"""Gateway lines look like 'sensor-id;unix-seconds;value' (decimal comma allowed)."""

from __future__ import annotations

from collections import namedtuple

Reading = namedtuple("Reading", "sensor ts value")


class StreamStats:
    def __init__(self):
        self.lines = 0
        self.bad = 0

    def __repr__(self):
        return f"StreamStats(lines={self.lines}, bad={self.bad})"


def parse_line(line):
    sensor, ts, value = line.strip().split(";")
    return Reading(sensor.strip(), int(ts), float(value.strip().replace(",", ".")))


def parse_stream(lines, stats=None):
    """Yields readings; malformed lines are skipped and counted in `stats`."""
    for line in lines:
        if stats is not None:
            stats.lines += 1
        if not line.strip() or line.startswith("#"):
            continue
        try:
            yield parse_line(line)
        except ValueError:
            if stats is not None:
                stats.bad += 1
