"""Hotel reservations over plain dicts: rooms, bookings, rate plans, availability and reports."""

from hotel.dates import date_range, nights_between, parse_date, stay_nights
from hotel.inventory import (
    active_bookings,
    assign_rooms,
    bookings_for_room,
    conflicts,
    is_room_free,
    room_by_id,
    room_type,
    rooms_of_type,
    validate_booking,
)
from hotel.rates import booking_total, cheapest_plan, find_plan, nightly_rate, quote_stay
from hotel.reports import (
    arrivals,
    availability_calendar,
    available_rooms,
    busiest_nights,
    format_revenue,
    kpis,
    occupancy_by_night,
    occupancy_by_type,
    overbooking,
    revenue_by_night,
    revenue_by_type,
    search,
)

__all__ = [
    "active_bookings", "arrivals", "assign_rooms", "availability_calendar", "available_rooms",
    "booking_total", "bookings_for_room", "busiest_nights", "cheapest_plan", "conflicts",
    "date_range", "find_plan", "format_revenue", "is_room_free", "kpis", "nightly_rate",
    "nights_between", "occupancy_by_night", "occupancy_by_type", "overbooking", "parse_date",
    "quote_stay", "revenue_by_night", "revenue_by_type", "room_by_id", "room_type",
    "rooms_of_type", "search", "stay_nights", "validate_booking",
]
