"""Text output: standings table, crosstable, round sheets."""

from .games import opponent_in, points_for
from .tiebreaks import standings


def fmt_points(x):
    whole = int(x)
    if x - whole == 0.5:
        return f"{whole}.5"
    return f"{whole}"


def standings_table(t):
    lines = [f"{t.name} - standings after round {t.last_round()}"]
    lines.append(f"{'#':>3} {'Name':<20} {'Rtg':>6} {'Pts':>5} {'BH':>6} {'SB':>7} {'Prog':>6}")
    for row in standings(t):
        lines.append(
            f"{row['rank']:>3} {row['name']:<20} {row['rating']:>6.0f} "
            f"{fmt_points(row['score']):>5} {row['buchholz']:>6.1f} "
            f"{row['sb']:>7.2f} {row['progressive']:>6.1f}"
        )
    return "\n".join(lines)


def _cell(t, order, name, rnd):
    game = None
    for g in t.games:
        if g[0] == rnd and (g[1] == name or g[2] == name):
            game = g
            break
    if game is None:
        return "  -  "
    if game[2] is None:
        return " BYE "
    opp = opponent_in(game, name)
    colour = "w" if game[1] == name else "b"
    if game[3] is None:
        mark = "?"
    else:
        pts = points_for(game, name)
        mark = "1" if pts == 1.0 else ("0" if pts == 0.0 else "=")
    return f"{order.index(opp) + 1:>3}{colour}{mark}"


def crosstable(t):
    rows = standings(t)
    order = [r["name"] for r in rows]
    last = t.last_round()
    header = f"{'#':>3} {'Name':<20}" + "".join(f"{'R' + str(r):>6}" for r in range(1, last + 1))
    lines = [header + "   Pts"]
    for i, row in enumerate(rows):
        cells = " ".join(_cell(t, order, row["name"], rnd) for rnd in range(1, last + 1))
        lines.append(f"{i + 1:>3} {row['name']:<20} {cells}  {fmt_points(row['score']):>4}")
    return "\n".join(lines)


def round_sheet(t, rnd):
    lines = [f"Round {rnd}"]
    board = 0
    for g in t.round_games(rnd):
        if g[2] is None:
            continue
        board += 1
        res = g[3] if g[3] is not None else "-"
        lines.append(
            f"{board:>3}. {g[1]} ({fmt_points(t.score(g[1], upto=rnd - 1))}) - "
            f"{g[2]} ({fmt_points(t.score(g[2], upto=rnd - 1))})  {res}"
        )
    for g in t.round_games(rnd):
        if g[2] is None:
            lines.append(f"     {g[1]} bye")
    return "\n".join(lines)


def performance_rating(t, name):
    """Average opponent rating plus 400*(wins-losses)/games; None without games."""
    played = [g for g in t.games_of(name) if g[2] is not None and g[3] is not None]
    if not played:
        return None
    opp_total = 0.0
    balance = 0.0
    for g in played:
        opp = opponent_in(g, name)
        opp_total += t.registry.get(opp).rating
        pts = points_for(g, name)
        balance += 1 if pts == 1.0 else (-1 if pts == 0.0 else 0)
    return round(opp_total / len(played) + 400 * balance / len(played), 1)


def rating_changes(t):
    rows = []
    for name in t.entrants:
        p = t.registry.get(name)
        rows.append((name, p.initial_rating, p.rating, round(p.rating - p.initial_rating, 1)))
    return sorted(rows, key=lambda r: (-r[3], r[0]))


def club_totals(t):
    totals = {}
    for name in t.entrants:
        club = t.registry.get(name).club or "-"
        totals[club] = totals.get(club, 0.0) + t.score(name)
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
