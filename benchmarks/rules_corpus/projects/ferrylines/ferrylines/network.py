"""Lines, stops and departure times of a ferry and shuttle-bus network."""

from __future__ import annotations

MODES = ("ferry", "bus")
DAY_MINUTES = 24 * 60


def parse_time(text: str) -> int:
    """'HH:MM' -> minutes after midnight."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(f"bad time {text!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 23 or minutes > 59:
        raise ValueError(f"bad time {text!r}")
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    """Minutes after midnight -> 'HH:MM' (times after midnight of the next day wrap)."""
    minutes = minutes % DAY_MINUTES
    hours = 0
    while minutes >= 60:
        minutes -= 60
        hours += 1
    return str(hours).zfill(2) + ":" + str(minutes).zfill(2)


class Network:
    """The lines of one operator.

    Each line is a list ``[line_id, mode, stops, departures]`` where ``stops`` is a list of
    ``(stop_name, minutes_from_first_stop)`` and ``departures`` the sorted minutes after
    midnight at which a trip leaves the first stop.
    """

    def __init__(self, name: str = "network") -> None:
        self.name = name
        self.lines: list[list] = []

    def add_line(self, line_id: str, mode: str, stops, departures=()) -> list:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        for line in self.lines:
            if line[0] == line_id:
                raise ValueError(f"duplicate line {line_id!r}")
        if len(stops) < 2:
            raise ValueError("a line needs at least two stops")
        clean = []
        previous = None
        for stop, offset in stops:
            if not stop:
                raise ValueError("empty stop name")
            if previous is None and offset != 0:
                raise ValueError("the first stop must have offset 0")
            if previous is not None and offset <= previous:
                raise ValueError("stop offsets must increase")
            for name, _ in clean:
                if name == stop:
                    raise ValueError(f"line {line_id!r} visits {stop!r} twice")
            clean.append((stop, offset))
            previous = offset
        line = [line_id, mode, clean, []]
        self.lines.append(line)
        try:
            self.add_departures(line_id, departures)
        except ValueError:
            self.lines.remove(line)
            raise
        return line

    def get_line(self, line_id: str) -> list:
        for line in self.lines:
            if line[0] == line_id:
                return line
        raise KeyError(line_id)

    def add_departures(self, line_id: str, times) -> None:
        line = self.get_line(line_id)
        times = list(times)
        for t in times:
            if not isinstance(t, int) or t < 0 or t >= DAY_MINUTES:
                raise ValueError(f"bad departure time {t!r}")
        for t in times:
            if t not in line[3]:
                line[3].append(t)
        line[3].sort()

    def remove_line(self, line_id: str) -> None:
        self.lines.remove(self.get_line(line_id))

    def stops(self) -> list[str]:
        names = []
        for line in self.lines:
            for stop, _ in line[2]:
                if stop not in names:
                    names.append(stop)
        return sorted(names)

    def lines_at(self, stop: str) -> list[str]:
        found = []
        for line in self.lines:
            for name, _ in line[2]:
                if name == stop:
                    found.append(line[0])
        return found


def offset_at(line: list, stop: str) -> int | None:
    for name, offset in line[2]:
        if name == stop:
            return offset
    return None


def trip_times(line: list, departure: int) -> list[tuple[str, int]]:
    """The (stop, time) calls of the trip leaving the first stop at ``departure``."""
    return [(stop, departure + offset) for stop, offset in line[2]]
