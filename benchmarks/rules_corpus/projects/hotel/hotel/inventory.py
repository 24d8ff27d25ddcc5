"""Rooms, room types and bookings as plain dicts, as loaded from the property's JSON export.

room:      {"id": "101", "type": "DBL", "floor": 1, "out_of_service": False}
room type: {"code": "DBL", "name": "Double", "capacity": 2}
booking:   {"id": "B0001", "room_id": "101" or None, "room_type": "DBL", "guests": 2,
            "check_in": "2024-03-01", "check_out": "2024-03-04", "status": "confirmed",
            "rate_plan": "BAR"}
"""

from __future__ import annotations

from hotel.dates import overlaps, parse_date, stay_nights

STATUSES = ("tentative", "confirmed", "checked_in", "checked_out", "cancelled", "no_show")
ACTIVE_STATUSES = ("confirmed", "checked_in", "checked_out")
REQUIRED_FIELDS = ("id", "room_type", "check_in", "check_out", "guests", "status")


def room_by_id(rooms: list[dict], room_id: str) -> dict:
    for room in rooms:
        if room["id"] == room_id:
            return room
    raise KeyError(f"unknown room {room_id!r}")


def room_type(room_types: list[dict], code: str) -> dict:
    for kind in room_types:
        if kind["code"] == code:
            return kind
    raise KeyError(f"unknown room type {code!r}")


def rooms_of_type(rooms: list[dict], code: str) -> list[dict]:
    return [r for r in rooms if r["type"] == code and not r.get("out_of_service", False)]


def in_service(rooms: list[dict]) -> list[dict]:
    return [r for r in rooms if not r.get("out_of_service", False)]


def is_active(booking: dict) -> bool:
    return booking["status"] in ACTIVE_STATUSES


def active_bookings(bookings: list[dict]) -> list[dict]:
    return [b for b in bookings if is_active(b)]


def validate_booking(booking: dict, rooms: list[dict], room_types: list[dict]) -> None:
    """Raise KeyError for missing fields or unknown rooms/types, ValueError for bad values."""
    for field in REQUIRED_FIELDS:
        if field not in booking:
            raise KeyError(f"booking is missing {field!r}")
    if booking["status"] not in STATUSES:
        raise ValueError(f"unknown status {booking['status']!r}")
    stay_nights(booking["check_in"], booking["check_out"])
    kind = room_type(room_types, booking["room_type"])
    guests = booking["guests"]
    if not isinstance(guests, int) or guests < 1:
        raise ValueError(f"guests must be a positive integer, got {guests!r}")
    if guests > kind["capacity"]:
        raise ValueError(f"{guests} guests do not fit a {kind['code']} room")
    room_id = booking.get("room_id")
    if room_id is not None:
        room = room_by_id(rooms, room_id)
        if room["type"] != booking["room_type"]:
            raise ValueError(f"room {room_id} is a {room['type']}, not a {booking['room_type']}")


def bookings_for_room(bookings: list[dict], room_id: str) -> list[dict]:
    mine = [b for b in bookings if b.get("room_id") == room_id and is_active(b)]
    return sorted(mine, key=lambda b: (parse_date(b["check_in"]), b["id"]))


def is_room_free(room_id: str, check_in: str, check_out: str, bookings: list[dict],
                 ignore_id: str | None = None) -> bool:
    for other in bookings:
        if other.get("room_id") != room_id or not is_active(other):
            continue
        if ignore_id is not None and other["id"] == ignore_id:
            continue
        if overlaps(check_in, check_out, other["check_in"], other["check_out"]):
            return False
    return True


def conflicts(bookings: list[dict]) -> list[tuple[str, str]]:
    """Pairs of active bookings (sorted ids) that hold the same room on the same night."""
    found = []
    active = active_bookings(bookings)
    for i, first in enumerate(active):
        for second in active[i + 1:]:
            if first.get("room_id") is None or first.get("room_id") != second.get("room_id"):
                continue
            if overlaps(first["check_in"], first["check_out"],
                        second["check_in"], second["check_out"]):
                found.append(tuple(sorted((first["id"], second["id"]))))
    return sorted(found)


def assign_rooms(bookings: list[dict], rooms: list[dict]) -> dict[str, str | None]:
    """Give every active booking without a room the lowest free room id of its type.

    Bookings are placed in order of check-in, then id. Returns {booking id: room id or None};
    the bookings themselves are left unchanged.
    """
    placed = [b for b in bookings if is_active(b) and b.get("room_id") is not None]
    waiting = [b for b in bookings if is_active(b) and b.get("room_id") is None]
    waiting.sort(key=lambda b: (parse_date(b["check_in"]), b["id"]))
    result: dict[str, str | None] = {}
    for booking in waiting:
        candidates = sorted(rooms_of_type(rooms, booking["room_type"]), key=lambda r: r["id"])
        chosen = None
        for room in candidates:
            if is_room_free(room["id"], booking["check_in"], booking["check_out"], placed):
                chosen = room["id"]
                break
        result[booking["id"]] = chosen
        if chosen is not None:
            placed.append(dict(booking, room_id=chosen))
    return result
