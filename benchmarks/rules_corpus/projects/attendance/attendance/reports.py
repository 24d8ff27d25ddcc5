"""Assessment tables, rankings and text report cards."""

from .register import absence_band, attendance_summary
from .stats import describe, mean, rank_positions

CARD_WIDTH = 60

# (lowest percentage for grade, grade), checked from the top down.
GRADE_BOUNDARIES = (
    (90.0, "9"),
    (80.0, "8"),
    (70.0, "7"),
    (60.0, "6"),
    (50.0, "5"),
    (40.0, "4"),
    (30.0, "3"),
    (20.0, "2"),
    (10.0, "1"),
    (0.0, "U"),
)

ATTENDANCE_COMMENTS = {
    "excellent": "Excellent attendance - well done.",
    "good": "Good attendance.",
    "cause for concern": "Attendance is below the school target of 95%.",
    "persistent absence": "Persistent absence: the attendance officer will be in touch.",
    "severe absence": "Severe absence: please contact the school urgently.",
}


def grade_for(percent):
    for lowest, grade in GRADE_BOUNDARIES:
        if percent >= lowest:
            return grade
    raise ValueError(f"percentage cannot be negative: {percent}")


def form_members(pupils, form):
    members = [p for p in pupils if p.form == form]
    members.sort(key=lambda p: (p.surname, p.forename, p.pupil_id))
    return members


def subject_percentages(scores, pupil_id):
    """Mean percentage per subject for one pupil, subjects in alphabetical order."""
    per_subject = {}
    for score in scores:
        if score.pupil_id == pupil_id:
            per_subject.setdefault(score.subject, []).append(100.0 * score.raw / score.out_of)
    return {subject: round(mean(values), 1) for subject, values in sorted(per_subject.items())}


def overall_percentage(scores, pupil_id):
    """Mean of a pupil's subject percentages, or None if they have no scores."""
    marks = subject_percentages(scores, pupil_id)
    if not marks:
        return None
    return round(mean(list(marks.values())), 1)


def subject_table(pupils, scores, subject, form=None):
    """(pupil_id, percent) for each pupil (of the form, if given) assessed in the subject."""
    ids = [p.pupil_id for p in pupils if form is None or p.form == form]
    per_pupil = {}
    for score in scores:
        if score.subject == subject and score.pupil_id in ids:
            per_pupil.setdefault(score.pupil_id, []).append(100.0 * score.raw / score.out_of)
    return [(pupil_id, round(mean(values), 1)) for pupil_id, values in sorted(per_pupil.items())]


def subject_statistics(pupils, scores, subject, form=None):
    table = subject_table(pupils, scores, subject, form)
    return describe([percent for _pupil_id, percent in table])


def year_rankings(pupils, scores, subject):
    return rank_positions(subject_table(pupils, scores, subject))


def _position_of(pupil_id, ranked):
    for key, _value, label in ranked:
        if key == pupil_id:
            return label
    raise KeyError(pupil_id)


def report_card(pupil, pupils, scores, summaries):
    """Render one pupil's report card as text (one string, newline-terminated lines)."""
    lines = ["=" * CARD_WIDTH,
             f"REPORT  {pupil.surname}, {pupil.forename} ({pupil.pupil_id})  Form {pupil.form}",
             "-" * CARD_WIDTH]
    mine = subject_percentages(scores, pupil.pupil_id)
    if mine:
        lines.append(f"{'Subject':<14}{'Score':>7}{'Grade':>7}{'Form avg':>10}{'Position':>22}")
    else:
        lines.append("No assessments recorded.")
    for subject, percent in mine.items():
        table = subject_table(pupils, scores, subject, pupil.form)
        figures = describe([value for _pupil_id, value in table])
        position = _position_of(pupil.pupil_id, rank_positions(table))
        lines.append(f"{subject:<14}{percent:>7.1f}{grade_for(percent):>7}"
                     f"{figures['mean']:>10.1f}{position + ' of ' + str(len(table)):>22}")
    if mine:
        overall = []
        for member in form_members(pupils, pupil.form):
            value = overall_percentage(scores, member.pupil_id)
            if value is not None:
                overall.append((member.pupil_id, value))
        own = round(mean(list(mine.values())), 1)
        position = _position_of(pupil.pupil_id, rank_positions(overall))
        lines.append(f"Overall {own:.1f}% (grade {grade_for(own)}), "
                     f"{position} in form of {len(overall)}")
    lines.append("-" * CARD_WIDTH)
    summary = summaries.get(pupil.pupil_id)
    if summary is None or not summary.possible:
        lines.append("Attendance: no sessions recorded.")
    else:
        lines.append(f"Attendance {summary.percent:.1f}% ({summary.attended}/{summary.possible}"
                     f" sessions), late {summary.late}, authorised absence {summary.authorised},"
                     f" unauthorised {summary.unauthorised}")
        lines.append(ATTENDANCE_COMMENTS[absence_band(summary.percent)])
    lines.append("=" * CARD_WIDTH)
    text = ""
    for line in lines:
        text += line + "\n"
    return text


def form_report(form, pupils, scores, register):
    """Report cards for every member of a form, in register (surname) order."""
    members = form_members(pupils, form)
    if not members:
        raise ValueError(f"no pupils in form {form!r}")
    summaries = attendance_summary(register, members)
    return [report_card(pupil, pupils, scores, summaries) for pupil in members]
