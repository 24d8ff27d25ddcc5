from datetime import date

import pytest

from fitness import (
    Athlete,
    Category,
    Exercise,
    Tracker,
    estimate_1rm,
    format_pace,
    median,
    normalize_name,
    parse_duration,
    week_label,
)


def make_tracker() -> Tracker:
    tracker = Tracker()
    tracker.add_exercise("Back Squat")
    tracker.add_exercise("Bench Press")
    tracker.add_exercise("Running", Category.CARDIO)
    tracker.add_athlete("ann", "Ann Lee", 60)
    tracker.add_athlete("bob", "Bob Stone", 80)
    s1 = tracker.log_session("ann", date(2024, 1, 1), rpe=6)
    tracker.add_set(s1, "back squat", 5, 80)
    tracker.add_set(s1, "Bench-Press", 3, 50)
    s2 = tracker.log_session("bob", date(2024, 1, 2), rpe=8)
    tracker.add_set(s2, "BACK SQUAT", 1, 120)
    tracker.add_interval(s2, "running", 30, 6.0, 5)
    s3 = tracker.log_session("ann", date(2024, 1, 2), rpe=7)
    tracker.add_set(s3, "Back Squat", 3, 90)
    return tracker


def test_estimates():
    assert estimate_1rm(100, 1) == 100.0
    assert estimate_1rm(100, 10) == 133.33
    assert estimate_1rm(100, 10, "brzycki") == 133.33
    assert estimate_1rm(80, 5, "Epley") == 93.33


def test_names_and_categories():
    assert normalize_name("  Back-Squat ") == "back squat"
    assert normalize_name("Pull_Up!") == "pull up"
    assert Category.from_label("Cardio") is Category.CARDIO
    assert Exercise("Back Squat") == Exercise("back-squat")


def test_athlete_basics():
    athlete = Athlete("ann", "Ann Marie Lee", 61)
    assert athlete.athlete_id == "ANN"
    assert athlete.initials == "AML"
    assert athlete == Athlete("ANN", "Someone", 70)
    assert Athlete.from_record({"id": "b2", "name": "B"}).bodyweight == 75.0


def test_session_values():
    tracker = make_tracker()
    session = tracker.sessions[0]
    assert session.volume == 5 * 80 + 3 * 50
    assert session.load == round(550 / 100 * 6 / 10, 2)
    assert session.exercises() == ["back squat", "bench press"]
    assert session.week == "2024-W01"


def test_personal_records():
    tracker = make_tracker()
    records = tracker.personal_records("ANN")
    assert records["Back Squat"][0] == 99.0
    assert records["Back Squat"][2] == date(2024, 1, 2)
    assert records["Bench Press"][0] == 55.0


def test_leaderboard():
    tracker = make_tracker()
    assert tracker.leaderboard("back squat") == [(1, "Bob Stone", 120.0), (2, "Ann Lee", 99.0)]
    assert tracker.leaderboard("Back Squat", relative=True) == [
        (1, "Ann Lee", 1.65), (2, "Bob Stone", 1.5)]
    assert tracker.leaderboard("bench press", top=5) == [(1, "Ann Lee", 55.0)]


def test_weekly_load_and_streaks():
    tracker = make_tracker()
    assert tracker.weekly_load("ann") == [("2024-W01", round(3.3 + 270 / 100 * 0.7, 2))]
    assert tracker.streaks("ann") == (2, 2)
    assert tracker.streaks("bob", date(2024, 1, 5)) == (0, 1)


def test_bad_input():
    tracker = make_tracker()
    with pytest.raises(ValueError):
        tracker.add_athlete("ANN", "Again", 60)
    with pytest.raises(KeyError):
        tracker.log_session("zed", date(2024, 1, 1))
    with pytest.raises(ValueError):
        tracker.add_set(tracker.sessions[0], "running", 5, 10)


def test_helpers():
    assert parse_duration("25:30") == 25.5
    assert parse_duration("1:05:00") == 65.0
    assert format_pace(5.5) == "5:30/km"
    assert median([3, 1, 2, 10]) == 2.5
    assert week_label(date(2024, 12, 30)) == "2025-W01"


def test_summary_and_frequency():
    tracker = make_tracker()
    assert tracker.exercise_frequency("ann") == [("Back Squat", 2), ("Bench Press", 1)]
    lines = tracker.summary()
    assert lines[0].startswith("Ann Lee (AL): 2 sessions")
    assert lines[0].endswith("best Back Squat 99.0 kg")
