"""Workload: a club's annual elections, six offices counted by instant runoff and by Borda.

Ballots come in messy (stray spaces, mixed case, write-ins, a name ranked twice, some typed on
one line). Deterministic (fixed seeds); prints a summary of the results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from ballots import (
    borda_ranking,
    borda_scores,
    clean_ballots,
    elimination_order,
    instant_runoff,
    places,
    results_table,
    round_lines,
    summary,
)

FIRST = ["Ana", "Bruno", "Chloé", "Dmitri", "Eve", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi",
         "Lena", "Mateo", "Nadia", "Otto", "Priya", "Quinn", "Rosa", "Sven", "Tomás"]
LAST = ["Abbott", "Berg", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Horvat",
        "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "O'Brien", "Petrov"]
OFFICES = [("chair", 9, 2300), ("secretary", 11, 2600), ("treasurer", 8, 2000),
           ("events", 13, 2800), ("membership", 10, 2400), ("grounds", 12, 2500)]


def messy(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        name = name.lower()
    elif roll < 0.35:
        name = name.upper()
    if rng.random() < 0.3:
        name = name.replace(" ", "  " if rng.random() < 0.5 else " \t")
    return " " * rng.randint(0, 2) + name + " " * rng.randint(0, 2)


def make_ballots(candidates: list[str], voters: int, rng: random.Random) -> list:
    appeal = {name: rng.uniform(0.5, 3.0) for name in candidates}
    factions = [rng.sample(candidates, 3) for _ in range(4)]
    raw = []
    for _ in range(voters):
        if rng.random() < 0.01:
            raw.append([] if rng.random() < 0.5 else ["  "])
            continue
        bias = rng.choice(factions)
        weights = {name: appeal[name] * (2.5 if name in bias else 1.0) * rng.random()
                   for name in candidates}
        order = sorted(candidates, key=lambda name: -weights[name])
        length = min(len(order), max(1, int(rng.expovariate(0.3))))
        picked = [messy(name, rng) for name in order[:length]]
        if rng.random() < 0.05:
            picked.insert(rng.randint(0, len(picked)), f"{rng.choice(FIRST)} Write-In")
        if rng.random() < 0.04:
            picked.append(messy(picked[0].strip(), rng))
        if rng.random() < 0.03:
            picked.insert(rng.randint(0, len(picked)), "")
        if rng.random() < 0.2:
            raw.append(" > ".join(p for p in picked if p.strip()))
        else:
            raw.append(picked)
    return raw


def main() -> None:
    results = []
    for number, (office, size, voters) in enumerate(OFFICES):
        rng = random.Random(1000 + number)
        people = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(size * 3)})
        candidates = rng.sample(people, size)
        ballots = clean_ballots(make_ballots(candidates, voters, rng), candidates, strict=False)
        result = instant_runoff(ballots, candidates)
        scores = borda_scores(ballots, candidates)
        table = results_table(result, scores)
        lines = list(round_lines(result))
        top = borda_ranking(scores)[0]
        print(f"{office:<10} {summary(result)}")
        out = elimination_order(result)
        print(f"{'':<10} borda leader {top[0]} ({top[1]}), first out {out[0]}, last out {out[-1]}")
        results.append((office, result, scores, list(places(scores)), table, lines))
    print(results[0][4])
    print(results[-1][5][-1])
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
