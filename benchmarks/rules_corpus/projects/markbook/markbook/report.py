"""Per-student report text and the class summary sheet."""

from .attendance import attendance_flags, attendance_percent, find_student
from .averages import overall_averages, student_averages, subject_summary
from .grades import (
    DEFAULT_BOUNDARIES,
    class_position,
    grade_distribution,
    grade_for,
    moderate_subject,
    rank_with_ties,
    round_half_up,
)
from .parse import MarkbookError


def ordinal(n):
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    if n < 1:
        raise MarkbookError(f"no ordinal for {n}")
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def fmt_percent(value):
    """A percentage as printed on reports, five characters wide; a dash when missing."""
    if value is None:
        return "   - "
    return f"{round_half_up(value):5.1f}"


def fmt_position(rank, size, tied):
    return f"{ordinal(rank)}{'=' if tied else ''} of {size}"


def student_report(record, marks, positions, overall, overall_position, flags,
                   boundaries=DEFAULT_BOUNDARIES):
    """Report text for one student; subjects in alphabetical order."""
    lines = [
        f"Report for {record['name']} ({record['id']}), form {record['form']}",
        f"Attendance: {attendance_percent(record):.1f}%",
    ]
    width = max((len(subject) for subject in marks), default=0)
    for subject in sorted(marks):
        percent = marks[subject]
        lines.append(
            f"  {subject:<{width}}  {fmt_percent(percent)}  "
            f"{grade_for(percent, boundaries):<2}  {fmt_position(*positions[subject])}"
        )
    if overall is None:
        lines.append("Overall: no marks")
    else:
        lines.append(
            f"Overall: {fmt_percent(overall).strip()} ({grade_for(overall, boundaries)}), "
            f"{fmt_position(*overall_position)}"
        )
    lines.append("Flags: " + (", ".join(flags) if flags else "none"))
    return "\n".join(lines)


def build_reports(table, roster, weights, boundaries=DEFAULT_BOUNDARIES, moderation=None,
                  excused=()):
    """Report text for every student in the mark table, ``{student: text}`` in table order.

    ``moderation`` maps a subject to ``(target_mean, target_sd or None)``; subjects are
    moderated in alphabetical order before grades, positions and flags are worked out.
    """
    averages = student_averages(table, weights)
    for subject, (target_mean, target_sd) in sorted((moderation or {}).items()):
        averages = moderate_subject(averages, subject, target_mean, target_sd)
    flags = attendance_flags(roster, averages, excused=excused)
    overall = overall_averages(averages)
    ranked = rank_with_ties([(s, value) for s, value in overall.items() if value is not None])
    overall_positions = {}
    for student, _value, rank in ranked:
        tied = sum(1 for entry in ranked if entry[2] == rank) > 1
        overall_positions[student] = (rank, len(ranked), tied)
    reports = {}
    for student, marks in averages.items():
        record = find_student(roster, student)
        positions = {subject: class_position(averages, subject, student) for subject in marks}
        reports[student] = student_report(record, marks, positions, overall[student],
                                          overall_positions.get(student), flags[student],
                                          boundaries)
    return reports


def class_summary(averages, boundaries=DEFAULT_BOUNDARIES):
    """One line per subject (alphabetical): count, mean, median, range and grade counts."""
    subjects = sorted({subject for marks in averages.values() for subject in marks})
    lines = []
    for subject in subjects:
        info = subject_summary(averages, subject)
        grades = " ".join(f"{grade}:{count}" for grade, count
                          in grade_distribution(averages, subject, boundaries).items())
        lines.append(
            f"{subject}: n={info['count']} mean={fmt_percent(info['mean']).strip()} "
            f"median={fmt_percent(info['median']).strip()} "
            f"range={fmt_percent(info['low']).strip()}-{fmt_percent(info['high']).strip()} "
            f"[{grades}]"
        )
    return lines
