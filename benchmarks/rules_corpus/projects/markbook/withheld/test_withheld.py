import copy
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

import markbook as mb

HEADER = "student,subject,component,score,out_of\n"
SUBJECTS = {
    "Maths": {"Homework": 20.0, "Test": 30.0, "Exam": 50.0},
    "Physics": {"Practical": 25.0, "Exam": 75.0},
    "History": {"Essay": 40.0, "Source Work": 60.0},
    "Art & Design": {"Portfolio": 70.0, "Sketchbook": 30.0},
}

# ---------------------------------------------------------------- oracles and helpers


def oracle_round(value, places=1):
    return float(Decimal(repr(value)).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP))


def oracle_averages(rows, weights):
    sums = {}
    for student, subject, component, score, out_of in rows:
        if score is None:
            continue
        got, possible = sums.get((student, subject, component), (0, 0))
        sums[(student, subject, component)] = (got + Fraction(score), possible + Fraction(out_of))
    result = {}
    for student in dict.fromkeys(row[0] for row in rows):
        marks = {}
        subjects = dict.fromkeys(row[1] for row in rows if row[0] == student)
        for subject in subjects:
            total = used = Fraction(0)
            for component, weight in weights[subject].items():
                if (student, subject, component) in sums:
                    got, possible = sums[(student, subject, component)]
                    total += Fraction(weight) * 100 * got / possible
                    used += Fraction(weight)
            if used:
                marks[subject] = float(total / used)
        result[student] = marks
    return result


def oracle_ranks(scores, places=1):
    shown = {s: (v if places is None else oracle_round(v, places)) for s, v in scores}
    out = []
    for student, value in scores:
        better = sum(1 for other in shown.values() if other > shown[student])
        out.append((student, value, better + 1))
    out.sort(key=lambda e: (e[2], e[0]))
    return out


def random_sheet(seed, students=30, sittings=3, absent=0.1):
    rng = random.Random(seed)
    ids = [f"S{n:03d}" for n in range(1, students + 1)]
    rng.shuffle(ids)
    lines = [HEADER.strip()]
    rows = []
    for subject, scheme in SUBJECTS.items():
        for component in scheme:
            out_of = rng.choice([10, 20, 25, 40, 100])
            for _ in range(rng.randint(1, sittings)):
                for sid in ids:
                    if rng.random() < absent:
                        raw, score = rng.choice(["ABS", "-", "", "x"]), None
                    else:
                        score = rng.randint(0, out_of * 2) / 2
                        raw = f"{score:g}"
                    spelled = rng.choice([subject, subject.lower(), subject.upper() + "  "])
                    lines.append(f"{sid.lower()},{spelled},{component},{raw},{out_of}")
                    rows.append((sid, subject, component, score, float(out_of)))
    return "\n".join(lines) + "\n", rows, ids


def roster_for(ids, seed=0):
    rng = random.Random(seed)
    lines = ["id,name,form,sessions,attended"]
    for n, sid in enumerate(sorted(ids)):
        lines.append(f"{sid},Pupil {n},10{'ABC'[n % 3]},200,{rng.randint(120, 200)}")
    return mb.parse_roster("\n".join(lines))


def weights_text():
    return "\n".join(f"{s}: " + ", ".join(f"{c}={w:g}" for c, w in scheme.items())
                     for s, scheme in SUBJECTS.items())


# ---------------------------------------------------------------- parsing


def test_parse_marks_empty_and_header_only():
    assert mb.parse_marks("") == []
    assert mb.parse_marks("\n# nothing yet\n\n") == []
    assert mb.parse_marks(HEADER) == []


def test_parse_marks_header_checked_case_insensitively():
    assert mb.parse_marks("Student, SUBJECT,Component,Score,Out_Of\nA1,Maths,Exam,5,10") == [
        ("A1", "Maths", "Exam", 5.0, 10.0)]
    with pytest.raises(mb.MarkbookError, match="line 2: header"):
        mb.parse_marks("# sheet\nid,subject,component,score,out_of\n")


def test_parse_marks_line_numbers_count_comments_and_blanks():
    text = HEADER + "\n# c\nS1,Maths,Exam,5,10\n\nS1,Maths,Exam,5\n"
    with pytest.raises(mb.MarkbookError, match="line 6: expected 5 fields, found 4") as info:
        mb.parse_marks(text)
    assert info.value.line == 6


def test_parse_marks_not_text():
    with pytest.raises(TypeError):
        mb.parse_marks(None)
    with pytest.raises(TypeError):
        mb.parse_marks([HEADER])


@pytest.mark.parametrize("score", ["-1", "nan", "inf", "1e", "12..5", "-0"])
def test_parse_marks_rejects_bad_scores(score):
    with pytest.raises(mb.MarkbookError, match="line 2"):
        mb.parse_marks(HEADER + f"S1,Maths,Exam,{score},100\n")


@pytest.mark.parametrize("out_of", ["0", "ABS", "", "0.0"])
def test_parse_marks_rejects_missing_out_of(out_of):
    with pytest.raises(mb.MarkbookError, match="out_of"):
        mb.parse_marks(HEADER + f"S1,Maths,Exam,0,{out_of}\n")


def test_parse_marks_bad_value_after_good_repeats_reports_its_own_line():
    text = HEADER + "S1,Maths,Exam,5,10\nS2,Maths,Exam,5,10\nS3,!!!,Exam,5,10\nS4,Maths,Exam,5,10\n"
    with pytest.raises(mb.MarkbookError, match="line 4: empty name"):
        mb.parse_marks(text)
    text = HEADER + "S1,Maths,Exam,5,10\nS1,Maths,Exam,11,10\n"
    with pytest.raises(mb.MarkbookError, match="line 3: score 11 is more than 10"):
        mb.parse_marks(text)
    with pytest.raises(mb.MarkbookError, match="line 3: bad student id"):
        mb.parse_marks(HEADER + "S1,Maths,Exam,5,10\nS-1,Maths,Exam,5,10\n")


def test_parse_marks_repeated_values_parse_the_same():
    text = HEADER + "".join(f"s{n % 3},  maths ,EXAM,{n % 4 or 'abs'},10\n" for n in range(12))
    rows = mb.parse_marks(text)
    assert len(rows) == 12
    assert {row[1:3] for row in rows} == {("Maths", "Exam")}
    assert [row[3] for row in rows] == [None if n % 4 == 0 else float(n % 4) for n in range(12)]
    assert [row[0] for row in rows] == [f"S{n % 3}" for n in range(12)]
    again = mb.parse_marks(HEADER + "s0,Maths,Exam,abs,10\nS0,Maths,Exam,3,10\n")
    assert again == [("S0", "Maths", "Exam", None, 10.0), ("S0", "Maths", "Exam", 3.0, 10.0)]


def test_parse_marks_random_sheet_matches_expected_rows():
    text, rows, _ = random_sheet(11)
    assert mb.parse_marks(text) == rows


def test_parse_roster_errors():
    head = "id,name,form,sessions,attended\n"
    with pytest.raises(mb.MarkbookError, match="line 2: attended 11 of 10"):
        mb.parse_roster(head + "S1,A B,10A,10,11\n")
    with pytest.raises(mb.MarkbookError, match="whole numbers"):
        mb.parse_roster(head + "S1,A B,10A,10.5,10\n")
    with pytest.raises(mb.MarkbookError, match="empty"):
        mb.parse_roster(head + "S1,  ,10A,10,10\n")
    with pytest.raises(mb.MarkbookError, match="line 3: student S1 listed twice"):
        mb.parse_roster(head + "S1,A B,10A,10,10\ns1,C D,10B,10,10\n")
    assert mb.parse_roster(head) == []


def test_parse_weights_errors_and_fresh_results():
    with pytest.raises(mb.MarkbookError, match="must be positive"):
        mb.parse_weights("Maths: Exam=0")
    with pytest.raises(mb.MarkbookError, match="given twice"):
        mb.parse_weights("Maths: Exam=10, exam=20")
    with pytest.raises(mb.MarkbookError, match="given twice"):
        mb.parse_weights("Maths: Exam=10\nmaths: Test=5")
    with pytest.raises(mb.MarkbookError, match="line 1"):
        mb.parse_weights("Maths Exam=10")
    first = mb.parse_weights("Maths: Exam=10")
    first["Maths"]["Exam"] = 99
    assert mb.parse_weights("Maths: Exam=10") == {"Maths": {"Exam": 10.0}}


def test_parse_boundaries_errors():
    with pytest.raises(mb.MarkbookError, match="no grade boundaries"):
        mb.parse_boundaries("# none\n")
    with pytest.raises(mb.MarkbookError, match="two grades"):
        mb.parse_boundaries("A=80, B=80")
    with pytest.raises(mb.MarkbookError, match="given twice"):
        mb.parse_boundaries("A=80, a=70")
    with pytest.raises(mb.MarkbookError, match="0-100"):
        mb.parse_boundaries("A=101")


# ---------------------------------------------------------------- averages


def test_student_averages_empty_table():
    assert mb.student_averages([], {}) == {}
    assert mb.students_in([]) == []
    assert mb.subjects_in([]) == []


def test_student_averages_unknown_component_raises_before_work():
    rows = [("S1", "Maths", "Exam", 5.0, 10.0), ("S2", "Maths", "Quiz", 5.0, 10.0)]
    with pytest.raises(mb.MarkbookError, match="Maths / Quiz"):
        mb.student_averages(rows, {"Maths": {"Exam": 1.0}})
    with pytest.raises(mb.MarkbookError, match="no weights for subject 'Maths'"):
        mb.student_averages(rows, {})


def test_student_averages_missed_everything():
    rows = [("S1", "Maths", "Exam", None, 10.0), ("S1", "Physics", "Exam", 3.0, 10.0),
            ("S2", "Maths", "Exam", None, 10.0)]
    weights = {"Maths": {"Exam": 1.0}, "Physics": {"Exam": 1.0}}
    averages = mb.student_averages(rows, weights)
    assert averages == {"S1": {"Physics": pytest.approx(30.0)}, "S2": {}}
    assert mb.overall_averages(averages) == {"S1": pytest.approx(30.0), "S2": None}


def test_student_averages_order_is_first_appearance():
    rows = [("S2", "Physics", "Exam", 1.0, 10.0), ("S1", "Maths", "Exam", 2.0, 10.0),
            ("S2", "Maths", "Exam", 3.0, 10.0), ("S1", "Physics", "Exam", 4.0, 10.0)]
    weights = {"Maths": {"Exam": 1.0}, "Physics": {"Exam": 1.0}}
    averages = mb.student_averages(rows, weights)
    assert list(averages) == ["S2", "S1"]
    assert list(averages["S2"]) == ["Physics", "Maths"]
    assert list(averages["S1"]) == ["Maths", "Physics"]
    assert mb.students_in(rows) == ["S2", "S1"]
    assert mb.subjects_in(rows) == ["Physics", "Maths"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_student_averages_match_oracle(seed):
    text, rows, _ = random_sheet(seed, students=35, sittings=4, absent=0.3)
    table = mb.parse_marks(text)
    weights = mb.parse_weights(weights_text())
    averages = mb.student_averages(table, weights)
    expected = oracle_averages(rows, weights)
    assert list(averages) == list(expected)
    for student in expected:
        assert list(averages[student]) == list(expected[student])
        for subject, value in expected[student].items():
            assert averages[student][subject] == pytest.approx(value, abs=1e-9)


def test_student_averages_does_not_mutate_and_is_fresh():
    text, _, _ = random_sheet(5)
    table = mb.parse_marks(text)
    weights = mb.parse_weights(weights_text())
    table_copy, weights_copy = copy.deepcopy(table), copy.deepcopy(weights)
    first = mb.student_averages(table, weights)
    assert table == table_copy and weights == weights_copy
    snapshot = copy.deepcopy(first)
    next(iter(first.values())).clear()
    first.clear()
    assert mb.student_averages(table, weights) == snapshot


def test_rows_for_and_breakdown():
    rows = [("S1", "Maths", "Exam", 5.0, 10.0), ("S1", "Maths", "Test", None, 10.0),
            ("S2", "Maths", "Exam", 7.0, 10.0)]
    got = mb.rows_for(rows, subject="Maths", component="Exam")
    assert got == [rows[0], rows[2]]
    got.append("junk")
    assert mb.rows_for(rows, subject="Maths", component="Exam") == [rows[0], rows[2]]
    assert mb.rows_for(rows) == rows and mb.rows_for(rows) is not rows
    weights = {"Maths": {"Test": 1.0, "Exam": 3.0}}
    assert mb.component_breakdown(rows, weights, "S1", "Maths") == [
        ("Test", 1.0, None), ("Exam", 3.0, 50.0)]
    with pytest.raises(mb.MarkbookError):
        mb.subject_average(rows, weights, "S1", "French")


def test_subject_summary():
    averages = {"A": {"Maths": 50.0}, "B": {"Maths": 70.0}, "C": {"Physics": 10.0},
                "D": {"Maths": 60.0, "Physics": 30.0}}
    info = mb.subject_summary(averages, "Maths")
    assert info == {"subject": "Maths", "count": 3, "mean": 60.0, "median": 60.0,
                    "low": 50.0, "high": 70.0}
    with pytest.raises(mb.MarkbookError):
        mb.subject_summary(averages, "French")


# ---------------------------------------------------------------- grades and ranks


def test_grade_for_edges():
    assert mb.grade_for(39.95) == "E"
    assert mb.grade_for(39.94) == "U"
    assert mb.grade_for(0.0) == "U"
    unsorted = [(50.0, "PASS"), (75.0, "MERIT"), (0.0, "FAIL")]
    assert [mb.grade_for(v, unsorted) for v in (10, 50, 74.96, 80)] == [
        "FAIL", "PASS", "MERIT", "MERIT"]
    assert unsorted == [(50.0, "PASS"), (75.0, "MERIT"), (0.0, "FAIL")]


def test_grade_distribution_lists_every_grade():
    averages = {"A": {"Maths": 95.0}, "B": {"Maths": 10.0}, "C": {"Physics": 50.0}}
    dist = mb.grade_distribution(averages, "Maths")
    assert list(dist) == ["A*", "A", "B", "C", "D", "E", "U"]
    assert dist["A*"] == 1 and dist["U"] == 1 and sum(dist.values()) == 2


def test_rank_with_ties_empty_and_single():
    assert mb.rank_with_ties([]) == []
    assert mb.rank_with_ties([("Z", 0.0)]) == [("Z", 0.0, 1)]


def test_rank_with_ties_orders_equal_marks_by_id():
    scores = [("D", 50.0), ("B", 50.0), ("C", 90.0), ("A", 50.0), ("E", 10.0)]
    assert mb.rank_with_ties(scores) == [("C", 90.0, 1), ("A", 50.0, 2), ("B", 50.0, 2),
                                         ("D", 50.0, 2), ("E", 10.0, 5)]


def test_rank_with_ties_compares_printed_marks():
    scores = [("A", 72.25), ("B", 72.3), ("C", 72.34), ("D", 72.36)]
    assert mb.rank_with_ties(scores) == [("D", 72.36, 1), ("A", 72.25, 2), ("B", 72.3, 2),
                                         ("C", 72.34, 2)]
    assert mb.rank_with_ties(scores, places=None) == [("D", 72.36, 1), ("C", 72.34, 2),
                                                      ("B", 72.3, 3), ("A", 72.25, 4)]


def test_rank_with_ties_bad_input():
    with pytest.raises(mb.MarkbookError, match="listed twice"):
        mb.rank_with_ties([("A", 1.0), ("A", 2.0)])
    with pytest.raises(mb.MarkbookError, match="no mark"):
        mb.rank_with_ties([("A", 1.0), ("B", None)])


@pytest.mark.parametrize("seed", [4, 5])
def test_rank_with_ties_matches_oracle(seed):
    rng = random.Random(seed)
    scores = [(f"S{n:03d}", rng.choice([rng.randint(0, 40) * 2.5, rng.uniform(0, 100)]))
              for n in range(120)]
    rng.shuffle(scores)
    before = list(scores)
    assert mb.rank_with_ties(scores) == oracle_ranks(scores)
    assert mb.rank_with_ties(scores, None) == oracle_ranks(scores, None)
    assert scores == before


def test_class_position_missing_student():
    averages = {"A": {"Maths": 80.0}, "B": {"Physics": 70.0}}
    with pytest.raises(mb.MarkbookError, match="B has no mark in 'Maths'"):
        mb.class_position(averages, "Maths", "B")
    assert mb.class_position(averages, "Physics", "B") == (1, 1, False)


def test_moderate_subject_leaves_input_and_other_subjects():
    averages = {"A": {"Maths": 40.0, "Physics": 33.0}, "B": {"Physics": 50.0},
                "C": {"Maths": 60.0}}
    before = copy.deepcopy(averages)
    moderated = mb.moderate_subject(averages, "Maths", 70.0)
    assert averages == before
    assert moderated == {"A": {"Maths": 60.0, "Physics": 33.0}, "B": {"Physics": 50.0},
                         "C": {"Maths": 80.0}}
    moderated["A"]["Physics"] = 0
    assert averages["A"]["Physics"] == 33.0


def test_moderate_subject_zero_spread_only_shifts():
    averages = {"A": {"Maths": 40.0}, "B": {"Maths": 40.0}}
    assert mb.moderate_subject(averages, "Maths", 55.0, 10.0) == {
        "A": {"Maths": 55.0}, "B": {"Maths": 55.0}}


def test_moderate_subject_bad_targets():
    averages = {"A": {"Maths": 40.0}}
    with pytest.raises(mb.MarkbookError):
        mb.moderate_subject(averages, "Maths", 101.0)
    with pytest.raises(mb.MarkbookError):
        mb.moderate_subject(averages, "Maths", 50.0, -1.0)
    with pytest.raises(mb.MarkbookError, match="nobody"):
        mb.moderate_subject(averages, "Physics", 50.0)


def test_moderate_subject_matches_oracle():
    rng = random.Random(9)
    averages = {f"S{n}": {"Maths": rng.uniform(10, 90), "Art": rng.uniform(0, 100)}
                for n in range(60)}
    for n in range(0, 60, 7):
        del averages[f"S{n}"]["Maths"]
    values = [m["Maths"] for m in averages.values() if "Maths" in m]
    mean = sum(map(Fraction, values)) / len(values)
    var = sum((Fraction(v) - mean) ** 2 for v in values) / len(values)
    sd = float(var) ** 0.5
    moderated = mb.moderate_subject(averages, "Maths", 62.0, 11.0)
    for student, marks in averages.items():
        assert moderated[student]["Art"] == marks["Art"]
        if "Maths" in marks:
            want = min(100.0, max(0.0, 62.0 + (marks["Maths"] - float(mean)) * 11.0 / sd))
            assert moderated[student]["Maths"] == pytest.approx(want, abs=1e-9)
        else:
            assert "Maths" not in moderated[student]
    assert mb.moderate_subject(averages, "Maths", 62.0, 11.0) == moderated


# ---------------------------------------------------------------- attendance


def roster_rows(*rows):
    return [{"id": sid, "name": f"Pupil {sid}", "form": "10A", "sessions": sessions,
             "attended": attended} for sid, sessions, attended in rows]


def test_attendance_flag_thresholds():
    roster = roster_rows(("A", 100, 90), ("B", 100, 89), ("C", 100, 80), ("D", 100, 79),
                         ("E", 0, 0))
    averages = {sid: {"Maths": 90.0} for sid in "ABCDE"}
    flags = mb.attendance_flags(roster, averages)
    assert flags == {"A": [], "B": ["LOW_ATTENDANCE"], "C": ["LOW_ATTENDANCE"],
                     "D": ["PERSISTENT_ABSENCE"], "E": []}
    assert mb.attendance_percent(roster[4]) == 100.0


def test_attendance_adjusted_at_risk():
    roster = roster_rows(("A", 100, 70), ("B", 100, 70), ("C", 100, 100))
    averages = {"A": {"Maths": 49.0, "Art": 49.0}, "B": {"Maths": 51.0}, "C": {"Maths": 39.0}}
    flags = mb.attendance_flags(roster, averages)
    assert flags["A"] == ["PERSISTENT_ABSENCE", "AT_RISK"]
    assert flags["B"] == ["PERSISTENT_ABSENCE"]
    assert flags["C"] == ["BELOW_PASS:Maths", "AT_RISK"]
    excused = mb.attendance_flags(roster, averages, excused=["A"])
    assert excused["A"] == []
    assert mb.attendance_flags(roster, averages, pass_mark=60.0)["B"] == [
        "PERSISTENT_ABSENCE", "BELOW_PASS:Maths", "AT_RISK"]


def test_attendance_flags_errors_and_empty():
    roster = roster_rows(("A", 100, 100))
    with pytest.raises(mb.MarkbookError, match="'B' is not on the roster"):
        mb.attendance_flags(roster, {"A": {}, "B": {}})
    with pytest.raises(mb.MarkbookError):
        mb.attendance_flags(roster, {}, pass_mark=-5)
    assert mb.attendance_flags(roster, {}) == {}
    assert mb.attendance_flags(roster, {"A": {}}) == {"A": []}


def test_find_student_first_match_and_missing():
    roster = roster_rows(("A", 10, 5), ("A", 10, 10))
    assert mb.find_student(roster, "A") is roster[0]
    with pytest.raises(mb.MarkbookError):
        mb.find_student([], "A")


# ---------------------------------------------------------------- reports


def test_ordinal_edges():
    assert [mb.ordinal(n) for n in (111, 112, 113, 101, 1001, 23, 10)] == [
        "111th", "112th", "113th", "101st", "1001st", "23rd", "10th"]
    with pytest.raises(mb.MarkbookError):
        mb.ordinal(0)


def test_fmt_percent():
    assert mb.fmt_percent(None) == "   - "
    assert mb.fmt_percent(5) == "  5.0"
    assert mb.fmt_percent(99.95) == "100.0"


def test_build_reports_ties_and_missing_marks():
    table = [("S1", "Maths", "Exam", 7.0, 10.0), ("S2", "Maths", "Exam", 7.0, 10.0),
             ("S3", "Maths", "Exam", None, 10.0), ("S4", "Maths", "Exam", 9.0, 10.0)]
    roster = roster_rows(("S1", 100, 100), ("S2", 100, 95), ("S3", 100, 100), ("S4", 10, 9))
    reports = mb.build_reports(table, roster, {"Maths": {"Exam": 1.0}})
    assert list(reports) == ["S1", "S2", "S3", "S4"]
    assert reports["S1"].splitlines()[2:] == [
        "  Maths   70.0  B   2nd= of 3", "Overall: 70.0 (B), 2nd= of 3", "Flags: none"]
    assert reports["S4"].splitlines()[2] == "  Maths   90.0  A*  1st of 3"
    assert reports["S3"].splitlines()[2:] == ["Overall: no marks", "Flags: none"]


def test_build_reports_student_missing_from_roster():
    table = [("S1", "Maths", "Exam", 7.0, 10.0), ("S9", "Maths", "Exam", 7.0, 10.0)]
    with pytest.raises(mb.MarkbookError, match="'S9' is not on the roster"):
        mb.build_reports(table, roster_rows(("S1", 1, 1)), {"Maths": {"Exam": 1.0}})


def test_build_reports_moderation_before_positions():
    table = [("A", "Maths", "Exam", 2.0, 10.0), ("B", "Maths", "Exam", 4.0, 10.0),
             ("A", "Art", "Work", 5.0, 10.0), ("B", "Art", "Work", 5.0, 10.0)]
    roster = roster_rows(("A", 10, 10), ("B", 10, 10))
    weights = {"Maths": {"Exam": 1.0}, "Art": {"Work": 1.0}}
    reports = mb.build_reports(table, roster, weights, moderation={"Maths": (80.0, 20.0)})
    assert "  Maths   60.0  C   2nd of 2" in reports["A"].splitlines()
    assert "  Maths  100.0  A*  1st of 2" in reports["B"].splitlines()
    assert "Overall: 55.0 (D), 2nd of 2" in reports["A"].splitlines()


def _position(line):
    words = line.split()
    return words[-3]


@pytest.mark.parametrize("seed", [21, 22])
def test_build_reports_positions_match_oracle(seed):
    text, _, ids = random_sheet(seed, students=40, sittings=2, absent=0.25)
    table = mb.parse_marks(text)
    roster = roster_for(ids, seed)
    weights = mb.parse_weights(weights_text())
    boundaries = mb.parse_boundaries("A=70, B=55, C=40")
    moderation = {"Physics": (60.0, 10.0), "History": (50.0, None)}
    before = copy.deepcopy((table, roster, weights, boundaries, moderation))
    reports = mb.build_reports(table, roster, weights, boundaries, moderation, excused=ids[:3])
    assert (table, roster, weights, boundaries, moderation) == before

    averages = mb.student_averages(table, weights)
    for subject, (m, s) in sorted(moderation.items()):
        averages = mb.moderate_subject(averages, subject, m, s)
    flags = mb.attendance_flags(roster, averages, excused=ids[:3])
    assert list(reports) == list(averages)
    for subject in SUBJECTS:
        scores = [(sid, marks[subject]) for sid, marks in averages.items() if subject in marks]
        ranked = oracle_ranks(scores)
        ranks = [r for _, _, r in ranked]
        for sid, value, rank in ranked:
            label = mb.ordinal(rank) + ("=" if ranks.count(rank) > 1 else "")
            line = next(ln for ln in reports[sid].splitlines() if ln.startswith(f"  {subject} "))
            assert _position(line) == label
            assert line.split()[-4] == mb.grade_for(value, boundaries)
            assert line.endswith(f" of {len(scores)}")
    for sid, text in reports.items():
        last = text.splitlines()[-1]
        assert last == "Flags: " + (", ".join(flags[sid]) or "none")
    assert mb.build_reports(table, roster, weights, boundaries, moderation,
                            excused=ids[:3]) == reports


def test_build_reports_repeated_calls_are_fresh():
    text, _, ids = random_sheet(3, students=12, sittings=1)
    table = mb.parse_marks(text)
    roster = roster_for(ids)
    weights = mb.parse_weights(weights_text())
    first = mb.build_reports(table, roster, weights)
    snapshot = dict(first)
    first.clear()
    assert mb.build_reports(table, roster, weights) == snapshot


def test_class_summary_empty_and_order():
    assert mb.class_summary({}) == []
    averages = {"A": {"Maths": 55.55, "Art": 10.0}, "B": {"Maths": 44.45}}
    lines = mb.class_summary(averages)
    assert [line.split(":")[0] for line in lines] == ["Art", "Maths"]
    assert lines[1] == ("Maths: n=2 mean=50.0 median=50.0 range=44.5-55.6 "
                        "[A*:0 A:0 B:0 C:0 D:1 E:1 U:0]")
