"""Domain objects: ports, routes, vessels, sailings and bookings."""

import math
from datetime import timedelta

from .fares import CANCELLATION_FEE_PCT, apply_pct, vehicle_length

BERTHING_MINUTES = 10


class Port:
    def __init__(self, code, name, transfer_minutes=20):
        code = code.strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"port code must be three letters: {code!r}")
        if transfer_minutes < 0:
            raise ValueError("transfer time cannot be negative")
        self.code = code
        self.name = name
        self.transfer_minutes = transfer_minutes

    @property
    def min_transfer(self):
        return timedelta(minutes=self.transfer_minutes)

    def __eq__(self, other):
        return isinstance(other, Port) and other.code == self.code

    def __hash__(self):
        return hash(self.code)


class Route:
    def __init__(self, origin, destination, distance_nm, base_fare_cents, speed_knots=16.0):
        if origin == destination:
            raise ValueError("a route needs two different ports")
        if distance_nm <= 0 or speed_knots <= 0:
            raise ValueError("distance and speed must be positive")
        if base_fare_cents < 0:
            raise ValueError("fare cannot be negative")
        self.origin = origin
        self.destination = destination
        self.distance_nm = distance_nm
        self.base_fare_cents = base_fare_cents
        self.speed_knots = speed_knots

    @property
    def code(self):
        return f"{self.origin.code}-{self.destination.code}"

    @property
    def duration(self):
        minutes = math.ceil(self.distance_nm / self.speed_knots * 60) + BERTHING_MINUTES
        return timedelta(minutes=minutes)

    def is_reverse_of(self, other):
        return self.origin == other.destination and self.destination == other.origin


class Vessel:
    def __init__(self, name, passengers, lane_metres, turnaround_minutes=20):
        if passengers <= 0:
            raise ValueError("a vessel must carry passengers")
        if lane_metres < 0 or turnaround_minutes < 0:
            raise ValueError("lane metres and turnaround cannot be negative")
        self.name = name
        self.passengers = passengers
        self.lane_metres = lane_metres
        self.turnaround_minutes = turnaround_minutes


class Sailing:
    """One departure of a vessel on a route.  Load figures come from the
    timetable's bookings, so they are always up to date."""

    def __init__(self, timetable, route, vessel, departure):
        self.timetable = timetable
        self.route = route
        self.vessel = vessel
        self.departure = departure
        self.delay_minutes = 0

    @property
    def sailing_id(self):
        return f"{self.route.code}-{self.departure:%Y%m%d-%H%M}"

    @property
    def origin(self):
        return self.route.origin

    @property
    def destination(self):
        return self.route.destination

    @property
    def arrival(self):
        return self.departure + self.route.duration

    @property
    def bookings(self):
        return [b for b in self.timetable.bookings if b.sailing is self and not b.cancelled]

    @property
    def passengers(self):
        return sum(b.passengers for b in self.bookings)

    @property
    def vehicle_metres(self):
        return sum(b.vehicle_metres for b in self.bookings)

    @property
    def seats_left(self):
        return self.vessel.passengers - self.passengers

    @property
    def lane_metres_left(self):
        return self.vessel.lane_metres - self.vehicle_metres

    @property
    def load_factor(self):
        return self.passengers / self.vessel.passengers

    @property
    def vehicle_load_factor(self):
        if self.vessel.lane_metres == 0:
            return 0.0
        return self.vehicle_metres / self.vessel.lane_metres

    def overlaps(self, other):
        """True when both sailings need the same vessel at the same time."""
        if other.vessel is not self.vessel:
            return False
        turnaround = timedelta(minutes=self.vessel.turnaround_minutes)
        self_free = self.arrival + turnaround
        other_free = other.arrival + turnaround
        return self.departure < other_free and other.departure < self_free

    def __repr__(self):
        return f"Sailing({self.sailing_id})"


class Booking:
    def __init__(self, ref, sailing, adults, children=0, vehicle=None, fare_cents=0):
        self.ref = ref
        self.sailing = sailing
        self.adults = adults
        self.children = children
        self.vehicle = vehicle
        self.fare_cents = fare_cents
        self.cancelled = False
        self.linked_ref = None

    @property
    def passengers(self):
        return self.adults + self.children

    @property
    def vehicle_metres(self):
        return vehicle_length(self.vehicle, self.sailing.timetable.fares.vehicle_classes)

    @property
    def revenue_cents(self):
        """Fare kept by the operator: the cancellation fee once cancelled."""
        if self.cancelled:
            return apply_pct(self.fare_cents, CANCELLATION_FEE_PCT)
        return self.fare_cents
