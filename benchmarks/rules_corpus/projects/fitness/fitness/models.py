"""Athletes, exercises and workout sessions."""

from __future__ import annotations

import enum
import re
from datetime import date

from .stats import estimate_1rm, format_pace, week_label


class Category(enum.Enum):
    STRENGTH = "strength"
    CARDIO = "cardio"
    MOBILITY = "mobility"

    @classmethod
    def from_label(cls, label: str) -> Category:
        key = label.strip().lower()
        for member in cls:
            if member.value == key or member.name.lower() == key:
                return member
        raise ValueError(f"unknown category: {label!r}")


def normalize_name(name: str) -> str:
    """'  Back-Squat ' and 'back squat' name the same exercise."""
    cleaned = re.sub(r"[-_/]+", " ", name.strip().lower())
    cleaned = re.sub(r"[^a-z0-9 ]", "", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip()


class Athlete:
    def __init__(self, athlete_id: str, name: str, bodyweight: float) -> None:
        self.athlete_id = self.validate_id(athlete_id)
        self.name = name
        if bodyweight <= 0:
            raise ValueError("bodyweight must be positive")
        self.bodyweight = float(bodyweight)

    @staticmethod
    def validate_id(athlete_id: str) -> str:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", athlete_id or ""):
            raise ValueError(f"bad athlete id: {athlete_id!r}")
        return athlete_id.upper()

    @classmethod
    def from_record(cls, record: dict) -> Athlete:
        return cls(record["id"], record["name"], float(record.get("bodyweight", 75)))

    @property
    def initials(self) -> str:
        return "".join(part[0].upper() for part in self.name.split() if part)

    def __repr__(self) -> str:
        return f"Athlete({self.athlete_id!r}, {self.name!r}, {self.bodyweight})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Athlete):
            return NotImplemented
        return self.athlete_id == other.athlete_id

    def __hash__(self) -> int:
        return hash(self.athlete_id)


class Exercise:
    def __init__(self, name: str, category: Category = Category.STRENGTH) -> None:
        if not normalize_name(name):
            raise ValueError("exercise needs a name")
        self.name = name.strip()
        self.category = category

    @property
    def key(self) -> str:
        return normalize_name(self.name)

    def matches(self, name: str) -> bool:
        return self.key == normalize_name(name)

    def __repr__(self) -> str:
        return f"Exercise({self.name!r}, {self.category.name})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Exercise):
            return NotImplemented
        return self.key == other.key and self.category == other.category

    def __hash__(self) -> int:
        return hash((self.key, self.category))


class SetEntry:
    def __init__(self, exercise: str, reps: int, weight: float) -> None:
        if not isinstance(reps, int) or reps < 1:
            raise ValueError("reps must be a positive integer")
        if weight < 0:
            raise ValueError("weight must not be negative")
        self.exercise = exercise
        self.reps = reps
        self.weight = float(weight)

    @property
    def volume(self) -> float:
        return self.reps * self.weight

    @property
    def one_rep_max(self) -> float:
        return estimate_1rm(self.weight, self.reps)

    def __repr__(self) -> str:
        return f"SetEntry({self.exercise!r}, {self.reps}x{self.weight:g})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SetEntry):
            return NotImplemented
        return (normalize_name(self.exercise), self.reps, self.weight) == (
            normalize_name(other.exercise), other.reps, other.weight)


class CardioInterval:
    def __init__(self, exercise: str, minutes: float, distance_km: float, intensity: int) -> None:
        if minutes <= 0:
            raise ValueError("minutes must be positive")
        if distance_km < 0:
            raise ValueError("distance must not be negative")
        if not 1 <= intensity <= 10:
            raise ValueError("intensity is 1 to 10")
        self.exercise = exercise
        self.minutes = float(minutes)
        self.distance_km = float(distance_km)
        self.intensity = intensity

    @property
    def load(self) -> float:
        return self.minutes * self.intensity

    @property
    def pace(self) -> str:
        if not self.distance_km:
            return "-"
        return format_pace(self.minutes / self.distance_km)

    def __repr__(self) -> str:
        return f"CardioInterval({self.exercise!r}, {self.minutes:g} min, {self.distance_km:g} km)"


class Session:
    def __init__(self, session_id: int, athlete_id: str, day: date, rpe: int = 5) -> None:
        if not 1 <= rpe <= 10:
            raise ValueError("rpe is 1 to 10")
        self.session_id = session_id
        self.athlete_id = athlete_id
        self.day = day
        self.rpe = rpe
        self.sets: list[SetEntry] = []
        self.intervals: list[CardioInterval] = []

    @property
    def week(self) -> str:
        return week_label(self.day)

    @property
    def volume(self) -> float:
        return sum(entry.volume for entry in self.sets)

    @property
    def load(self) -> float:
        strength = self.volume / 100 * self.rpe / 10
        cardio = sum(interval.load for interval in self.intervals)
        return round(strength + cardio, 2)

    def exercises(self) -> list[str]:
        names: list[str] = []
        for entry in self.sets:
            key = normalize_name(entry.exercise)
            if key not in names:
                names.append(key)
        for interval in self.intervals:
            key = normalize_name(interval.exercise)
            if key not in names:
                names.append(key)
        return names

    def __repr__(self) -> str:
        return (f"Session({self.session_id}, {self.athlete_id!r}, {self.day.isoformat()}, "
                f"{len(self.sets)} sets, {len(self.intervals)} intervals)")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return self.session_id == other.session_id

    def __hash__(self) -> int:
        return hash(self.session_id)
