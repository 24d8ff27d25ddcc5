"""Text reports for teachers."""

from __future__ import annotations

from gradebook.grading import letter_grade, percentile, rank_students, weighted_average
from gradebook.stats import histogram, mean, median, stdev


def sections(students):
    names = []
    for student in students:
        if student["section"] not in names:
            names.append(student["section"])
    return names


def section_summary(students, assignments):
    rows = []
    for section in sections(students):
        members = [s for s in students if s["section"] == section]
        averages = [weighted_average(s, assignments) for s in members]
        rows.append(
            f"{section}: n={len(members)} mean={mean(averages):.2f} "
            f"median={median(averages):.2f} sd={stdev(averages):.2f}"
        )
    return rows


def student_line(student, students, assignments):
    average = weighted_average(student, assignments)
    return (
        f"{student['id']:<8} {student['name']:<24} {average:6.2f} "
        f"{letter_grade(average):<3} p{percentile(student, students, assignments):5.1f}"
    )


def class_report(students, assignments, top=10):
    lines = ["== class report =="]
    lines.extend(section_summary(students, assignments))
    letters = [letter_grade(weighted_average(s, assignments)) for s in students]
    lines.append("letters: " + ", ".join(f"{k}={v}" for k, v in sorted(histogram(letters).items())))
    lines.append("-- top students --")
    for student in rank_students(students, assignments)[:top]:
        lines.append(student_line(student, students, assignments))
    return lines


def roster_report(students, assignments):
    return [student_line(s, students, assignments) for s in students]
