import pytest

import coursemarks as cm

STUDENTS = """student_id,name,course
S1,Ann Lee,MATH
S2,Bob Ray,MATH
S3,Cat Poe,MATH
S4,Dan Yu,PHYS
"""

PLAN = """course,assessment_id,title,weight,max_mark,due_day
MATH,M1,Quiz,20,10,7
MATH,M2,Assignment,30,50,14
MATH,M3,Exam,50,100,30
PHYS,P1,Lab,100,20,10
"""

MARKS = """student_id,assessment_id,mark,submitted_day
S1,M1,8,7
S1,M2,40,14
S1,M3,70,30
S2,M1,10,5
S2,M2,25,16
S2,M3,,
S3,M1,5,7
S3,M2,50,10
S3,M3,90,30
S4,P1,15,10
"""


@pytest.fixture
def data():
    return cm.load_course_data(STUDENTS, PLAN, MARKS)


def test_load_counts(data):
    students, assessments, marks = data
    assert len(students) == 4
    assert [a.assessment_id for a in assessments] == ["M1", "M2", "M3", "P1"]
    assert len(marks) == 10
    missing = [m for m in marks if m["mark"] is None]
    assert missing == [
        {"student_id": "S2", "assessment_id": "M3", "mark": None, "submitted_day": None}
    ]


def test_weighted_total_on_time(data):
    students, assessments, marks = data
    # 80% * 20 + 80% * 30 + 70% * 50 = 75
    assert cm.weighted_total(students[0], assessments, marks) == 75.0


def test_late_penalty_and_missing_zero(data):
    students, assessments, marks = data
    # M1 100%, M2 50% - 2 days * 5 = 40%, M3 missing -> 0
    assert cm.weighted_total(students[1], assessments, marks) == pytest.approx(32.0)


def test_missing_redistribute(data):
    students, assessments, marks = data
    total = cm.weighted_total(students[1], assessments, marks, missing="redistribute")
    assert total == pytest.approx((100 * 20 + 40 * 30) / 50)


def test_letter_grades():
    assert cm.letter_grade(85) == "HD"
    assert cm.letter_grade(84.99) == "D"
    assert cm.letter_grade(65) == "C"
    assert cm.letter_grade(50) == "P"
    assert cm.letter_grade(0) == "F"


def test_course_results_order(data):
    students, assessments, marks = data
    results = cm.course_results(students, assessments, marks, "MATH")
    assert [r["student_id"] for r in results] == ["S3", "S1", "S2"]
    assert [r["rank"] for r in results] == [1, 2, 3]
    assert results[0]["grade"] == "HD"
    assert results[-1]["percentile"] == 0.0


def test_rank_ties_share():
    totals = {"a": 80.0, "b": 90.0, "c": 80.0, "d": 70.0}
    assert cm.rank_of("b", totals) == 1
    assert cm.rank_of("a", totals) == 2
    assert cm.rank_of("c", totals) == 2
    assert cm.rank_of("d", totals) == 4


def test_percentile():
    totals = {"a": 10.0, "b": 20.0, "c": 30.0, "d": 40.0}
    assert cm.percentile("d", totals) == 75.0
    assert cm.percentile("a", totals) == 0.0


def test_assessment_stats(data):
    _, assessments, marks = data
    stats = cm.assessment_stats(marks, assessments[0])
    assert stats["count"] == 3
    assert stats["mean"] == pytest.approx(7.67)
    assert stats["median"] == 8
    assert stats["min"] == 5 and stats["max"] == 10


def test_moderate_scales_to_target(data):
    _, assessments, marks = data
    moderated = cm.moderate(marks, assessments[1], 30.0)
    values = [m["mark"] for m in moderated if m["assessment_id"] == "M2"]
    assert sum(values) / len(values) == pytest.approx(30.0, abs=0.01)
    assert [m["mark"] for m in moderated if m["assessment_id"] != "M2"] == [
        m["mark"] for m in marks if m["assessment_id"] != "M2"
    ]


def test_transcript_contents(data):
    students, assessments, marks = data
    pages = cm.render_course_transcripts(students, assessments, marks, "MATH")
    assert len(pages) == 3
    bob = pages[1]
    assert "Transcript for Bob Ray (S2)" in bob
    assert "missing" in bob
    assert "(late 2d)" in bob
    assert "Grade: F" in bob
    assert "Rank 3 of 3" in bob


def test_bad_header_raises():
    with pytest.raises(cm.MarksFormatError):
        cm.parse_students("id,name,course\nS1,A,B\n")


def test_zscores(data):
    _, assessments, marks = data
    z = cm.zscores(marks, assessments[2])
    assert z["S1"] == pytest.approx(-1.0)
    assert z["S3"] == pytest.approx(1.0)
    assert "S2" not in z
