from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Employee:
    emp_id: str
    name: str
    department: str
    rate_code: str
    salaried: bool = False
    monthly_salary: float = 0.0


@dataclass(frozen=True)
class TimeEntry:
    emp_id: str
    day: date
    hours: float
    kind: str = "regular"
