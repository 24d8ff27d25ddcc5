"""Tickets, customers and agents."""

from __future__ import annotations

import enum


class Priority(enum.IntEnum):
    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4


class Status(enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    CLOSED = "closed"


class Tier(enum.Enum):
    STANDARD = "standard"
    PREMIUM = "premium"


class Customer:
    def __init__(self, ident: int, name: str, tier: Tier = Tier.STANDARD) -> None:
        self.ident = ident
        self.name = name
        self.tier = tier

    def __repr__(self) -> str:
        return f"Customer({self.ident}, {self.name!r}, {self.tier.value})"


class Ticket:
    def __init__(self, ident: int, customer_id: int, priority: Priority, opened_at: int,
                 topic: str, effort: int) -> None:
        if effort <= 0:
            raise ValueError(f"ticket {ident}: effort must be positive")
        self.ident = ident
        self.customer_id = customer_id
        self.priority = Priority(priority)
        self.opened_at = opened_at
        self.topic = topic
        self.effort = effort
        self.status = Status.OPEN
        self.started_at: int | None = None
        self.closed_at: int | None = None
        self.agent: str | None = None

    @property
    def wait(self) -> int | None:
        """Minutes from opening until an agent picked it up."""
        if self.started_at is None:
            return None
        return self.started_at - self.opened_at

    def sort_key(self) -> tuple[int, int, int]:
        return (-int(self.priority), self.opened_at, self.ident)

    def __lt__(self, other: Ticket) -> bool:
        return self.sort_key() < other.sort_key()

    def __repr__(self) -> str:
        return f"Ticket({self.ident}, {self.priority.name}, {self.status.value})"


class Agent:
    def __init__(self, name: str, skills: set[str]) -> None:
        self.name = name
        self.skills = set(skills)
        self.busy_until = 0
        self.handled: list[int] = []

    def can_take(self, ticket: Ticket) -> bool:
        return ticket.topic in self.skills or "general" in self.skills
