"""Workload: the odds newsletter: poker hand counts on a short deck, dice and binomial tables.

Deterministic; prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib

from odds import binomial_cdf, choose, derangements, multinomial, poisson_pmf
from odds.cards import count_hands, has_pair, is_flush, is_straight, is_three_of_a_kind, short_deck
from odds.dice import probability_at_least, sum_distribution
from odds.lottery import newsletter


def main() -> None:
    deck = short_deck("9")
    counts = {}
    for name, predicate in (("pair", has_pair), ("trips", is_three_of_a_kind),
                            ("flush", is_flush), ("straight", is_straight)):
        counts[name] = count_hands(deck, 5, predicate)
    dist = sum_distribution(6, 6)
    at_least = [round(probability_at_least(4, 6, t), 5) for t in range(4, 25, 4)]
    table = []
    for n in range(20, 301, 10):
        table.append(round(binomial_cdf(n, n // 3, 0.37), 6))
    poisson = [round(poisson_pmf(12.5, k), 6) for k in range(0, 60)]
    letters = newsletter()
    print(f"short deck {len(deck)} cards, hands {counts}")
    print(f"6d6 most likely {max(dist, key=dist.get)} ({dist[21]} of {sum(dist.values())})")
    print(f"4d6 at least {at_least}")
    print(f"binomial cdf {table[:5]} ... {table[-3:]}")
    print(f"poisson peak {max(poisson)} choose(300,150) digits {len(str(choose(300, 150)))}")
    print(f"derangements(24) {derangements(24)} multinomial {multinomial([4, 4, 4, 4])}")
    print(f"newsletter {len(letters)} lines, sha256 "
          f"{hashlib.sha256(chr(10).join(letters).encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
