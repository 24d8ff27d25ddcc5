"""Stations, lines and timed services, and the ``Network`` that ties them together."""

from .parsing import (
    DAY_NAMES,
    DAY_TYPES,
    format_time,
    parse_lines,
    parse_platforms,
    parse_services,
    parse_stations,
)


class Station:
    def __init__(self, code, name, zone, min_change=5):
        self.code = code
        self.name = name
        self.zone = zone
        self.min_change = min_change
        self.lines = []

    def label(self):
        return f"{self.name} ({self.code})"

    def __repr__(self):
        return f"Station({self.code!r}, {self.name!r}, zone={self.zone})"


class Line:
    """A route: an ordered list of (station code, running minutes from the previous stop)."""

    def __init__(self, line_id, stops):
        self.line_id = line_id
        self.stops = list(stops)

    def station_codes(self):
        return [code for code, _ in self.stops]

    def running_time(self, origin, dest):
        codes = self.station_codes()
        a, b = codes.index(origin), codes.index(dest)
        lo, hi = min(a, b), max(a, b)
        return sum(run for _, run in self.stops[lo + 1 : hi + 1])

    def __repr__(self):
        return f"Line({self.line_id!r}, {len(self.stops)} stops)"


class Service:
    """One timed train along a line, in one direction, on one day type."""

    def __init__(self, service_id, line, day, departure, direction, skips=()):
        self.service_id = service_id
        self.line = line
        self.day = day
        self.departure = departure
        self.direction = direction
        self.skips = list(skips)

    def calls(self):
        """The stops the train calls at, as a list of (station code, minutes after midnight)."""
        codes = [code for code, _ in self.line.stops]
        runs = [run for _, run in self.line.stops]
        if self.direction == "down":
            codes.reverse()
            runs = [0] + runs[:0:-1]
        result = []
        clock = self.departure
        last = len(codes) - 1
        for i, code in enumerate(codes):
            clock += runs[i]
            if 0 < i < last and code in self.skips:
                continue
            result.append((code, clock))
        return result

    def origin(self):
        return self.calls()[0][0]

    def destination(self):
        return self.calls()[-1][0]

    def time_at(self, code):
        for station, minute in self.calls():
            if station == code:
                return minute
        return None

    def __repr__(self):
        return (
            f"Service({self.service_id!r}, {self.line.line_id!r}, {self.day}, "
            f"{format_time(self.departure)}, {self.direction})"
        )


class Network:
    def __init__(self, stations, lines, services, platforms=()):
        self.stations = []
        self.lines = []
        self.services = []
        self.platform_changes = []
        for code, name, zone, change in stations:
            if self.has_station(code):
                raise ValueError(f"duplicate station {code}")
            self.stations.append(Station(code, name, zone, change))
        for line_id, stops in lines:
            self._add_line(line_id, stops)
        for service_id, line_id, day, departure, direction, skips in services:
            self._add_service(service_id, line_id, day, departure, direction, skips)
        for code, service_id, platform in platforms:
            self.set_platform(code, service_id, platform)

    @classmethod
    def from_tables(cls, stations_text, lines_text, services_text, platforms_text=""):
        return cls(
            parse_stations(stations_text),
            parse_lines(lines_text),
            parse_services(services_text),
            parse_platforms(platforms_text),
        )

    def _add_line(self, line_id, stops):
        if any(line.line_id == line_id for line in self.lines):
            raise ValueError(f"duplicate line {line_id}")
        if len(stops) < 2:
            raise ValueError(f"line {line_id} needs at least two stations")
        codes = [code for code, _ in stops]
        if len(set(codes)) != len(codes):
            raise ValueError(f"line {line_id} visits a station twice")
        if stops[0][1] != 0 or any(run <= 0 for _, run in stops[1:]):
            raise ValueError(f"line {line_id}: first run must be 0 and the others positive")
        for code in codes:
            self.station(code)
        self.lines.append(Line(line_id, stops))
        for code in codes:
            self.station(code).lines.append(line_id)

    def _add_service(self, service_id, line_id, day, departure, direction, skips):
        if service_id in [service.service_id for service in self.services]:
            raise ValueError(f"duplicate service {service_id}")
        if day not in DAY_TYPES:
            raise ValueError(f"unknown day type {day!r}")
        line = self.line(line_id)
        codes = line.station_codes()
        for code in skips:
            if code not in codes[1:-1]:
                raise ValueError(f"service {service_id} cannot skip {code}")
        self.services.append(Service(service_id, line, day, departure, direction, skips))

    # -- lookups ---------------------------------------------------------------------------

    def has_station(self, code):
        return any(station.code == code for station in self.stations)

    def station(self, code):
        for station in self.stations:
            if station.code == code:
                return station
        raise KeyError(code)

    def line(self, line_id):
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)

    def service(self, service_id):
        for service in self.services:
            if service.service_id == service_id:
                return service
        raise KeyError(service_id)

    def services_on(self, day):
        if day not in DAY_TYPES:
            raise ValueError(f"unknown day type {day!r}")
        return [service for service in self.services if service.day == day]

    def set_platform(self, code, service_id, platform):
        self.station(code)
        if self.service(service_id).time_at(code) is None:
            raise ValueError(f"service {service_id} does not call at {code}")
        self.platform_changes = [
            entry for entry in self.platform_changes if entry[:2] != (code, service_id)
        ]
        self.platform_changes.append((code, service_id, str(platform)))

    def platform_for(self, service_id, code):
        for station, service, platform in self.platform_changes:
            if station == code and service == service_id:
                return platform
        return "1" if self.service(service_id).direction == "up" else "2"

    # -- queries ---------------------------------------------------------------------------

    def direct_services(self, origin, dest, day, after=0):
        """Trains calling at ``origin`` and later at ``dest``: sorted (dep, arr, service_id)."""
        first = self.station(origin)
        second = self.station(dest)
        if origin == dest:
            raise ValueError("origin and destination are the same station")
        shared = [line_id for line_id in first.lines if line_id in second.lines]
        found = []
        for service in self.services_on(day):
            if service.line.line_id not in shared:
                continue
            dep = arr = None
            for code, minute in service.calls():
                if code == origin:
                    dep = minute
                elif code == dest and dep is not None:
                    arr = minute
                    break
            if arr is not None and dep >= after:
                found.append((dep, arr, service.service_id))
        found.sort()
        return found

    def departures(self, code, day):
        """Departures from a station: sorted (dep, service_id, platform, dest, stops left)."""
        here = self.station(code)
        rows = []
        for service in self.services_on(day):
            if service.line.line_id not in here.lines:
                continue
            calls = service.calls()
            for i, (station, minute) in enumerate(calls[:-1]):
                if station == code:
                    platform = self.platform_for(service.service_id, code)
                    left = len(calls) - i - 2
                    rows.append((minute, service.service_id, platform, calls[-1][0], left))
                    break
        rows.sort()
        return rows

    def timetable(self, code, day):
        station = self.station(code)
        title = f"{station.label()}  zone {station.zone}  {DAY_NAMES[day]} departures"
        out = [title, "=" * len(title)]
        rows = self.departures(code, day)
        if not rows:
            out.append("  no departures")
        for minute, service_id, platform, dest, stops in rows:
            pattern = "non-stop" if stops == 0 else f"{stops} stop{'s' if stops > 1 else ''}"
            dest_name = self.station(dest).name
            out.append(
                f"  {format_time(minute)}  {service_id:<8} plat {platform:<3} "
                f"{dest_name:<20} {pattern}"
            )
        return "\n".join(out)

    def print_timetable(self, code, day):
        print(self.timetable(code, day))

    def cheapest_fare(self, origin, dest, day, after, fares, railcards=()):
        """Cheapest tickets for the first direct train after ``after``, or None if none runs.

        Returns (total, [(from, to, railcard or None, fare), ...]); tickets may be split at
        any station the train calls at.
        """
        trains = self.direct_services(origin, dest, day, after)
        if not trains:
            return None
        dep, _, service_id = trains[0]
        route = []
        for code, _ in self.service(service_id).calls():
            if code == origin or route:
                route.append(code)
            if code == dest:
                break
        zones = [self.station(code).zone for code in route]
        total, tickets = fares.cheapest_split(zones, fares.is_peak(day, dep), railcards)
        return total, [(route[i], route[j], card, fare) for i, j, card, fare in tickets]

    def fare_chart(self, line_id, fares, peak=False, railcards=()):
        """Cheapest all-stations fare between every pair of stations on a line.

        Returns {(from, to): total} for both directions of travel.
        """
        codes = self.line(line_id).station_codes()
        chart = {}
        for i in range(len(codes)):
            for j in range(i + 1, len(codes)):
                zones = [self.station(code).zone for code in codes[i : j + 1]]
                total, _ = fares.cheapest_split(zones, peak, railcards)
                chart[(codes[i], codes[j])] = total
                chart[(codes[j], codes[i])] = total
        return chart

    def summary(self):
        return {
            "stations": len(self.stations),
            "lines": len(self.lines),
            "services": {day: len(self.services_on(day)) for day in DAY_TYPES},
            "interchanges": sorted(s.code for s in self.stations if len(s.lines) > 1),
        }
