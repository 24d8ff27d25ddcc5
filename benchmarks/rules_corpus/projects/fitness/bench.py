"""Workload: a club of athletes logging three months of training, then records and boards.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from fitness import Category, Tracker, estimate_1rm, median

ATHLETES = 20
DAYS = 56
LIFTS = ["Back Squat", "Bench Press", "Deadlift", "Overhead Press", "Barbell Row",
         "Front-Squat", "Pull Up", "Romanian Deadlift", "Incline Bench", "Hip Thrust"]
CARDIO = ["Running", "Rowing Erg", "Bike"]
START = date(2024, 1, 1)


def build(rng: random.Random) -> Tracker:
    tracker = Tracker()
    for name in LIFTS:
        tracker.add_exercise(name, Category.STRENGTH)
    for name in CARDIO:
        tracker.add_exercise(name, Category.CARDIO)
    tracker.add_exercise("Hip Mobility", Category.MOBILITY)
    for i in range(ATHLETES):
        tracker.add_athlete(f"A{i:03d}", f"Athlete {i:02d} {rng.choice('KLMNPRST')}",
                            rng.randint(55, 110))
    for athlete in tracker.athletes:
        strength = rng.uniform(0.6, 1.6) * athlete.bodyweight
        skip = rng.uniform(0.25, 0.6)
        for offset in range(DAYS):
            if rng.random() < skip:
                continue
            day = START + timedelta(days=offset)
            session = tracker.log_session(athlete.athlete_id.lower(), day, rng.randint(4, 9))
            progress = 1 + offset / DAYS * rng.uniform(0.0, 0.15)
            for lift in rng.sample(LIFTS, 3):
                for _ in range(rng.randint(3, 5)):
                    weight = round(strength * progress * rng.uniform(0.5, 0.9) / 2.5) * 2.5
                    # messy spellings, as typed on a phone
                    typed = rng.choice([lift, lift.lower(), lift.upper(), f" {lift} "])
                    tracker.add_set(session, typed, rng.randint(1, 12), weight)
            if rng.random() < 0.5:
                tracker.add_interval(session, rng.choice(CARDIO), rng.randint(10, 40),
                                     round(rng.uniform(1.5, 9.0), 2), rng.randint(3, 9))
    return tracker


def main() -> None:
    rng = random.Random(2024)
    tracker = build(rng)
    sets = sum(len(s.sets) for s in tracker.sessions)
    print(f"{len(tracker.athletes)} athletes, {len(tracker.sessions)} sessions, {sets} sets")
    boards = []
    for lift in LIFTS[:2]:
        boards.append(tracker.leaderboard(lift, top=5))
    boards.append(tracker.leaderboard("deadlift", top=3, relative=True))
    print(f"squat top {boards[0][:2]}")
    loads = [tracker.weekly_load(a.athlete_id) for a in tracker.athletes]
    print(f"weeks {len(loads[0])}, median week load {median([w[1] for w in loads[0]]):.1f}")
    streaks = [tracker.streaks(a.athlete_id, START + timedelta(days=DAYS - 1))
               for a in tracker.athletes]
    print(f"longest streak {max(s[1] for s in streaks)}")
    history = [tracker.record_history(a.athlete_id, "deadlift") for a in tracker.athletes[:8]]
    freq = [tracker.exercise_frequency(a.athlete_id)[:3] for a in tracker.athletes[:8]]
    summary = tracker.summary()
    print(summary[0])
    estimates = [estimate_1rm(100, reps, f) for reps in range(1, 13) for f in ("epley", "brzycki")]
    digest = hashlib.sha256(
        repr((boards, loads, streaks, history, freq, summary, estimates)).encode()
    ).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
