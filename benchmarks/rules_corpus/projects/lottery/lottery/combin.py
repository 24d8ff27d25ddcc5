"""Exact odds for k-from-n draws, with an optional bonus ball, as fractions."""

from __future__ import annotations

from fractions import Fraction


def factorial(n: int) -> int:
    if n < 0:
        raise ValueError("factorial of a negative number")
    if n < 2:
        return 1
    return n * factorial(n - 1)


def choose(n: int, k: int) -> int:
    if n < 0 or k < 0:
        raise ValueError("choose needs non-negative arguments")
    if k > n:
        return 0
    return factorial(n) // (factorial(k) * factorial(n - k))


def check_game(n: int, k: int) -> None:
    if k < 1 or n < k:
        raise ValueError(f"cannot draw {k} numbers from {n}")


def match_probability(n: int, k: int, matched: int, bonus: bool | None = None) -> Fraction:
    """Chance that a ticket of k numbers shares exactly `matched` with a draw of k from n.

    With `bonus` True (False) the bonus ball, drawn from the remaining n - k numbers, must
    (must not) be one of the ticket's unmatched numbers; None ignores the bonus ball.
    """
    check_game(n, k)
    if not 0 <= matched <= k:
        return Fraction(0)
    base = Fraction(choose(k, matched) * choose(n - k, k - matched), choose(n, k))
    if bonus is None:
        return base
    if n == k:
        raise ValueError("no numbers are left for a bonus ball")
    hit = Fraction(k - matched, n - k)
    return base * (hit if bonus else 1 - hit)


def tier_odds(n: int, k: int, tiers) -> list[tuple[str, Fraction]]:
    """(name, probability) for each prize tier (name, matched, bonus, prize)."""
    return [(name, match_probability(n, k, matched, bonus)) for name, matched, bonus, _ in tiers]


def any_prize_probability(n: int, k: int, tiers) -> Fraction:
    return sum((p for _, p in tier_odds(n, k, tiers)), Fraction(0))


def expected_return(n: int, k: int, tiers) -> Fraction:
    """Expected winnings of one line, in the same unit as the prizes."""
    odds = dict(tier_odds(n, k, tiers))
    return sum((odds[name] * prize for name, _, _, prize in tiers), Fraction(0))


def odds_text(p: Fraction) -> str:
    """'1 in N' with N rounded to a whole number (or to one decimal below 10)."""
    if p <= 0:
        return "never"
    ratio = 1 / Fraction(p)
    if ratio < 10:
        return f"1 in {float(ratio):.1f}"
    return f"1 in {round(ratio):,}"
