"""The course's assignments and how much each category counts."""

from __future__ import annotations

CATEGORY_WEIGHTS = {"homework": 0.25, "quiz": 0.15, "project": 0.25, "exam": 0.35}

LETTER_CUTOFFS = [
    (93.0, "A"),
    (90.0, "A-"),
    (87.0, "B+"),
    (83.0, "B"),
    (80.0, "B-"),
    (77.0, "C+"),
    (73.0, "C"),
    (70.0, "C-"),
    (60.0, "D"),
    (0.0, "F"),
]


def make_assignments(homeworks=10, quizzes=6, projects=2, exams=2):
    assignments = []
    for kind, count, points in (
        ("homework", homeworks, 10.0),
        ("quiz", quizzes, 20.0),
        ("project", projects, 100.0),
        ("exam", exams, 150.0),
    ):
        for i in range(1, count + 1):
            assignments.append({"name": f"{kind}{i}", "category": kind, "max_points": points})
    return assignments


def assignment_info(assignments, name):
    for assignment in assignments:
        if assignment["name"] == name:
            return assignment
    raise KeyError(name)


def category_weight(category):
    return CATEGORY_WEIGHTS.get(category, 0.0)
