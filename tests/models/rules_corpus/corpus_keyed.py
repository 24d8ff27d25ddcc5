"""Corpus for hoist-per-key (and expose-callee-work ahead of it): a pure call repeated for
every value of an inner loop's variable, once per iteration of an outer loop. Keys come in
mixed types (1 == 1.0 == True, None, tuples, NaN), helpers raise for some of them, and the
results are shared, copied or changed by their users."""

from __future__ import annotations


def scores_for(table, subject):
    """`[(student, score), ...]` of one subject, best first (a missing mark raises)."""
    rows = [(student, marks[subject]) for student, marks in table.items() if subject in marks]
    return sorted(rows, key=lambda row: (-row[1], str(row[0])))


def ranked(scores):
    """`[(student, score, rank), ...]`, equal scores sharing a rank."""
    out = []
    previous = None
    for position, (student, score) in enumerate(scores, 1):
        rank = out[-1][2] if out and score == previous else position
        previous = score
        out.append((student, score, rank))
    return out


def class_place(table, subject, student):
    """`(rank, class size)` of one student in one subject: ranks the whole class."""
    order = ranked(scores_for(table, subject))
    for who, _score, rank in order:
        if who == student:
            return rank, len(order)
    raise KeyError(student)


def class_places(table):
    """Every student's place in each of their subjects (a comprehension per student)."""
    out = {}
    for student, marks in table.items():
        out[student] = {subject: class_place(table, subject, student) for subject in marks}
    return out


def mean_of(table, subject):
    values = [marks[subject] for marks in table.values() if subject in marks]
    if not values:
        raise ValueError(f"no marks in {subject!r}")
    return sum(values) / len(values)


def above_mean(table, subjects):
    """For loops: (student, subject) pairs above the subject's mean; `mean_of` per subject."""
    found = []
    for student, marks in table.items():
        for subject in subjects:
            if subject in marks and marks[subject] > mean_of(table, subject):
                found.append((student, subject))  # noqa: PERF401
    return found


def padded_rows(table, subjects, width):
    """The result is changed by its user (a copy must stand for it each time)."""
    out = []
    for _ in range(width):
        for subject in subjects:
            rows = scores_for(table, subject)
            rows.append(("-", 0))
            out.append(len(rows))
    return out


def grid_of(table, subject):
    return [[who, score] for who, score in scores_for(table, subject)]


def grids(table, subjects):
    """Rows of new lists, kept by their user: a kept result would share them across uses
    (the count of rows shared between grids would grow)."""
    out = []
    for student in table:
        for subject in subjects:
            rows = grid_of(table, subject)
            rows.append([student, 0])
            out.append(rows)
    return out, sum(1 for a in out for b in out if a[0] is b[0])


def tags(keys, rounds):
    """Keys that are equal but not the same value (1, 1.0, True) must not share."""
    out = []
    for _ in range(rounds):
        out.append([repr_key(k) for k in keys])  # noqa: PERF401
    return out


def repr_key(k):
    return f"{type(k).__name__}:{k!r}"


def _share(x):
    """1 / x, rounded (raises for 0 and for text)."""
    return round(1 / x, 6)


def bisect_power(xs, rounds):
    """The k in [0, 4] where the shares to the power k sum closest to 1: a pass per round."""
    low, high = 0.0, 4.0
    k = 1.0
    for _ in range(rounds):
        k = (low + high) / 2
        total = sum(_share(x) ** k for x in xs)
        if total > 1.0:
            low = k
        else:
            high = k
    return k


def any_over(xs, limits: list):
    """For each limit, whether some share passes it (a pass stops at the first)."""
    found = []
    for limit in limits:
        found.append(any(_share(x) > limit for x in xs))  # noqa: PERF401
    return found


def weighted_totals(xs, weights: list):
    """The shares' total under each weight, by a `for` statement over the elements."""
    out = []
    for w in weights:
        total = 0
        for x in xs:
            total += _share(x) * w
        out.append(total)
    return out
