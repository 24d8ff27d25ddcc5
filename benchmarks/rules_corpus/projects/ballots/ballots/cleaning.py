"""Turning what members wrote on their ballots into clean lists of candidate names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence


class BallotError(ValueError):
    """A ballot or a candidate list that cannot be counted."""


def normalize_name(name: str) -> str:
    """The comparison key for a name: trimmed, inner whitespace collapsed, case folded."""
    if not isinstance(name, str):
        raise BallotError(f"names must be strings, got {name!r}")
    return re.sub(r"\s+", " ", name.strip()).casefold()


def display_name(name: str) -> str:
    """A name as it should be printed: trimmed, inner whitespace collapsed, case kept."""
    return " ".join(name.split())


def check_candidates(candidates: Iterable[str]) -> list[str]:
    """Validate a list of candidates and return their display names, in the given order."""
    names = []
    keys = []
    for raw in candidates:
        key = normalize_name(raw)
        if not key:
            raise BallotError("a candidate name is blank")
        if key in keys:
            raise BallotError(f"candidate {raw!r} is listed twice")
        keys.append(key)
        names.append(display_name(raw))
    if not names:
        raise BallotError("there are no candidates")
    return names


def split_ballot(text: str) -> list[str]:
    """Split a ballot written on one line, e.g. ``"Ann > bob, Cy"``, into its entries."""
    return [part for part in re.split(r"[>,;|\n]", text) if part.strip()]


def resolve_name(raw: str, candidates: Sequence[str]) -> str | None:
    """The candidate ``raw`` refers to, or None when it names nobody standing."""
    key = normalize_name(raw)
    for name in candidates:
        if normalize_name(name) == key:
            return name
    return None


def clean_ballot(raw, candidates: Sequence[str], *, strict: bool = True) -> list[str]:
    """One ballot as a list of candidate names, best first.

    Blank entries are skipped and a name ranked twice only counts where it first appears.
    Unknown names raise BallotError, or are dropped when ``strict`` is false.
    """
    if isinstance(raw, str):
        raw = split_ballot(raw)
    elif not isinstance(raw, (list, tuple)):
        raise BallotError(f"a ballot must be a list of names or a line of text, got {raw!r}")
    picked: list[str] = []
    for entry in raw:
        if isinstance(entry, str) and not entry.strip():
            continue
        name = resolve_name(entry, candidates)
        if name is None:
            if strict:
                raise BallotError(f"{entry!r} is not a candidate")
            continue
        if name not in picked:
            picked.append(name)
    return picked


def iter_ballots(raw_ballots: Iterable, candidates: Iterable[str], *,
                 strict: bool = True) -> Iterator[list[str]]:
    """Clean ballots one at a time (see clean_ballot)."""
    names = check_candidates(candidates)
    for raw in raw_ballots:
        yield clean_ballot(raw, names, strict=strict)


def clean_ballots(raw_ballots: Iterable, candidates: Iterable[str], *,
                  strict: bool = True) -> list[list[str]]:
    """Clean every ballot; empty ballots are kept (they count as blank)."""
    return list(iter_ballots(raw_ballots, candidates, strict=strict))
