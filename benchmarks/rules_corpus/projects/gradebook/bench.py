"""Workload: a term's score export for a large course; class report and one section's roster.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from gradebook import attach_scores, class_report, parse_roster, rank_students
from gradebook.report import roster_report
from gradebook.weights import make_assignments

SECTIONS = ["A", "B", "C", "D", "E", "F", "G", "H"]


def main() -> None:
    rng = random.Random(1234)
    roster = ["# id,name,section"]
    for i in range(400):
        roster.append(f"S{i:05d},Student {i},{rng.choice(SECTIONS)}")
    students = parse_roster(roster)
    assignments = make_assignments()
    rows = []
    for student in students:
        skill = rng.uniform(0.4, 1.0)
        for a in assignments:
            roll = rng.random()
            if roll < 0.05:
                continue
            if roll < 0.08:
                rows.append(f"{student['id']},{a['name']},EX")
                continue
            score = min(a["max_points"], round(a["max_points"] * rng.gauss(skill, 0.12), 1))
            rows.append(f"{student['id']},{a['name']},{max(0.0, score)}")
    rows.append("S99999,homework1,10")
    rng.shuffle(rows)
    unknown = attach_scores(students, rows)
    report = class_report(students, assignments, top=10)
    section = [s for s in students if s["section"] == "C"]
    roster_lines = roster_report(section, assignments) + roster_report(students[:25], assignments)
    order = [s["id"] for s in rank_students(students, assignments)]
    print(f"unknown students {unknown}")
    print("\n".join(report[:12]))
    print(f"ranking head {order[:5]} tail {order[-3:]}")
    digest = hashlib.sha256("\n".join(report + roster_lines).encode()).hexdigest()[:16]
    print(f"report sha256 {digest} ({len(roster_lines)} roster lines)")


if __name__ == "__main__":
    main()
