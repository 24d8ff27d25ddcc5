"""Corpus for growing lists sorted again and again (sorted-shadow): medians and top values
of what has been seen so far, with equal values that are distinguishable (1 and True) and
a list the function also hands back."""

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
