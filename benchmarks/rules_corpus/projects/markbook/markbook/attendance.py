"""Attendance figures and the attendance-adjusted flags that go on reports."""

from .averages import overall_average
from .parse import MarkbookError

LOW_ATTENDANCE = 90.0
PERSISTENT_ABSENCE = 80.0
PASS_MARK = 40.0
SHORTFALL_WEIGHT = 0.5


def find_student(roster, student):
    """The roster record for a student id."""
    for record in roster:
        if record["id"] == student:
            return record
    raise MarkbookError(f"student {student!r} is not on the roster")


def attendance_percent(record):
    """Share of sessions attended, as a percentage (100 when no sessions have been held)."""
    if record["sessions"] == 0:
        return 100.0
    return 100.0 * record["attended"] / record["sessions"]


def form_groups(roster):
    """``{form: [student, ...]}`` with forms in sorted order and students in roster order."""
    groups = {}
    for record in roster:
        groups.setdefault(record["form"], []).append(record["id"])
    return {form: groups[form] for form in sorted(groups)}


def attendance_flags(roster, averages, pass_mark=PASS_MARK, excused=()):
    """``{student: [flag, ...]}`` for every student in ``averages``.

    Flags, in this order: ``PERSISTENT_ABSENCE`` or ``LOW_ATTENDANCE``; ``BELOW_PASS:<subject>``
    for each subject under the pass mark; ``AT_RISK`` when the overall average is under the
    pass mark raised by half the attendance shortfall below 90%.  Students in ``excused``
    (e.g. long-term illness) get no attendance flags and no shortfall.
    """
    if not 0 <= pass_mark <= 100:
        raise MarkbookError(f"pass mark {pass_mark} is not a percentage")
    flags = {}
    for student, marks in averages.items():
        record = find_student(roster, student)
        percent = attendance_percent(record)
        found = []
        shortfall = 0.0
        if student not in excused:
            if percent < PERSISTENT_ABSENCE:
                found.append("PERSISTENT_ABSENCE")
            elif percent < LOW_ATTENDANCE:
                found.append("LOW_ATTENDANCE")
            shortfall = max(0.0, LOW_ATTENDANCE - percent)
        for subject, value in marks.items():
            if value < pass_mark:
                found.append(f"BELOW_PASS:{subject}")
        overall = overall_average(marks)
        if overall is not None and overall < pass_mark + SHORTFALL_WEIGHT * shortfall:
            found.append("AT_RISK")
        flags[student] = found
    return flags
