"""Workload: simulate a 24-team season with standings after every round; table and scorers.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from league import simulate_season, table_lines
from league.stats import elo_ratings, late_goals, top_scorers


def main() -> None:
    rng = random.Random(1899)
    teams = [f"{city} FC" for city in (
        "Aachen", "Bochum", "Celle", "Dessau", "Erfurt", "Fulda", "Gera", "Hagen", "Jena",
        "Kiel", "Lahr", "Mainz", "Neuss", "Oldenburg", "Passau", "Rostock", "Siegen", "Trier",
        "Ulm", "Worms", "Xanten", "Zwickau", "Bremen", "Essen")]
    strength = {team: rng.uniform(0.7, 1.4) for team in teams}
    squads = {team: [f"{team[:3]}-{n:02d}" for n in range(1, 23)] for team in teams}
    matches, leaders = simulate_season(teams, strength, squads, seed=5)
    table = table_lines(teams, matches)
    scorers = top_scorers(matches, 8)
    ratings = elo_ratings(teams, matches)
    changes = sum(1 for a, b in zip(leaders, leaders[1:]) if a != b)
    print(f"{len(matches)} matches, {sum(m.home_goals + m.away_goals for m in matches)} goals, "
          f"{late_goals(matches)} late")
    print(f"leader changes {changes}, final leader {leaders[-1]}")
    print("\n".join(table[:5]))
    print(f"scorers {scorers}")
    print(f"top elo {sorted(ratings.items(), key=lambda kv: -kv[1])[:3]}")
    print(f"table sha256 {hashlib.sha256(chr(10).join(table).encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
