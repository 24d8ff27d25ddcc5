"""Course gradebook: rosters, scores, weighted averages and class reports."""

from gradebook.grading import letter_grade, percentile, rank_students, weighted_average
from gradebook.records import attach_scores, parse_roster
from gradebook.report import class_report

__all__ = [
    "attach_scores",
    "class_report",
    "letter_grade",
    "parse_roster",
    "percentile",
    "rank_students",
    "weighted_average",
]
