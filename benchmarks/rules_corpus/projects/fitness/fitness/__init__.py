"""Fitness tracking: athletes, workout sessions, personal records and leaderboards."""

from .models import Athlete, CardioInterval, Category, Exercise, Session, SetEntry, normalize_name
from .stats import estimate_1rm, format_pace, mean, median, parse_duration, week_label
from .tracker import Tracker

__all__ = [
    "Athlete", "CardioInterval", "Category", "Exercise", "Session", "SetEntry", "Tracker",
    "estimate_1rm", "format_pace", "mean", "median", "normalize_name", "parse_duration",
    "week_label",
]
