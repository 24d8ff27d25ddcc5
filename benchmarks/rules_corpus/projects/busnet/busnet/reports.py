"""Service reports: headways per line, punctuality per stop and stop-name search."""

import string
import unicodedata

from .network import get_stop, stop_name
from .timeutil import parse_time


def line_departures(network, line_id, stop_id):
    """Sorted departure times ('HH:MM') of line_id's trips from stop_id (arrivals at a trip's
    final stop are not departures)."""
    if line_id not in network["lines"]:
        raise KeyError(f"unknown line {line_id}")
    times = []
    for trip in network["trips"]:
        if trip["line_id"] != line_id:
            continue
        for st in trip["stop_times"][:-1]:
            if st["stop_id"] == stop_id:
                times.append(st["time"])
    return sorted(times, key=parse_time)


def headway(network, line_id, stop_id):
    """{"departures", "mean", "max"} for the gaps between departures; None if fewer than two."""
    times = line_departures(network, line_id, stop_id)
    if len(times) < 2:
        return None
    gaps = []
    for i in range(1, len(times)):
        gaps.append(parse_time(times[i]) - parse_time(times[i - 1]))
    return {
        "departures": len(times),
        "mean": round(sum(gaps) / len(gaps), 2),
        "max": max(gaps),
    }


def headway_report(network):
    """{line_id: {stop_id: headway}} for every stop of every line that has a headway."""
    report = {}
    for line_id in sorted(network["lines"]):
        per_stop = {}
        for stop_id in network["lines"][line_id]:
            h = headway(network, line_id, stop_id)
            if h is not None:
                per_stop[stop_id] = h
        report[line_id] = per_stop
    return report


def scheduled_time(network, trip_id, stop_id):
    """The scheduled 'HH:MM' of trip_id at stop_id, or None if the trip does not call there."""
    for trip in network["trips"]:
        if trip["trip_id"] == trip_id:
            for st in trip["stop_times"]:
                if st["stop_id"] == stop_id:
                    return st["time"]
    return None


def punctuality_report(network, actuals, early=1, late=5):
    """Compare observed times with the timetable.

    Returns {"stops": {stop_id: {...}}, "matched": n, "unmatched": n, "on_time_pct": x}.
    A call is on time when it is at most `early` minutes early and at most `late` minutes late.
    Observations whose trip or stop is not in the timetable are counted as unmatched.
    """
    delays = {}
    unmatched = 0
    for record in actuals:
        planned = scheduled_time(network, record["trip_id"], record["stop_id"])
        if planned is None:
            unmatched += 1
            continue
        delay = parse_time(record["time"]) - parse_time(planned)
        if record["stop_id"] not in delays:
            delays[record["stop_id"]] = []
        delays[record["stop_id"]].append(delay)
    stops = {}
    on_time_total = 0
    matched = 0
    for stop_id in sorted(delays):
        values = delays[stop_id]
        on_time = len([d for d in values if -early <= d <= late])
        on_time_total += on_time
        matched += len(values)
        stops[stop_id] = {
            "count": len(values),
            "mean_delay": round(sum(values) / len(values), 2),
            "max_delay": max(values),
            "on_time_pct": round(100.0 * on_time / len(values), 1),
        }
    return {
        "stops": stops,
        "matched": matched,
        "unmatched": unmatched,
        "on_time_pct": round(100.0 * on_time_total / matched, 1) if matched else None,
    }


def worst_stops(network, report, n=5):
    """Text lines for the n stops with the highest mean delay (ties by stop id)."""
    ranked = sorted(report["stops"].items(), key=lambda kv: (-kv[1]["mean_delay"], kv[0]))
    out = []
    for stop_id, row in ranked[:n]:
        out.append(
            f"{stop_name(network, stop_id)} ({stop_id}): mean {row['mean_delay']:+.2f} min, "
            f"max {row['max_delay']} min, {row['on_time_pct']}% on time"
        )
    return out


def normalise(name):
    """Lowercase, strip accents and punctuation, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = letters.lower()
    for ch in string.punctuation:
        letters = letters.replace(ch, " ")
    return " ".join(letters.split())


def search_stops(network, query, limit=10):
    """Stops whose normalised name contains every word of the query.

    Exact matches come first, then names starting with the query, then the rest; within a
    group by normalised name, then stop id. Returns a list of stop dicts.
    """
    words = normalise(query).split()
    if not words:
        return []
    found = []
    for stop in network["stops"]:
        if all(w in normalise(stop["name"]) for w in words):
            found.append(stop)

    def rank(stop):
        name = normalise(stop["name"])
        target = normalise(query)
        if name == target:
            group = 0
        elif name.startswith(target):
            group = 1
        else:
            group = 2
        return (group, name, stop["stop_id"])

    found.sort(key=rank)
    return found[:limit]


def zone_summary(network):
    """{zone: number of stops}, zones in sorted order."""
    zones = {}
    for stop in network["stops"]:
        zones[stop["zone"]] = zones.get(stop["zone"], 0) + 1
    return dict(sorted(zones.items()))


def stop_card(network, stop_id):
    """A one-line description of a stop and the lines calling there."""
    stop = get_stop(network, stop_id)
    serving = sorted(line_id for line_id, stops in network["lines"].items() if stop_id in stops)
    return f"{stop['name']} [{stop['zone']}] lines: {', '.join(serving) or '-'}"
