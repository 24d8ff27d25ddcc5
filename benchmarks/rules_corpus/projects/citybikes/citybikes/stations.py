"""Docking stations and the distances between them."""

import math
from itertools import islice

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


class Station:
    __slots__ = ("station_id", "name", "lat", "lon", "capacity")

    def __init__(self, station_id, name, lat, lon, capacity):
        if not station_id:
            raise ValueError("station id must not be empty")
        if not -90.0 <= lat <= 90.0 or not -180.0 <= lon <= 180.0:
            raise ValueError(f"bad coordinates for {station_id!r}: {lat}, {lon}")
        if capacity <= 0:
            raise ValueError(f"capacity of {station_id!r} must be positive")
        self.station_id = station_id
        self.name = name
        self.lat = lat
        self.lon = lon
        self.capacity = capacity

    def __repr__(self):
        return (
            f"Station({self.station_id!r}, {self.name!r}, {self.lat}, {self.lon}, {self.capacity})"
        )


def parse_station_line(line):
    """'id,name,lat,lon,capacity' -> Station."""
    parts = [p.strip() for p in line.split(",")]
    if len(parts) != 5:
        raise ValueError(f"expected 5 station fields, got {len(parts)}: {line!r}")
    station_id, name, lat, lon, capacity = parts
    return Station(station_id, name, float(lat), float(lon), int(capacity))


def load_stations(lines):
    """Stations from text lines; blank lines, comments and a header line are skipped."""
    stations = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#") or text.lower().startswith("station_id,"):
            continue
        stations.append(parse_station_line(text))
    return stations


class StationNetwork:
    """All stations of the operator, in the order they were added."""

    def __init__(self, stations=()):
        self._stations = []
        self._distance_cache = {}
        for station in stations:
            self.add(station)

    def add(self, station):
        for existing in self._stations:
            if existing.station_id == station.station_id:
                raise ValueError(f"duplicate station id {station.station_id!r}")
        self._stations.append(station)

    def __len__(self):
        return len(self._stations)

    def __iter__(self):
        return iter(list(self._stations))

    def __contains__(self, station_id):
        return any(s.station_id == station_id for s in self._stations)

    def station(self, station_id):
        for station in self._stations:
            if station.station_id == station_id:
                return station
        raise KeyError(station_id)

    def total_capacity(self):
        return sum(s.capacity for s in self._stations)

    def distance(self, a, b):
        """Distance in km between two stations (by id); KeyError for unknown ids."""
        key = (a, b)
        if key in self._distance_cache:
            return self._distance_cache[key]
        first = self.station(a)
        second = self.station(b)
        if a == b:
            km = 0.0
        else:
            km = haversine_km(first.lat, first.lon, second.lat, second.lon)
        self._distance_cache[key] = km
        return km

    def nearest(self, station_id, k=3, predicate=None):
        """The k closest other stations, ties broken by id; predicate filters candidates."""
        self.station(station_id)
        candidates = (
            s
            for s in self._stations
            if s.station_id != station_id and (predicate is None or predicate(s))
        )
        ranked = sorted(
            candidates, key=lambda s: (self.distance(station_id, s.station_id), s.station_id)
        )
        return list(islice(ranked, k))
