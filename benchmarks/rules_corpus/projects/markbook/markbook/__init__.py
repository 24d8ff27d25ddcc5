"""markbook: a school mark book built from plain CSV-like text.

Marks per student, subject and assessment component; weighted averages; grade boundaries;
class positions with ties; moderation of a subject; attendance-adjusted flags; report text.
"""

from .attendance import attendance_flags, attendance_percent, find_student, form_groups
from .averages import (
    check_weights,
    component_breakdown,
    component_percent,
    overall_average,
    overall_averages,
    rows_for,
    student_averages,
    students_in,
    subject_average,
    subject_scores,
    subject_summary,
    subjects_in,
)
from .grades import (
    DEFAULT_BOUNDARIES,
    UNGRADED,
    class_position,
    grade_distribution,
    grade_for,
    moderate_subject,
    rank_with_ties,
    round_half_up,
)
from .parse import (
    MarkbookError,
    clean_id,
    clean_label,
    parse_boundaries,
    parse_marks,
    parse_number,
    parse_roster,
    parse_weights,
)
from .report import build_reports, class_summary, fmt_percent, ordinal, student_report

__all__ = [
    "DEFAULT_BOUNDARIES",
    "MarkbookError",
    "UNGRADED",
    "attendance_flags",
    "attendance_percent",
    "build_reports",
    "check_weights",
    "class_position",
    "class_summary",
    "clean_id",
    "clean_label",
    "component_breakdown",
    "component_percent",
    "find_student",
    "fmt_percent",
    "form_groups",
    "grade_distribution",
    "grade_for",
    "moderate_subject",
    "ordinal",
    "overall_average",
    "overall_averages",
    "parse_boundaries",
    "parse_marks",
    "parse_number",
    "parse_roster",
    "parse_weights",
    "rank_with_ties",
    "round_half_up",
    "rows_for",
    "student_averages",
    "student_report",
    "students_in",
    "subject_average",
    "subject_scores",
    "subject_summary",
    "subjects_in",
]
