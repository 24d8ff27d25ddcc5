"""Instant-runoff counting: eliminate the weakest candidate until someone has a majority."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ballots.cleaning import BallotError, check_candidates


def _prepare(ballots: Iterable[Sequence[str]], candidates: Iterable[str]):
    names = check_candidates(candidates)
    copied = []
    for ballot in ballots:
        if isinstance(ballot, str):
            raise BallotError(f"clean the ballot {ballot!r} first (see clean_ballots)")
        ballot = list(ballot)
        for name in ballot:
            if name not in names:
                raise BallotError(f"{name!r} is not standing")
        copied.append(ballot)
    return names, copied


def _choices(ballot: Sequence[str], continuing: Sequence[str]) -> Iterator[str]:
    for name in ballot:
        if name in continuing:
            yield name


def first_preferences(ballots: Sequence[Sequence[str]], name: str) -> int:
    """How many ballots rank ``name`` first."""
    return sum(1 for ballot in ballots if ballot and ballot[0] == name)


def _transfers(before: dict[str, list[int]], after: dict[str, list[int]], out: str):
    moved: dict[str, int] = {}
    lost = 0
    for index in before[out]:
        for name, pile in after.items():
            if index in pile:
                moved[name] = moved.get(name, 0) + 1
                break
        else:
            lost += 1
    return moved, lost


def instant_runoff(ballots: Iterable[Sequence[str]], candidates: Iterable[str]) -> dict:
    """Count clean ballots by instant runoff.

    Every round each ballot counts for its highest-ranked candidate still in the race. A
    candidate with more than half of those votes wins; otherwise the candidate with the fewest
    votes is eliminated, ties going out by fewest first preferences and then by name. The round
    in which someone is eliminated records where their ballots went in the next round.
    """
    names, ballots = _prepare(ballots, candidates)
    continuing = list(names)
    rounds: list[dict] = []
    before = None
    winner = None
    while True:
        piles: dict[str, list[int]] = {name: [] for name in continuing}
        exhausted = 0
        for index, ballot in enumerate(ballots):
            top = next(_choices(ballot, continuing), None)
            if top is None:
                exhausted += 1
            else:
                piles[top].append(index)
        if before is not None:
            last = rounds[-1]
            last["transfers"], last["exhausted_transfers"] = _transfers(
                before, piles, last["eliminated"])
        tallies = {name: len(piles[name]) for name in continuing}
        active = sum(tallies.values())
        rounds.append({"round": len(rounds) + 1, "tallies": tallies, "exhausted": exhausted,
                       "eliminated": None, "transfers": {}, "exhausted_transfers": 0})
        if active == 0:
            break
        leader = max(continuing, key=lambda name: tallies[name])
        if tallies[leader] * 2 > active:
            winner = leader
            break
        out = min(continuing, key=lambda name: (tallies[name], first_preferences(ballots, name),
                                                name.casefold(), name))
        rounds[-1]["eliminated"] = out
        continuing.remove(out)
        before = piles
    blank = sum(1 for ballot in ballots if not ballot)
    return {"winner": winner, "rounds": rounds, "ballots": len(ballots), "blank": blank,
            "candidates": names}


def elimination_order(result: dict) -> list[str]:
    """The candidates in the order they were eliminated."""
    return [r["eliminated"] for r in result["rounds"] if r["eliminated"] is not None]
