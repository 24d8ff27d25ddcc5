"""Deterministic workload for classbook: a school term for a few class sections."""

import random
import zlib
from datetime import date, timedelta

import classbook as cb

SEED = 20240902
SECTIONS = 5
STUDENTS_PER_SECTION = 36
TERM_START = date(2024, 9, 2)
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
         "Kira", "Liam", "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"]
LAST = ["Abbott", "Baptiste", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
        "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov",
        "Quiroga", "Rossi", "Silva", "Tanaka", "Usman", "Varga", "Weber", "Yilmaz"]
PLAN = [("Homework", "Homework", 25, 2, 12, 20), ("Quizzes", "Quiz", 15, 1, 7, 10),
        ("Labs", "Lab", 20, 1, 5, 25), ("Exams", "Exam", 30, 0, 3, 100),
        ("Project", "Project", 10, 0, 1, 50)]


def crc_of(value, crc=0):
    return zlib.crc32(repr(value).encode(), crc)


def make_plan(rng):
    categories = [cb.Category(name, weight, drop) for name, _, weight, drop, _, _ in PLAN]
    assignments = []
    for name, title, _, _, count, points in PLAN:
        for k in range(count):
            due = TERM_START + timedelta(days=(k + 1) * (100 // count) + rng.randint(0, 3))
            aid = f"{name[:2].upper()}{k + 1:02d}"
            assignments.append(cb.Assignment(aid, f"{title} {k + 1}", name, points, due))
    return categories, assignments


def make_section(rng, number, categories, assignments):
    policy = cb.LatePolicy(per_day=rng.choice([5, 10]), grace_days=rng.choice([0, 1]),
                           zero_after=rng.choice([None, 7]))
    book = cb.Gradebook(f"Section {number}", categories, late_policy=policy)
    for a in assignments:
        book.add_assignment(a)
    for k in range(STUDENTS_PER_SECTION):
        sid = f"S{number}{k:03d}"
        book.add_student(cb.Student(sid, rng.choice(FIRST), rng.choice(LAST), str(number)))
    rows = []
    for student in book.students:
        ability = rng.gauss(0.78, 0.12)
        for a in assignments:
            roll = rng.random()
            if roll < 0.02:
                continue
            if roll < 0.04:
                rows.append(f"{student.student_id},{a.assignment_id},EX")
                continue
            if roll < 0.08:
                rows.append(f"{student.student_id},{a.assignment_id},,")
                continue
            frac = min(1.04, max(0.0, rng.gauss(ability, 0.1)))
            points = round(frac * a.points * 2) / 2
            late = rng.choice([0] * 12 + [1, 2, 3, 5, 9])
            when = a.due + timedelta(days=late) if late else a.due - timedelta(rng.randint(0, 2))
            rows.append(f" {student.student_id} , {a.assignment_id}, {points:g}, {when}")
    rng.shuffle(rows)
    return book, rows


def run_section(book, rows, rng):
    crc = 0
    added = book.import_rows(rows)
    exams = [a.assignment_id for a in book.assignments_in("Exams")]
    book.curve_assignment(exams[0], "add", target_mean=78.0)
    book.curve_assignment(exams[-1], "sqrt")
    crc = zlib.crc32(cb.render_assignment_table(book).encode(), crc)
    cards = cb.render_class_reports(book)
    crc = zlib.crc32(cards.encode(), crc)
    # regrades after the report cards went home
    for sid in rng.sample(book.student_ids, 6):
        aid = rng.choice(book.assignments).assignment_id
        book.set_score(cb.Score(sid, aid, book.assignment(aid).points, None))
    book.excuse(book.student_ids[0], exams[1])
    book.remove_student(book.student_ids[-1])
    after = book.standings()
    crc = crc_of(after, crc)
    crc = crc_of(sorted(book.percentiles().items()), crc)
    summary = cb.render_grade_summary(book)
    crc = zlib.crc32(summary.encode(), crc)
    top = after[0]
    mean_final = cb.mean([st.percent for st in after if st.percent is not None])
    return crc, added, len(cards), top, mean_final, summary


def main():
    rng = random.Random(SEED)
    categories, assignments = make_plan(rng)
    print(f"categories={len(categories)} assignments={len(assignments)} "
          f"sections={SECTIONS} students={SECTIONS * STUDENTS_PER_SECTION}")
    total = 0
    for number in range(1, SECTIONS + 1):
        book, rows = make_section(rng, number, categories, assignments)
        crc, added, chars, top, mean_final, summary = run_section(book, rows, rng)
        total += added
        print(f"section {number} rows={added} card_chars={chars} top={top.student_id} "
              f"{cb.format_percent(top.percent, 2)} mean={mean_final:.3f} crc={crc:08x}")
        print(summary.splitlines()[-1])
    print(f"scores imported={total}")


if __name__ == "__main__":
    main()
