"""Grading policies: late penalties, letter-grade cutoffs and curves."""

from datetime import date, timedelta

from .stats import mean

ONE_DAY = timedelta(days=1)

DEFAULT_CUTOFFS = {
    "A": 93.0, "A-": 90.0, "B+": 87.0, "B": 83.0, "B-": 80.0, "C+": 77.0,
    "C": 73.0, "C-": 70.0, "D+": 67.0, "D": 63.0, "D-": 60.0, "F": 0.0,
}


class LatePolicy:
    """Takes `per_day` percentage points off for every day late, after `grace_days`.

    With `school_days_only` weekends are not counted.  Past `zero_after` days the
    work earns nothing.
    """

    def __init__(self, per_day=10.0, grace_days=0, zero_after=None, school_days_only=True):
        if per_day < 0 or grace_days < 0:
            raise ValueError("per_day and grace_days must not be negative")
        if zero_after is not None and zero_after < 0:
            raise ValueError("zero_after must not be negative")
        self.per_day = float(per_day)
        self.grace_days = grace_days
        self.zero_after = zero_after
        self.school_days_only = school_days_only

    def days_late(self, due, submitted):
        if submitted is None or submitted <= due:
            return 0
        if not self.school_days_only:
            return (submitted - due).days
        days = 0
        day = due
        while day < submitted:
            day += ONE_DAY
            if day.weekday() < 5:
                days += 1
        return days

    def penalty(self, days_late):
        """Fraction of the earned credit that is taken away."""
        if days_late < 0:
            raise ValueError("days_late must not be negative")
        counted = max(0, days_late - self.grace_days)
        if self.zero_after is not None and counted > self.zero_after:
            return 1.0
        return min(1.0, counted * self.per_day / 100.0)

    def apply(self, percent, due, submitted):
        return percent * (1.0 - self.penalty(self.days_late(due, submitted)))

    def __repr__(self):
        return (f"LatePolicy(per_day={self.per_day:g}, grace_days={self.grace_days}, "
                f"zero_after={self.zero_after}, school_days_only={self.school_days_only})")


class GradeScale:
    """Maps a percentage to a letter using minimum-percent cutoffs."""

    def __init__(self, cutoffs=None):
        cutoffs = dict(DEFAULT_CUTOFFS if cutoffs is None else cutoffs)
        if not cutoffs:
            raise ValueError("a grade scale needs at least one letter")
        for letter, cutoff in cutoffs.items():
            if not isinstance(letter, str) or not letter:
                raise TypeError("letters must be non-empty strings")
            if isinstance(cutoff, bool) or not isinstance(cutoff, (int, float)):
                raise TypeError(f"cutoff for {letter!r} must be a number")
        if len(set(cutoffs.values())) != len(cutoffs):
            raise ValueError("two letters share a cutoff")
        self.cutoffs = {k: float(v) for k, v in cutoffs.items()}

    def letters(self):
        return [k for k, _ in sorted(self.cutoffs.items(), key=lambda kv: kv[1], reverse=True)]

    def letter(self, percent):
        if percent is None:
            return "I"
        ordered = sorted(self.cutoffs.items(), key=lambda kv: kv[1], reverse=True)
        for letter, cutoff in ordered:
            if percent >= cutoff:
                return letter
        return ordered[-1][0]

    def points(self, letter):
        """Grade points on the usual 4.0 scale (A+ counts as 4.0)."""
        base = {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0}.get(letter[:1], 0.0)
        if base and letter.endswith("+") and letter[:1] != "A":
            base += 0.3
        elif base and letter.endswith("-"):
            base -= 0.3
        return round(base, 1)


def curve_offset(percents, target_mean):
    """Points to add to everyone so the class mean reaches the target; never negative."""
    if not percents:
        return 0.0
    return max(0.0, target_mean - mean(percents))


def apply_curve(percent, method, amount=0.0):
    if method == "add":
        if percent >= 100.0:
            return percent
        return min(100.0, percent + amount)
    if method == "sqrt":
        if percent <= 0.0 or percent >= 100.0:
            return percent
        return 10.0 * percent ** 0.5
    raise ValueError(f"unknown curve method {method!r}")


def school_days_between(start, end):
    """Weekdays after `start` up to and including `end`."""
    if not isinstance(start, date) or not isinstance(end, date):
        raise TypeError("dates required")
    return LatePolicy(school_days_only=True).days_late(start, end)
