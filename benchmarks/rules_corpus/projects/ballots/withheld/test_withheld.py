import copy
import random

import pytest

from ballots import (
    BallotError,
    borda_scores,
    check_candidates,
    clean_ballot,
    clean_ballots,
    elimination_order,
    first_preferences,
    instant_runoff,
    iter_ballots,
    places,
    position_counts,
    results_table,
    round_lines,
    summary,
)


def brute_clean(raw, candidates, strict=True):
    def key(text):
        return " ".join(text.split()).casefold()

    names = [" ".join(c.split()) for c in candidates]
    if isinstance(raw, str):
        raw = [p for p in raw.replace(">", ",").replace(";", ",").replace("|", ",")
               .replace("\n", ",").split(",")]
    out = []
    for entry in raw:
        if not entry.strip():
            continue
        match = [n for n in names if key(n) == key(entry)]
        if not match:
            if strict:
                raise BallotError(entry)
            continue
        if match[0] not in out:
            out.append(match[0])
    return out


def brute_irv(ballots, names):
    continuing = list(names)
    first = {n: sum(1 for b in ballots if b and b[0] == n) for n in names}
    rounds = []
    holders_before = None
    while True:
        holders = []
        for b in ballots:
            top = [n for n in b if n in continuing]
            holders.append(top[0] if top else None)
        tallies = {n: holders.count(n) for n in continuing}
        if holders_before is not None:
            out = rounds[-1]["eliminated"]
            moved = {}
            lost = 0
            for old, new in zip(holders_before, holders, strict=True):
                if old == out:
                    if new is None:
                        lost += 1
                    else:
                        moved[new] = moved.get(new, 0) + 1
            rounds[-1]["transfers"] = moved
            rounds[-1]["exhausted_transfers"] = lost
        active = sum(tallies.values())
        rounds.append({"round": len(rounds) + 1, "tallies": tallies,
                       "exhausted": holders.count(None), "eliminated": None,
                       "transfers": {}, "exhausted_transfers": 0})
        if active == 0:
            return None, rounds
        for n in continuing:
            if tallies[n] * 2 > active:
                return n, rounds
        out = sorted(continuing, key=lambda n: (tallies[n], first[n], n.casefold(), n))[0]
        rounds[-1]["eliminated"] = out
        continuing.remove(out)
        holders_before = holders


def brute_borda(ballots, names):
    scores = dict.fromkeys(names, 0)
    for b in ballots:
        seen = set()
        for pos, n in enumerate(b):
            if n not in seen:
                seen.add(n)
                scores[n] += len(names) - 1 - pos
    return scores


def random_election(rng, size, voters, dupes=True):
    names = [f"Cand {chr(65 + i)}{rng.randint(0, 9)}" for i in range(size)]
    ballots = []
    for _ in range(voters):
        length = rng.randint(0, size)
        b = rng.sample(names, length)
        if dupes and b and rng.random() < 0.1:
            b.insert(rng.randint(0, len(b)), rng.choice(b))
        ballots.append(b)
    return names, ballots


def test_no_ballots_and_only_blank_ballots():
    for ballots in ([], [[], []]):
        result = instant_runoff(ballots, ["Zoe", "Abe"])
        assert result["winner"] is None
        assert len(result["rounds"]) == 1
        assert result["rounds"][0]["tallies"] == {"Zoe": 0, "Abe": 0}
        assert result["blank"] == len(ballots)
        assert summary(result).startswith("No winner: 0 of")
        assert "Zoe" in results_table(result)
    assert borda_scores([], ["Zoe", "Abe"]) == {"Zoe": 0, "Abe": 0}
    assert clean_ballots([], ["Zoe"]) == []
    assert position_counts([], "Zoe") == []


def test_full_ties_eliminate_by_first_preferences_then_name():
    names = ["cy", "Bea", "dee", "eve", "abe"]
    ballots = [["abe", "dee"], ["Bea"], ["Bea"], ["cy"], ["cy"], ["cy"], ["dee"], ["eve"]]
    result = instant_runoff(ballots, names)
    winner, rounds = brute_irv(ballots, names)
    assert result["rounds"] == rounds and result["winner"] == winner == "cy"
    assert elimination_order(result) == ["abe", "eve", "dee"]
    two = instant_runoff([["X"], ["Y"]], ["Y", "X"])
    assert elimination_order(two) == ["X"] and two["winner"] == "Y"
    even = instant_runoff([["b", "a"], ["a", "b"]], ["b", "a"])
    assert elimination_order(even) == ["a"] and even["winner"] == "b"


def test_unicode_names_and_casefolding():
    cands = ["Émile Zola", "Jürgen Groß", "李 小龍"]
    raw = ["  émile   zola ", "JÜRGEN GROSS", "李   小龍", "jürgen\tgroß"]
    assert clean_ballot(raw, cands) == ["Émile Zola", "Jürgen Groß", "李 小龍"]
    with pytest.raises(BallotError):
        check_candidates(["Straße", "STRASSE"])
    assert clean_ballot("李 小龍 > ÉMILE ZOLA", cands) == ["李 小龍", "Émile Zola"]


def test_inputs_are_not_mutated():
    rng = random.Random(5)
    names, ballots = random_election(rng, 6, 200)
    raw = [[f"  {n.upper()} " for n in b] + [""] for b in ballots]
    cands = [f" {n} " for n in names]
    keep_raw, keep_cands, keep_ballots = copy.deepcopy((raw, cands, ballots))
    cleaned = clean_ballots(raw, cands)
    result = instant_runoff(ballots, cands)
    borda_scores(ballots, cands)
    list(round_lines(result))
    results_table(result, borda_scores(ballots, names))
    assert (raw, cands, ballots) == (keep_raw, keep_cands, keep_ballots)
    assert cleaned == [list(dict.fromkeys(b)) for b in ballots]


def test_bad_input_raises():
    cands = ["Ann", "Bob"]
    for bad in ([3], [["Ann"]], [None], [-1], ["Ann", 2.5]):
        with pytest.raises(BallotError):
            clean_ballot(bad, cands)
        with pytest.raises(BallotError):
            clean_ballots([["Bob"], bad], cands, strict=False)
    with pytest.raises(BallotError):
        clean_ballots([42], cands)
    with pytest.raises(BallotError):
        clean_ballots([["ann"], ["Cy"]], cands)
    with pytest.raises(BallotError):
        instant_runoff([["Ann"], ["ann"]], cands)
    with pytest.raises(BallotError):
        instant_runoff(["Ann"], cands)
    with pytest.raises(BallotError):
        borda_scores([["Ann", "Cy"]], cands)
    with pytest.raises(BallotError):
        instant_runoff([], [])
    with pytest.raises(BallotError):
        instant_runoff([], ["Ann", " ann"])
    with pytest.raises(BallotError):
        clean_ballots([], ["Ann", "   "])


def test_random_runoffs_match_brute_force():
    rng = random.Random(11)
    for trial in range(40):
        names, ballots = random_election(rng, rng.randint(1, 7), rng.randint(0, 120))
        if trial % 3 == 0:
            ballots = [b[:1] for b in ballots]
        result = instant_runoff(ballots, names)
        winner, rounds = brute_irv(ballots, names)
        assert result["winner"] == winner
        assert [list(r["transfers"].items()) for r in result["rounds"]] == \
            [list(r["transfers"].items()) for r in rounds]
        assert result["rounds"] == rounds
        assert result["blank"] == sum(1 for b in ballots if not b)
        for n in names:
            assert first_preferences(ballots, n) == rounds[0]["tallies"][n]


def test_random_borda_and_places_match_brute_force():
    rng = random.Random(12)
    for _ in range(30):
        names, ballots = random_election(rng, rng.randint(1, 8), rng.randint(0, 80))
        scores = borda_scores(ballots, names)
        assert scores == brute_borda(ballots, names)
        ranked = list(places(scores))
        assert [p for p, _, _ in ranked] == [
            1 + sum(1 for v in scores.values() if v > pts) for _, _, pts in ranked]


def test_random_messy_cleaning_matches_brute_force():
    rng = random.Random(13)
    names = ["Ann Lee", "Bob  Ray", "Cy Moss", "Dana Ö", "Eve"]
    pool = names + ["ann lee", " BOB RAY", "cy\tmoss ", "DANA ö", "  eve", "Zed", "Ann", ""]
    raw = []
    for _ in range(400):
        entries = [rng.choice(pool) for _ in range(rng.randint(0, 7))]
        raw.append(" > ".join(entries) if rng.random() < 0.3 else entries)
    assert clean_ballots(raw, names, strict=False) == [brute_clean(r, names, False) for r in raw]
    assert list(iter_ballots(iter(raw), names, strict=False)) == \
        [brute_clean(r, names, False) for r in raw]
    strict_pool = [p for p in pool if p not in ("Zed", "Ann")]
    good = [[rng.choice(strict_pool) for _ in range(rng.randint(0, 7))] for _ in range(200)]
    assert clean_ballots(good, names) == [brute_clean(r, names) for r in good]


def test_mutating_between_calls():
    cands = ["Ann", "Bob"]
    raw = [["ann", "cy"], ["CY", "bob"]]
    assert clean_ballots(raw, cands, strict=False) == [["Ann"], ["Bob"]]
    cands.append("Cy")
    assert clean_ballots(raw, cands, strict=False) == [["Ann", "Cy"], ["Cy", "Bob"]]
    raw[0][0] = "bob"
    assert clean_ballots(raw, cands) == [["Bob", "Cy"], ["Cy", "Bob"]]
    ballots = [["Ann"], ["Ann"], ["Bob"]]
    assert instant_runoff(ballots, cands)["winner"] == "Ann"
    ballots[0][0] = "Cy"
    ballots.append(["Bob"])
    again = instant_runoff(ballots, cands)
    assert again["winner"] == "Bob"
    assert again["rounds"][0]["tallies"] == {"Ann": 1, "Bob": 2, "Cy": 1}
    assert borda_scores(ballots, cands) == {"Ann": 2, "Bob": 4, "Cy": 2}


def test_repeated_names_and_generators():
    ballots = [("A", "A", "B"), ("B", "B"), ("C", "A", "C", "B")]
    result = instant_runoff((b for b in ballots), ["A", "B", "C"])
    winner, rounds = brute_irv([list(b) for b in ballots], ["A", "B", "C"])
    assert (result["winner"], result["rounds"]) == (winner, rounds)
    assert borda_scores(iter(ballots), ["A", "B", "C"]) == \
        brute_borda(ballots, ["A", "B", "C"])
    assert position_counts(ballots, "A") == [1, 1]
    assert clean_ballot(("a", "A ", " b", "a"), ["A", "B"]) == ["A", "B"]
