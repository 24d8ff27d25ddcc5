"""ferry: timetables, bookings, fares and daily reports for a coastal ferry operator."""

from .connections import Journey, earliest_arrival, reachable_ports
from .fares import FareCalculator, apply_pct, vehicle_class, vehicle_length
from .model import Booking, Port, Route, Sailing, Vessel
from .report import DailyReport
from .timetable import CapacityError, Timetable

__all__ = [
    "Booking", "CapacityError", "DailyReport", "FareCalculator", "Journey", "Port", "Route",
    "Sailing", "Timetable", "Vessel", "apply_pct", "earliest_arrival", "reachable_ports",
    "vehicle_class", "vehicle_length",
]
