"""Weighted averages from the mark table.

The mark table is the list of ``(student, subject, component, score, out_of)`` rows that
:func:`markbook.parse.parse_marks` returns.  Averages are percentages from 0 to 100.
"""

import statistics

from .parse import MarkbookError


def rows_for(table, student=None, subject=None, component=None):
    """The rows of ``table`` matching every filter that is given, in table order."""
    return [
        row for row in table
        if (student is None or row[0] == student)
        and (subject is None or row[1] == subject)
        and (component is None or row[2] == component)
    ]


def students_in(table):
    """Student ids in order of first appearance."""
    found = []
    for row in table:
        if row[0] not in found:
            found.append(row[0])
    return found


def subjects_in(table):
    """Subjects in order of first appearance."""
    found = []
    for row in table:
        if row[1] not in found:
            found.append(row[1])
    return found


def check_weights(table, weights):
    """Every subject and component used in the table must have a weight."""
    for row in table:
        scheme = weights.get(row[1])
        if scheme is None:
            raise MarkbookError(f"no weights for subject {row[1]!r}")
        if row[2] not in scheme:
            raise MarkbookError(f"no weight for {row[1]} / {row[2]}")


def component_percent(table, student, subject, component):
    """Percentage a student scored on one component, or None if every attempt was missed."""
    scored = 0.0
    possible = 0.0
    for row in rows_for(table, student, subject, component):
        if row[3] is None:
            continue
        scored += row[3]
        possible += row[4]
    if possible == 0:
        return None
    return 100.0 * scored / possible


def subject_average(table, weights, student, subject):
    """Weighted percentage for one subject.

    Components with no attempted work are left out and the other weights re-scaled; None
    when the student attempted nothing in the subject.
    """
    if subject not in weights:
        raise MarkbookError(f"no weights for subject {subject!r}")
    total = 0.0
    used = 0.0
    for component, weight in weights[subject].items():
        percent = component_percent(table, student, subject, component)
        if percent is None:
            continue
        total += weight * percent
        used += weight
    if used == 0:
        return None
    return total / used


def component_breakdown(table, weights, student, subject):
    """``[(component, weight, percent or None), ...]`` in the order of the weight scheme."""
    if subject not in weights:
        raise MarkbookError(f"no weights for subject {subject!r}")
    return [
        (component, weight, component_percent(table, student, subject, component))
        for component, weight in weights[subject].items()
    ]


def student_averages(table, weights):
    """``{student: {subject: percent}}`` for every student in the table, in table order.

    Subjects in which the student attempted nothing are left out.
    """
    check_weights(table, weights)
    averages = {}
    for student in students_in(table):
        own = rows_for(table, student=student)
        marks = {}
        for subject in subjects_in(own):
            average = subject_average(own, weights, student, subject)
            if average is not None:
                marks[subject] = average
        averages[student] = marks
    return averages


def overall_average(marks):
    """Plain mean of one student's subject averages, or None when there are none."""
    if not marks:
        return None
    return sum(marks.values()) / len(marks)


def overall_averages(averages):
    """``{student: overall percent or None}``."""
    return {student: overall_average(marks) for student, marks in averages.items()}


def subject_scores(averages, subject):
    """``[(student, percent), ...]`` for the students who have a mark in ``subject``."""
    return [(student, marks[subject]) for student, marks in averages.items() if subject in marks]


def subject_summary(averages, subject):
    """Count, mean, median, lowest and highest average in one subject."""
    values = [percent for _, percent in subject_scores(averages, subject)]
    if not values:
        raise MarkbookError(f"nobody has a mark in {subject!r}")
    return {
        "subject": subject,
        "count": len(values),
        "mean": statistics.fmean(values),
        "median": statistics.median(values),
        "low": min(values),
        "high": max(values),
    }
