"""Stations, lines and timetables of the regional network, plus the text loaders."""

MINUTES_PER_DAY = 24 * 60


def parse_time(text):
    """Turn an "HH:MM" string into minutes after midnight."""
    if not isinstance(text, str):
        raise ValueError(f"not a time string: {text!r}")
    parts = text.strip().split(":")
    if len(parts) != 2 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(f"bad time: {text!r}")
    hours = int(parts[0])
    minutes = int(parts[1])
    if hours > 23 or minutes > 59:
        raise ValueError(f"bad time: {text!r}")
    return hours * 60 + minutes


def format_time(minutes):
    """Minutes after midnight back to "HH:MM" (wraps past midnight)."""
    minutes = int(minutes) % MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Station:
    def __init__(self, code, name, zone=1):
        self.code = code
        self.name = name
        self.zone = zone

    def __repr__(self):
        return f"Station({self.code!r}, {self.name!r}, zone={self.zone})"


class Line:
    def __init__(self, line_id, name, stops, run_minutes):
        if len(stops) < 2:
            raise ValueError(f"line {line_id} needs at least two stops")
        if len(run_minutes) != len(stops) - 1:
            raise ValueError(f"line {line_id}: expected {len(stops) - 1} run times")
        if len(set(stops)) != len(stops):
            raise ValueError(f"line {line_id} calls at a station twice")
        for value in run_minutes:
            if value <= 0:
                raise ValueError(f"line {line_id}: run times must be positive")
        self.line_id = line_id
        self.name = name
        self.stops = list(stops)
        self.run_minutes = list(run_minutes)

    def stops_for(self, direction):
        if direction == "F":
            return self.stops
        return list(reversed(self.stops))

    def runs_for(self, direction):
        if direction == "F":
            return self.run_minutes
        return list(reversed(self.run_minutes))

    def total_minutes(self):
        return sum(self.run_minutes)

    def __repr__(self):
        return f"Line({self.line_id!r}, {len(self.stops)} stops)"


class Trip:
    def __init__(self, line_id, direction, departure):
        if direction not in ("F", "R"):
            raise ValueError(f"direction must be F or R, got {direction!r}")
        parse_time(departure)
        self.line_id = line_id
        self.direction = direction
        self.departure = departure

    def times(self, network):
        """List of (station code, "HH:MM") for every call of the trip."""
        line = network.get_line(self.line_id)
        stops = line.stops_for(self.direction)
        runs = line.runs_for(self.direction)
        current = parse_time(self.departure)
        result = [(stops[0], format_time(current))]
        for i in range(1, len(stops)):
            current = current + runs[i - 1]
            result.append((stops[i], format_time(current)))
        return result

    def __repr__(self):
        return f"Trip({self.line_id!r}, {self.direction!r}, {self.departure!r})"


class Network:
    def __init__(self):
        self.stations = []
        self.lines = []
        self.trips = []

    def add_station(self, station):
        if self.get_station(station.code) is not None:
            raise ValueError(f"duplicate station {station.code}")
        self.stations.append(station)

    def add_line(self, line):
        if self.get_line(line.line_id) is not None:
            raise ValueError(f"duplicate line {line.line_id}")
        for code in line.stops:
            if self.get_station(code) is None:
                raise ValueError(f"line {line.line_id} uses unknown station {code}")
        self.lines.append(line)

    def add_trip(self, trip):
        if self.get_line(trip.line_id) is None:
            raise ValueError(f"trip for unknown line {trip.line_id}")
        self.trips.append(trip)

    def get_station(self, code):
        for station in self.stations:
            if station.code == code:
                return station
        return None

    def station(self, code):
        found = self.get_station(code)
        if found is None:
            raise KeyError(code)
        return found

    def get_line(self, line_id):
        for line in self.lines:
            if line.line_id == line_id:
                return line
        return None

    def lines_at(self, code):
        return [line for line in self.lines if code in line.stops]

    def trips_for(self, line_id):
        return [trip for trip in self.trips if trip.line_id == line_id]


def _rows(text):
    rows = []
    for raw in text.strip().splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        rows.append([cell.strip() for cell in raw.split(",")])
    return rows[1:]  # first row is the header


def load_network(stations_text, lines_text, timetable_text=""):
    """Build a Network from three CSV-ish texts (each with a header row)."""
    network = Network()
    for row in _rows(stations_text):
        if len(row) < 2:
            raise ValueError(f"bad station row: {row}")
        zone = int(row[2]) if len(row) > 2 and row[2] else 1
        network.add_station(Station(row[0], row[1], zone))
    for row in _rows(lines_text):
        if len(row) != 4:
            raise ValueError(f"bad line row: {row}")
        stops = [s.strip() for s in row[2].split(";") if s.strip()]
        runs = [int(m) for m in row[3].split(";") if m.strip()]
        network.add_line(Line(row[0], row[1], stops, runs))
    for row in _rows(timetable_text):
        if len(row) != 3:
            raise ValueError(f"bad timetable row: {row}")
        for departure in row[2].split():
            network.add_trip(Trip(row[0], row[1], departure))
    return network
