"""Deterministic workload for attendance: one synthetic year group, registered and reported on."""

import random
import zlib
from datetime import date, timedelta

import attendance as at

SEED = 20240902
FORMS = ["9A", "9B", "9C", "9D", "9E"]
PER_FORM = 18
TERM_START = date(2024, 9, 2)
N_DAYS = 30
EXTRA_DAYS = 10
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Wright", "Khan", "Evans", "Thomas", "Roberts", "Walker", "O'Brien",
            "Nowak", "Okafor", "Hughes", "Green"]
FORENAMES = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Aisha",
             "Leo", "Freya", "Muhammad", "Zofia", "Jack", "Grace", "Ravi", "Chloe", "Theo"]
SUBJECTS = [("Maths", "maths", "MATHS"), ("English", "Eng"), ("Science", "sci", "Science"),
            ("History", "hist"), ("Geography", "Geog."), ("French", "FR")]
ASSESSMENTS = [("Autumn test", 50), ("Mock", 80), ("Coursework", 40)]
PRESENT = ["P", "P", "P", "P", "P", "p", " P"]
LATE = ["L5", "L10", "L 3", "L15 (bus)", "L45: overslept", "L8 - traffic", "L20(train)"]
ABSENT = ["A(ill)", "A: sick", "A", "A - holiday", "A(Hol)", "A (unwell)", "A: no reason",
          "A(religious)", "A(truant)", "A - Family  holiday"]
MEDICAL = ["M(dentist)", "M: Dr", "M", "M (hospital)", "M - appt", "M(GP)"]


def school_days(start, count):
    days = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def pick_mark(rng, propensity):
    roll = rng.random()
    if roll < propensity:
        return rng.choice(PRESENT) if rng.random() < 0.93 else rng.choice(LATE)
    return rng.choice(ABSENT) if rng.random() < 0.8 else rng.choice(MEDICAL)


def register_rows(rng, pupil_ids, propensity, days):
    rows = []
    for day in days:
        for session in ("AM", "PM"):
            for pupil_id in pupil_ids:
                rows.append(f"{pupil_id},{day},{session},{pick_mark(rng, propensity[pupil_id])}")
    corrections = []
    for row in rng.sample(rows, len(rows) // 40):
        pupil_id, day, session, _mark = row.split(",", 3)
        corrections.append(f"{pupil_id},{day},{session},{rng.choice(ABSENT + MEDICAL + PRESENT)}")
    return rows + corrections


def score_rows(rng, pupil_ids, assessments):
    rows = []
    for pupil_id in pupil_ids:
        ability = rng.uniform(0.3, 0.95)
        for names in SUBJECTS:
            for assessment, out_of in assessments:
                if rng.random() < 0.04:
                    continue
                raw = min(out_of, max(0, round(rng.gauss(ability, 0.12) * out_of * 2) / 2))
                rows.append(f"{pupil_id},{rng.choice(names)},{assessment},{raw},{out_of}")
    return rows


def make_inputs(seed):
    rng = random.Random(seed)
    pupil_rows = ["pupil_id,surname,forename,form"]
    pupil_ids = []
    for f, form in enumerate(FORMS):
        for k in range(PER_FORM):
            pupil_id = f"P{f * 100 + k + 1:04d}"
            pupil_ids.append(pupil_id)
            pupil_rows.append(f"{pupil_id},{rng.choice(SURNAMES)},{rng.choice(FORENAMES)},"
                              f"{form.lower() if k % 5 == 0 else form}")
    propensity = {}
    for pupil_id in pupil_ids:
        roll = rng.random()
        propensity[pupil_id] = 0.97 if roll < 0.75 else (0.88 if roll < 0.93 else 0.6)
    days = school_days(TERM_START, N_DAYS + EXTRA_DAYS)
    first = register_rows(rng, pupil_ids, propensity, days[:N_DAYS])
    later = register_rows(rng, pupil_ids, propensity, days[N_DAYS - 2:])
    scores = score_rows(rng, pupil_ids, ASSESSMENTS)
    extra_scores = score_rows(rng, pupil_ids, [("Spring test", 60)])
    header = "pupil_id,date,session,mark"
    return ("\n".join(pupil_rows) + "\n", "\n".join([header] + first) + "\n",
            "\n".join([header] + later) + "\n",
            "\n".join(["pupil_id,subject,assessment,raw,out_of"] + scores) + "\n",
            "\n".join(["pupil_id,subject,assessment,raw,out_of"] + extra_scores) + "\n")


def run_round(pupils, register, scores):
    crc = 0
    summaries = at.attendance_summary(register, pupils)
    crc = zlib.crc32(repr(sorted(summaries.items())).encode(), crc)
    flagged = at.persistent_absentees(summaries)
    crc = zlib.crc32(repr(flagged).encode(), crc)
    by_form = at.form_attendance(summaries, pupils)
    crc = zlib.crc32(repr(by_form).encode(), crc)
    for form in FORMS:
        crc = zlib.crc32(repr(at.weekly_rates(register, pupils, form)).encode(), crc)
    reasons = at.reason_breakdown(register, pupils)
    crc = zlib.crc32(repr(reasons).encode(), crc)
    cards = []
    for form in FORMS:
        cards.extend(at.form_report(form, pupils, scores, register))
    crc = zlib.crc32("".join(cards).encode(), crc)
    stats = {}
    for names in SUBJECTS:
        subject = at.normalise_subject(names[0])
        ranked = at.year_rankings(pupils, scores, subject)
        crc = zlib.crc32(repr(ranked).encode(), crc)
        stats[subject] = at.subject_statistics(pupils, scores, subject)
        for form in FORMS:
            crc = zlib.crc32(repr(at.subject_statistics(pupils, scores, subject, form)).encode(),
                             crc)
    crc = zlib.crc32(repr(stats).encode(), crc)
    return crc, flagged, by_form, reasons, cards, stats


def main():
    pupil_text, first_text, later_text, score_text, extra_text = make_inputs(SEED)
    pupils = at.load_pupils(pupil_text)
    register = at.load_register(first_text)
    scores = at.load_scores(score_text)
    print(f"pupils={len(pupils)} entries={len(register)} scores={len(scores)}")
    for r in range(2):
        crc, flagged, by_form, reasons, cards, stats = run_round(pupils, register, scores)
        print(f"round {r} flagged={len(flagged)} forms={by_form} crc={crc:08x}")
        print(f"  worst: {flagged[:3]}")
        print(f"  reasons: {reasons[:4]}")
        print(f"  maths: {stats['Mathematics']}")
        # the register carries on for two more weeks, the spring test is marked and one
        # pupil changes form before the next round
        register = register + at.load_register(later_text)
        scores = scores + at.load_scores(extra_text)
        moved = pupils[7]
        pupils[7] = moved._replace(form=FORMS[-1])
    print(cards[len(cards) // 3], end="")


if __name__ == "__main__":
    main()
