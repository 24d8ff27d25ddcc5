"""Weighted averages, letters, percentiles and ranking."""

from __future__ import annotations

from gradebook.weights import LETTER_CUTOFFS, assignment_info, category_weight

DROP_LOWEST = {"homework": 1, "quiz": 1}


def category_scores(student, assignments):
    """{category: [(earned, possible), ...]} for every assignment that counts."""
    per_category = {}
    for name, score in student["scores"].items():
        if score == "EX":
            continue
        info = assignment_info(assignments, name)
        per_category.setdefault(info["category"], []).append((score, info["max_points"]))
    # Missing work counts as zero.
    for info in assignments:
        if info["name"] not in student["scores"]:
            per_category.setdefault(info["category"], []).append((0.0, info["max_points"]))
    return per_category


def apply_drops(category, pairs):
    drops = DROP_LOWEST.get(category, 0)
    if drops == 0 or len(pairs) <= drops + 2:
        return pairs
    ordered = sorted(pairs, key=lambda pair: pair[0] / pair[1])
    return ordered[drops:]


def weighted_average(student, assignments):
    per_category = category_scores(student, assignments)
    total_weight = 0.0
    total = 0.0
    for category, pairs in per_category.items():
        weight = category_weight(category)
        if weight == 0.0:
            continue
        pairs = apply_drops(category, pairs)
        earned = sum(p[0] for p in pairs)
        possible = sum(p[1] for p in pairs)
        if possible == 0:
            continue
        total += weight * earned / possible
        total_weight += weight
    if total_weight == 0.0:
        return 0.0
    return 100.0 * total / total_weight


def letter_grade(average):
    for cutoff, letter in LETTER_CUTOFFS:
        if average >= cutoff:
            return letter
    return "F"


def percentile(student, students, assignments):
    """Share of the class (0-100) whose average is strictly below this student's."""
    averages = sorted(weighted_average(s, assignments) for s in students)
    mine = weighted_average(student, assignments)
    below = 0
    for value in averages:
        if value < mine:
            below += 1
    return round(100.0 * below / len(averages), 1)


def rank_students(students, assignments):
    """Students from best to worst average; equal averages keep roster order."""
    remaining = [(weighted_average(s, assignments), s) for s in students]
    ranked = []
    while remaining:
        best = max(remaining, key=lambda pair: pair[0])
        remaining.remove(best)
        ranked.append(best[1])
    return ranked
