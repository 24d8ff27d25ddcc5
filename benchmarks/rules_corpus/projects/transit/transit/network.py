"""The network: a list of undirected links between stops, as the operator publishes them.

Each link is (stop_a, stop_b, minutes, line).
"""

from __future__ import annotations


class NetworkError(ValueError):
    pass


def load_network(lines):
    links = []
    for number, raw in enumerate(lines, start=1):
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split(",")]
        if len(fields) != 4:
            raise NetworkError(f"line {number}: expected a,b,minutes,line")
        a, b, minutes, line = fields
        value = float(minutes)
        if value < 0:
            raise NetworkError(f"line {number}: negative travel time")
        if a == b:
            raise NetworkError(f"line {number}: link from {a} to itself")
        links.append((a, b, value, line))
    return links


def stops(links):
    """Every stop, in the order the operator's file first mentions it."""
    seen = []
    for a, b, _, _ in links:
        if a not in seen:
            seen.append(a)
        if b not in seen:
            seen.append(b)
    return seen


def neighbors(links, stop):
    """(next_stop, minutes, line) for every link touching `stop`, in file order."""
    result = []
    for a, b, minutes, line in links:
        if a == stop:
            result.append((b, minutes, line))
        elif b == stop:
            result.append((a, minutes, line))
    return result


def lines_at(links, stop):
    names = []
    for _, _, line in neighbors(links, stop):
        if line not in names:
            names.append(line)
    return sorted(names)
