"""coursemarks: weighted course marks, grades, ranks, moderation and transcripts."""

from .grading import (
    GRADE_CUTOFFS,
    LATE_PENALTY_PER_DAY,
    MAX_LATE_DAYS,
    course_results,
    course_totals,
    grade_distribution,
    late_penalty,
    letter_grade,
    mark_percent,
    percentile,
    rank_of,
    weighted_total,
)
from .loading import (
    Assessment,
    MarksFormatError,
    Student,
    load_course_data,
    marks_to_csv,
    parse_assessments,
    parse_marks,
    parse_students,
)
from .stats import (
    assessment_stats,
    find_outliers,
    mean,
    median,
    moderate,
    stdev,
    zscores,
)
from .transcript import (
    format_changes,
    grade_changes,
    render_course_transcripts,
    render_transcript,
)

__all__ = [
    "Assessment", "GRADE_CUTOFFS", "LATE_PENALTY_PER_DAY", "MAX_LATE_DAYS", "MarksFormatError",
    "Student", "assessment_stats", "course_results", "course_totals", "find_outliers",
    "format_changes", "grade_changes", "grade_distribution", "late_penalty", "letter_grade",
    "load_course_data", "mark_percent", "marks_to_csv", "mean", "median", "moderate",
    "parse_assessments", "parse_marks", "parse_students", "percentile", "rank_of",
    "render_course_transcripts", "render_transcript", "stdev", "weighted_total", "zscores",
]
