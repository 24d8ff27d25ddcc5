"""A conference scheduler: rooms, speakers and talks booked into time slots."""

from confsched.agenda import Agenda
from confsched.conference import Conference, SchedulingError
from confsched.model import Booking, Room, Slot, Speaker, Talk, format_time, parse_time
from confsched.report import Report

__all__ = ["Agenda", "Booking", "Conference", "Report", "Room", "SchedulingError", "Slot",
           "Speaker", "Talk", "format_time", "parse_time"]
