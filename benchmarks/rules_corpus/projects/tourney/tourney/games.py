"""The tournament: entrants and the flat list of games."""

from .players import apply_elo, result_points


def points_for(game, name):
    """Points scored by ``name`` in ``game`` (a pending game scores nothing)."""
    rnd, white, black, result = game
    if result is None:
        return 0.0
    if black is None:
        return 1.0 if white == name else 0.0
    sw, sb = result_points(result)
    if white == name:
        return sw
    if black == name:
        return sb
    return 0.0


def opponent_in(game, name):
    if game[1] == name:
        return game[2]
    if game[2] == name:
        return game[1]
    return None


class Tournament:
    """A Swiss tournament. Games are (round, white, black, result) tuples;
    a bye is stored as (round, name, None, "1-0")."""

    def __init__(self, name, registry, rounds):
        if rounds < 1:
            raise ValueError("a tournament needs at least one round")
        self.name = name
        self.registry = registry
        self.rounds = rounds
        self.entrants = []
        self.withdrawn = set()
        self.games = []

    def enter(self, name):
        self.registry.get(name)
        if name in self.entrants:
            raise ValueError(f"{name} already entered")
        self.entrants.append(name)

    def withdraw(self, name):
        if name not in self.entrants:
            raise KeyError(name)
        self.withdrawn.add(name)

    def active_players(self):
        return [n for n in self.entrants if n not in self.withdrawn]

    def _check_free(self, rnd, name):
        if name not in self.entrants:
            raise KeyError(name)
        for g in self.games:
            if g[0] == rnd and (g[1] == name or g[2] == name):
                raise ValueError(f"{name} already paired in round {rnd}")

    def add_game(self, rnd, white, black):
        if white == black:
            raise ValueError("a player cannot play himself")
        if rnd < 1 or rnd > self.rounds:
            raise ValueError(f"round {rnd} out of range")
        self._check_free(rnd, white)
        self._check_free(rnd, black)
        self.games.append((rnd, white, black, None))

    def add_bye(self, rnd, name):
        if rnd < 1 or rnd > self.rounds:
            raise ValueError(f"round {rnd} out of range")
        self._check_free(rnd, name)
        self.games.append((rnd, name, None, "1-0"))

    def record_result(self, rnd, white, result):
        result_points(result)
        for i, g in enumerate(self.games):
            if g[0] == rnd and g[1] == white:
                if g[2] is None:
                    raise ValueError("cannot record a result for a bye")
                if g[3] is not None:
                    raise ValueError("result already recorded")
                self.games[i] = (rnd, white, g[2], result)
                apply_elo(self.registry.get(white), self.registry.get(g[2]), result)
                return self.games[i]
        raise KeyError(f"no game with {white} as white in round {rnd}")

    def games_of(self, name, upto=None):
        return [
            g
            for g in self.games
            if (g[1] == name or g[2] == name) and (upto is None or g[0] <= upto)
        ]

    def score(self, name, upto=None):
        total = 0.0
        for g in self.games_of(name, upto):
            total += points_for(g, name)
        return total

    def opponents(self, name):
        return [opponent_in(g, name) for g in self.games_of(name) if g[2] is not None]

    def has_played(self, a, b):
        for g in self.games:
            if (g[1] == a and g[2] == b) or (g[1] == b and g[2] == a):
                return True
        return False

    def had_bye(self, name):
        return any(g[1] == name and g[2] is None for g in self.games)

    def colours(self, name):
        played = sorted(self.games_of(name), key=lambda g: g[0])
        return ["W" if g[1] == name else "B" for g in played if g[2] is not None]

    def colour_balance(self, name):
        cols = self.colours(name)
        return cols.count("W") - cols.count("B")

    def round_games(self, rnd):
        return [g for g in self.games if g[0] == rnd]

    def last_round(self):
        return max((g[0] for g in self.games), default=0)

    def round_complete(self, rnd):
        games = self.round_games(rnd)
        return bool(games) and all(g[3] is not None for g in games)

    def pending(self):
        return [g for g in self.games if g[3] is None]

    def result_between(self, a, b):
        for g in self.games:
            if g[1] == a and g[2] == b:
                return g[3]
            if g[1] == b and g[2] == a:
                return g[3]
        return None
