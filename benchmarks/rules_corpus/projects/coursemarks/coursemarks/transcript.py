"""Text transcripts and the moderation change report."""

from .grading import (
    course_assessments,
    course_totals,
    days_late,
    find_mark,
    letter_grade,
    mark_percent,
    percentile,
    rank_of,
)

LINE_WIDTH = 60
HEAVY_RULE = "=" * LINE_WIDTH
LIGHT_RULE = "-" * LINE_WIDTH
TITLE_WIDTH = 28


def format_mark_line(assessment, mark):
    title = assessment.title[:TITLE_WIDTH]
    pct = mark_percent(mark, assessment)
    if pct is None:
        return f"{title:<{TITLE_WIDTH}}{'missing':>12}"
    line = f"{title:<{TITLE_WIDTH}}{mark['mark']:>8.2f} / {assessment.max_mark:<6g}{pct:>7.2f}%"
    late = days_late(mark, assessment)
    if late:
        line += f"  (late {late}d)"
    return line


def render_transcript(student, assessments, marks, totals):
    """One student's transcript. totals is the {student_id: total} map of their course."""
    sid = student.student_id
    total = totals[sid]
    text = HEAVY_RULE + "\n"
    text += f"Transcript for {student.name} ({sid})\n"
    text += f"Course: {student.course}\n"
    text += LIGHT_RULE + "\n"
    for a in course_assessments(assessments, student.course):
        text += format_mark_line(a, find_mark(marks, sid, a.assessment_id)) + "\n"
    text += LIGHT_RULE + "\n"
    text += f"Weighted total: {total:6.2f}   Grade: {letter_grade(total)}\n"
    text += f"Rank {rank_of(sid, totals)} of {len(totals)}   "
    text += f"Percentile: {percentile(sid, totals):.1f}\n"
    text += HEAVY_RULE + "\n"
    return text


def render_course_transcripts(students, assessments, marks, course, missing="zero"):
    totals = course_totals(students, assessments, marks, course, missing)
    pages = []
    for s in students:
        if s.course == course:
            pages.append(render_transcript(s, assessments, marks, totals))
    return pages


def grade_changes(students, assessments, before, after, course, missing="zero"):
    """Students whose letter grade differs between two versions of the marks.

    Returns (student_id, old_grade, new_grade, old_total, new_total) tuples
    sorted by student id.
    """
    old_totals = course_totals(students, assessments, before, course, missing)
    new_totals = course_totals(students, assessments, after, course, missing)
    changes = []
    for sid in sorted(old_totals):
        old_grade = letter_grade(old_totals[sid])
        new_grade = letter_grade(new_totals[sid])
        if old_grade != new_grade:
            changes.append((sid, old_grade, new_grade, old_totals[sid], new_totals[sid]))
    return changes


def format_changes(changes):
    lines = []
    for sid, old_grade, new_grade, old_total, new_total in changes:
        lines.append(f"{sid:<10}{old_grade:>3} -> {new_grade:<3}{old_total:>8.2f}{new_total:>8.2f}")
    return "\n".join(lines)
