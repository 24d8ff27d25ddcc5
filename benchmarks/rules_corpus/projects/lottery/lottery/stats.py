"""Frequency, gap and pairing statistics over a history of draws."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations


def frequencies(draws, n: int) -> dict[int, int]:
    """How many draws each number 1..n appeared in (main balls only)."""
    return {num: sum(1 for d in draws if num in d.balls) for num in range(1, n + 1)}


def bonus_frequencies(draws, n: int) -> dict[int, int]:
    return {num: sum(1 for d in draws if d.bonus == num) for num in range(1, n + 1)}


def hot_and_cold(draws, n: int, top: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The `top` most and least frequent numbers; ties go to the lower number."""
    freq = frequencies(draws, n)
    hot = sorted(freq, key=lambda num: (-freq[num], num))[:top]
    cold = sorted(freq, key=lambda num: (freq[num], num))[:top]
    return tuple(hot), tuple(cold)


def appearances(draws, num: int) -> list[int]:
    return [i for i, d in enumerate(draws) if num in d.balls]


def gaps(draws, num: int) -> tuple[int, ...]:
    """Draws between consecutive appearances of `num` (1 means back to back)."""
    seen = appearances(draws, num)
    return tuple(b - a for a, b in zip(seen, seen[1:]))


def current_gap(draws, num: int) -> int:
    """Draws since `num` last appeared; the whole history if it never did."""
    seen = appearances(draws, num)
    if not seen:
        return len(draws)
    return len(draws) - 1 - seen[-1]


def gap_report(draws, n: int) -> list[tuple[int, int, Fraction | None, int]]:
    """(number, longest gap, mean gap, current gap) for each number 1..n."""
    report = []
    for num in range(1, n + 1):
        spans = gaps(draws, num)
        longest = max(spans) if spans else 0
        mean = Fraction(sum(spans), len(spans)) if spans else None
        report.append((num, longest, mean, current_gap(draws, num)))
    return report


def overdue(draws, n: int, top: int) -> list[tuple[int, int]]:
    """Numbers with the longest current gap, longest first, ties by number."""
    ranked = sorted(range(1, n + 1), key=lambda num: (-current_gap(draws, num), num))
    return [(num, current_gap(draws, num)) for num in ranked[:top]]


def pair_counts(draws, n: int, top: int) -> list[tuple[tuple[int, int], int]]:
    """The `top` pairs of numbers drawn together most often, ties by pair."""
    counts = []
    for a, b in combinations(range(1, n + 1), 2):
        together = sum(1 for d in draws if a in d.balls and b in d.balls)
        if together:
            counts.append(((a, b), together))
    counts.sort(key=lambda item: (-item[1], item[0]))
    return counts[:top]


def rolling_hot(draws, n: int, window: int) -> list[tuple[int, int, bool]]:
    """For each draw after the first `window`: the hottest number of the previous `window`
    draws (ties to the lower number), its count there, and whether it came up in this draw."""
    if window < 1:
        raise ValueError("window must be at least 1")
    out = []
    for i in range(window, len(draws)):
        freq = frequencies(draws[i - window:i], n)
        best = max(range(1, n + 1), key=lambda num: (freq[num], -num))
        out.append((best, freq[best], best in draws[i].balls))
    return out


def chi_square(draws, n: int, k: int) -> Fraction:
    """Pearson's statistic of the main-ball counts against a uniform draw."""
    if not draws:
        return Fraction(0)
    freq = frequencies(draws, n)
    expected = Fraction(len(draws) * k, n)
    return sum(((freq[num] - expected) ** 2 / expected for num in freq), Fraction(0))


def shape(balls) -> tuple[int, int, int]:
    """(odd count, total, longest run of consecutive numbers) of one draw."""
    ordered = sorted(balls)
    run = best = 1
    for a, b in zip(ordered, ordered[1:]):
        run = run + 1 if b == a + 1 else 1
        best = max(best, run)
    return sum(1 for b in ordered if b % 2), sum(ordered), best if ordered else 0


def shape_summary(draws) -> dict[str, object]:
    shapes = [shape(d.balls) for d in draws]
    odd_split = {}
    for odd, _, _ in shapes:
        odd_split[odd] = odd_split.get(odd, 0) + 1
    return {
        "odd_split": dict(sorted(odd_split.items())),
        "mean_total": Fraction(sum(s[1] for s in shapes), len(shapes)) if shapes else None,
        "with_run_of_3": sum(1 for s in shapes if s[2] >= 3),
    }
