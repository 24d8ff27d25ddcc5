from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Company:
    id: int
    name: str
    country: str = "DE"


@dataclass
class Contact:
    id: int
    first: str
    last: str
    email: str = ""
    phone: str = ""
    company_id: int | None = None
    city: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}".strip()
