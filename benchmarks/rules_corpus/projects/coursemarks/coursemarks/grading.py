"""Weighted totals, letter grades, ranks and percentiles."""

LATE_PENALTY_PER_DAY = 5.0  # percentage points lost per day late
MAX_LATE_DAYS = 7  # anything later than this scores zero
GRADE_CUTOFFS = [(85.0, "HD"), (75.0, "D"), (65.0, "C"), (50.0, "P"), (0.0, "F")]
MISSING_POLICIES = ("zero", "redistribute")
TOTAL_DECIMALS = 2


def course_assessments(assessments, course):
    return [a for a in assessments if a.course == course]


def marks_for_student(marks, student_id):
    return [m for m in marks if m["student_id"] == student_id]


def find_mark(marks, student_id, assessment_id):
    for m in marks:
        if m["student_id"] == student_id and m["assessment_id"] == assessment_id:
            return m
    return None


def days_late(mark, assessment):
    if mark is None or mark["submitted_day"] is None:
        return 0
    return max(0, mark["submitted_day"] - assessment.due_day)


def late_penalty(days):
    if days <= 0:
        return 0.0
    if days > MAX_LATE_DAYS:
        return 100.0
    return LATE_PENALTY_PER_DAY * days


def mark_percent(mark, assessment):
    """Percentage for one mark after the late penalty, or None when it is missing."""
    if mark is None or mark["mark"] is None:
        return None
    pct = mark["mark"] / assessment.max_mark * 100.0
    pct -= late_penalty(days_late(mark, assessment))
    return max(pct, 0.0)


def weighted_total(student, assessments, marks, missing="zero"):
    """Weighted percentage for one student over the assessments of their course.

    With missing="zero" an absent mark counts as 0; with "redistribute" its
    weight is spread over the assessments the student did complete.
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"unknown missing-mark policy {missing!r}")
    own = marks_for_student(marks, student.student_id)
    total = 0.0
    weight_used = 0.0
    for a in course_assessments(assessments, student.course):
        pct = mark_percent(find_mark(own, student.student_id, a.assessment_id), a)
        if pct is None:
            if missing == "zero":
                weight_used += a.weight
            continue
        total += pct * a.weight
        weight_used += a.weight
    if weight_used == 0:
        return 0.0
    return round(total / weight_used, TOTAL_DECIMALS)


def letter_grade(total):
    if total < 0 or total > 100:
        raise ValueError(f"total {total} outside 0..100")
    for cutoff, letter in sorted(GRADE_CUTOFFS, reverse=True):
        if total >= cutoff:
            return letter
    return GRADE_CUTOFFS[-1][1]


def course_totals(students, assessments, marks, course, missing="zero"):
    """Return {student_id: total} for every student enrolled in course."""
    totals = {}
    for s in students:
        if s.course == course:
            totals[s.student_id] = weighted_total(s, assessments, marks, missing)
    return totals


def rank_of(student_id, totals):
    """Competition rank (1, 2, 2, 4, ...) of a student within totals."""
    ordered = sorted(totals.values(), reverse=True)
    return ordered.index(totals[student_id]) + 1


def percentile(student_id, totals):
    """Share of the class (in %) with a strictly lower total."""
    mine = totals[student_id]
    below = len([t for t in totals.values() if t < mine])
    return round(100.0 * below / len(totals), 1)


def course_results(students, assessments, marks, course, missing="zero"):
    totals = course_totals(students, assessments, marks, course, missing)
    results = []
    for sid in totals:
        results.append(
            {
                "student_id": sid,
                "total": totals[sid],
                "grade": letter_grade(totals[sid]),
                "rank": rank_of(sid, totals),
                "percentile": percentile(sid, totals),
            }
        )
    results.sort(key=lambda r: (r["rank"], r["student_id"]))
    return results


def grade_distribution(results):
    counts = {}
    for _, letter in GRADE_CUTOFFS:
        counts[letter] = len([r for r in results if r["grade"] == letter])
    return counts
