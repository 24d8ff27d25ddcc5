"""Borda counts: a point for every candidate ranked below you."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from ballots.cleaning import BallotError, check_candidates


def borda_scores(ballots: Iterable[Sequence[str]], candidates: Iterable[str]) -> dict[str, int]:
    """Points per candidate: with n candidates, the name in position p earns n - 1 - p.

    A name ranked twice scores only where it first appears; unranked candidates get nothing.
    """
    names = check_candidates(candidates)
    size = len(names)
    scores = {name: 0 for name in names}
    for ballot in ballots:
        if isinstance(ballot, str):
            raise BallotError(f"clean the ballot {ballot!r} first (see clean_ballots)")
        for name in ballot:
            if name not in scores:
                raise BallotError(f"{name!r} is not standing")
        for name in names:
            if name in ballot:
                scores[name] += size - 1 - ballot.index(name)
    return scores


def borda_ranking(scores: dict[str, int]) -> list[tuple[str, int]]:
    """Candidates by points, most first; equal points in name order."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))


def places(scores: dict[str, int]) -> Iterator[tuple[int, str, int]]:
    """(place, name, points) in ranking order; equal points share a place (1, 2, 2, 4)."""
    previous = None
    place = 0
    for position, (name, points) in enumerate(borda_ranking(scores), start=1):
        if points != previous:
            place = position
            previous = points
        yield place, name, points


def position_counts(ballots: Iterable[Sequence[str]], name: str) -> list[int]:
    """How often ``name`` was ranked 1st, 2nd, 3rd, ... (trailing zeros trimmed)."""
    counts = Counter()
    for ballot in ballots:
        if name in ballot:
            counts[ballot.index(name)] += 1
    if not counts:
        return []
    return [counts[p] for p in range(max(counts) + 1)]
