"""An exam board's results: weighted papers, centre moderation, grades, ranks and slips."""

from exams.report import (
    all_slips,
    centre_report,
    centre_stats,
    format_name,
    grade_counts,
    result_slip,
)
from exams.scoring import (
    adjustment,
    centre_ranks,
    grade_for,
    moderate,
    paper_score,
    results,
)
from exams.tables import (
    entries,
    find_candidate,
    load_boundaries,
    load_candidates,
    load_components,
    load_marks,
    load_moderation,
    paper_components,
    read_csv,
)

__all__ = [
    "adjustment",
    "all_slips",
    "centre_ranks",
    "centre_report",
    "centre_stats",
    "entries",
    "find_candidate",
    "format_name",
    "grade_counts",
    "grade_for",
    "load_boundaries",
    "load_candidates",
    "load_components",
    "load_marks",
    "load_moderation",
    "moderate",
    "paper_components",
    "paper_score",
    "read_csv",
    "result_slip",
    "results",
]
