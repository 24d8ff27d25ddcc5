"""The training log: athletes, their sessions, records, loads and leaderboards."""

from __future__ import annotations

from datetime import date, timedelta

from .models import (
    Athlete,
    CardioInterval,
    Category,
    Exercise,
    Session,
    SetEntry,
)
from .stats import mean


class Tracker:
    def __init__(self) -> None:
        self.athletes: list[Athlete] = []
        self.exercises: list[Exercise] = []
        self.sessions: list[Session] = []
        self._next_id = 1

    # -- registration -------------------------------------------------------------------

    def add_athlete(self, athlete_id: str, name: str, bodyweight: float) -> Athlete:
        athlete = Athlete(athlete_id, name, bodyweight)
        for existing in self.athletes:
            if existing.athlete_id == athlete.athlete_id:
                raise ValueError(f"duplicate athlete: {athlete.athlete_id}")
        self.athletes.append(athlete)
        return athlete

    def add_exercise(self, name: str, category: Category = Category.STRENGTH) -> Exercise:
        exercise = Exercise(name, category)
        for existing in self.exercises:
            if existing.key == exercise.key:
                raise ValueError(f"duplicate exercise: {name!r}")
        self.exercises.append(exercise)
        return exercise

    def athlete(self, athlete_id: str) -> Athlete:
        wanted = athlete_id.upper()
        for athlete in self.athletes:
            if athlete.athlete_id == wanted:
                return athlete
        raise KeyError(athlete_id)

    def exercise(self, name: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.matches(name):
                return exercise
        raise KeyError(name)

    # -- logging ------------------------------------------------------------------------

    def log_session(self, athlete_id: str, day: date, rpe: int = 5) -> Session:
        athlete = self.athlete(athlete_id)
        session = Session(self._next_id, athlete.athlete_id, day, rpe)
        self._next_id += 1
        self.sessions.append(session)
        return session

    def add_set(self, session: Session, exercise: str, reps: int, weight: float) -> SetEntry:
        found = self.exercise(exercise)
        if found.category is not Category.STRENGTH:
            raise ValueError(f"{found.name} is not a strength exercise")
        entry = SetEntry(found.name, reps, weight)
        session.sets.append(entry)
        return entry

    def add_interval(self, session: Session, exercise: str, minutes: float,
                     distance_km: float = 0.0, intensity: int = 5) -> CardioInterval:
        found = self.exercise(exercise)
        if found.category is Category.STRENGTH:
            raise ValueError(f"{found.name} is not a cardio exercise")
        interval = CardioInterval(found.name, minutes, distance_km, intensity)
        session.intervals.append(interval)
        return interval

    # -- queries ------------------------------------------------------------------------

    def sessions_for(self, athlete_id: str) -> list[Session]:
        athlete = self.athlete(athlete_id)
        found = [s for s in self.sessions if s.athlete_id == athlete.athlete_id]
        return sorted(found, key=lambda s: (s.day, s.session_id))

    def personal_records(self, athlete_id: str) -> dict[str, tuple[float, SetEntry, date]]:
        """Best estimated 1RM per exercise: name -> (e1rm, set, day). Earliest day wins ties."""
        records: dict[str, tuple[float, SetEntry, date]] = {}
        for session in self.sessions_for(athlete_id):
            for entry in session.sets:
                name = self.exercise(entry.exercise).name
                value = entry.one_rep_max
                if name not in records or value > records[name][0]:
                    records[name] = (value, entry, session.day)
        return records

    def record_history(self, athlete_id: str, exercise: str) -> list[tuple[date, float]]:
        """Days on which the athlete set a new best e1RM for the exercise."""
        name = self.exercise(exercise).name
        history: list[tuple[date, float]] = []
        best = 0.0
        for session in self.sessions_for(athlete_id):
            for entry in session.sets:
                if self.exercise(entry.exercise).name != name:
                    continue
                if entry.one_rep_max > best:
                    best = entry.one_rep_max
                    if history and history[-1][0] == session.day:
                        history[-1] = (session.day, best)
                    else:
                        history.append((session.day, best))
        return history

    def leaderboard(self, exercise: str, top: int = 10,
                    relative: bool = False) -> list[tuple[int, str, float]]:
        """(rank, athlete name, score) best first; equal scores share a rank, names break ties."""
        if top < 0:
            raise ValueError("top must not be negative")
        name = self.exercise(exercise).name
        scores: list[tuple[str, float]] = []
        for athlete in self.athletes:
            records = self.personal_records(athlete.athlete_id)
            if name not in records:
                continue
            score = records[name][0]
            if relative:
                score = round(score / athlete.bodyweight, 3)
            scores.append((athlete.name, score))
        scores.sort(key=lambda item: (-item[1], item[0]))
        board = []
        for athlete_name, score in scores:
            rank = 1 + sum(1 for _, other in scores if other > score)
            board.append((rank, athlete_name, score))
        return board[:top]

    def weekly_load(self, athlete_id: str) -> list[tuple[str, float]]:
        sessions = self.sessions_for(athlete_id)
        weeks: list[str] = []
        for session in sessions:
            if session.week not in weeks:
                weeks.append(session.week)
        result = []
        for week in sorted(weeks):
            total = 0.0
            for session in sessions:
                if session.week == week:
                    total += session.load
            result.append((week, round(total, 2)))
        return result

    def streaks(self, athlete_id: str, today: date | None = None) -> tuple[int, int]:
        """(current, longest) runs of consecutive training days.

        The current run ends on `today` or the day before it; without `today` it ends on
        the last training day."""
        days: list[date] = []
        for session in self.sessions_for(athlete_id):
            if session.day not in days:
                days.append(session.day)
        if not days:
            return 0, 0
        longest = 0
        for start in days:
            if start - timedelta(days=1) in days:
                continue
            length = 1
            while start + timedelta(days=length) in days:
                length += 1
            longest = max(longest, length)
        end = today if today is not None else days[-1]
        if end not in days:
            end = end - timedelta(days=1)
        current = 0
        while end - timedelta(days=current) in days:
            current += 1
        return current, longest

    def exercise_frequency(self, athlete_id: str) -> list[tuple[str, int]]:
        """How many sessions each exercise appears in, most frequent first."""
        counts: list[list] = []
        for session in self.sessions_for(athlete_id):
            for key in session.exercises():
                name = self.exercise(key).name
                for pair in counts:
                    if pair[0] == name:
                        pair[1] += 1
                        break
                else:
                    counts.append([name, 1])
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
        return [(name, count) for name, count in counts]

    def summary(self) -> list[str]:
        lines = []
        for athlete in sorted(self.athletes, key=lambda a: a.name):
            sessions = self.sessions_for(athlete.athlete_id)
            loads = [s.load for s in sessions]
            records = self.personal_records(athlete.athlete_id)
            best = max(records.items(), key=lambda item: (item[1][0], item[0]), default=None)
            best_text = f"{best[0]} {best[1][0]:.1f} kg" if best else "no lifts"
            lines.append(f"{athlete.name} ({athlete.initials}): {len(sessions)} sessions, "
                         f"avg load {mean(loads):.1f}, best {best_text}")
        return lines
