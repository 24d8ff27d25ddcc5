import pytest

from gradebook import (
    attach_scores,
    class_report,
    letter_grade,
    parse_roster,
    percentile,
    rank_students,
    weighted_average,
)
from gradebook.weights import make_assignments


def course():
    students = parse_roster(["a1,Ann,X", "b2,Ben,X", "c3,Cid,Y"])
    assignments = make_assignments(homeworks=2, quizzes=1, projects=1, exams=1)
    rows = []
    for sid, frac in (("a1", 1.0), ("b2", 0.5), ("c3", 0.8)):
        for a in assignments:
            rows.append(f"{sid},{a['name']},{a['max_points'] * frac}")
    assert attach_scores(students, rows) == []
    return students, assignments


def test_weighted_average_full_marks() -> None:
    students, assignments = course()
    assert weighted_average(students[0], assignments) == pytest.approx(100.0)
    assert weighted_average(students[1], assignments) == pytest.approx(50.0)


def test_letters() -> None:
    assert letter_grade(95) == "A"
    assert letter_grade(90) == "A-"
    assert letter_grade(59.99) == "F"


def test_percentile_and_rank() -> None:
    students, assignments = course()
    assert percentile(students[0], students, assignments) == pytest.approx(66.7)
    assert percentile(students[1], students, assignments) == 0.0
    assert [s["id"] for s in rank_students(students, assignments)] == ["a1", "c3", "b2"]


def test_unknown_students_reported_once() -> None:
    students, _ = course()
    assert attach_scores(students, ["zz,homework1,3", "zz,quiz1,3", "yy,quiz1,1"]) == ["zz", "yy"]


def test_class_report_shape() -> None:
    students, assignments = course()
    lines = class_report(students, assignments, top=2)
    assert lines[0] == "== class report =="
    assert lines[1].startswith("X: n=2 mean=75.00")
    assert lines[-2].startswith("a1")
    assert len(lines) == 7
