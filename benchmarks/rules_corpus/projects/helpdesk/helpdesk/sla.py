"""Service levels: how soon a ticket must be picked up, by customer tier and priority."""

from __future__ import annotations

from helpdesk.model import Customer, Priority, Ticket, Tier


class SlaPolicy:
    name = "base"
    minutes = {Priority.LOW: 2880, Priority.NORMAL: 960, Priority.HIGH: 240, Priority.URGENT: 60}

    def target_minutes(self, priority: Priority) -> int:
        return self.minutes[priority]

    def breached(self, ticket: Ticket) -> bool:
        if ticket.wait is None:
            return False
        return ticket.wait > self.target_minutes(ticket.priority)


class StandardSla(SlaPolicy):
    name = "standard"


class PremiumSla(SlaPolicy):
    name = "premium"

    def target_minutes(self, priority: Priority) -> int:
        return max(15, super().target_minutes(priority) // 4)


POLICIES = {Tier.STANDARD: StandardSla(), Tier.PREMIUM: PremiumSla()}


def customer_of(ticket: Ticket, customers: list[Customer]) -> Customer:
    for customer in customers:
        if customer.ident == ticket.customer_id:
            return customer
    raise KeyError(f"ticket {ticket.ident}: unknown customer {ticket.customer_id}")


def breaches(tickets: list[Ticket], customers: list[Customer]) -> list[tuple[int, str, int]]:
    """(ticket, customer name, minutes over target) for every picked-up ticket over its SLA."""
    out = []
    for ticket in tickets:
        customer = customer_of(ticket, customers)
        policy = POLICIES[customer.tier]
        if policy.breached(ticket):
            over = ticket.wait - policy.target_minutes(ticket.priority)
            out.append((ticket.ident, customer.name, over))
    return out
