"""Seeded Monte-Carlo cross-checks of the exact results."""

import random
from fractions import Fraction

from .dice import DiceSpec, mean


def roll(spec, rng):
    """Roll a DiceSpec (or a spec string such as '4d6kh3') once."""
    if isinstance(spec, str):
        spec = DiceSpec.parse(spec)
    if spec.explode is not None:
        total = 0
        for _ in range(spec.count):
            face = rng.randint(1, spec.sides)
            total += face
            depth = spec.explode
            while face == spec.sides and depth > 0:
                face = rng.randint(1, spec.sides)
                total += face
                depth -= 1
        return total + spec.modifier
    faces = [rng.randint(1, spec.sides) for _ in range(spec.count)]
    if spec.keep is not None:
        faces = sorted(faces, reverse=not spec.lowest)[: spec.keep]
    return sum(faces) + spec.modifier


def simulate_spec(spec, trials, seed):
    """Counts of each total over `trials` seeded rolls."""
    rng = random.Random(seed)
    counts = {}
    for _ in range(trials):
        total = roll(spec, rng)
        counts[total] = counts.get(total, 0) + 1
    return dict(sorted(counts.items()))


def total_variation(exact, counts):
    """Total variation distance between an exact distribution and observed counts."""
    trials = sum(counts.values())
    if trials == 0:
        raise ValueError("no observations to compare")
    keys = set(exact) | set(counts)
    gap = sum(abs(float(exact.get(k, 0)) - counts.get(k, 0) / trials) for k in keys)
    return gap / 2


def cross_check(spec, trials, seed, tolerance=0.05):
    if isinstance(spec, str):
        spec = DiceSpec.parse(spec)
    exact = spec.distribution()
    counts = simulate_spec(str(spec), trials, seed)
    observed_mean = sum(total * n for total, n in counts.items()) / trials
    distance = total_variation(exact, counts)
    return {
        "spec": str(spec),
        "trials": trials,
        "distance": round(distance, 6),
        "exact_mean": float(mean(exact)),
        "observed_mean": round(observed_mean, 6),
        "ok": distance <= tolerance,
    }


def simulate_hands(deck, needs, hand_size, trials, seed):
    """Fraction of seeded random hands holding at least needs[kind] of every kind."""
    rng = random.Random(seed)
    hits = 0
    for _ in range(trials):
        hand = rng.sample(deck.cards(), hand_size)
        if all(hand.count(kind) >= n for kind, n in needs.items()):
            hits += 1
    return Fraction(hits, trials)


def play_game(rng, target, turns, hold_at, sides=6, bust=1):
    """Play one game of the push-your-luck solitaire; True when the target is reached."""
    score = 0
    for _ in range(turns):
        need = min(hold_at, target - score)
        turn_total = 0
        while turn_total < need:
            face = rng.randint(1, sides)
            if face == bust:
                turn_total = 0
                break
            turn_total += face
        score += turn_total
        if score >= target:
            return True
    return False


def simulate_game(target, turns, hold_at, trials, seed, sides=6, bust=1):
    rng = random.Random(seed)
    wins = sum(play_game(rng, target, turns, hold_at, sides, bust) for _ in range(trials))
    return Fraction(wins, trials)
