import random
from datetime import date, timedelta

import pytest

import attendance as at
from attendance import Entry, Pupil, Score

MARKS = ["P", "p", " P ", "L5", "L 30", "L31", "L45 (bus)", "A", "A(ill)", "A: Sick", "A - hol",
         "A(truant)", "A (religious)", "M", "M(dentist)", "M: GP", "a(unwell)", "m - appt",
         "A(snow day)", "L12: traffic"]


def oracle_summary(register, pupil_id):
    last = {}
    for entry in register:
        if entry.pupil_id == pupil_id:
            last[(entry.date, entry.session)] = entry.mark
    possible = attended = late = authorised = unauthorised = 0
    for text in last.values():
        mark = at.parse_mark(text)
        possible += 1
        if mark.attended:
            attended += 1
            late += mark.code == "L"
        elif mark.authorised:
            authorised += 1
        else:
            unauthorised += 1
    percent = round(100.0 * attended / possible, 1) if possible else 0.0
    return at.Summary(pupil_id, possible, attended, late, authorised, unauthorised, percent)


def oracle_rank(pairs):
    values = [v for _k, v in pairs]
    out = []
    for key, value in sorted(pairs, key=lambda kv: (-kv[1], kv[0])):
        position = 1 + len([v for v in values if v > value])
        label = at.ordinal(position)
        out.append((key, value, ("=" + label) if values.count(value) > 1 else label))
    return out


def random_register(rng, pupil_ids, days, dup_rate=0.1):
    register = []
    for day in days:
        for session in ("AM", "PM"):
            for pupil_id in pupil_ids:
                if rng.random() < 0.9:
                    register.append(Entry(pupil_id, day, session, rng.choice(MARKS)))
    for entry in rng.sample(register, int(len(register) * dup_rate)):
        register.append(entry._replace(mark=rng.choice(MARKS)))
    return register


def days_from(start, count):
    return [(start + timedelta(days=i)).isoformat() for i in range(count)]


@pytest.fixture
def small():
    pupils = [Pupil("X1", "Young", "Yan", "8C"), Pupil("X2", "Abbot", "Zed", "8C"),
              Pupil("X3", "Moss", "Kit", "8D")]
    register = [Entry("X1", "2024-10-01", "AM", "P"), Entry("X1", "2024-10-01", "PM", "A"),
                Entry("X2", "2024-10-01", "AM", "L10"), Entry("X2", "2024-10-01", "PM", "P"),
                Entry("X3", "2024-10-01", "AM", "P")]
    scores = [Score("X1", "Art", "T1", 30.0, 40), Score("X2", "Art", "T1", 15, 20),
              Score("X3", "Art", "T1", 10.0, 40), Score("X1", "French", "T1", 5.0, 10)]
    return pupils, register, scores


# --- parsing ---------------------------------------------------------------------------------

def test_parse_mark_rejects_non_string():
    with pytest.raises(TypeError, match="must be a string, not int"):
        at.parse_mark(5)


def test_parse_mark_unknown_code_message():
    with pytest.raises(ValueError, match="unknown attendance mark 'Q'"):
        at.parse_mark("Q")


def test_parse_mark_unreadable():
    for bad in ["", "PP", "12", "A(ill) extra"]:
        with pytest.raises(ValueError, match="unreadable"):
            at.parse_mark(bad)


def test_parse_mark_lowercase_and_spaces():
    assert at.parse_mark("  a ( Unwell ) ") == at.Mark("A", "illness", 0, False, True)
    assert at.parse_mark("p") == at.parse_mark(" P ")


def test_late_after_register_closes_counts_as_absent():
    assert at.parse_mark("L30").attended
    closed = at.parse_mark("L31")
    assert not closed.attended and not closed.authorised and closed.reason == "unexplained"
    assert at.parse_mark("L45 (bus)").reason == "transport"


def test_reason_normalisation_and_unknown_reason_kept():
    assert at.parse_mark("A - Family  holiday").reason == "holiday"
    assert not at.parse_mark("A(hol)").authorised
    odd = at.parse_mark("A(Snow_Day)")
    assert odd.reason == "snow day" and not odd.authorised


def test_parse_date_errors():
    assert at.parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    with pytest.raises(ValueError, match="bad register date '2023-02-29'"):
        at.parse_date("2023-02-29")


def test_load_pupils_duplicate_id():
    with pytest.raises(ValueError, match="duplicate pupil id 'A1'"):
        at.load_pupils("pupil_id,surname,forename,form\nA1,X,Y,7A\nA1,Z,W,7B\n")


def test_load_bad_header_and_empty_text():
    with pytest.raises(ValueError, match="expected header"):
        at.load_register("id,date,session,mark\n")
    assert at.load_register("") == [] and at.load_scores("\n\n") == []


def test_load_register_bad_session_and_comma_in_mark():
    with pytest.raises(ValueError, match="unknown session 'EVE'"):
        at.load_register("pupil_id,date,session,mark\nA1,2024-09-02,eve,P\n")
    entries = at.load_register("pupil_id,date,session,mark\nA1,2024-09-02,am,A(ill, flu)\n")
    assert entries == [Entry("A1", "2024-09-02", "AM", "A(ill, flu)")]


def test_load_scores_impossible():
    with pytest.raises(ValueError, match="impossible"):
        at.load_scores("pupil_id,subject,assessment,raw,out_of\nA1,Art,T,41,40\n")
    with pytest.raises(ValueError, match="subject name is empty"):
        at.load_scores("pupil_id,subject,assessment,raw,out_of\nA1, ,T,1,40\n")


def test_normalise_subject_fallback():
    assert at.normalise_subject("Geog.") == "Geography"
    assert at.normalise_subject("  design   technology ") == "Design Technology"


# --- statistics ------------------------------------------------------------------------------

def test_stats_empty_inputs():
    for func in (at.mean, at.median):
        with pytest.raises(ValueError, match="empty"):
            func([])
    with pytest.raises(ValueError, match="empty"):
        at.percentile([], 50)
    assert at.stdev([]) == 0.0 and at.stdev([7]) == 0.0
    assert at.describe([])["mean"] is None


def test_percentile_bounds_and_edges():
    with pytest.raises(ValueError, match="between 0 and 100, got 101"):
        at.percentile([1, 2], 101)
    assert at.percentile([5], 37) == 5
    assert at.percentile([3, 1, 2], 0) == 1
    assert at.percentile([1, 2, 3, 4, 5], 10) == pytest.approx(1.4)


def test_median_does_not_mutate_input():
    values = [3, 1, 2]
    assert at.median(values) == 2.0
    assert values == [3, 1, 2]


def test_ordinal_edges():
    assert [at.ordinal(n) for n in (111, 112, 113, 120, 121)] == [
        "111th", "112th", "113th", "120th", "121st"]
    with pytest.raises(ValueError, match="start at 1"):
        at.ordinal(0)


def test_rank_positions_empty_and_all_tied():
    assert at.rank_positions([]) == []
    assert [r[2] for r in at.rank_positions([("z", 1), ("a", 1), ("m", 1)])] == ["=1st"] * 3
    assert [r[0] for r in at.rank_positions([("z", 1), ("a", 1), ("m", 1)])] == ["a", "m", "z"]


def test_rank_positions_mixed_int_float_and_negative():
    ranked = at.rank_positions([("a", 70), ("b", 70.0), ("c", -1), ("d", 71.5)])
    assert ranked == [("d", 71.5, "1st"), ("a", 70, "=2nd"), ("b", 70.0, "=2nd"),
                      ("c", -1, "4th")]


def test_rank_positions_random_against_oracle():
    rng = random.Random(7)
    for _ in range(30):
        pairs = [(f"k{i:03d}", rng.choice([50, 55.5, 60, 61, 70, 99.9]) if rng.random() < 0.6
                  else round(rng.uniform(0, 100), 1)) for i in range(rng.randint(1, 60))]
        rng.shuffle(pairs)
        assert at.rank_positions(pairs) == oracle_rank(pairs)


# --- register --------------------------------------------------------------------------------

def test_latest_mark_wins_and_order_kept():
    entries = [Entry("A", "d1", "AM", "P"), Entry("A", "d1", "PM", "A"),
               Entry("A", "d1", "AM", "A(ill)"), Entry("A", "d1", "AM", "L5")]
    assert at.latest_marks(entries) == [(("d1", "AM"), "L5"), (("d1", "PM"), "A")]


def test_summary_reflects_register_mutation(small):
    pupils, register, _scores = small
    first = at.attendance_summary(register, pupils)
    assert first["X1"].percent == 50.0
    register.append(Entry("X1", "2024-10-01", "PM", "A(ill)"))
    register.append(Entry("X1", "2024-10-02", "AM", "P"))
    second = at.attendance_summary(register, pupils)
    assert second["X1"] == at.Summary("X1", 3, 2, 0, 1, 0, 66.7)
    register[0] = register[0]._replace(mark="A")
    assert at.pupil_summary(register, "X1").attended == 1


def test_summary_ignores_unknown_pupils_and_accepts_tuples(small):
    pupils, register, _scores = small
    register.append(Entry("GHOST", "2024-10-01", "AM", "A"))
    summaries = at.attendance_summary(tuple(register), tuple(pupils))
    assert sorted(summaries) == ["X1", "X2", "X3"]
    assert at.attendance_summary(register, []) == {}


def test_summary_invalid_mark_raises(small):
    pupils, register, _scores = small
    register.append(Entry("X2", "2024-10-02", "AM", "Z"))
    with pytest.raises(ValueError, match="unknown attendance mark 'Z'"):
        at.attendance_summary(register, pupils)


def test_summary_random_against_oracle():
    rng = random.Random(11)
    pupil_ids = [f"R{i}" for i in range(25)]
    register = random_register(rng, pupil_ids, days_from(date(2025, 1, 6), 12), dup_rate=0.3)
    pupils = [Pupil(pid, "S", "F", "10A") for pid in pupil_ids + ["NOBODY"]]
    summaries = at.attendance_summary(register, pupils)
    for pupil in pupils:
        assert summaries[pupil.pupil_id] == oracle_summary(register, pupil.pupil_id)


def test_persistent_absentees_ordering_and_threshold():
    summaries = {
        "b": at.Summary("b", 10, 8, 0, 1, 1, 80.0),
        "a": at.Summary("a", 10, 8, 0, 2, 0, 80.0),
        "c": at.Summary("c", 10, 4, 0, 0, 6, 40.0),
        "d": at.Summary("d", 0, 0, 0, 0, 0, 0.0),
        "e": at.Summary("e", 10, 10, 0, 0, 0, 100.0),
    }
    assert at.persistent_absentees(summaries) == [
        ("c", 40.0, "severe absence"), ("a", 80.0, "persistent absence"),
        ("b", 80.0, "persistent absence")]
    assert at.persistent_absentees(summaries, threshold=50.0) == [("c", 40.0, "severe absence")]


def test_absence_band_boundaries():
    assert at.absence_band(97.0) == "excellent"
    assert at.absence_band(96.9) == "good"
    assert at.absence_band(90.0) == "cause for concern"
    assert at.absence_band(50.0) == "persistent absence"
    with pytest.raises(ValueError, match="negative"):
        at.absence_band(-0.5)


def test_weekly_rates_year_boundary_and_duplicates():
    register = [Entry("A", "2024-12-30", "AM", "P"), Entry("A", "2024-12-27", "AM", "A"),
                Entry("A", "2024-12-30", "AM", "A"), Entry("B", "2025-01-02", "PM", "L3"),
                Entry("A", "2024-12-27", "PM", "P")]
    pupils = [Pupil("A", "s", "f", "7A"), Pupil("B", "s", "f", "7B")]
    assert at.weekly_rates(register, pupils) == [("2024-W52", 1, 2, 50.0),
                                                 ("2025-W01", 1, 2, 50.0)]
    assert at.weekly_rates(register, pupils, "7B") == [("2025-W01", 1, 1, 100.0)]
    assert at.weekly_rates(register, pupils, "7Z") == []


def test_weekly_rates_random_against_oracle_and_mutation():
    rng = random.Random(3)
    pupil_ids = [f"W{i}" for i in range(12)]
    pupils = [Pupil(pid, "s", "f", "9X" if i % 2 else "9Y") for i, pid in enumerate(pupil_ids)]
    register = random_register(rng, pupil_ids, days_from(date(2024, 11, 25), 20))

    def oracle(form):
        last = {}
        members = {p.pupil_id for p in pupils if p.form == form}
        for e in register:
            if e.pupil_id in members:
                last[(e.pupil_id, e.date, e.session)] = e.mark
        weeks = {}
        for (_pid, day, _s), text in last.items():
            y, w, _ = date.fromisoformat(day).isocalendar()
            counts = weeks.setdefault(f"{y}-W{w:02d}", [0, 0])
            counts[0] += at.parse_mark(text).attended
            counts[1] += 1
        return [(k, a, n, round(100.0 * a / n, 1)) for k, (a, n) in sorted(weeks.items())]

    assert at.weekly_rates(register, pupils, "9X") == oracle("9X")
    register.extend(Entry(pid, "2024-12-23", "AM", "A") for pid in pupil_ids)
    pupils[0] = pupils[0]._replace(form="9X")
    assert at.weekly_rates(register, pupils, "9X") == oracle("9X")


def test_reason_breakdown_ties_sorted_by_name():
    register = [Entry("A", "d1", "AM", "A(hol)"), Entry("A", "d1", "PM", "A(ill)"),
                Entry("B", "d1", "AM", "M"), Entry("B", "d1", "PM", "L40"),
                Entry("B", "d2", "AM", "A(ill)"), Entry("A", "d1", "AM", "P")]
    pupils = [Pupil("A", "s", "f", "1"), Pupil("B", "s", "f", "1")]
    assert at.reason_breakdown(register, pupils) == [
        ("illness", 2), ("medical appointment", 1), ("unexplained", 1)]


def test_form_attendance_skips_missing_summaries(small):
    pupils, register, _scores = small
    summaries = at.attendance_summary(register, pupils[:2])
    assert at.form_attendance(summaries, pupils) == {"8C": 75.0}


# --- assessment and reports ------------------------------------------------------------------

def test_subject_table_random_against_oracle():
    rng = random.Random(5)
    pupils = [Pupil(f"S{i:02d}", "s", "f", rng.choice(["A", "B", "C"])) for i in range(40)]
    scores = []
    for _ in range(400):
        out_of = rng.choice([10, 20, 50])
        scores.append(Score(rng.choice(pupils).pupil_id, rng.choice(["Art", "French"]), "t",
                            float(rng.randint(0, out_of)), out_of))
    for form in ("A", "B", None):
        members = [p.pupil_id for p in pupils if form is None or p.form == form]
        expected = []
        for pid in sorted(members):
            values = [100.0 * s.raw / s.out_of for s in scores
                      if s.pupil_id == pid and s.subject == "Art"]
            if values:
                expected.append((pid, round(at.mean(values), 1)))
        assert at.subject_table(pupils, scores, "Art", form) == expected
        for pid, value in expected:
            assert at.subject_percentages(scores, pid)["Art"] == value


def test_subject_statistics_reflects_new_scores(small):
    pupils, _register, scores = small
    before = at.subject_statistics(pupils, scores, "Art", "8C")
    assert before["n"] == 2 and before["mean"] == 75.0
    scores.append(Score("X2", "Art", "T2", 0.0, 20))
    after = at.subject_statistics(pupils, scores, "Art", "8C")
    assert after["mean"] == 56.2 and after["low"] == 37.5
    assert at.subject_statistics(pupils, scores, "Music")["n"] == 0


def test_year_rankings_after_form_change(small):
    pupils, _register, scores = small
    assert [r[0] for r in at.year_rankings(pupils, scores, "Art")] == ["X1", "X2", "X3"]
    pupils[2] = pupils[2]._replace(form="8C")
    assert [r[0] for r in at.subject_table(pupils, scores, "Art", "8C")] == ["X1", "X2", "X3"]


def test_overall_percentage(small):
    _pupils, _register, scores = small
    assert at.overall_percentage(scores, "X1") == 62.5
    assert at.overall_percentage(scores, "nobody") is None


def test_report_card_ties_and_missing_data(small):
    pupils, register, scores = small
    summaries = at.attendance_summary(register, pupils)
    card = at.report_card(pupils[1], pupils, scores, summaries)
    assert "=1st of 2" in card
    assert "Overall 75.0% (grade 7), 1st in form of 2" in card
    assert "Excellent attendance" in card
    other = at.report_card(pupils[0], pupils, scores, summaries)
    assert "=1st of 2" in other and "Persistent absence" in other
    assert "French           50.0      5      50.0              1st of 1" in other
    empty = at.report_card(Pupil("N", "New", "Nat", "8C"), pupils, scores, {})
    assert "No assessments recorded." in empty and "no sessions recorded" in empty
    assert "Overall" not in empty


def test_report_card_exact_text():
    pupils = [Pupil("Q1", "Lee", "Ann", "5A"), Pupil("Q2", "Ma", "Bo", "5A")]
    scores = [Score("Q1", "Art", "t", 9.0, 10), Score("Q2", "Art", "t", 5.0, 10)]
    summaries = {"Q1": at.Summary("Q1", 40, 39, 2, 1, 0, 97.5)}
    card = at.report_card(pupils[0], pupils, scores, summaries)
    assert card.splitlines() == [
        "=" * 60,
        "REPORT  Lee, Ann (Q1)  Form 5A",
        "-" * 60,
        "Subject         Score  Grade  Form avg              Position",
        "Art              90.0      9      70.0              1st of 2",
        "Overall 90.0% (grade 9), 1st in form of 2",
        "-" * 60,
        "Attendance 97.5% (39/40 sessions), late 2, authorised absence 1, unauthorised 0",
        "Excellent attendance - well done.",
        "=" * 60,
    ]


def test_form_report_reflects_changes_between_calls(small):
    pupils, register, scores = small
    first = at.form_report("8C", pupils, scores, register)
    assert [("(X2)" in c, "(X1)" in c) for c in first] == [(True, False), (False, True)]
    scores.append(Score("X2", "French", "T1", 10.0, 10))
    register.append(Entry("X2", "2024-10-02", "AM", "A"))
    second = at.form_report("8C", pupils, scores, register)
    assert "French" in second[0] and "(2/3 sessions)" in second[0]
    assert "French" in second[1] and "2nd of 2" in second[1]


def test_form_report_unknown_form(small):
    pupils, register, scores = small
    with pytest.raises(ValueError, match="no pupils in form '7Q'"):
        at.form_report("7Q", pupils, scores, register)


def test_grade_for_rejects_negative():
    with pytest.raises(ValueError, match="cannot be negative"):
        at.grade_for(-1)
    assert at.grade_for(89.99) == "8" and at.grade_for(10) == "1"
