"""The desk over a working day: tickets arrive, free agents take the most urgent one they can
handle, and a status line is logged after every event."""

from __future__ import annotations

from helpdesk.model import Agent, Status, Ticket
from helpdesk.queue import TicketQueue


class Desk:
    def __init__(self, agents: list[Agent]) -> None:
        if not agents:
            raise ValueError("a desk needs at least one agent")
        self.agents = agents
        self.queue = TicketQueue()
        self.closed: list[Ticket] = []
        self.waits: list[int] = []
        self.log: list[str] = []

    def status_line(self, now: int) -> str:
        if self.waits:
            ordered = sorted(self.waits)
            median = ordered[len(ordered) // 2]
            worst = max(self.waits)
        else:
            median = worst = 0
        return f"{now:>5} queued={len(self.queue):<3} done={len(self.closed):<4} " \
               f"median_wait={median:<4} worst_wait={worst}"

    def assign(self, now: int) -> None:
        for agent in self.agents:
            if agent.busy_until > now or not len(self.queue):
                continue
            ticket = self.queue.pop_for(agent)
            if ticket is None:
                continue
            ticket.status = Status.IN_PROGRESS
            ticket.started_at = now
            ticket.agent = agent.name
            agent.busy_until = now + ticket.effort
            agent.handled.append(ticket.ident)
            self.waits.append(ticket.wait)
            ticket.closed_at = agent.busy_until
            ticket.status = Status.CLOSED
            self.closed.append(ticket)

    def run(self, arrivals: list[Ticket], until: int) -> list[Ticket]:
        """Every ticket opened before `until` enters the queue at its time; agents work each
        minute. Returns the tickets still waiting at `until`."""
        pending = sorted(arrivals, key=lambda t: (t.opened_at, t.ident))
        i = 0
        for now in range(until):
            while i < len(pending) and pending[i].opened_at <= now:
                self.queue.push(pending[i])
                i += 1
            self.assign(now)
            if now % 5 == 0:
                self.log.append(self.status_line(now))
        left = []
        while len(self.queue):
            left.append(self.queue.pop_next())
        return left
