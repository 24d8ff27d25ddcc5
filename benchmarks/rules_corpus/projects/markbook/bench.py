"""Deterministic workload for markbook: two terms of a year group's marks turned into reports."""

import random
import zlib

import markbook as mb

SEED = 20240917
FORMS = ["10A", "10B", "10C", "10D", "10E", "10F"]
FIRST = ["Amir", "Bea", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack",
         "Kai", "Lena", "Maya", "Noah", "Olu", "Priya", "Quinn", "Ravi", "Sofia", "Tom"]
LAST = ["Adams", "Begum", "Clarke", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal",
        "Jones", "Khan", "Lewis", "Moore", "Nowak", "Owen", "Patel", "Reid", "Shah"]
# subject -> (spellings seen on teachers' sheets, {component: (weight, out_of, sittings)})
SUBJECTS = {
    "Maths": (["Maths", "maths", "MATHS ", " Maths"],
              {"Homework": (20, 20, 10), "Test": (30, 50, 4), "Exam": (50, 100, 2)}),
    "English Literature": (["English Literature", "english  literature", "English literature"],
                           {"Essay": (40, 40, 4), "Reading Log": (10, 10, 10),
                            "Exam": (50, 80, 2)}),
    "Physics": (["Physics", "physics"],
                {"Practical": (25, 30, 6), "Test": (25, 60, 4), "Exam": (50, 90, 2)}),
    "History": (["History", "history ", "HISTORY"],
                {"Source Work": (30, 25, 6), "Essay": (30, 40, 4), "Exam": (40, 70, 2)}),
    "Art & Design": (["Art & Design", "art & design", "Art &  Design"],
                     {"Portfolio": (60, 100, 4), "Sketchbook": (40, 20, 8)}),
    "French": (["French", "french"],
               {"Vocab Quiz": (15, 10, 10), "Listening": (25, 30, 4), "Speaking": (20, 20, 2),
                "Exam": (40, 60, 2)}),
}
STUDENTS = 100


def crc_of(value, crc=0):
    return zlib.crc32(repr(value).encode(), crc)


def make_roster(rng):
    lines = ["id,name,form,sessions,attended"]
    for n in range(STUDENTS):
        sessions = 190
        attended = sessions - min(sessions, int(rng.expovariate(1 / 9)))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines.append(f"s{n + 1:04d},{name},{FORMS[n % len(FORMS)].lower()},{sessions},{attended}")
    return "\n".join(lines) + "\n"


def make_weights():
    lines = ["# component weights, per subject"]
    for subject, (_spellings, components) in SUBJECTS.items():
        parts = ", ".join(f"{name}={weight}" for name, (weight, _out, _n) in components.items())
        lines.append(f"{subject}: {parts}")
    return "\n".join(lines) + "\n"


def make_marks(rng, ability, effort):
    lines = ["student,subject,component,score,out_of"]
    ids = [f"S{n + 1:04d}" for n in range(STUDENTS)]
    for subject, (spellings, components) in SUBJECTS.items():
        bias = rng.gauss(0, 6)
        for component, (_weight, out_of, sittings) in components.items():
            for sitting in range(sittings):
                label = rng.choice(spellings)
                comp = component.lower() if rng.random() < 0.3 else component
                lines.append(f"# {subject} {component} {sitting + 1}")
                for student in ids:
                    if rng.random() < 0.04 * effort[student]:
                        score = rng.choice(["ABS", "abs", "-", ""])
                    else:
                        level = ability[student] + bias + rng.gauss(0, 9)
                        level = min(100.0, max(0.0, level))
                        score = round(level * out_of / 100 * 2) / 2
                        score = f"{score:g}"
                    lines.append(f"{student},{label},{comp},{score},{out_of}")
    return "\n".join(lines) + "\n"


def run_term(name, marks_text, roster, weights, boundaries, moderation, excused):
    table = mb.parse_marks(marks_text)
    reports = mb.build_reports(table, roster, weights, boundaries, moderation, excused)
    averages = mb.student_averages(table, weights)
    summary = mb.class_summary(averages, boundaries)
    crc = crc_of(table)
    for student, text in reports.items():
        crc = zlib.crc32(f"{student}\n{text}\n".encode(), crc)
    crc = crc_of(summary, crc)
    flagged = sum(1 for text in reports.values() if not text.endswith("Flags: none"))
    absent = sum(1 for row in table if row[3] is None)
    print(f"{name}: rows={len(table)} absent={absent} reports={len(reports)} "
          f"flagged={flagged} crc={crc:08x}")
    for line in summary:
        print("  " + line)
    return reports


def main():
    rng = random.Random(SEED)
    roster_text = make_roster(rng)
    roster = mb.parse_roster(roster_text)
    weights = mb.parse_weights(make_weights())
    boundaries = mb.parse_boundaries("A*=85, A=75, B=65, C=55\nD=45, E=35")
    ability = {record["id"]: rng.gauss(58, 14) for record in roster}
    effort = {record["id"]: rng.choice([0.5, 1, 1, 1, 2, 4]) for record in roster}
    excused = [record["id"] for record in roster if rng.random() < 0.05]
    autumn = make_marks(rng, ability, effort)
    for student in ability:
        ability[student] += rng.gauss(2, 4)
    spring = make_marks(rng, ability, effort)

    first = run_term("autumn", autumn, roster, weights, boundaries,
                     {"Physics": (60.0, 12.0), "Art & Design": (55.0, 15.0)}, excused)
    second = run_term("spring", spring, roster, weights, mb.DEFAULT_BOUNDARIES,
                      {"Physics": (60.0, 12.0), "French": (55.0, None)}, excused)
    groups = mb.form_groups(roster)
    print("forms: " + " ".join(f"{form}={len(ids)}" for form, ids in groups.items()))
    print(first[roster[0]["id"]])
    print(second[roster[7]["id"]])


if __name__ == "__main__":
    main()
