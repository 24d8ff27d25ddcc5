"""Tiebreaks and standings."""

from .games import opponent_in, points_for


def buchholz(t, name):
    return sum(t.score(o) for o in t.opponents(name))


def buchholz_cut1(t, name):
    scores = sorted(t.score(o) for o in t.opponents(name))
    return sum(scores[1:])


def sonneborn_berger(t, name):
    total = 0.0
    for g in t.games_of(name):
        if g[2] is None or g[3] is None:
            continue
        opp = opponent_in(g, name)
        total += points_for(g, name) * t.score(opp)
    return total


def progressive(t, name):
    total = 0.0
    for rnd in range(1, t.last_round() + 1):
        total += t.score(name, upto=rnd)
    return total


def tiebreak_key(t, name):
    return (
        t.score(name),
        buchholz(t, name),
        sonneborn_berger(t, name),
        progressive(t, name),
    )


def standings(t):
    """Rows for every entrant (withdrawn players included), best first.
    Players equal on score and all tiebreaks share a rank."""
    ranked = sorted(
        t.entrants,
        key=lambda n: (
            -t.score(n),
            -buchholz(t, n),
            -sonneborn_berger(t, n),
            -progressive(t, n),
            n,
        ),
    )
    rows = []
    for i, name in enumerate(ranked):
        key = tiebreak_key(t, name)
        if rows and rows[-1]["key"] == key:
            rank = rows[-1]["rank"]
        else:
            rank = i + 1
        rows.append(
            {
                "rank": rank,
                "name": name,
                "rating": t.registry.get(name).rating,
                "score": key[0],
                "buchholz": key[1],
                "sb": key[2],
                "progressive": key[3],
                "key": key,
            }
        )
    return rows


def leaders(t):
    rows = standings(t)
    if not rows:
        return []
    return [r["name"] for r in rows if r["score"] == rows[0]["score"]]
