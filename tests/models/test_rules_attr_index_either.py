"""index-attribute on scans that take a record when any of several fields equals the probe
(`g[1] == name or g[2] == name`), and on fields that may hold None (a bye has no opponent):
before/after on random games, results, removals and lookups; refusals where the `or` does
not test one probe, or tests something besides keys."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

CLUB = """
class Club:
    def __init__(self):
        self.games = []

    def add(self, rnd, white, black):
        self.games.append((rnd, white, black, None))

    def result(self, rnd, white, outcome):
        for i, g in enumerate(self.games):
            if g[0] == rnd and g[1] == white:
                self.games[i] = (rnd, white, g[2], outcome)
                return True
        return False

    def drop(self, game):
        self.games.remove(game)

    def games_of(self, name, upto=None):
        return [
            g
            for g in self.games
            if (g[1] == name or g[2] == name) and (upto is None or g[0] <= upto)
        ]

    def first_of(self, name):
        for g in self.games:
            if g[2] == name or g[1] == name or g[2] == name:
                return g
        return None

    def opponents(self, name):
        return [g[2] for g in self.games if g[2] == name]
"""


def _pair() -> tuple[dict[str, Any], dict[str, Any]]:
    text = helpers.rewrite(CLUB, "index-attribute", "Club.games_of")
    assert text is not None
    return helpers.run_module(CLUB, "either_before"), helpers.run_module(text, "either_after")


BEFORE, AFTER = _pair()
NAMES: list[object] = ["ann", "bob", "cy", "dee", 1, 2, None, 1.0, True, ("ann",), "bob "]


def _replay(mod: dict[str, Any], ops: list[tuple[int, int, int, int]]) -> list[object]:
    club, out = mod["Club"](), []
    for op, a, b, c in ops:
        x, y = NAMES[a % len(NAMES)], NAMES[b % len(NAMES)]
        if op == 0:
            club.add(c % 4, x, None if b % 5 == 0 else y)
        elif op == 1:
            out.append(club.result(c % 4, x, "1-0"))
        elif op == 2 and club.games:
            game = club.games[c % len(club.games)]
            club.drop(game if a % 3 else tuple(game))  # an equal tuple, not the same one
        elif op == 3:
            out.append(club.games_of(x, None if c % 2 else c % 4))
        elif op == 4:
            out.append(club.first_of(x))
        else:
            out.append(club.opponents(x))
    out.append(list(club.games))
    return out


def test_a_scan_by_either_field_reads_one_index_of_both() -> None:
    text = helpers.rewrite(CLUB, "index-attribute", "Club.games_of")
    assert text is not None
    assert "self._games_index.candidates(self.games, (1, 2), name)" in text
    assert "self._games_index.candidates(self.games, (2, 1), name)" in text
    assert "self._games_index.candidates(self.games, 2, name)" in text
    assert "self._games_index.remove_from(self.games, game)" in text
    compile(text, "club.py", "exec")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*[st.integers(0, 40)] * 4), max_size=60))
def test_either_field_scans_take_the_same_games_in_the_same_order(
    ops: list[tuple[int, int, int, int]],
) -> None:
    assert _replay(BEFORE, ops) == _replay(AFTER, ops)


def test_a_long_random_tournament_is_the_same() -> None:
    rng = random.Random(7)
    ops = [tuple(rng.randrange(40) for _ in range(4)) for _ in range(3000)]
    assert _replay(BEFORE, ops) == _replay(AFTER, ops)  # type: ignore[arg-type]


def test_a_game_against_itself_is_listed_once() -> None:
    results = []
    for mod in (BEFORE, AFTER):
        club = mod["Club"]()
        club.add(1, "ann", "ann")
        club.add(2, "bob", "ann")
        results.append(club.games_of("ann"))
    assert results[0] == results[1] == [(1, "ann", "ann", None), (2, "bob", "ann", None)]


@pytest.mark.parametrize(
    "test",
    [
        "g[1] == name or g[2] == other",  # two probes
        "g[1] == name or g[2] != name",  # not a key test
        "g[1] == name or len(g) == 4",
        "g[1] == name and g[2] == name or g[0] == name",
    ],
)
def test_an_or_that_is_not_one_probe_against_keys_is_left_alone(test: str) -> None:
    source = f"""
class Club:
    def __init__(self):
        self.games = []

    def add(self, game):
        self.games.append(game)

    def find(self, name, other):
        return [g for g in self.games if {test}]
"""
    assert helpers.rewrite(source, "index-attribute", "Club.find") is None
