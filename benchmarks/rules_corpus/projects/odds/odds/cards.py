"""Card hands: enumerate every hand from a deck and count the ones that qualify."""

from __future__ import annotations

RANKS = "23456789TJQKA"
SUITS = "cdhs"
DECK = [rank + suit for suit in SUITS for rank in RANKS]


def combinations(items, size):
    """Every `size`-subset of `items`, in lexicographic order of positions."""
    if size == 0:
        yield []
        return
    for i in range(len(items) - size + 1):
        for rest in combinations(items[i + 1 :], size - 1):
            yield [items[i]] + rest


def rank_counts(hand):
    ranks = [card[0] for card in hand]
    counts = []
    for rank in ranks:
        counts.append(ranks.count(rank))
    return counts


def has_pair(hand):
    return max(rank_counts(hand)) >= 2


def is_three_of_a_kind(hand):
    return max(rank_counts(hand)) >= 3


def is_flush(hand):
    suits = [card[1] for card in hand]
    return all(s == suits[0] for s in suits)


def is_straight(hand):
    values = sorted(RANKS.index(card[0]) for card in hand)
    if len(set(values)) != len(values):
        return False
    if values == [0, 1, 2, 3, 12]:
        return True
    return values[-1] - values[0] == len(values) - 1


def count_hands(deck, size, predicate):
    count = 0
    total = 0
    for hand in combinations(deck, size):
        total += 1
        if predicate(hand):
            count += 1
    return count, total


def short_deck(lowest="9"):
    start = RANKS.index(lowest)
    return [card for card in DECK if RANKS.index(card[0]) >= start]
