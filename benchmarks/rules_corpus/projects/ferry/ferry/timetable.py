"""The timetable owns the network, the sailings and every booking."""

from datetime import timedelta

from .fares import RETURN_WINDOW_DAYS, FareCalculator, vehicle_length
from .model import Booking, Port, Route, Sailing, Vessel


class CapacityError(ValueError):
    """Raised when a sailing has no room left for a booking."""


class Timetable:
    def __init__(self, fares=None):
        self.fares = fares if fares is not None else FareCalculator()
        self.ports = []
        self.routes = []
        self.vessels = []
        self.sailings = []
        self.bookings = []
        self._next_ref = 1

    def add_port(self, code, name, transfer_minutes=20):
        port = Port(code, name, transfer_minutes)
        if any(p.code == port.code for p in self.ports):
            raise ValueError(f"duplicate port {port.code}")
        self.ports.append(port)
        return port

    def port(self, code):
        code = code.strip().upper()
        for p in self.ports:
            if p.code == code:
                return p
        raise KeyError(code)

    def add_route(self, origin, destination, distance_nm, base_fare_cents, speed_knots=16.0):
        route = Route(self.port(origin), self.port(destination), distance_nm,
                      base_fare_cents, speed_knots)
        if any(r.code == route.code for r in self.routes):
            raise ValueError(f"duplicate route {route.code}")
        self.routes.append(route)
        return route

    def route(self, origin, destination):
        code = f"{origin.strip().upper()}-{destination.strip().upper()}"
        for r in self.routes:
            if r.code == code:
                return r
        raise KeyError(code)

    def add_vessel(self, name, passengers, lane_metres, turnaround_minutes=20):
        if any(v.name == name for v in self.vessels):
            raise ValueError(f"duplicate vessel {name}")
        vessel = Vessel(name, passengers, lane_metres, turnaround_minutes)
        self.vessels.append(vessel)
        return vessel

    def vessel(self, name):
        for v in self.vessels:
            if v.name == name:
                return v
        raise KeyError(name)

    def schedule(self, origin, destination, vessel_name, departure):
        route = self.route(origin, destination)
        vessel = self.vessel(vessel_name)
        sailing = Sailing(self, route, vessel, departure)
        for other in self.sailings:
            if other.sailing_id == sailing.sailing_id:
                raise ValueError(f"duplicate sailing {sailing.sailing_id}")
            if other.overlaps(sailing):
                raise ValueError(
                    f"{vessel.name} is busy with {other.sailing_id} at {departure:%H:%M}"
                )
        self.sailings.append(sailing)
        return sailing

    def sailing(self, sailing_id):
        for s in self.sailings:
            if s.sailing_id == sailing_id:
                return s
        raise KeyError(sailing_id)

    def sailings_on(self, day):
        found = [s for s in self.sailings if s.departure.date() == day]
        return sorted(found, key=lambda s: (s.departure, s.sailing_id))

    def departures(self, port_code, day):
        port = self.port(port_code)
        return [s for s in self.sailings_on(day) if s.origin == port]

    def record_delay(self, sailing_id, minutes):
        if minutes < 0:
            raise ValueError("delay cannot be negative")
        sailing = self.sailing(sailing_id)
        sailing.delay_minutes = minutes
        return sailing

    def _check_room(self, sailing, passengers, vehicle):
        if sailing.seats_left < passengers:
            raise CapacityError(f"{sailing.sailing_id}: only {sailing.seats_left} seats left")
        metres = vehicle_length(vehicle, self.fares.vehicle_classes)
        if metres and sailing.lane_metres_left < metres:
            raise CapacityError(f"{sailing.sailing_id}: no room on the car deck")

    def _validate_party(self, adults, children, vehicle):
        if adults < 1:
            raise ValueError("a booking needs at least one adult")
        if children < 0:
            raise ValueError("children cannot be negative")
        vehicle_length(vehicle, self.fares.vehicle_classes)

    def _new_booking(self, sailing, adults, children, vehicle, return_leg=False):
        fare = self.fares.quote(sailing.route, sailing.departure, adults, children, vehicle,
                                return_leg=return_leg)
        booking = Booking(f"FB{self._next_ref:06d}", sailing, adults, children, vehicle, fare)
        self._next_ref += 1
        self.bookings.append(booking)
        return booking

    def book(self, sailing_id, adults, children=0, vehicle=None):
        sailing = self.sailing(sailing_id)
        self._validate_party(adults, children, vehicle)
        self._check_room(sailing, adults + children, vehicle)
        return self._new_booking(sailing, adults, children, vehicle)

    def book_return(self, outbound_id, inbound_id, adults, children=0, vehicle=None):
        """Book both legs or neither.  The inbound leg is discounted when it
        departs within the return window of the outbound departure."""
        outbound = self.sailing(outbound_id)
        inbound = self.sailing(inbound_id)
        if not inbound.route.is_reverse_of(outbound.route):
            raise ValueError("the return sailing must run the reverse route")
        if inbound.departure < outbound.arrival:
            raise ValueError("the return sailing leaves before the outbound arrives")
        self._validate_party(adults, children, vehicle)
        self._check_room(outbound, adults + children, vehicle)
        self._check_room(inbound, adults + children, vehicle)
        discounted = inbound.departure - outbound.departure <= timedelta(days=RETURN_WINDOW_DAYS)
        out_booking = self._new_booking(outbound, adults, children, vehicle)
        in_booking = self._new_booking(inbound, adults, children, vehicle, return_leg=discounted)
        out_booking.linked_ref = in_booking.ref
        in_booking.linked_ref = out_booking.ref
        return out_booking, in_booking

    def booking(self, ref):
        for b in self.bookings:
            if b.ref == ref:
                return b
        raise KeyError(ref)

    def cancel(self, ref):
        booking = self.booking(ref)
        if booking.cancelled:
            raise ValueError(f"{ref} is already cancelled")
        booking.cancelled = True
        return booking
