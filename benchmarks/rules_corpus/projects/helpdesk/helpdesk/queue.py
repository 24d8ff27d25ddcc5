"""The waiting tickets, most urgent first (then oldest, then lowest number)."""

from __future__ import annotations

from helpdesk.model import Ticket


class TicketQueue:
    def __init__(self) -> None:
        self._items: list[Ticket] = []

    def __len__(self) -> int:
        return len(self._items)

    def push(self, ticket: Ticket) -> None:
        self._items.append(ticket)

    def pop_next(self) -> Ticket:
        if not self._items:
            raise IndexError("the queue is empty")
        self._items.sort()
        return self._items.pop(0)

    def peek(self) -> Ticket | None:
        if not self._items:
            return None
        return min(self._items)

    def pop_for(self, agent) -> Ticket | None:
        """The most urgent ticket this agent can take, taken off the queue."""
        self._items.sort()
        for i, ticket in enumerate(self._items):
            if agent.can_take(ticket):
                return self._items.pop(i)
        return None
