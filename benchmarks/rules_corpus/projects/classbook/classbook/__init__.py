"""classbook: a teacher's gradebook with weighted categories, late penalties and report cards."""

from .gradebook import AssignmentStats, Gradebook, Standing
from .models import Assignment, Category, Score, Student
from .policy import (
    DEFAULT_CUTOFFS,
    GradeScale,
    LatePolicy,
    apply_curve,
    curve_offset,
    school_days_between,
)
from .report import (
    format_percent,
    render_assignment_table,
    render_class_reports,
    render_grade_summary,
    render_report_card,
)
from .stats import competition_ranks, histogram, mean, median, percentile_rank, stdev, variance

__all__ = [
    "Assignment",
    "AssignmentStats",
    "Category",
    "DEFAULT_CUTOFFS",
    "GradeScale",
    "Gradebook",
    "LatePolicy",
    "Score",
    "Standing",
    "Student",
    "apply_curve",
    "competition_ranks",
    "curve_offset",
    "format_percent",
    "histogram",
    "mean",
    "median",
    "percentile_rank",
    "render_assignment_table",
    "render_class_reports",
    "render_grade_summary",
    "render_report_card",
    "school_days_between",
    "stdev",
    "variance",
]
