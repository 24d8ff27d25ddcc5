from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Room:
    name: str
    capacity: int
    features: list[str] = field(default_factory=list)

    def has(self, needed: list[str]) -> bool:
        for feature in needed:
            if feature not in self.features:
                return False
        return True


@dataclass
class Booking:
    room: str
    start: str
    end: str
    title: str
    owner: str

    def describe(self) -> str:
        return f"{self.start}-{self.end} {self.room}: {self.title} ({self.owner})"
