"""Deterministic workload for coursemarks: one synthetic term, reported several times."""

import random
import zlib

import coursemarks as cm

SEED = 20240611
N_STUDENTS = 300
COURSES = ["MATH101", "PHYS102", "CHEM103"]
ASSESSMENTS_PER_COURSE = (5, 7)
ROUNDS = 3
TITLES = ["Quiz", "Assignment", "Lab report", "Essay", "Project", "Midterm", "Tutorial", "Exam"]
FIRST = ["Ava", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kai"]
LAST = ["Nguyen", "Smith", "Patel", "Brown", "Garcia", "Wilson", "Kim", "Rossi", "Okafor", "Chen"]


def make_inputs(seed):
    rng = random.Random(seed)
    students = ["student_id,name,course"]
    enrolment = []
    for i in range(N_STUDENTS):
        sid = f"S{10000 + i * 7}"
        course = rng.choice(COURSES)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        students.append(f"{sid},{name},{course}")
        enrolment.append((sid, course, rng.gauss(68, 12)))

    plan = ["course,assessment_id,title,weight,max_mark,due_day"]
    by_course = {}
    for c in COURSES:
        count = rng.randint(*ASSESSMENTS_PER_COURSE)
        items = []
        for k in range(count):
            aid = f"{c[:4]}-{k + 1}"
            title = f"{TITLES[k % len(TITLES)]} {k // len(TITLES) + 1}"
            weight = rng.randint(5, 40)
            max_mark = rng.choice([20, 25, 50, 100])
            due = 14 * (k + 1)
            plan.append(f"{c},{aid},{title},{weight},{max_mark},{due}")
            items.append((aid, max_mark, due, rng.gauss(0, 6)))
        by_course[c] = items

    rows = []
    for sid, course, ability in enrolment:
        for aid, max_mark, due, difficulty in by_course[course]:
            roll = rng.random()
            if roll < 0.02:
                continue  # no row at all
            if roll < 0.06:
                rows.append(f"{sid},{aid},,")
                continue
            pct = min(100.0, max(0.0, ability - difficulty + rng.gauss(0, 10)))
            mark = round(pct / 100.0 * max_mark * 2) / 2
            late = rng.random()
            if late < 0.01:
                day = due + rng.randint(8, 12)
            elif late < 0.11:
                day = due + rng.randint(1, 4)
            else:
                day = due - rng.randint(0, 5)
            rows.append(f"{sid},{aid},{mark:g},{day}")
    rng.shuffle(rows)
    marks = "student_id,assessment_id,mark,submitted_day\n" + "\n".join(rows) + "\n"
    return "\n".join(students) + "\n", "\n".join(plan) + "\n", marks


def run_round(inputs, policy):
    students, assessments, marks = cm.load_course_data(*inputs)
    summary = {"results": 0, "total_sum": 0.0, "outliers": 0, "changes": 0, "pages": 0}
    crc = 0
    samples = []
    for course in COURSES:
        results = cm.course_results(students, assessments, marks, course, policy)
        summary["results"] += len(results)
        summary["total_sum"] += sum(r["total"] for r in results)
        dist = cm.grade_distribution(results)
        crc = zlib.crc32(repr(sorted(dist.items())).encode(), crc)
        samples.append((course, results[0], results[-1]))

        own = [a for a in assessments if a.course == course]
        stats = [cm.assessment_stats(marks, a) for a in own]
        crc = zlib.crc32(repr(stats).encode(), crc)
        for a in own:
            z = cm.zscores(marks, a)
            crc = zlib.crc32(repr(sorted(z.items())).encode(), crc)
        summary["outliers"] += len(cm.find_outliers(marks, own))

        hardest = min(own, key=lambda a: (stats[own.index(a)]["mean"] or 0) / a.max_mark)
        moderated = cm.moderate(marks, hardest, round(hardest.max_mark * 0.7, 2))
        changes = cm.grade_changes(students, assessments, marks, moderated, course, policy)
        summary["changes"] += len(changes)
        crc = zlib.crc32(cm.format_changes(changes).encode(), crc)

        pages = cm.render_course_transcripts(students, assessments, moderated, course, policy)
        summary["pages"] += len(pages)
        for page in pages:
            crc = zlib.crc32(page.encode(), crc)
    crc = zlib.crc32(cm.marks_to_csv(marks).encode(), crc)
    return summary, crc, samples, pages[0]


def main():
    inputs = make_inputs(SEED)
    print(f"input sizes: {[len(t.splitlines()) - 1 for t in inputs]}")
    for r in range(ROUNDS):
        policy = "zero" if r % 2 == 0 else "redistribute"
        summary, crc, samples, page = run_round(inputs, policy)
        print(
            f"round {r} [{policy}] results={summary['results']} "
            f"total_sum={summary['total_sum']:.2f} outliers={summary['outliers']} "
            f"changes={summary['changes']} pages={summary['pages']} crc={crc:08x}"
        )
        for course, top, bottom in samples:
            print(f"  {course} top={top} bottom={bottom}")
    print("last transcript:")
    print(page, end="")


if __name__ == "__main__":
    main()
