"""Availability search, occupancy and revenue reports, overbooking checks."""

from __future__ import annotations

from datetime import date

from hotel.dates import covers_night, date_range, format_date, parse_date, stay_nights
from hotel.inventory import (
    active_bookings,
    in_service,
    is_active,
    is_room_free,
    room_type,
    rooms_of_type,
)
from hotel.rates import booking_total, cheapest_plan, find_plan, format_price, nightly_rate


def type_demand(bookings: list[dict], type_code: str, night: date) -> int:
    """Active bookings of a room type staying on `night`, with or without a room yet."""
    count = 0
    for booking in bookings:
        if booking["room_type"] != type_code or not is_active(booking):
            continue
        if covers_night(booking["check_in"], booking["check_out"], night):
            count += 1
    return count


def available_rooms(rooms: list[dict], room_types: list[dict], bookings: list[dict],
                    check_in: str, check_out: str, guests: int = 1) -> list[str]:
    """Ids of in-service rooms big enough for `guests` with no booking over the stay."""
    stay_nights(check_in, check_out)
    free = []
    for room in sorted(in_service(rooms), key=lambda r: r["id"]):
        if room_type(room_types, room["type"])["capacity"] < guests:
            continue
        if is_room_free(room["id"], check_in, check_out, bookings):
            free.append(room["id"])
    return free


def availability_calendar(rooms: list[dict], bookings: list[dict], start: str,
                          end: str) -> dict[str, list[int]]:
    """Free rooms per room type for each night from `start` up to `end` (never below 0)."""
    types = sorted({r["type"] for r in rooms})
    calendar: dict[str, list[int]] = {code: [] for code in types}
    for night in date_range(start, end):
        for code in types:
            capacity = len(rooms_of_type(rooms, code))
            calendar[code].append(max(capacity - type_demand(bookings, code, night), 0))
    return calendar


def search(rooms: list[dict], room_types: list[dict], bookings: list[dict], plans: list[dict],
           check_in: str, check_out: str, guests: int = 1) -> list[dict]:
    """Offers for every room type that fits and is free every night, cheapest first."""
    nights = stay_nights(check_in, check_out)
    offers = []
    for kind in room_types:
        if kind["capacity"] < guests:
            continue
        capacity = len(rooms_of_type(rooms, kind["code"]))
        free = capacity
        for night in nights:
            free = min(free, capacity - type_demand(bookings, kind["code"], night))
        if free <= 0:
            continue
        best = cheapest_plan(plans, kind["code"], check_in, check_out)
        if best is None:
            continue
        offers.append({"room_type": kind["code"], "free": free, "plan": best[0],
                       "total": best[1]})
    offers.sort(key=lambda o: (o["total"], o["room_type"]))
    return offers


def occupancy_by_night(bookings: list[dict], rooms: list[dict], start: str,
                       end: str) -> list[dict]:
    rows = []
    for night in date_range(start, end):
        available = len(in_service(rooms))
        occupied = 0
        for booking in bookings:
            if is_active(booking) and covers_night(booking["check_in"], booking["check_out"],
                                                   night):
                occupied += 1
        pct = round(100.0 * occupied / available, 1) if available else 0.0
        rows.append({"night": format_date(night), "occupied": occupied,
                     "available": available, "pct": pct})
    return rows


def occupancy_by_type(bookings: list[dict], rooms: list[dict], start: str,
                      end: str) -> dict[str, dict]:
    report = {}
    for code in sorted({r["type"] for r in rooms}):
        sold = 0
        available = 0
        for night in date_range(start, end):
            available += len(rooms_of_type(rooms, code))
            sold += type_demand(bookings, code, night)
        pct = round(100.0 * sold / available, 1) if available else 0.0
        report[code] = {"sold": sold, "available": available, "pct": pct}
    return report


def revenue_by_night(bookings: list[dict], plans: list[dict], start: str,
                     end: str) -> list[tuple[str, float]]:
    """Room revenue per night at the nightly rate (before long-stay discounts)."""
    rows = []
    for night in date_range(start, end):
        total = 0.0
        for booking in bookings:
            if not is_active(booking):
                continue
            if covers_night(booking["check_in"], booking["check_out"], night):
                plan = find_plan(plans, booking["rate_plan"])
                total += nightly_rate(plan, booking["room_type"], night)
        rows.append((format_date(night), round(total, 2)))
    return rows


def revenue_by_type(bookings: list[dict], plans: list[dict], start: str,
                    end: str) -> dict[str, float]:
    """Stay totals of active bookings arriving from `start` up to `end`, per room type."""
    first = parse_date(start)
    last = parse_date(end)
    totals: dict[str, float] = {}
    for booking in active_bookings(bookings):
        if first <= parse_date(booking["check_in"]) < last:
            code = booking["room_type"]
            totals[code] = totals.get(code, 0.0) + booking_total(booking, plans)
    return {code: round(totals[code], 2) for code in sorted(totals)}


def kpis(bookings: list[dict], rooms: list[dict], plans: list[dict], start: str,
         end: str) -> dict[str, float]:
    revenue = round(sum(total for _, total in revenue_by_night(bookings, plans, start, end)), 2)
    occupancy = occupancy_by_night(bookings, rooms, start, end)
    sold = sum(row["occupied"] for row in occupancy)
    available = sum(row["available"] for row in occupancy)
    return {
        "revenue": revenue,
        "room_nights": sold,
        "occupancy": round(100.0 * sold / available, 1) if available else 0.0,
        "adr": round(revenue / sold, 2) if sold else 0.0,
        "revpar": round(revenue / available, 2) if available else 0.0,
    }


def overbooking(bookings: list[dict], rooms: list[dict], start: str, end: str) -> list[dict]:
    """Nights where a room type has more active bookings than rooms in service."""
    problems = []
    for night in date_range(start, end):
        codes = {r["type"] for r in rooms} | {b["room_type"] for b in active_bookings(bookings)}
        for code in sorted(codes):
            capacity = len(rooms_of_type(rooms, code))
            demand = type_demand(bookings, code, night)
            if demand > capacity:
                problems.append({"night": format_date(night), "room_type": code,
                                 "demand": demand, "capacity": capacity})
    return problems


def busiest_nights(rows: list[dict], top: int = 5) -> list[dict]:
    if top < 0:
        raise ValueError("top must not be negative")
    return sorted(rows, key=lambda row: (-row["occupied"], row["night"]))[:top]


def arrivals(bookings: list[dict], day: str) -> list[str]:
    target = parse_date(day)
    return sorted(b["id"] for b in active_bookings(bookings)
                  if parse_date(b["check_in"]) == target)


def format_revenue(rows: list[tuple[str, float]]) -> str:
    lines = []
    for night, total in rows:
        weekday = parse_date(night).strftime("%a")
        lines.append(f"{night} {weekday} {format_price(total):>16}")
    return "\n".join(lines)
