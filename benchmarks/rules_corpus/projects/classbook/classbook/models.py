"""Plain records for the gradebook: students, categories, assignments and scores."""

from dataclasses import dataclass
from datetime import date, datetime


def _clean_id(value, what):
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise ValueError(f"{what} must not be empty")
    return text


def _number(value, what, minimum=0.0):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    if value != value or value < minimum:
        raise ValueError(f"{what} must be at least {minimum:g}, got {value!r}")
    return float(value)


def _plain_date(value, what):
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


@dataclass
class Student:
    student_id: str
    first: str
    last: str
    section: str = ""

    def __post_init__(self):
        self.student_id = _clean_id(self.student_id, "student_id")
        for field_name in ("first", "last", "section"):
            if not isinstance(getattr(self, field_name), str):
                raise TypeError(f"{field_name} must be a string")
        self.first = self.first.strip()
        self.last = self.last.strip()
        self.section = self.section.strip()
        if not self.last:
            raise ValueError("a student needs a last name")

    @property
    def full_name(self):
        return f"{self.first} {self.last}".strip()

    @property
    def sort_name(self):
        return f"{self.last}, {self.first}" if self.first else self.last


@dataclass
class Category:
    name: str
    weight: float
    drop_lowest: int = 0

    def __post_init__(self):
        self.name = _clean_id(self.name, "category name")
        self.weight = _number(self.weight, "weight")
        if self.weight == 0:
            raise ValueError(f"category {self.name!r} needs a positive weight")
        if isinstance(self.drop_lowest, bool) or not isinstance(self.drop_lowest, int):
            raise TypeError("drop_lowest must be an int")
        if self.drop_lowest < 0:
            raise ValueError("drop_lowest must not be negative")


@dataclass
class Assignment:
    assignment_id: str
    title: str
    category: str
    points: float
    due: date

    def __post_init__(self):
        self.assignment_id = _clean_id(self.assignment_id, "assignment_id")
        self.category = _clean_id(self.category, "category")
        if not isinstance(self.title, str):
            raise TypeError("title must be a string")
        self.title = self.title.strip() or self.assignment_id
        self.points = _number(self.points, "points")
        if self.points == 0:
            raise ValueError(f"assignment {self.assignment_id!r} must be worth some points")
        _plain_date(self.due, "due")


@dataclass
class Score:
    student_id: str
    assignment_id: str
    points: float | None
    submitted: date | None = None
    excused: bool = False

    def __post_init__(self):
        self.student_id = _clean_id(self.student_id, "student_id")
        self.assignment_id = _clean_id(self.assignment_id, "assignment_id")
        if self.points is not None:
            self.points = _number(self.points, "points")
        if self.submitted is not None:
            _plain_date(self.submitted, "submitted")
        if not isinstance(self.excused, bool):
            raise TypeError("excused must be a bool")
        if self.excused and self.points is not None:
            raise ValueError("an excused score cannot carry points")

    @property
    def is_missing(self):
        return self.points is None and not self.excused

    @property
    def key(self):
        return (self.student_id, self.assignment_id)
