import pytest

import markbook as mb

MARKS = """student,subject,component,score,out_of
# maths homework 1
s1,Maths,Homework,18,20
s2,maths,homework,12,20
s1,Maths,Exam,70,100
s2,MATHS,Exam,ABS,100
s1,History,Essay,30,40
s2,History,Essay,20,40
"""

WEIGHTS = """Maths: Homework=20, Exam=80
History: Essay=100
"""

ROSTER = """id,name,form,sessions,attended
S1,Ada  Lovelace,10a,100,95
S2,Alan Turing,10B,100,85
"""


def test_parse_marks_rows():
    rows = mb.parse_marks(MARKS)
    assert len(rows) == 6
    assert rows[0] == ("S1", "Maths", "Homework", 18.0, 20.0)
    assert rows[1] == ("S2", "Maths", "Homework", 12.0, 20.0)


def test_parse_marks_absence_is_none():
    rows = mb.parse_marks(MARKS)
    assert rows[3] == ("S2", "Maths", "Exam", None, 100.0)


def test_clean_label_collapses_spaces_and_case():
    assert mb.clean_label("  english   literature ") == "English Literature"
    assert mb.clean_label("Art & Design") == "Art & Design"


def test_parse_marks_bad_score_reports_line():
    text = "student,subject,component,score,out_of\ns1,Maths,Exam,abc,100\n"
    with pytest.raises(mb.MarkbookError, match="line 2"):
        mb.parse_marks(text)


def test_parse_marks_score_above_out_of():
    text = "student,subject,component,score,out_of\ns1,Maths,Exam,101,100\n"
    with pytest.raises(mb.MarkbookError):
        mb.parse_marks(text)


def test_parse_roster():
    roster = mb.parse_roster(ROSTER)
    assert roster[0] == {"id": "S1", "name": "Ada Lovelace", "form": "10A",
                         "sessions": 100, "attended": 95}
    assert [r["id"] for r in roster] == ["S1", "S2"]


def test_parse_roster_duplicate_id():
    with pytest.raises(mb.MarkbookError, match="twice"):
        mb.parse_roster(ROSTER + "s1,Someone Else,10C,10,10\n")


def test_parse_weights():
    weights = mb.parse_weights(WEIGHTS)
    assert weights == {"Maths": {"Homework": 20.0, "Exam": 80.0}, "History": {"Essay": 100.0}}


def test_parse_boundaries_sorted():
    assert mb.parse_boundaries("C=50, A=80\nB=65") == [(80.0, "A"), (65.0, "B"), (50.0, "C")]


def test_component_percent():
    rows = mb.parse_marks(MARKS)
    assert mb.component_percent(rows, "S1", "Maths", "Homework") == pytest.approx(90.0)
    assert mb.component_percent(rows, "S2", "Maths", "Exam") is None


def test_subject_average_weighted():
    rows = mb.parse_marks(MARKS)
    weights = mb.parse_weights(WEIGHTS)
    assert mb.subject_average(rows, weights, "S1", "Maths") == pytest.approx(0.2 * 90 + 0.8 * 70)


def test_subject_average_rescales_missing_component():
    rows = mb.parse_marks(MARKS)
    weights = mb.parse_weights(WEIGHTS)
    assert mb.subject_average(rows, weights, "S2", "Maths") == pytest.approx(60.0)


def test_student_averages():
    averages = mb.student_averages(mb.parse_marks(MARKS), mb.parse_weights(WEIGHTS))
    assert list(averages) == ["S1", "S2"]
    assert averages["S1"]["History"] == pytest.approx(75.0)
    assert averages["S2"] == {"Maths": pytest.approx(60.0), "History": pytest.approx(50.0)}


def test_grade_for():
    assert mb.grade_for(95) == "A*"
    assert mb.grade_for(69.96) == "B"
    assert mb.grade_for(12) == "U"
    assert mb.grade_for(None) == "U"


def test_round_half_up():
    assert mb.round_half_up(72.25) == 72.3
    assert mb.round_half_up(2.675, 2) == 2.68


def test_rank_with_ties():
    ranked = mb.rank_with_ties([("B", 70.0), ("A", 80.0), ("C", 70.0), ("D", 60.0)])
    assert ranked == [("A", 80.0, 1), ("B", 70.0, 2), ("C", 70.0, 2), ("D", 60.0, 4)]


def test_class_position():
    averages = {"A": {"Maths": 80.0}, "B": {"Maths": 70.0}, "C": {"Maths": 70.0}}
    assert mb.class_position(averages, "Maths", "A") == (1, 3, False)
    assert mb.class_position(averages, "Maths", "C") == (2, 3, True)


def test_moderate_subject_shifts_mean():
    averages = {"A": {"Maths": 40.0}, "B": {"Maths": 60.0}}
    moderated = mb.moderate_subject(averages, "Maths", 60.0)
    assert moderated["A"]["Maths"] == pytest.approx(50.0)
    assert moderated["B"]["Maths"] == pytest.approx(70.0)


def test_moderate_subject_scales_and_clamps():
    averages = {"A": {"Maths": 40.0}, "B": {"Maths": 60.0}}
    moderated = mb.moderate_subject(averages, "Maths", 90.0, 20.0)
    assert moderated["A"]["Maths"] == pytest.approx(70.0)
    assert moderated["B"]["Maths"] == 100.0


def test_attendance_flags():
    roster = mb.parse_roster(ROSTER)
    averages = {"S1": {"Maths": 35.0, "History": 80.0}, "S2": {"Maths": 50.0}}
    flags = mb.attendance_flags(roster, averages)
    assert flags["S1"] == ["BELOW_PASS:Maths"]
    assert flags["S2"] == ["LOW_ATTENDANCE"]


def test_ordinal():
    assert [mb.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 102)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "102nd"]


def test_build_reports():
    reports = mb.build_reports(mb.parse_marks(MARKS), mb.parse_roster(ROSTER),
                               mb.parse_weights(WEIGHTS))
    assert list(reports) == ["S1", "S2"]
    lines = reports["S1"].splitlines()
    assert lines[0] == "Report for Ada Lovelace (S1), form 10A"
    assert lines[1] == "Attendance: 95.0%"
    assert lines[2] == "  History   75.0  B   1st of 2"
    assert lines[3] == "  Maths     74.0  B   1st of 2"
    assert lines[-1] == "Flags: none"
    assert reports["S2"].splitlines()[-1] == "Flags: LOW_ATTENDANCE"


def test_class_summary():
    averages = mb.student_averages(mb.parse_marks(MARKS), mb.parse_weights(WEIGHTS))
    lines = mb.class_summary(averages)
    assert len(lines) == 2
    assert lines[0].startswith("History: n=2 mean=62.5")


def test_form_groups():
    roster = mb.parse_roster(ROSTER + "S3,Grace Hopper,10A,100,100\n")
    assert mb.form_groups(roster) == {"10A": ["S1", "S3"], "10B": ["S2"]}
