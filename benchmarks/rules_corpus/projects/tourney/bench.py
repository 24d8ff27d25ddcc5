"""Deterministic workload: several Swiss tournaments played out with simulated results."""

import hashlib
import random

from tourney import (
    Registry,
    Tournament,
    club_totals,
    crosstable,
    expected_score,
    leaders,
    pair_round,
    performance_rating,
    rating_changes,
    round_sheet,
    standings_table,
)

CLUBS = ["Knights", "Rooks", "Gambit", "Castle", "Endgame", ""]


def simulate(rng, white, black):
    e = expected_score(white.rating + 35, black.rating)
    draw = 0.18 + 0.12 * (1 - abs(e - 0.5) * 2)
    x = rng.random()
    if x < draw:
        return "1/2-1/2"
    if x < draw + (1 - draw) * e:
        return "1-0"
    return "0-1"


def play_event(rng, number, n_players, rounds, digest):
    reg = Registry()
    t = Tournament(f"Open {number}", reg, rounds)
    for i in range(n_players):
        name = f"Player{number}-{i:03d}"
        reg.add(name, rating=rng.randint(1100, 2450), club=rng.choice(CLUBS))
        t.enter(name)
    stats = {"games": 0, "white": 0, "black": 0, "draws": 0, "byes": 0}
    for rnd in range(1, rounds + 1):
        if rnd == rounds // 2 and n_players > 20:
            t.withdraw(t.entrants[rng.randrange(len(t.entrants))])
        boards = pair_round(t)
        for w, b in boards:
            res = simulate(rng, reg.get(w), reg.get(b))
            t.record_result(rnd, w, res)
            stats["games"] += 1
            key = {"1-0": "white", "0-1": "black", "1/2-1/2": "draws"}[res]
            stats[key] += 1
        stats["byes"] += sum(1 for g in t.round_games(rnd) if g[2] is None)
        digest.update(round_sheet(t, rnd).encode())
        digest.update(standings_table(t).encode())
    digest.update(crosstable(t).encode())
    perf = [performance_rating(t, n) for n in t.entrants]
    digest.update(repr(perf).encode())
    digest.update(repr(rating_changes(t)).encode())
    digest.update(repr(club_totals(t)).encode())
    return t, stats


def main():
    rng = random.Random(1851)
    digest = hashlib.sha256()
    totals = {"games": 0, "white": 0, "black": 0, "draws": 0, "byes": 0}
    events = [(40, 7), (50, 9), (36, 7), (44, 8), (30, 6)]
    for number, (n_players, rounds) in enumerate(events, start=1):
        t, stats = play_event(rng, number, n_players, rounds, digest)
        for k, v in stats.items():
            totals[k] += v
        top = leaders(t)
        rating_sum = sum(t.registry.get(n).rating for n in t.entrants)
        print(f"event {number}: players={n_players} rounds={rounds} games={stats['games']} "
              f"leaders={','.join(top)} rating_sum={rating_sum:.1f}")
    print("totals:", " ".join(f"{k}={v}" for k, v in sorted(totals.items())))
    print("digest:", digest.hexdigest()[:16])


if __name__ == "__main__":
    main()
