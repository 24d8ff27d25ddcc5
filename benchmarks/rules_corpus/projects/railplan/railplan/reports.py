"""Delay statistics, busiest stations and the printable departures board."""

from .network import parse_time


def load_delays(text):
    """Parse "line,station,scheduled,actual" rows (with header) into dicts."""
    records = []
    for raw in text.strip().splitlines()[1:]:
        raw = raw.strip()
        if not raw:
            continue
        parts = [p.strip() for p in raw.split(",")]
        if len(parts) != 4:
            raise ValueError(f"bad delay row: {raw!r}")
        parse_time(parts[2])
        parse_time(parts[3])
        records.append({"line": parts[0], "station": parts[1],
                        "scheduled": parts[2], "actual": parts[3]})
    return records


def delay_minutes(record):
    """Actual minus scheduled, assuming the two are within 12 hours of each other."""
    diff = parse_time(record["actual"]) - parse_time(record["scheduled"])
    if diff < -720:
        diff += 1440
    elif diff > 720:
        diff -= 1440
    return diff


def delay_stats(network, records, on_time_within=2):
    """Per-line delay summary, in the order the lines were loaded."""
    stats = []
    for line in network.lines:
        line_records = [r for r in records if r["line"] == line.line_id]
        if not line_records:
            stats.append({"line": line.line_id, "count": 0, "mean": 0.0, "median": 0.0,
                          "max": 0, "on_time_pct": 100.0, "worst_station": None})
            continue
        delays = [delay_minutes(r) for r in line_records]
        ordered = sorted(delays)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            median = float(ordered[middle])
        else:
            median = (ordered[middle - 1] + ordered[middle]) / 2
        on_time = len([d for d in delays if d <= on_time_within])
        worst = None
        worst_avg = None
        for record in line_records:
            code = record["station"]
            here = [delay_minutes(r) for r in line_records if r["station"] == code]
            avg = sum(here) / len(here)
            if worst is None or avg > worst_avg or (avg == worst_avg and code < worst):
                worst = code
                worst_avg = avg
        stats.append({
            "line": line.line_id,
            "count": len(delays),
            "mean": round(sum(delays) / len(delays), 2),
            "median": median,
            "max": max(delays),
            "on_time_pct": round(100.0 * on_time / len(delays), 1),
            "worst_station": worst,
        })
    return stats


def busiest_stations(network, top=10):
    """Stations ranked by the number of timetabled calls, most first."""
    calls = []
    for trip in network.trips:
        for code, _ in trip.times(network):
            calls.append(code)
    ranking = []
    for station in network.stations:
        count = calls.count(station.code)
        if count == 0:
            continue
        ranking.append((station.code, count))
        ranking.sort(key=lambda item: (-item[1], item[0]))
    result = []
    for code, count in ranking[:top]:
        result.append({
            "code": code,
            "name": network.station(code).name,
            "calls": count,
            "lines": len(network.lines_at(code)),
        })
    return result


def departures_board(network, code, start, limit=10):
    """Printable board of the next departures from a station."""
    station = network.station(code)
    begin = parse_time(start)
    rows = []
    for line in network.lines_at(code):
        for trip in network.trips_for(line.line_id):
            calls = trip.times(network)
            terminus = calls[-1][0]
            if terminus == code:
                continue
            for stop, hhmm in calls:
                if stop == code and parse_time(hhmm) >= begin:
                    rows.append((hhmm, line.line_id, line.name,
                                 network.station(terminus).name))
    rows.sort(key=lambda row: (parse_time(row[0]), row[1], row[3]))
    rows = rows[:limit]

    width = 48
    text = "=" * width + "\n"
    text += f"DEPARTURES  {station.name} ({station.code})".ljust(width - 10)
    text += f"from {start}".rjust(10) + "\n"
    text += "-" * width + "\n"
    text += "Time   " + "Line".ljust(16) + "Destination\n"
    if not rows:
        text += "No further departures today\n"
    for hhmm, _, line_name, destination in rows:
        text += hhmm + "  " + line_name[:15].ljust(16) + destination[:24] + "\n"
    text += "=" * width + "\n"
    return text
