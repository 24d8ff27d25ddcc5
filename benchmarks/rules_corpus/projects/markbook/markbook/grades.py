"""Grades, class positions and moderation of subject averages."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from .averages import subject_scores
from .parse import MarkbookError

DEFAULT_BOUNDARIES = [
    (90.0, "A*"), (80.0, "A"), (70.0, "B"), (60.0, "C"), (50.0, "D"), (40.0, "E"),
]
UNGRADED = "U"


def round_half_up(value, places=1):
    """Round the way reports do (72.25 -> 72.3), starting from the float's shortest repr."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def grade_for(percent, boundaries=DEFAULT_BOUNDARIES):
    """Grade for a percentage, judged on the mark as printed (one decimal place).

    ``boundaries`` is ``[(threshold, grade), ...]`` in any order; below every threshold, or
    with no mark at all, the result is ``"U"``.
    """
    if percent is None:
        return UNGRADED
    shown = round_half_up(percent)
    for threshold, grade in sorted(boundaries, reverse=True):
        if shown >= threshold:
            return grade
    return UNGRADED


def grade_distribution(averages, subject, boundaries=DEFAULT_BOUNDARIES):
    """``{grade: count}`` for one subject, every grade listed (highest first, then U)."""
    counts = {grade: 0 for _, grade in sorted(boundaries, reverse=True)}
    counts.setdefault(UNGRADED, 0)
    for _, percent in subject_scores(averages, subject):
        counts[grade_for(percent, boundaries)] += 1
    return counts


def rank_with_ties(scores, places=1):
    """Competition ranks ("1, 2, 2, 4") for ``[(student, percent), ...]``, best first.

    Marks are compared after rounding to ``places`` decimals (as printed on reports), so two
    students shown with the same mark share a position; ``places=None`` compares the exact
    values.  Students with equal marks are listed by id.  Returns
    ``[(student, percent, rank), ...]`` with the unrounded percent.
    """
    seen = set()
    keyed = []
    for student, percent in scores:
        if student in seen:
            raise MarkbookError(f"{student} listed twice")
        if percent is None:
            raise MarkbookError(f"{student} has no mark")
        seen.add(student)
        shown = percent if places is None else round_half_up(percent, places)
        keyed.append((-shown, student, percent))
    keyed.sort()
    ranked = []
    previous = None
    for position, (key, student, percent) in enumerate(keyed, 1):
        rank = ranked[-1][2] if ranked and key == previous else position
        previous = key
        ranked.append((student, percent, rank))
    return ranked


def class_position(averages, subject, student):
    """``(rank, class size, tied)`` of one student in one subject."""
    ranked = rank_with_ties(subject_scores(averages, subject))
    for who, _percent, rank in ranked:
        if who == student:
            tied = sum(1 for entry in ranked if entry[2] == rank) > 1
            return rank, len(ranked), tied
    raise MarkbookError(f"{student} has no mark in {subject!r}")


def moderate_subject(averages, subject, target_mean, target_sd=None):
    """Scale one subject's averages to a target mean (and spread, if given), kept in 0-100.

    Returns a new ``{student: {subject: percent}}``; other subjects are copied unchanged.
    When the marks have no spread at all they are only shifted.
    """
    if not 0 <= target_mean <= 100:
        raise MarkbookError(f"target mean {target_mean} is not a percentage")
    if target_sd is not None and target_sd < 0:
        raise MarkbookError("target spread must not be negative")
    values = [percent for _, percent in subject_scores(averages, subject)]
    if not values:
        raise MarkbookError(f"nobody has a mark in {subject!r}")
    moderated = {}
    for student, marks in averages.items():
        marks = dict(marks)
        if subject in marks:
            mean = statistics.mean(values)
            spread = statistics.pstdev(values)
            if target_sd is None or spread == 0:
                scaled = marks[subject] - mean + target_mean
            else:
                scaled = target_mean + (marks[subject] - mean) * target_sd / spread
            marks[subject] = min(100.0, max(0.0, scaled))
        moderated[student] = marks
    return moderated
