"""Counting arrangements, written out the way the textbook defines them."""

from __future__ import annotations


def _check(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"expected an integer, got {n!r}")
    if n < 0:
        raise ValueError(f"expected a non-negative integer, got {n}")


def factorial(n: int) -> int:
    _check(n)
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


def choose(n: int, k: int) -> int:
    """Ways to pick k of n items; 0 when k is outside 0..n."""
    _check(n)
    if k < 0 or k > n:
        return 0
    return factorial(n) // (factorial(k) * factorial(n - k))


def permutations_count(n: int, k: int) -> int:
    """Ordered selections of k from n."""
    _check(n)
    if k < 0 or k > n:
        return 0
    return factorial(n) // factorial(n - k)


def multinomial(counts: list[int]) -> int:
    total = 0
    for c in counts:
        _check(c)
        total += c
    result = factorial(total)
    for c in counts:
        result //= factorial(c)
    return result


def derangements(n: int) -> int:
    """Permutations of n items with no item in its own place."""
    _check(n)
    if n == 0:
        return 1
    if n == 1:
        return 0
    return (n - 1) * (derangements(n - 1) + derangements(n - 2))
