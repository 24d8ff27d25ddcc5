"""Session register: attendance totals, weekly rates and persistent-absence flags."""

from collections import Counter, namedtuple

from .records import parse_date, parse_mark

Summary = namedtuple(
    "Summary", ["pupil_id", "possible", "attended", "late", "authorised", "unauthorised", "percent"]
)

PERSISTENT_ABSENCE_THRESHOLD = 90.0

# (lowest percentage in band, band name), checked from the top down.
ABSENCE_BANDS = (
    (97.0, "excellent"),
    (95.0, "good"),
    (90.0, "cause for concern"),
    (50.0, "persistent absence"),
    (0.0, "severe absence"),
)


def entries_for(register, pupil_id):
    return [entry for entry in register if entry.pupil_id == pupil_id]


def latest_marks(entries):
    """Collapse sessions recorded more than once, keeping the last mark entered.

    Returns ((date, session), mark) pairs in the order sessions were first seen.
    """
    keys = []
    marks = []
    for entry in entries:
        key = (entry.date, entry.session)
        if key in keys:
            marks[keys.index(key)] = entry.mark
        else:
            keys.append(key)
            marks.append(entry.mark)
    return list(zip(keys, marks))


def pupil_summary(register, pupil_id):
    possible = attended = late = authorised = unauthorised = 0
    for _session, text in latest_marks(entries_for(register, pupil_id)):
        mark = parse_mark(text)
        possible += 1
        if mark.attended:
            attended += 1
            if mark.code == "L":
                late += 1
        elif mark.authorised:
            authorised += 1
        else:
            unauthorised += 1
    percent = round(100.0 * attended / possible, 1) if possible else 0.0
    return Summary(pupil_id, possible, attended, late, authorised, unauthorised, percent)


def attendance_summary(register, pupils):
    """Summary per pupil id, for every pupil given (even those with no sessions)."""
    return {pupil.pupil_id: pupil_summary(register, pupil.pupil_id) for pupil in pupils}


def absence_band(percent):
    for lowest, name in ABSENCE_BANDS:
        if percent >= lowest:
            return name
    raise ValueError(f"attendance percentage cannot be negative: {percent}")


def persistent_absentees(summaries, threshold=PERSISTENT_ABSENCE_THRESHOLD):
    """(pupil_id, percent, band) for pupils below the threshold, worst first."""
    flagged = [s for s in summaries.values() if s.possible and s.percent < threshold]
    flagged.sort(key=lambda s: (s.percent, s.pupil_id))
    return [(s.pupil_id, s.percent, absence_band(s.percent)) for s in flagged]


def weekly_rates(register, pupils, form=None):
    """(ISO week, attended, possible, percent) for the pupils (of one form if given)."""
    members = [p.pupil_id for p in pupils if form is None or p.form == form]
    weeks = {}

    def bump(day, attended):
        year, week, _weekday = day.isocalendar()
        counts = weeks.setdefault(f"{year}-W{week:02d}", [0, 0])
        if attended:
            counts[0] += 1
        counts[1] += 1

    for pupil_id in members:
        for (date, _session), text in latest_marks(entries_for(register, pupil_id)):
            bump(parse_date(date), parse_mark(text).attended)
    return [(label, hit, total, round(100.0 * hit / total, 1))
            for label, (hit, total) in sorted(weeks.items())]


def reason_breakdown(register, pupils):
    """How often each absence reason was given, most common first, then by name."""
    counts = Counter()
    for pupil in pupils:
        for _session, text in latest_marks(entries_for(register, pupil.pupil_id)):
            mark = parse_mark(text)
            if not mark.attended:
                counts[mark.reason] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def form_attendance(summaries, pupils):
    """Overall attendance percentage per form, from per-pupil summaries."""
    forms = {}
    for pupil in pupils:
        summary = summaries.get(pupil.pupil_id)
        if summary is None:
            continue
        totals = forms.setdefault(pupil.form, [0, 0])
        totals[0] += summary.attended
        totals[1] += summary.possible
    return {form: round(100.0 * hit / total, 1) if total else 0.0
            for form, (hit, total) in sorted(forms.items())}
