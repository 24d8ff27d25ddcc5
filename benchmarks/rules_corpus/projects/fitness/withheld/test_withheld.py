import random
from datetime import date, timedelta

import pytest

from fitness import (
    Athlete,
    CardioInterval,
    Category,
    Session,
    SetEntry,
    Tracker,
    estimate_1rm,
    mean,
    parse_duration,
)

LIFTS = ["Back Squat", "Bench Press", "Deadlift", "Pull-Up"]


def base() -> Tracker:
    tracker = Tracker()
    for lift in LIFTS:
        tracker.add_exercise(lift)
    tracker.add_exercise("Rowing", Category.CARDIO)
    return tracker


def test_empty_tracker():
    tracker = base()
    tracker.add_athlete("a1", "Solo", 70)
    assert tracker.leaderboard("deadlift") == []
    assert tracker.personal_records("a1") == {}
    assert tracker.weekly_load("a1") == []
    assert tracker.streaks("a1") == (0, 0)
    assert tracker.streaks("a1", date(2024, 1, 1)) == (0, 0)
    assert tracker.exercise_frequency("a1") == []
    assert tracker.record_history("a1", "deadlift") == []
    assert tracker.summary() == ["Solo (S): 0 sessions, avg load 0.0, best no lifts"]
    assert mean([]) == 0.0
    assert Tracker().summary() == []


def test_leaderboard_ties_and_top():
    tracker = base()
    for aid, name in [("c", "Cara"), ("a", "Abe"), ("b", "Bea"), ("d", "Dan")]:
        tracker.add_athlete(aid, name, 70)
    for aid, weight in [("c", 100), ("a", 100), ("b", 90), ("d", 110)]:
        session = tracker.log_session(aid, date(2024, 3, 1))
        tracker.add_set(session, "Deadlift", 1, weight)
    board = tracker.leaderboard("DEADLIFT")
    assert board == [(1, "Dan", 110.0), (2, "Abe", 100.0), (2, "Cara", 100.0), (4, "Bea", 90.0)]
    assert tracker.leaderboard("deadlift", top=0) == []
    assert tracker.leaderboard("deadlift", top=2) == board[:2]
    with pytest.raises(ValueError):
        tracker.leaderboard("deadlift", top=-1)
    with pytest.raises(KeyError):
        tracker.leaderboard("snatch")


def test_zero_weight_counts_as_record():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    session = tracker.log_session("a", date(2024, 3, 1))
    tracker.add_set(session, "pull up", 8, 0)
    assert tracker.leaderboard("pull-up") == [(1, "Abe", 0.0)]
    assert tracker.personal_records("a")["Pull-Up"][0] == 0.0


def test_results_follow_mutation():
    tracker = base()
    athlete = tracker.add_athlete("a", "Abe", 100)
    tracker.add_athlete("b", "Bo", 50)
    session = tracker.log_session("a", date(2024, 3, 1), rpe=5)
    tracker.add_set(session, "bench press", 1, 100)
    assert tracker.leaderboard("bench press") == [(1, "Abe", 100.0)]
    assert tracker.weekly_load("a") == [("2024-W09", 0.5)]
    athlete.name = "Abraham"
    athlete.bodyweight = 50.0
    tracker.add_set(session, "bench press", 1, 120)
    assert tracker.leaderboard("bench press", relative=True) == [(1, "Abraham", 2.4)]
    assert tracker.weekly_load("a") == [("2024-W09", 1.1)]
    other = tracker.log_session("b", date(2024, 3, 2))
    tracker.add_set(other, "Bench Press", 1, 130)
    assert tracker.leaderboard("bench press") == [(1, "Bo", 130.0), (2, "Abraham", 120.0)]
    session.day = date(2024, 3, 4)
    assert tracker.weekly_load("a") == [("2024-W10", 1.1)]
    assert tracker.personal_records("a")["Bench Press"][2] == date(2024, 3, 4)


def test_renamed_exercise_and_added_athlete():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    session = tracker.log_session("a", date(2024, 3, 1))
    tracker.add_set(session, "deadlift", 2, 100)
    assert list(tracker.personal_records("a")) == ["Deadlift"]
    tracker.exercise("deadlift").name = "DeadLift"
    assert list(tracker.personal_records("a")) == ["DeadLift"]
    assert tracker.exercise_frequency("a") == [("DeadLift", 1)]
    tracker.add_athlete("b", "Bea", 60)
    late = tracker.log_session("b", date(2024, 3, 2))
    tracker.add_set(late, "DEADLIFT", 1, 150)
    assert [row[1] for row in tracker.leaderboard("deadLIFT")] == ["Bea", "Abe"]


def test_unregistered_exercise_in_set_raises():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    session = tracker.log_session("a", date(2024, 3, 1))
    session.sets.append(SetEntry("Curl", 10, 20))
    with pytest.raises(KeyError):
        tracker.personal_records("a")
    with pytest.raises(KeyError):
        tracker.leaderboard("deadlift")


def test_record_ties_keep_earliest_day():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    later = tracker.log_session("a", date(2024, 3, 5))
    tracker.add_set(later, "back squat", 1, 100)
    earlier = tracker.log_session("a", date(2024, 3, 2))
    tracker.add_set(earlier, "back squat", 1, 100)
    record = tracker.personal_records("a")["Back Squat"]
    assert record[0] == 100.0
    assert record[2] == date(2024, 3, 2)


def test_record_history_merges_same_day():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    s1 = tracker.log_session("a", date(2024, 3, 1))
    tracker.add_set(s1, "deadlift", 5, 100)
    tracker.add_set(s1, "deadlift", 3, 110)
    s2 = tracker.log_session("a", date(2024, 3, 3))
    tracker.add_set(s2, "deadlift", 5, 90)
    s3 = tracker.log_session("a", date(2024, 3, 3))
    tracker.add_set(s3, "bench press", 1, 300)
    tracker.add_set(s3, "deadlift", 1, 130)
    assert tracker.record_history("a", "Deadlift") == [
        (date(2024, 3, 1), 121.0), (date(2024, 3, 3), 130.0)]


def test_weeks_across_year_end_and_streaks_with_gaps():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    for day in [date(2024, 12, 30), date(2024, 12, 31), date(2024, 12, 31), date(2025, 1, 1),
                date(2024, 12, 20), date(2025, 1, 5), date(2025, 1, 6)]:
        session = tracker.log_session("a", day, rpe=10)
        tracker.add_interval(session, "rowing", 10, 2.0, 1)
    assert tracker.weekly_load("a") == [("2024-W51", 10.0), ("2025-W01", 50.0),
                                        ("2025-W02", 10.0)]
    assert tracker.streaks("a") == (2, 3)
    assert tracker.streaks("a", date(2025, 1, 7)) == (2, 3)
    assert tracker.streaks("a", date(2025, 1, 8)) == (0, 3)
    assert tracker.streaks("a", date(2025, 1, 2)) == (3, 3)


def test_validation_errors():
    tracker = base()
    tracker.add_athlete("a", "Abe", 70)
    session = tracker.log_session("a", date(2024, 3, 1))
    with pytest.raises(ValueError):
        tracker.add_exercise(" back-squat ")
    with pytest.raises(ValueError):
        tracker.add_set(session, "deadlift", 0, 100)
    with pytest.raises(ValueError):
        tracker.add_set(session, "deadlift", 2.5, 100)
    with pytest.raises(ValueError):
        tracker.add_set(session, "deadlift", 3, -1)
    with pytest.raises(ValueError):
        tracker.add_interval(session, "deadlift", 10)
    with pytest.raises(ValueError):
        tracker.add_interval(session, "rowing", 10, 1.0, 11)
    with pytest.raises(KeyError):
        tracker.add_set(session, "curl", 3, 10)
    with pytest.raises(ValueError):
        tracker.log_session("a", date(2024, 3, 1), rpe=0)
    with pytest.raises(ValueError):
        Athlete("1abc", "X", 70)
    with pytest.raises(ValueError):
        Athlete("abc", "X", 0)
    with pytest.raises(ValueError):
        Category.from_label("yoga")
    with pytest.raises(ValueError):
        CardioInterval("rowing", 0, 1, 5)
    with pytest.raises(ValueError):
        Session(1, "A", date(2024, 1, 1), rpe=11)
    assert session.sets == [] and session.intervals == []


def test_estimate_and_duration_errors():
    with pytest.raises(ValueError):
        estimate_1rm(100, 0)
    with pytest.raises(ValueError):
        estimate_1rm(-5, 3)
    with pytest.raises(ValueError):
        estimate_1rm(100, 37, "brzycki")
    with pytest.raises(ValueError):
        estimate_1rm(100, 3, "wathan")
    assert estimate_1rm(100, 36, "brzycki") == 3600.0
    for bad in ["", "5", "1:60", "1:60:00", "a:bc"]:
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert parse_duration(" 0:45 ") == 0.75


def test_pace_and_repr():
    interval = CardioInterval("Running", 29.99, 6.0, 5)
    assert interval.pace == "5:00/km"
    assert CardioInterval("Bike", 10, 0, 5).pace == "-"
    assert repr(SetEntry("Deadlift", 5, 102.5)) == "SetEntry('Deadlift', 5x102.5)"
    assert SetEntry("dead-lift", 5, 100) == SetEntry("Dead Lift", 5, 100.0)
    assert Session(3, "A", date(2024, 1, 1)) == Session(3, "B", date(2024, 2, 1))


def random_tracker(seed: int) -> Tracker:
    rng = random.Random(seed)
    tracker = base()
    for i in range(12):
        tracker.add_athlete(f"x{i}", f"Name {rng.randint(0, 5)}", rng.randint(50, 100))
    for _ in range(150):
        athlete = rng.choice(tracker.athletes)
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(60))
        session = tracker.log_session(athlete.athlete_id, day, rng.randint(1, 10))
        for _ in range(rng.randint(0, 6)):
            lift = rng.choice(LIFTS)
            typed = rng.choice([lift, lift.lower(), lift.upper().replace("-", " ")])
            tracker.add_set(session, typed, rng.randint(1, 6), rng.choice([60, 70, 80, 90]))
        if rng.random() < 0.4:
            tracker.add_interval(session, "ROWING", rng.randint(5, 30), 3.0, rng.randint(1, 10))
    return tracker


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_against_reference(seed):
    tracker = random_tracker(seed)
    canon = {lift.lower().replace("-", " "): lift for lift in LIFTS}
    for lift in LIFTS:
        expected = []
        for athlete in tracker.athletes:
            values = [estimate_1rm(e.weight, e.reps) for s in tracker.sessions
                      if s.athlete_id == athlete.athlete_id for e in s.sets
                      if canon[e.exercise.lower().replace("-", " ")] == lift]
            if values:
                expected.append((athlete.name, max(values)))
        expected.sort(key=lambda item: (-item[1], item[0]))
        ranked = [(1 + sum(v > score for _, v in expected), name, score)
                  for name, score in expected]
        assert tracker.leaderboard(lift, top=100) == ranked
    for athlete in tracker.athletes:
        mine = [s for s in tracker.sessions if s.athlete_id == athlete.athlete_id]
        weeks: dict[str, float] = {}
        for s in sorted(mine, key=lambda s: (s.day, s.session_id)):
            label = f"{s.day.isocalendar()[0]}-W{s.day.isocalendar()[1]:02d}"
            weeks[label] = weeks.get(label, 0.0) + s.load
        assert tracker.weekly_load(athlete.athlete_id) == [
            (w, round(weeks[w], 2)) for w in sorted(weeks)]
        days = {s.day for s in mine}
        longest = 0
        for d in days:
            n = 0
            while d + timedelta(days=n) in days:
                n += 1
            longest = max(longest, n)
        assert tracker.streaks(athlete.athlete_id)[1] == longest
        counts: dict[str, int] = {}
        for s in mine:
            for name in {canon[e.exercise.lower().replace("-", " ")] for e in s.sets}:
                counts[name] = counts.get(name, 0) + 1
            if s.intervals:
                counts["Rowing"] = counts.get("Rowing", 0) + 1
        assert tracker.exercise_frequency(athlete.athlete_id) == sorted(
            counts.items(), key=lambda kv: (-kv[1], kv[0]))
        records = tracker.personal_records(athlete.athlete_id)
        for name, (value, _entry, _day) in records.items():
            assert value == max(estimate_1rm(e.weight, e.reps) for s in mine for e in s.sets
                                if canon[e.exercise.lower().replace("-", " ")] == name)
