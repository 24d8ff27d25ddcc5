"""Daily service report: first and last trips, headways, busiest stops, departure boards."""

from __future__ import annotations

from ferrylines.network import Network, format_time, trip_times


def first_last(network: Network) -> dict[str, tuple[str, str] | None]:
    """First and last departure from the first stop of each line, as 'HH:MM'."""
    result = {}
    for line in network.lines:
        if not line[3]:
            result[line[0]] = None
        else:
            result[line[0]] = (format_time(min(line[3])), format_time(max(line[3])))
    return result


def headways(network: Network, line_id: str) -> list[int]:
    """Minutes between consecutive departures of a line."""
    departures = sorted(network.get_line(line_id)[3])
    gaps = []
    for i in range(1, len(departures)):
        gaps.append(departures[i] - departures[i - 1])
    return gaps


def stop_calls(network: Network) -> dict[str, int]:
    """How many trips call at each stop in the day (boarding or alighting)."""
    calls = {}
    for stop in network.stops():
        count = 0
        for line in network.lines:
            for name, _ in line[2]:
                if name == stop:
                    count += len(line[3])
        calls[stop] = count
    return calls


def busiest_stops(network: Network, top: int = 5) -> list[tuple[str, int]]:
    if top < 0:
        raise ValueError("top must not be negative")
    ranked = sorted(stop_calls(network).items(), key=lambda item: (-item[1], item[0]))
    return ranked[:top]


def departures_board(network: Network, stop: str, start: int = 0, end: int = 48 * 60):
    """Trips leaving ``stop`` in ``[start, end)``: ``(time, 'HH:MM', line_id, terminus)``."""
    if end < start:
        raise ValueError("end before start")
    board = []
    for line_id in network.lines_at(stop):
        line = network.get_line(line_id)
        terminus = line[2][-1][0]
        if terminus == stop:
            continue
        for departure in line[3]:
            for name, time in trip_times(line, departure):
                if name == stop and start <= time < end:
                    board.append((time, format_time(time), line_id, terminus))
    board.sort()
    return board


def busiest_hour(network: Network, stop: str) -> tuple[int, int] | None:
    """The hour with most departures from ``stop`` as ``(hour, count)``; earliest hour on ties."""
    counts: dict[int, int] = {}
    for time, _, _, _ in departures_board(network, stop):
        hour = int(format_time(time)[:2])
        counts[hour] = counts.get(hour, 0) + 1
    if not counts:
        return None
    best = None
    for hour in sorted(counts):
        if best is None or counts[hour] > best[1]:
            best = (hour, counts[hour])
    return best


def service_report(network: Network, top: int = 5) -> list[str]:
    """Text lines of the daily report, lines sorted by id."""
    out = [f"Service report for {network.name}"]
    spans = first_last(network)
    for line_id in sorted(spans):
        line = network.get_line(line_id)
        if spans[line_id] is None:
            out.append(f"{line_id:<6} {line[1]:<5} no service")
            continue
        first, last = spans[line_id]
        gaps = headways(network, line_id)
        if gaps:
            total = 0
            for gap in gaps:
                total += gap
            average = total / len(gaps)
            every = f"every {min(gaps)}-{max(gaps)} min (avg {average:.1f})"
        else:
            every = "single trip"
        out.append(f"{line_id:<6} {line[1]:<5} {first}-{last} {len(line[3]):>3} trips {every}")
    out.append("Busiest stops:")
    for stop, count in busiest_stops(network, top):
        peak = busiest_hour(network, stop)
        peak_text = f"peak {peak[0]:02d}:00 ({peak[1]})" if peak else "no departures"
        out.append(f"  {stop:<24} {count:>4} calls, {peak_text}")
    return out
