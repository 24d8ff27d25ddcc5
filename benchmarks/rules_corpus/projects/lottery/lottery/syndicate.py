"""Syndicate play: wheels of tickets, prize checking and sharing winnings among members.

Members are (member_id, name, shares); tickets are tuples of numbers; tiers are
(name, matched, bonus, prize) with prizes in pence, best tier first.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from lottery.combin import match_probability, odds_text


def wheel(pool, k: int) -> list[tuple[int, ...]]:
    """Every k-number ticket that can be made from the pool, in order."""
    numbers = sorted(set(pool))
    if len(numbers) < k or k < 1:
        raise ValueError(f"a pool of {len(numbers)} numbers cannot fill {k}-number tickets")
    return list(combinations(numbers, k))


def matches(ticket, draw) -> tuple[int, bool]:
    matched = sum(1 for x in ticket if x in draw.balls)
    return matched, draw.bonus is not None and draw.bonus in ticket


def ticket_tier(ticket, draw, tiers) -> str | None:
    matched, has_bonus = matches(ticket, draw)
    for name, need, bonus, _ in tiers:
        if matched == need and (bonus is None or bonus == has_bonus):
            return name
    return None


def prize_for(name: str, tiers) -> int:
    for tier_name, _, _, prize in tiers:
        if tier_name == name:
            return prize
    raise KeyError(name)


def check_tickets(tickets, draw, tiers) -> list[tuple[int, str]]:
    """(ticket index, tier name) for each winning ticket in one draw."""
    wins = ((i, ticket_tier(ticket, draw, tiers)) for i, ticket in enumerate(tickets))
    return [(i, name) for i, name in wins if name is not None]


def share_out(amount, members) -> list[tuple[str, Fraction]]:
    """Split an amount between members in proportion to their shares."""
    if not members or sum(shares for _, _, shares in members) <= 0:
        raise ValueError("nobody holds any shares")
    out = []
    for member_id, _, shares in members:
        total = sum(s for _, _, s in members)
        out.append((member_id, Fraction(amount * shares, total)))
    return out


def simulate(members, tickets, draws, tiers, line_cost: int) -> list[tuple[int, str, Fraction]]:
    """Ledger of (draw number, member id, net amount) for playing every ticket in every draw."""
    ledger = []
    for draw in draws:
        won = sum(prize_for(name, tiers) for _, name in check_tickets(tickets, draw, tiers))
        net = won - line_cost * len(tickets)
        for member_id, part in share_out(net, members):
            ledger.append((draw.number, member_id, part))
    return ledger


def balances(ledger, members) -> dict[str, Fraction]:
    return {
        member_id: sum((amt for _, mid, amt in ledger if mid == member_id), Fraction(0))
        for member_id, _, _ in members
    }


def pounds(pence) -> str:
    value = round(Fraction(pence) / 100, 2)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(float(value)):,.2f}"


def statement(ledger, members, member_id: str) -> str:
    names = [m for m in members if m[0] == member_id]
    if not names:
        raise KeyError(member_id)
    entries = [amt for _, mid, amt in ledger if mid == member_id]
    good = sum(1 for amt in entries if amt > 0)
    total = balances(ledger, members)[member_id]
    return f"{names[0][1]}: {len(entries)} draws, {good} in profit, net {pounds(total)}"


def ticket_returns(tickets, draws, tiers) -> list[tuple[int, int]]:
    """(ticket index, total prizes) for every ticket, best first, ties by index."""
    totals = []
    for i, ticket in enumerate(tickets):
        names = (ticket_tier(ticket, d, tiers) for d in draws)
        totals.append((i, sum(prize_for(name, tiers) for name in names if name is not None)))
    return sorted(totals, key=lambda t: (-t[1], t[0]))


def win_log(tickets, draws, tiers, n: int, k: int) -> list[tuple[int, int, str, str]]:
    """(draw number, ticket index, tier, odds of that tier) for every win, in draw order."""
    log = []
    for draw in draws:
        for i, name in check_tickets(tickets, draw, tiers):
            tier = [t for t in tiers if t[0] == name][0]
            log.append((draw.number, i, name, odds_text(match_probability(n, k, tier[1], tier[2]))))
    return log


def guarantee(tickets, pool, hits: int) -> int:
    """Fewest matches the best ticket is sure to get if `hits` of the pool numbers are drawn."""
    numbers = sorted(set(pool))
    if not 0 <= hits <= len(numbers):
        raise ValueError(f"cannot draw {hits} of {len(numbers)} pool numbers")
    if not tickets:
        return 0
    worst = None
    for drawn in combinations(numbers, hits):
        best = max(sum(1 for x in ticket if x in drawn) for ticket in tickets)
        worst = best if worst is None else min(worst, best)
    return worst if worst is not None else 0
