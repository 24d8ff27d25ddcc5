"""Player registry and Elo rating updates."""

RESULTS = ("1-0", "0-1", "1/2-1/2")


class Player:
    def __init__(self, name, rating=1500, club=""):
        self.name = name
        self.rating = float(rating)
        self.initial_rating = float(rating)
        self.club = club
        self.games_played = 0
        self.history = []

    def __repr__(self):
        return f"Player({self.name!r}, {self.rating:.0f})"


class Registry:
    """All players known to the club, keyed by name."""

    def __init__(self):
        self.players = {}

    def add(self, name, rating=1500, club=""):
        if not isinstance(name, str) or not name.strip():
            raise ValueError("player name must be a non-empty string")
        name = name.strip()
        if name in self.players:
            raise ValueError(f"duplicate player: {name}")
        if rating < 0:
            raise ValueError("rating must not be negative")
        player = Player(name, rating, club)
        self.players[name] = player
        return player

    def get(self, name):
        if name not in self.players:
            raise KeyError(name)
        return self.players[name]

    def remove(self, name):
        if name not in self.players:
            raise KeyError(name)
        del self.players[name]

    def __contains__(self, name):
        return name in self.players

    def __len__(self):
        return len(self.players)

    def names(self):
        return sorted(self.players)

    def by_rating(self):
        return sorted(self.players.values(), key=lambda p: (-p.rating, p.name))

    def club_members(self, club):
        return sorted(p.name for p in self.players.values() if p.club == club)

    def average_rating(self, names=None):
        if names is None:
            names = list(self.players)
        if not names:
            return 0.0
        return sum(self.get(n).rating for n in names) / len(names)


def expected_score(rating_a, rating_b):
    return 1.0 / (1.0 + 10 ** ((rating_b - rating_a) / 400.0))


def k_factor(player):
    if player.games_played < 30:
        return 40
    if player.rating < 2400:
        return 20
    return 10


def result_points(result):
    """Return (white points, black points) for a result string."""
    if result == "1-0":
        return 1.0, 0.0
    if result == "0-1":
        return 0.0, 1.0
    if result == "1/2-1/2":
        return 0.5, 0.5
    raise ValueError(f"unknown result: {result!r}")


def apply_elo(white, black, result):
    """Update both players' ratings after a game; returns the two rating changes."""
    sw, sb = result_points(result)
    ew = expected_score(white.rating, black.rating)
    eb = expected_score(black.rating, white.rating)
    dw = round(k_factor(white) * (sw - ew), 1)
    db = round(k_factor(black) * (sb - eb), 1)
    white.rating = round(white.rating + dw, 1)
    black.rating = round(black.rating + db, 1)
    for p in (white, black):
        p.games_played += 1
        p.history.append(p.rating)
    return dw, db
