"""Trip records: raw export rows cleaned into plain dicts, and the time helpers built on them."""

from __future__ import annotations

from datetime import datetime

TIME_FORMAT = "%Y-%m-%d %H:%M"
REQUIRED = ("id", "vehicle", "driver", "depot", "start", "end", "distance_km", "fuel_l")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text.strip(), TIME_FORMAT)


def month_of(trip: dict) -> str:
    return parse_time(trip["start"]).strftime("%Y-%m")


def day_of(trip: dict) -> str:
    return parse_time(trip["start"]).date().isoformat()


def duration_hours(trip: dict) -> float:
    return (parse_time(trip["end"]) - parse_time(trip["start"])).total_seconds() / 3600


def average_speed(trip: dict) -> float:
    hours = duration_hours(trip)
    return trip["distance_km"] / hours if hours else 0.0


def consumption(trip: dict) -> float:
    """Litres per 100 km for one trip (0.0 for a trip that did not move)."""
    return trip["fuel_l"] / trip["distance_km"] * 100 if trip["distance_km"] else 0.0


def normalise_name(name: str) -> str:
    return " ".join(part.capitalize() for part in name.split())


def clean_trip(raw: dict) -> dict:
    """A new, validated trip dict; the raw row is left as it was."""
    missing = [name for name in REQUIRED if raw.get(name) in (None, "")]
    if missing:
        raise ValueError(f"trip {raw.get('id', '?')!r} is missing {', '.join(missing)}")
    trip = {
        "id": str(raw["id"]).strip(),
        "vehicle": str(raw["vehicle"]).strip().upper(),
        "driver": normalise_name(str(raw["driver"])),
        "depot": str(raw["depot"]).strip().upper(),
        "start": str(raw["start"]).strip(),
        "end": str(raw["end"]).strip(),
        "distance_km": float(raw["distance_km"]),
        "fuel_l": float(raw["fuel_l"]),
    }
    if trip["distance_km"] < 0 or trip["fuel_l"] < 0:
        raise ValueError(f"trip {trip['id']!r} has a negative distance or fuel figure")
    if parse_time(trip["end"]) < parse_time(trip["start"]):
        raise ValueError(f"trip {trip['id']!r} ends before it starts")
    return trip


def duplicate_ids(trips: list[dict]) -> list[str]:
    ids = [trip["id"] for trip in trips]
    return sorted({trip_id for trip_id in ids if ids.count(trip_id) > 1})


def load_trips(rows) -> list[dict]:
    """Clean every row of an export; duplicate trip ids are refused."""
    trips = [clean_trip(row) for row in rows]
    dupes = duplicate_ids(trips)
    if dupes:
        raise ValueError(f"duplicate trip ids: {', '.join(dupes)}")
    return trips


def merge_exports(*exports: list[dict]) -> list[dict]:
    """Several loaded exports as one list, ordered by start time (stable for equal starts)."""
    merged = [trip for export in exports for trip in export]
    dupes = sorted(set(duplicate_ids(merged)))
    if dupes:
        raise ValueError(f"duplicate trip ids: {', '.join(dupes)}")
    return sorted(merged, key=lambda trip: parse_time(trip["start"]))
