"""Swiss pairings: score groups, no repeat opponents, colour balance."""

MAX_STEPS = 20000


def ranking_order(t):
    """Active players by score, then rating, then name."""
    return sorted(
        t.active_players(),
        key=lambda n: (-t.score(n), -t.registry.get(n).rating, n),
    )


def score_groups(t):
    """Map score -> players with that score, best first (in ranking order)."""
    groups = {}
    for name in ranking_order(t):
        groups.setdefault(t.score(name), []).append(name)
    return dict(sorted(groups.items(), key=lambda item: -item[0]))


def choose_bye(t, order):
    """The lowest ranked player who has not had a bye yet."""
    for name in reversed(order):
        if not t.had_bye(name):
            return name
    return order[-1]


def _due_colour(t, name):
    balance = t.colour_balance(name)
    if balance > 0:
        return "B"
    if balance < 0:
        return "W"
    return None


def _candidates(t, first, rest):
    """Opponents for ``first`` in order of preference: nearest score, then
    compatible colours, then ranking order."""
    s = t.score(first)
    due = _due_colour(t, first)
    return sorted(
        rest,
        key=lambda n: (
            abs(t.score(n) - s),
            1 if due is not None and _due_colour(t, n) == due else 0,
            rest.index(n),
        ),
    )


def _pair_players(t, order, steps):
    if not order:
        return []
    steps[0] += 1
    if steps[0] > MAX_STEPS:
        return None
    first = order[0]
    rest = order[1:]
    for cand in _candidates(t, first, rest):
        if t.has_played(first, cand):
            continue
        remaining = [n for n in rest if n != cand]
        sub = _pair_players(t, remaining, steps)
        if sub is not None:
            return [(first, cand)] + sub
    return None


def assign_colours(t, a, b):
    """Return (white, black) for the pair; ``a`` is the higher ranked player."""
    ba, bb = t.colour_balance(a), t.colour_balance(b)
    if ba != bb:
        return (a, b) if ba < bb else (b, a)
    ca, cb = t.colours(a), t.colours(b)
    for x, y in zip(reversed(ca), reversed(cb)):
        if x != y:
            return (a, b) if x == "B" else (b, a)
    return (a, b)


def pair_round(t, rnd=None):
    """Pair the next round, store the games and return the boards as
    (white, black) tuples. A bye, if any, is stored but not returned."""
    last = t.last_round()
    if rnd is None:
        rnd = last + 1
    if rnd > t.rounds:
        raise ValueError("all rounds have been paired")
    if last and not t.round_complete(last):
        raise ValueError(f"round {last} is not finished")
    if t.round_games(rnd):
        raise ValueError(f"round {rnd} already paired")
    order = ranking_order(t)
    if len(order) < 2:
        raise ValueError("need at least two active players")
    bye = None
    if len(order) % 2:
        bye = choose_bye(t, order)
        order = [n for n in order if n != bye]
    pairs = _pair_players(t, order, [0])
    if pairs is None:
        pairs = [(order[i], order[i + 1]) for i in range(0, len(order), 2)]
    boards = []
    for a, b in pairs:
        white, black = assign_colours(t, a, b)
        t.add_game(rnd, white, black)
        boards.append((white, black))
    if bye is not None:
        t.add_bye(rnd, bye)
    return boards
