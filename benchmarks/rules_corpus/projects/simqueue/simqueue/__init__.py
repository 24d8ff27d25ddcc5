"""A discrete-event simulation of a service counter: customers, desks, shifts, a day report."""

from simqueue.events import Arrival, Departure, DeskClose, DeskOpen, Event
from simqueue.model import Customer, Desk, Simulation, VipCustomer, average, percentile

__all__ = [
    "Arrival",
    "Customer",
    "Departure",
    "Desk",
    "DeskClose",
    "DeskOpen",
    "Event",
    "Simulation",
    "VipCustomer",
    "average",
    "percentile",
]
