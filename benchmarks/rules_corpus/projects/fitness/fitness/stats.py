"""Small numeric helpers: one-rep-max estimates, averages and date labels."""

from __future__ import annotations

import re
from datetime import date

FORMULAS = ("epley", "brzycki")

_DURATION = r"^(?:(\d+):)?(\d{1,2}):(\d{2})$"


def epley(weight: float, reps: int) -> float:
    if reps == 1:
        return float(weight)
    return weight * (1 + reps / 30)


def brzycki(weight: float, reps: int) -> float:
    if reps >= 37:
        raise ValueError("brzycki is undefined for 37 or more reps")
    return weight * 36 / (37 - reps)


def estimate_1rm(weight: float, reps: int, formula: str = "epley") -> float:
    """Estimated one-rep max, rounded to 0.01 kg."""
    if reps < 1:
        raise ValueError("reps must be at least 1")
    if weight < 0:
        raise ValueError("weight must not be negative")
    name = formula.strip().lower()
    if name == "epley":
        value = epley(weight, reps)
    elif name == "brzycki":
        value = brzycki(weight, reps)
    else:
        raise ValueError(f"unknown formula: {formula!r}")
    return round(value, 2)


def mean(values: list[float]) -> float:
    if not values:
        return 0.0
    total = 0.0
    count = 0
    for value in values:
        total += value
        count += 1
    return total / count


def median(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_duration(text: str) -> float:
    """'MM:SS' or 'H:MM:SS' to minutes."""
    match = re.match(_DURATION, text.strip())
    if not match:
        raise ValueError(f"bad duration: {text!r}")
    hours = int(match.group(1) or 0)
    minutes = int(match.group(2))
    seconds = int(match.group(3))
    if seconds >= 60 or (match.group(1) and minutes >= 60):
        raise ValueError(f"bad duration: {text!r}")
    return hours * 60 + minutes + seconds / 60


def format_pace(minutes_per_km: float) -> str:
    whole = int(minutes_per_km)
    seconds = int(round((minutes_per_km - whole) * 60))
    if seconds == 60:
        whole += 1
        seconds = 0
    return f"{whole}:{seconds:02d}/km"
