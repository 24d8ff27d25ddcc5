"""tramway: a city tram and bus network with timetables, journeys, fares and punctuality."""

from .boards import Departure, DepartureBoard
from .fares import DISCOUNT_PERCENT, FareTable, Rider
from .network import Line, Mode, Network, Stop, Trip, parse_time, to_time, to_timedelta
from .planner import Journey, JourneyPlanner, Leg
from .punctuality import DelayStats, Observation, PunctualityLog

__all__ = ["DISCOUNT_PERCENT", "DelayStats", "Departure", "DepartureBoard", "FareTable",
           "Journey", "JourneyPlanner", "Leg", "Line", "Mode", "Network", "Observation",
           "PunctualityLog", "Rider", "Stop", "Trip", "parse_time", "to_time",
           "to_timedelta"]
