"""A help desk: tickets queued by priority, agents with skills, SLA breaches, daily reports."""

from helpdesk.desk import Desk
from helpdesk.model import Agent, Customer, Priority, Status, Tier, Ticket
from helpdesk.queue import TicketQueue
from helpdesk.sla import PremiumSla, StandardSla, breaches

__all__ = [
    "Agent",
    "Customer",
    "Desk",
    "PremiumSla",
    "Priority",
    "StandardSla",
    "Status",
    "Ticket",
    "TicketQueue",
    "Tier",
    "breaches",
]
