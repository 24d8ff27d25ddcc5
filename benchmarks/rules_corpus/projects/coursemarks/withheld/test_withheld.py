import copy
import math
import random
import statistics

import pytest

import coursemarks as cm

PLAN = """course,assessment_id,title,weight,max_mark,due_day
MATH,M1,Quiz,20,10,7
MATH,M2,Assignment,30,50,14
MATH,M3,Exam,50,100,30
PHYS,P1,Lab,100,20,10
"""

STUDENTS = """student_id,name,course
S1,Ann Lee,MATH
S2,Bob Ray,MATH
S3,Cat Poe,MATH
S4,Dan Yu,PHYS
"""


def load(marks_text, students=STUDENTS, plan=PLAN):
    header = "student_id,assessment_id,mark,submitted_day\n"
    return cm.load_course_data(students, plan, header + marks_text)


# ---------------------------------------------------------------- penalties and totals


@pytest.mark.parametrize(
    "day,expected",
    [(30, 80.0), (20, 80.0), (31, 75.0), (37, 45.0), (38, 0.0), (45, 0.0)],
)
def test_late_penalty_boundaries(day, expected):
    students, assessments, marks = load(f"S1,M3,80,{day}\n")
    exam = assessments[2]
    assert cm.mark_percent(marks[0], exam) == pytest.approx(expected)


def test_penalty_never_negative():
    students, assessments, marks = load("S1,M1,1,12\n")
    # 10% and 5 days late: 10 - 25 would be negative
    assert cm.mark_percent(marks[0], assessments[0]) == 0.0


def test_no_submitted_day_means_on_time():
    students, assessments, marks = load("S1,M1,7,\n")
    assert cm.mark_percent(marks[0], assessments[0]) == pytest.approx(70.0)


def test_unknown_missing_policy_raises():
    students, assessments, marks = load("S1,M1,7,7\n")
    with pytest.raises(ValueError):
        cm.weighted_total(students[0], assessments, marks, missing="ignore")


def test_student_without_marks():
    students, assessments, marks = load("S1,M1,7,7\n")
    assert cm.weighted_total(students[1], assessments, marks) == 0.0
    assert cm.weighted_total(students[1], assessments, marks, missing="redistribute") == 0.0


def test_zeroed_late_mark_still_counts_when_redistributing():
    students, assessments, marks = load("S1,M1,10,7\nS1,M2,50,40\n")
    # M2 is 26 days late -> 0%, but it is not missing; M3 has no row
    total = cm.weighted_total(students[0], assessments, marks, missing="redistribute")
    assert total == pytest.approx(100 * 20 / 50)


def test_letter_grade_out_of_range():
    with pytest.raises(ValueError):
        cm.letter_grade(-0.5)
    with pytest.raises(ValueError):
        cm.letter_grade(100.01)
    assert cm.letter_grade(100) == "HD"


# ---------------------------------------------------------------- ranks and percentiles


def test_ties_in_course_results():
    students, assessments, marks = load(
        "S1,M1,10,7\nS1,M2,50,14\nS1,M3,60,30\n"
        "S2,M1,10,7\nS2,M2,50,14\nS2,M3,60,30\n"
        "S3,M1,10,7\nS3,M2,50,14\nS3,M3,100,30\n"
    )
    results = cm.course_results(students, assessments, marks, "MATH")
    assert [(r["student_id"], r["rank"]) for r in results] == [("S3", 1), ("S1", 2), ("S2", 2)]
    assert results[1]["percentile"] == results[2]["percentile"] == 0.0
    assert results[0]["percentile"] == pytest.approx(66.7)


def test_rank_of_after_tie_skips():
    totals = {"a": 50.0, "b": 50.0, "c": 50.0, "d": 10.0}
    assert [cm.rank_of(k, totals) for k in "abcd"] == [1, 1, 1, 4]
    assert cm.percentile("a", totals) == 25.0


def test_empty_course():
    students, assessments, marks = load("S1,M1,7,7\n")
    assert cm.course_totals(students, assessments, marks, "BIOL") == {}
    assert cm.course_results(students, assessments, marks, "BIOL") == []
    assert cm.render_course_transcripts(students, assessments, marks, "BIOL") == []
    assert cm.grade_changes(students, assessments, marks, marks, "BIOL") == []
    assert set(cm.grade_distribution([]).values()) == {0}


def test_grade_distribution_counts():
    results = [{"grade": g} for g in ["HD", "F", "F", "C", "P", "F"]]
    assert cm.grade_distribution(results) == {"HD": 1, "D": 0, "C": 1, "P": 1, "F": 3}


# ---------------------------------------------------------------- statistics


def test_stats_without_marks():
    students, assessments, marks = load("S1,M1,,\n")
    stats = cm.assessment_stats(marks, assessments[0])
    assert stats["count"] == 0
    assert stats["mean"] is None and stats["median"] is None and stats["stdev"] is None
    assert cm.zscores(marks, assessments[0]) == {}
    assert cm.find_outliers(marks, assessments) == []


def test_mean_median_empty_raise():
    with pytest.raises(ValueError):
        cm.mean([])
    with pytest.raises(ValueError):
        cm.median([])


def test_median_even_and_unsorted():
    assert cm.median([4, 1, 3, 2]) == 2.5
    assert cm.median([5, 1, 3]) == 3
    assert cm.stdev([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(2.0)


def test_constant_marks_give_zero_z():
    students, assessments, marks = load("S1,M2,30,14\nS2,M2,30,14\nS3,M2,30,14\n")
    assert cm.zscores(marks, assessments[1]) == {"S1": 0.0, "S2": 0.0, "S3": 0.0}
    assert cm.find_outliers(marks, assessments) == []


def test_find_outliers_threshold():
    rows = "".join(f"S{i},P1,10,10\n" for i in range(20)) + "S99,P1,20,10\n"
    students = "student_id,name,course\n" + "".join(f"S{i},N{i},PHYS\n" for i in range(20))
    students += "S99,Odd One,PHYS\n"
    _, assessments, marks = load(rows, students=students)
    flagged = cm.find_outliers(marks, assessments)
    assert [(f[0], f[1], f[2]) for f in flagged] == [("P1", "S99", 20.0)]
    assert flagged[0][3] == pytest.approx(math.sqrt(20), abs=1e-3)
    assert cm.find_outliers(marks, assessments, threshold=5) == []


# ---------------------------------------------------------------- moderation


def test_moderate_does_not_mutate_and_caps():
    students, assessments, marks = load("S1,M1,9,7\nS2,M1,3,7\nS3,M1,,\nS1,M2,10,14\n")
    before = copy.deepcopy(marks)
    moderated = cm.moderate(marks, assessments[0], 9.0)
    assert marks == before
    by_id = {(m["student_id"], m["assessment_id"]): m["mark"] for m in moderated}
    assert by_id[("S1", "M1")] == 10.0  # 9 * 1.5 capped at max
    assert by_id[("S2", "M1")] == 4.5
    assert by_id[("S3", "M1")] is None
    assert by_id[("S1", "M2")] == 10.0
    assert moderated[0] is not marks[0]


def test_moderate_bad_target():
    students, assessments, marks = load("S1,M1,9,7\n")
    with pytest.raises(ValueError):
        cm.moderate(marks, assessments[0], 0)
    with pytest.raises(ValueError):
        cm.moderate(marks, assessments[0], 10.5)


def test_moderate_all_zero_and_no_marks():
    students, assessments, marks = load("S1,M1,0,7\nS2,M1,0,7\n")
    assert [m["mark"] for m in cm.moderate(marks, assessments[0], 5)] == [0.0, 0.0]
    assert cm.moderate(marks, assessments[1], 5) == marks


def test_grade_changes_after_moderation():
    students, assessments, marks = load(
        "S1,M1,6,7\nS1,M2,30,14\nS1,M3,60,30\nS2,M1,10,7\nS2,M2,50,14\nS2,M3,90,30\n"
    )
    before = copy.deepcopy(marks)
    moderated = cm.moderate(marks, assessments[2], 90.0)
    changes = cm.grade_changes(students, assessments, marks, moderated, "MATH")
    assert marks == before
    # M3 mean 75 -> factor 1.2: S1 goes 60 -> 66, S2 is capped and stays HD, S3 has no marks
    assert changes == [("S1", "P", "C", 60.0, 66.0)]
    assert cm.grade_changes(students, assessments, marks, marks, "MATH") == []
    text = cm.format_changes(changes)
    assert text.startswith("S1") and "P -> C" in text


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "marks_text",
    [
        "S9,M1,5,7\n",  # unknown student
        "S1,X1,5,7\n",  # unknown assessment
        "S1,P1,5,7\n",  # assessment of another course
        "S1,M1,5,7\nS1,M1,6,7\n",  # duplicate
        "S1,M1,11,7\n",  # above max
        "S1,M1,-1,7\n",  # negative
        "S1,M1,abc,7\n",  # not a number
        "S1,M1,5,soon\n",  # bad day
        "S1,M1,5\n",  # missing field
    ],
)
def test_bad_marks_raise(marks_text):
    with pytest.raises(cm.MarksFormatError):
        load(marks_text)


@pytest.mark.parametrize(
    "plan",
    [
        "course,assessment_id,title,weight,max_mark,due_day\nMATH,M1,Q,0,10,7\n",
        "course,assessment_id,title,weight,max_mark,due_day\nMATH,M1,Q,10,-1,7\n",
        "course,assessment_id,title,weight,max_mark,due_day\nMATH,M1,Q,10,10,x\n",
        "course,assessment_id,title,weight,max_mark,due_day\nMATH,M1,Q,1,1,1\nMATH,M1,R,1,1,1\n",
    ],
)
def test_bad_plan_raises(plan):
    with pytest.raises(cm.MarksFormatError):
        cm.parse_assessments(plan)


def test_duplicate_student_and_marks_format_error_is_value_error():
    with pytest.raises(ValueError):
        cm.parse_students("student_id,name,course\nS1,A,M\nS1,B,M\n")


def test_comments_blank_lines_and_empty_input():
    students = cm.parse_students("# export\n\nstudent_id,name,course\n  S1 , Ann , MATH \n\n")
    assert students == [cm.Student("S1", "Ann", "MATH")]
    assert cm.parse_students("") == []
    assert cm.parse_marks("", students, []) == []


def test_marks_csv_round_trip():
    students, assessments, marks = load("S1,M1,7.5,7\nS2,M1,,\nS1,M3,88,31\n")
    again = cm.parse_marks(cm.marks_to_csv(marks), students, assessments)
    assert again == marks


# ---------------------------------------------------------------- larger inputs vs oracle


def make_random_term(seed, n_students=120):
    rng = random.Random(seed)
    plan = ["course,assessment_id,title,weight,max_mark,due_day"]
    items = {}
    for c in ["A", "B"]:
        for k in range(rng.randint(3, 6)):
            aid = f"{c}{k}"
            w, mx, due = rng.randint(1, 30), rng.choice([10, 20, 100]), rng.randint(5, 60)
            plan.append(f"{c},{aid},T{k},{w},{mx},{due}")
            items.setdefault(c, []).append((aid, mx, due))
    studs = ["student_id,name,course"]
    rows = ["student_id,assessment_id,mark,submitted_day"]
    for i in range(n_students):
        c = rng.choice(["A", "B"])
        studs.append(f"X{i},Name {i},{c}")
        for aid, mx, due in items[c]:
            r = rng.random()
            if r < 0.05:
                continue
            if r < 0.1:
                rows.append(f"X{i},{aid},,")
                continue
            mark = rng.randint(0, mx * 2) / 2
            rows.append(f"X{i},{aid},{mark:g},{due + rng.randint(-3, 10)}")
    rng.shuffle(rows[1:])
    return cm.load_course_data("\n".join(studs), "\n".join(plan), "\n".join(rows))


def oracle_total(student, assessments, marks, missing):
    num = den = 0.0
    for a in assessments:
        if a.course != student.course:
            continue
        key = (student.student_id, a.assessment_id)
        hit = [m for m in marks if (m["student_id"], m["assessment_id"]) == key]
        if not hit or hit[0]["mark"] is None:
            if missing == "zero":
                den += a.weight
            continue
        late = 0 if hit[0]["submitted_day"] is None else hit[0]["submitted_day"] - a.due_day
        pct = hit[0]["mark"] * 100.0 / a.max_mark
        if late > 7:
            pct = 0.0
        elif late > 0:
            pct = max(0.0, pct - 5 * late)
        num += pct * a.weight
        den += a.weight
    return 0.0 if den == 0 else num / den


@pytest.mark.parametrize("seed,missing", [(1, "zero"), (2, "redistribute"), (3, "zero")])
def test_totals_ranks_percentiles_match_oracle(seed, missing):
    students, assessments, marks = make_random_term(seed)
    snapshot = copy.deepcopy(marks)
    for course in ["A", "B"]:
        results = cm.course_results(students, assessments, marks, course, missing)
        enrolled = [s for s in students if s.course == course]
        assert sorted(r["student_id"] for r in results) == sorted(s.student_id for s in enrolled)
        totals = {r["student_id"]: r["total"] for r in results}
        for s in enrolled:
            expected = oracle_total(s, assessments, marks, missing)
            assert totals[s.student_id] == pytest.approx(expected, abs=0.0051)
        for r in results:
            higher = sum(1 for t in totals.values() if t > r["total"])
            lower = sum(1 for t in totals.values() if t < r["total"])
            assert r["rank"] == higher + 1
            assert r["percentile"] == round(100.0 * lower / len(totals), 1)
            assert r["grade"] == next(g for c, g in cm.GRADE_CUTOFFS if r["total"] >= c)
        keys = [(r["rank"], r["student_id"]) for r in results]
        assert keys == sorted(keys)
    assert marks == snapshot


def test_stats_and_moderation_match_oracle():
    students, assessments, marks = make_random_term(7, n_students=200)
    for a in assessments:
        rows = [m for m in marks if m["assessment_id"] == a.assessment_id]
        values = [m["mark"] for m in rows if m["mark"] is not None]
        stats = cm.assessment_stats(marks, a)
        assert stats["count"] == len(values)
        assert stats["mean"] == pytest.approx(round(statistics.fmean(values), 2))
        assert stats["median"] == pytest.approx(round(statistics.median(values), 2))
        assert stats["stdev"] == pytest.approx(round(statistics.pstdev(values), 2), abs=0.011)
        mu, sd = statistics.fmean(values), statistics.pstdev(values)
        z = cm.zscores(marks, a)
        for m in marks:
            if m["assessment_id"] == a.assessment_id and m["mark"] is not None:
                assert z[m["student_id"]] == pytest.approx((m["mark"] - mu) / sd, abs=0.0011)
        target = a.max_mark * 0.6
        moderated = cm.moderate(marks, a, target)
        for old, new in zip(marks, moderated):
            if old["assessment_id"] == a.assessment_id and old["mark"] is not None:
                expected = round(min(a.max_mark, old["mark"] * target / mu), 2)
                assert new["mark"] == pytest.approx(expected, abs=0.0101)
            else:
                assert new == old


def test_transcripts_match_results_for_every_student():
    students, assessments, marks = make_random_term(11, n_students=80)
    for course in ["A", "B"]:
        results = cm.course_results(students, assessments, marks, course)
        results = {r["student_id"]: r for r in results}
        pages = cm.render_course_transcripts(students, assessments, marks, course)
        enrolled = [s for s in students if s.course == course]
        assert len(pages) == len(enrolled)
        n_items = len([a for a in assessments if a.course == course])
        for s, page in zip(enrolled, pages):
            r = results[s.student_id]
            assert f"({s.student_id})" in page
            assert f"Rank {r['rank']} of {len(enrolled)}" in page
            assert f"Grade: {r['grade']}" in page
            assert f"Percentile: {r['percentile']:.1f}" in page
            assert len(page.splitlines()) == n_items + 8
