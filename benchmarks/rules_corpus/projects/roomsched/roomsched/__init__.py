"""Meeting-room booking for an office: calendars, allocation of requests, utilization."""

from roomsched.allocator import Request, allocate
from roomsched.calendar import BookingError, Calendar
from roomsched.models import Booking, Room

__all__ = ["Booking", "BookingError", "Calendar", "Request", "Room", "allocate"]
