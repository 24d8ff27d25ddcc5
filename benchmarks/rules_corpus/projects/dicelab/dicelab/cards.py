"""Card-hand probabilities for a deck described by how many cards of each kind it holds."""

from fractions import Fraction
from itertools import product

RANKS = "A23456789TJQK"
SUITS = "SHDC"


def factorial(n):
    if n < 0:
        raise ValueError(f"factorial of a negative number: {n}")
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


def combinations(n, k):
    """Number of ways to choose k cards out of n."""
    if k < 0 or k > n:
        return 0
    return factorial(n) // (factorial(k) * factorial(n - k))


class Deck:
    """A deck of cards grouped by kind (a suit, a rank, a resource, a colour...)."""

    def __init__(self, counts=None):
        self._counts = {}
        for kind, n in (counts or {}).items():
            self.add(kind, n)

    @classmethod
    def standard(cls, by="suit"):
        if by == "suit":
            return cls({suit: 13 for suit in SUITS})
        if by == "rank":
            return cls({rank: 4 for rank in RANKS})
        raise ValueError(f"a standard deck is grouped by 'suit' or 'rank', not {by!r}")

    @classmethod
    def parse(cls, text):
        """Build a deck from text such as 'wood:19, brick:19, desert:1'."""
        deck = cls()
        for part in text.split(","):
            if not part.strip():
                continue
            kind, sep, n = part.partition(":")
            if not sep or not kind.strip():
                raise ValueError(f"expected 'kind:count', got {part.strip()!r}")
            try:
                deck.add(kind.strip(), int(n))
            except ValueError as exc:
                raise ValueError(f"bad count in {part.strip()!r}") from exc
        return deck

    def add(self, kind, n=1):
        if n < 0:
            raise ValueError(f"cannot add a negative number of cards: {n}")
        self._counts[kind] = self._counts.get(kind, 0) + n

    def remove(self, kind, n=1):
        have = self._counts.get(kind, 0)
        if n > have:
            raise ValueError(f"cannot remove {n} {kind!r} card(s), deck holds {have}")
        self._counts[kind] = have - n

    def count(self, kind):
        return self._counts.get(kind, 0)

    @property
    def size(self):
        return sum(self._counts.values())

    def kinds(self):
        return [kind for kind, n in self._counts.items() if n > 0]

    def cards(self):
        """Every card in the deck, one list entry per card."""
        out = []
        for kind, n in self._counts.items():
            out.extend([kind] * n)
        return out

    def copy(self):
        return Deck(self._counts)

    def __len__(self):
        return self.size

    def __repr__(self):
        inside = ", ".join(f"{kind}:{n}" for kind, n in self._counts.items() if n)
        return f"Deck({inside})"


def _check_hand(deck, hand_size):
    if hand_size < 0:
        raise ValueError(f"hand size must not be negative, got {hand_size}")
    if hand_size > deck.size:
        raise ValueError(f"cannot draw {hand_size} cards from a deck of {deck.size}")


def hypergeometric(population, successes, draws, k):
    """P(exactly k successes) when drawing `draws` cards without replacement."""
    if not 0 <= successes <= population or not 0 <= draws <= population:
        raise ValueError("successes and draws must lie between 0 and the population")
    ways = combinations(successes, k) * combinations(population - successes, draws - k)
    return Fraction(ways, combinations(population, draws))


def prob_exactly(deck, kind, hand_size, k):
    _check_hand(deck, hand_size)
    return hypergeometric(deck.size, deck.count(kind), hand_size, k)


def prob_at_least(deck, kind, hand_size, k):
    _check_hand(deck, hand_size)
    total = Fraction(0)
    for i in range(max(k, 0), hand_size + 1):
        total += prob_exactly(deck, kind, hand_size, i)
    return total


def _hand_chance(deck, kinds, drawn, others, hand_size):
    ways = combinations(others, hand_size - sum(drawn))
    for kind, k in zip(kinds, drawn):
        ways *= combinations(deck.count(kind), k)
    return Fraction(ways, combinations(deck.size, hand_size))


def prob_all(deck, needs, hand_size):
    """P(a hand holds at least needs[kind] cards of every listed kind)."""
    _check_hand(deck, hand_size)
    kinds = list(needs)
    for kind in kinds:
        if needs[kind] < 0:
            raise ValueError(f"need for {kind!r} must not be negative, got {needs[kind]}")
    others = deck.size - sum(deck.count(kind) for kind in kinds)
    ranges = [range(needs[kind], min(deck.count(kind), hand_size) + 1) for kind in kinds]
    total = Fraction(0)
    for drawn in product(*ranges):
        if sum(drawn) > hand_size:
            continue
        total += _hand_chance(deck, kinds, drawn, others, hand_size)
    return total


def prob_in_order(deck, sequence):
    """P(the first cards drawn are exactly the kinds of `sequence`, in that order)."""
    _check_hand(deck, len(sequence))
    remaining = dict((kind, deck.count(kind)) for kind in set(sequence))
    size = deck.size
    chance = Fraction(1)
    for kind in sequence:
        if remaining[kind] == 0:
            return Fraction(0)
        chance *= Fraction(remaining[kind], size)
        remaining[kind] -= 1
        size -= 1
    return chance
