import pytest

import attendance as at

PUPILS = """pupil_id,surname,forename,form
P1,Adams,Amy,7a
P2,Baker,Ben,7A
P3,Clarke,Cara,7B
"""

REGISTER = """pupil_id,date,session,mark
P1,2024-09-02,AM,P
P1,2024-09-02,PM,L5
P1,2024-09-03,AM,A(ill)
P1,2024-09-03,PM,A
P2,2024-09-02,AM,P
P2,2024-09-02,pm,M: dentist
P2,2024-09-03,AM,P
P2,2024-09-03,PM,P
"""

SCORES = """pupil_id,subject,assessment,raw,out_of
P1,Maths,Test 1,40,50
P1,maths,Test 2,30,50
P1,Eng,Test 1,18,20
P2,MATHS,Test 1,25,50
P2,English,Test 1,10,20
P3,Maths,Test 1,45,50
"""


@pytest.fixture
def school():
    return (at.load_pupils(PUPILS), at.load_register(REGISTER), at.load_scores(SCORES))


def test_parse_present():
    assert at.parse_mark("P") == at.Mark("P", "", 0, True, True)


def test_parse_late_with_minutes():
    mark = at.parse_mark("L12")
    assert mark.code == "L" and mark.minutes == 12 and mark.attended


def test_parse_absence_reason_alias():
    mark = at.parse_mark("A(ill)")
    assert mark.reason == "illness" and mark.authorised and not mark.attended


def test_parse_unexplained_absence():
    mark = at.parse_mark("A")
    assert mark.reason == "unexplained" and not mark.authorised


def test_parse_medical_default_reason():
    assert at.parse_mark("M").reason == "medical appointment"


def test_parse_unknown_code():
    with pytest.raises(ValueError):
        at.parse_mark("X")


def test_load_pupils_uppercases_form(school):
    pupils, _register, _scores = school
    assert [p.form for p in pupils] == ["7A", "7A", "7B"]


def test_load_scores_normalises_subjects(school):
    _pupils, _register, scores = school
    assert {s.subject for s in scores} == {"Mathematics", "English"}


def test_pupil_summary(school):
    _pupils, register, _scores = school
    summary = at.pupil_summary(register, "P1")
    assert summary == at.Summary("P1", 4, 2, 1, 1, 1, 50.0)


def test_attendance_summary_all_pupils(school):
    pupils, register, _scores = school
    summaries = at.attendance_summary(register, pupils)
    assert set(summaries) == {"P1", "P2", "P3"}
    assert summaries["P2"].percent == 75.0
    assert summaries["P3"].possible == 0


def test_persistent_absentees(school):
    pupils, register, _scores = school
    flagged = at.persistent_absentees(at.attendance_summary(register, pupils))
    assert flagged == [("P1", 50.0, "persistent absence"), ("P2", 75.0, "persistent absence")]


def test_weekly_rates(school):
    pupils, register, _scores = school
    assert at.weekly_rates(register, pupils, "7A") == [("2024-W36", 5, 8, 62.5)]


def test_form_attendance(school):
    pupils, register, _scores = school
    summaries = at.attendance_summary(register, pupils)
    assert at.form_attendance(summaries, pupils) == {"7A": 62.5, "7B": 0.0}


def test_mean_median_stdev():
    values = [2, 4, 4, 4, 5, 5, 7, 9]
    assert at.mean(values) == 5.0
    assert at.median(values) == 4.5
    assert at.stdev(values) == pytest.approx(2.13809, rel=1e-5)


def test_percentile_interpolates():
    assert at.percentile([1, 2, 3, 4], 50) == 2.5
    assert at.percentile([10, 20, 30], 100) == 30


def test_ordinal():
    assert [at.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]


def test_rank_positions_with_ties():
    ranked = at.rank_positions([("a", 70), ("b", 90), ("c", 70), ("d", 50)])
    assert ranked == [("b", 90, "1st"), ("a", 70, "=2nd"), ("c", 70, "=2nd"), ("d", 50, "4th")]


def test_subject_percentages(school):
    _pupils, _register, scores = school
    assert at.subject_percentages(scores, "P1") == {"English": 90.0, "Mathematics": 70.0}


def test_subject_table_by_form(school):
    pupils, _register, scores = school
    assert at.subject_table(pupils, scores, "Mathematics", "7A") == [("P1", 70.0), ("P2", 50.0)]


def test_year_rankings(school):
    pupils, _register, scores = school
    assert [r[2] for r in at.year_rankings(pupils, scores, "Mathematics")] == ["1st", "2nd", "3rd"]


def test_grade_for():
    assert at.grade_for(95) == "9" and at.grade_for(59.9) == "5" and at.grade_for(0) == "U"


def test_report_card_mentions_everything(school):
    pupils, register, scores = school
    summaries = at.attendance_summary(register, pupils)
    card = at.report_card(pupils[0], pupils, scores, summaries)
    assert "Adams, Amy (P1)" in card
    assert "Mathematics" in card and "1st of 2" in card
    assert "Attendance 50.0% (2/4 sessions)" in card
    assert card.endswith("=\n")


def test_form_report_order(school):
    pupils, register, scores = school
    cards = at.form_report("7A", pupils, scores, register)
    assert len(cards) == 2 and "(P1)" in cards[0] and "(P2)" in cards[1]


def test_describe():
    figures = at.describe([50.0, 60.0, 70.0])
    assert figures["mean"] == 60.0 and figures["n"] == 3 and figures["high"] == 70.0
