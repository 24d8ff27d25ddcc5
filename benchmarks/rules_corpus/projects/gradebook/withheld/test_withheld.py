import copy
import random

import pytest

from gradebook import (
    attach_scores,
    class_report,
    parse_roster,
    percentile,
    rank_students,
    weighted_average,
)
from gradebook.records import RosterError, find_student, parse_score
from gradebook.report import roster_report, section_summary
from gradebook.weights import make_assignments


def test_excused_and_missing_work() -> None:
    assignments = make_assignments(homeworks=1, quizzes=0, projects=0, exams=1)
    student = {"id": "s", "name": "S", "section": "A", "scores": {"homework1": "EX", "exam1": 75.0}}
    # only the exam counts: 75 / 150
    assert weighted_average(student, assignments) == pytest.approx(50.0)
    empty = {"id": "t", "name": "T", "section": "A", "scores": {}}
    assert weighted_average(empty, assignments) == 0.0


def test_unknown_assignment_raises_keyerror() -> None:
    assignments = make_assignments(homeworks=1, quizzes=0, projects=0, exams=0)
    student = {"id": "s", "name": "S", "section": "A", "scores": {"essay9": 3.0}}
    with pytest.raises(KeyError):
        weighted_average(student, assignments)


def test_duplicate_assignment_names_use_first_definition() -> None:
    assignments = [
        {"name": "x", "category": "exam", "max_points": 10.0},
        {"name": "x", "category": "exam", "max_points": 1000.0},
    ]
    student = {"id": "s", "name": "S", "section": "A", "scores": {"x": 5.0}}
    # the first definition prices the score; the second shares its name, so it is not missing
    assert weighted_average(student, assignments) == pytest.approx(50.0)


def test_drop_lowest_homework() -> None:
    assignments = make_assignments(homeworks=4, quizzes=0, projects=0, exams=0)
    scores = {"homework1": 0.0, "homework2": 10.0, "homework3": 10.0, "homework4": 10.0}
    student = {"id": "s", "name": "S", "section": "A", "scores": scores}
    assert weighted_average(student, assignments) == pytest.approx(100.0)
    assignments3 = make_assignments(homeworks=3, quizzes=0, projects=0, exams=0)
    scores3 = {"homework1": 0.0, "homework2": 10.0, "homework3": 10.0}
    s3 = {"id": "s", "name": "S", "section": "A", "scores": scores3}
    assert weighted_average(s3, assignments3) == pytest.approx(200.0 / 3)


def test_rank_ties_keep_roster_order_and_do_not_mutate() -> None:
    assignments = make_assignments(homeworks=1, quizzes=0, projects=0, exams=0)
    students = [
        {"id": i, "name": i, "section": "A", "scores": {"homework1": v}}
        for i, v in (("p", 5.0), ("q", 9.0), ("r", 5.0), ("s", 9.0), ("t", 1.0))
    ]
    before = copy.deepcopy(students)
    assert [s["id"] for s in rank_students(students, assignments)] == ["q", "s", "p", "r", "t"]
    assert students == before
    assert rank_students([], assignments) == []


def test_percentile_ties_are_not_below() -> None:
    assignments = make_assignments(homeworks=1, quizzes=0, projects=0, exams=0)
    students = [
        {"id": i, "name": i, "section": "A", "scores": {"homework1": v}}
        for i, v in (("p", 5.0), ("q", 5.0), ("r", 7.0))
    ]
    assert percentile(students[0], students, assignments) == 0.0
    assert percentile(students[2], students, assignments) == pytest.approx(66.7)
    outsider = {"id": "o", "name": "o", "section": "B", "scores": {"homework1": 10.0}}
    assert percentile(outsider, students, assignments) == 100.0


def test_roster_parsing_errors() -> None:
    with pytest.raises(RosterError):
        parse_roster(["a,b"])
    with pytest.raises(RosterError):
        parse_roster(["a,A,1", "a,B,2"])
    with pytest.raises(ValueError):
        parse_score("-3")
    assert parse_score(" ex ") == "EX"
    assert parse_score("na") is None
    with pytest.raises(ValueError):
        parse_score("ten")


def test_attach_scores_later_rows_win_and_blank_scores_skip() -> None:
    students = parse_roster(["a,A,1"])
    attach_scores(students, ["a,quiz1,3", "a,quiz1,7", "a,quiz2,", "", "a,quiz3,-"])
    assert students[0]["scores"] == {"quiz1": 7.0}
    students.append({"id": "a", "name": "dup", "section": "2", "scores": {}})
    attach_scores(students, ["a,quiz9,1"])
    assert find_student(students, "a")["scores"]["quiz9"] == 1.0
    assert students[1]["scores"] == {}


def test_reports_on_random_class_are_consistent() -> None:
    rng = random.Random(3)
    students = parse_roster([f"s{i},N{i},{rng.choice('XYZ')}" for i in range(40)])
    assignments = make_assignments()
    rows = [
        f"s{i},{a['name']},{round(rng.uniform(0, a['max_points']), 1)}"
        for i in range(40)
        for a in assignments
        if rng.random() < 0.9
    ]
    attach_scores(students, rows)
    snapshot = copy.deepcopy(students)
    report = class_report(students, assignments, top=40)
    assert students == snapshot
    ranked = rank_students(students, assignments)
    averages = [weighted_average(s, assignments) for s in ranked]
    assert averages == sorted(averages, reverse=True)
    assert [line.split()[0] for line in report[-40:]] == [s["id"] for s in ranked]
    lines = roster_report(students, assignments)
    pcts = [float(line.rsplit("p", 1)[1]) for line in lines]
    assert max(pcts) == pytest.approx(97.5)
    assert len(section_summary(students, assignments)) == 3
