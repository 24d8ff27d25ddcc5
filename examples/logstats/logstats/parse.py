"""Access-log line parsing (a common-log-format variant with a latency field)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Record:
    """One request."""

    client: str
    method: str
    path: str
    status: int
    size: int
    latency_ms: int


def parse_line(line: str) -> Record | None:
    """The record for one log line, or None when the line is malformed."""
    m = re.match(r'^(\S+) \S+ \S+ \[[^\]]+\] "(\w+) (\S+) [^"]*" (\d{3}) (\d+|-) (\d+)ms$', line)
    if m is None:
        return None
    size = 0 if m.group(5) == "-" else int(m.group(5))
    return Record(m.group(1), m.group(2), m.group(3), int(m.group(4)), size, int(m.group(6)))


def parse_lines(lines: list[str]) -> list[Record]:
    """Records of the well-formed lines, in order."""
    records = []
    for line in lines:
        rec = parse_line(line)
        if rec is not None:
            records.append(rec)
    return records


def normalize_path(path: str) -> str:
    """The path without its query string, with numeric segments replaced by `:id`."""
    path = path.split("?", 1)[0]
    return re.sub(r"/\d+(?=/|$)", "/:id", path)
