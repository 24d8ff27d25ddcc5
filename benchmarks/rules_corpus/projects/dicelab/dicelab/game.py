"""A solitaire push-your-luck dice game, solved exactly.

Each turn the player rolls one die again and again. The bust face wipes out everything
gathered this turn; any other face is added to the turn total. The player banks the turn
total as soon as it reaches the hold threshold, or as soon as it is enough to reach the
target. The player wins by reaching the target within the allowed number of turns.
"""

from fractions import Fraction


def _check_rules(sides, bust):
    if sides < 2:
        raise ValueError(f"the game needs a die with at least two sides, got {sides}")
    if not 1 <= bust <= sides:
        raise ValueError(f"bust face {bust} is not on a d{sides}")


def _turn_outcomes(total, hold_at, sides, bust):
    if total >= hold_at:
        return {total: Fraction(1)}
    p = Fraction(1, sides)
    out = {}
    for face in range(1, sides + 1):
        if face == bust:
            out[0] = out.get(0, 0) + p
            continue
        for banked, q in _turn_outcomes(total + face, hold_at, sides, bust).items():
            out[banked] = out.get(banked, 0) + p * q
    return out


def turn_distribution(hold_at, sides=6, bust=1):
    """Distribution of the points banked in one turn when holding at `hold_at`."""
    _check_rules(sides, bust)
    if hold_at < 1:
        raise ValueError(f"hold threshold must be at least 1, got {hold_at}")
    return dict(sorted(_turn_outcomes(0, hold_at, sides, bust).items()))


def expected_turn_score(hold_at, sides=6, bust=1):
    dist = turn_distribution(hold_at, sides, bust)
    return sum((banked * p for banked, p in dist.items()), Fraction(0))


def _win(score, turns_left, target, hold_at, sides, bust):
    if score >= target:
        return Fraction(1)
    if turns_left == 0:
        return Fraction(0)
    need = min(hold_at, target - score)
    chance = Fraction(0)
    for banked, p in turn_distribution(need, sides, bust).items():
        chance += p * _win(score + banked, turns_left - 1, target, hold_at, sides, bust)
    return chance


def win_probability(target, turns, hold_at, sides=6, bust=1):
    """P(reaching `target` points within `turns` turns when holding at `hold_at`)."""
    _check_rules(sides, bust)
    if target < 1:
        raise ValueError(f"target must be at least 1, got {target}")
    if turns < 0:
        raise ValueError(f"turns must not be negative, got {turns}")
    if hold_at < 1:
        raise ValueError(f"hold threshold must be at least 1, got {hold_at}")
    return _win(0, turns, target, hold_at, sides, bust)


def best_hold(target, turns, candidates, sides=6, bust=1):
    """The hold threshold with the best chance to win (smallest threshold on ties)."""
    best = None
    for hold_at in sorted(set(candidates)):
        chance = win_probability(target, turns, hold_at, sides, bust)
        if best is None or chance > best[1]:
            best = (hold_at, chance)
    if best is None:
        raise ValueError("no hold thresholds to choose from")
    return best
