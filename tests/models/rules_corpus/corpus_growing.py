"""Corpus for growing lists sorted again and again (sorted-shadow): medians and top values
of what has been seen so far, with equal values that are distinguishable (1 and True) and
a list the function also hands back; and folds whose update is spelled out (`p = p * x`)."""

from __future__ import annotations


def running_medians(values: list[int]) -> list[int]:
    seen: list[int] = []
    out = []
    for v in values:
        seen.append(v)
        ordered = sorted(seen)
        out.append(ordered[len(ordered) // 2])
    return out


def running_tops(words):
    lengths = []
    tops = []
    for w in words:
        lengths.append(len(w))
        tops.append(tuple(sorted(lengths)[-2:]))
    return tops, len(lengths)


def seen_in_order(values: list[int]) -> tuple[list[int], list[list[int]]]:
    seen: list[int] = []
    snapshots = []
    for v in values:
        if v % 3:
            seen.append(v)
        snapshots.append(sorted(seen))
    return seen, snapshots


# --- folds with the update spelled out (math-prod, int-sum) ---------------------------------


def spelled_product(xs: list[int]) -> int:
    p = 1
    for x in xs:
        p = p * x
    return p


def spelled_total(xs: list[int]) -> int:
    t = 0
    for x in xs:
        if x % 2:
            t = t + x
    return t
