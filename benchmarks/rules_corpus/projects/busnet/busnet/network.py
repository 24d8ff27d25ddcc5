"""Loading stops, lines and timetables, and simple look-ups over them.

A network is a plain dict:

    {"stops": [{"stop_id", "name", "zone"}, ...],
     "lines": {line_id: [stop_id, ...]},
     "trips": [{"trip_id", "line_id", "stop_times": [{"stop_id", "time"}, ...]}, ...]}

Times stay as the 'HH:MM' strings they were published as.
"""

from .timeutil import parse_time


def _rows(text):
    """Yield the comma separated fields of each non-blank, non-comment line after the header."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line in lines[1:]:
        yield [field.strip() for field in line.split(",")]


def load_stops(text):
    stops = []
    for fields in _rows(text):
        if len(fields) != 3:
            raise ValueError(f"bad stop row: {fields}")
        stop_id, name, zone = fields
        for s in stops:
            if s["stop_id"] == stop_id:
                raise ValueError(f"duplicate stop {stop_id}")
        stops.append({"stop_id": stop_id, "name": name, "zone": zone})
    return stops


def load_lines(text):
    """Parse 'line_id,stop stop stop' rows into {line_id: [stop_id, ...]}."""
    lines = {}
    for fields in _rows(text):
        if len(fields) != 2:
            raise ValueError(f"bad line row: {fields}")
        line_id, stops = fields
        sequence = stops.split()
        if len(sequence) < 2:
            raise ValueError(f"line {line_id} needs at least two stops")
        lines[line_id] = sequence
    return lines


def load_trips(text):
    """Parse 'trip_id,line_id,stop_id,time' rows into trip dicts, in order of appearance."""
    trips = []
    for fields in _rows(text):
        if len(fields) != 4:
            raise ValueError(f"bad trip row: {fields}")
        trip_id, line_id, stop_id, time = fields
        parse_time(time)  # validate early
        trip = None
        for t in trips:
            if t["trip_id"] == trip_id:
                trip = t
                break
        if trip is None:
            trip = {"trip_id": trip_id, "line_id": line_id, "stop_times": []}
            trips.append(trip)
        if trip["stop_times"] and parse_time(time) < parse_time(trip["stop_times"][-1]["time"]):
            raise ValueError(f"trip {trip_id} goes back in time at {stop_id}")
        trip["stop_times"].append({"stop_id": stop_id, "time": time})
    return trips


def load_network(stops_text, lines_text, trips_text):
    stops = load_stops(stops_text)
    lines = load_lines(lines_text)
    trips = load_trips(trips_text)
    known = [s["stop_id"] for s in stops]
    for line_id, sequence in lines.items():
        for stop_id in sequence:
            if stop_id not in known:
                raise KeyError(f"line {line_id} uses unknown stop {stop_id}")
    for trip in trips:
        if trip["line_id"] not in lines:
            raise KeyError(f"trip {trip['trip_id']} uses unknown line {trip['line_id']}")
        for st in trip["stop_times"]:
            if st["stop_id"] not in known:
                raise KeyError(f"trip {trip['trip_id']} uses unknown stop {st['stop_id']}")
    return {"stops": stops, "lines": lines, "trips": trips}


def load_actuals(text):
    """Parse observed 'trip_id,stop_id,time' rows into a list of dicts."""
    actuals = []
    for fields in _rows(text):
        if len(fields) != 3:
            raise ValueError(f"bad actual row: {fields}")
        trip_id, stop_id, time = fields
        parse_time(time)
        actuals.append({"trip_id": trip_id, "stop_id": stop_id, "time": time})
    return actuals


def get_stop(network, stop_id):
    for stop in network["stops"]:
        if stop["stop_id"] == stop_id:
            return stop
    raise KeyError(f"unknown stop {stop_id}")


def get_trip(network, trip_id):
    for trip in network["trips"]:
        if trip["trip_id"] == trip_id:
            return trip
    raise KeyError(f"unknown trip {trip_id}")


def stop_name(network, stop_id):
    return get_stop(network, stop_id)["name"]


def lines_serving(network, stop_id):
    """Sorted ids of the lines that call at stop_id."""
    return sorted(line_id for line_id, stops in network["lines"].items() if stop_id in stops)


def build_adjacency(network):
    """{stop_id: [(next_stop_id, departure, arrival, trip_id), ...]} from every trip segment."""
    adjacency = {}
    for trip in network["trips"]:
        times = trip["stop_times"]
        for i in range(len(times) - 1):
            here = times[i]
            there = times[i + 1]
            adjacency.setdefault(here["stop_id"], []).append(
                (there["stop_id"], here["time"], there["time"], trip["trip_id"])
            )
    return adjacency


def departures(network, stop_id, after, count=5):
    """The next `count` departures from stop_id at or after the time `after`.

    Each is a dict with time, line, trip and headsign (name of the trip's last stop), ordered by
    time, then line id, then trip id. A trip's final stop is an arrival, not a departure.
    """
    get_stop(network, stop_id)
    board = []
    for trip in network["trips"]:
        times = trip["stop_times"]
        for st in times[:-1]:
            if st["stop_id"] == stop_id and parse_time(st["time"]) >= parse_time(after):
                board.append(
                    {
                        "time": st["time"],
                        "line": trip["line_id"],
                        "trip": trip["trip_id"],
                        "headsign": stop_name(network, times[-1]["stop_id"]),
                    }
                )
    board.sort(key=lambda d: (parse_time(d["time"]), d["line"], d["trip"]))
    return board[:count]
