"""Double round-robin fixtures by the circle method."""

from __future__ import annotations


def round_robin(teams: list[str], double: bool = True) -> list[list[tuple[str, str]]]:
    """Rounds of (home, away) pairs; every team meets every other once (twice if double)."""
    if len(set(teams)) != len(teams):
        raise ValueError("team names must be unique")
    pool = list(teams)
    if len(pool) % 2:
        pool.append("")
    n = len(pool)
    rounds = []
    for r in range(n - 1):
        pairs = []
        for i in range(n // 2):
            home, away = pool[i], pool[n - 1 - i]
            if r % 2 == 1 and i == 0:
                home, away = away, home
            if home and away:
                pairs.append((home, away))
        rounds.append(pairs)
        pool = [pool[0], pool[-1]] + pool[1:-1]
    if double:
        rounds += [[(away, home) for home, away in pairs] for pairs in rounds]
    return rounds
