"""Text output: money, bet receipts, a settlement statement and the liability table."""

from decimal import ROUND_HALF_UP, Decimal

from .bets import build_lines, line_count
from .odds import CENT, ZERO, format_odds

BET_NAMES = {
    "super_heinz": "Super Heinz",
    "lucky15": "Lucky 15",
    "lucky31": "Lucky 31",
    "lucky63": "Lucky 63",
}


def format_money(amount, symbol="£"):
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < ZERO else ""
    return f"{sign}{symbol}{abs(value):,.2f}"


def bet_name(bet_type):
    return BET_NAMES.get(bet_type, bet_type.replace("_", " ").title())


def slip_receipt(slip, style="fractional"):
    """The lines printed on a betting-shop receipt."""
    lines = build_lines(slip)
    count = len(lines)
    each_way = " each way" if slip.each_way else ""
    header = (
        f"{slip.slip_id} {bet_name(slip.bet_type)}{each_way}: "
        f"{count} x {format_money(slip.unit_stake)} = "
        f"{format_money(slip.unit_stake * count)}"
    )
    out = [header]
    for sel in slip.selections:
        price = format_odds(sel.odds, style)
        terms = ""
        if slip.each_way:
            terms = f" (e/w 1/{sel.place_fraction.denominator} odds {sel.places} places)"
        out.append(f"  {sel.runner} [{sel.event_id}] @ {price}{terms}")
    best = max(line.potential_return() for line in lines)
    out.append(f"  best line returns {format_money(best)}")
    return out


def statement(settlements):
    """A running book of settled slips from the bookmaker's side: stake in, returns out."""
    rows = []
    for index, settlement in enumerate(settlements):
        balance = sum(
            (earlier.stake - earlier.returns for earlier in settlements[: index + 1]), ZERO
        )
        rows.append(
            f"{settlement.slip_id:<8} {settlement.status:<7} "
            f"{format_money(settlement.stake):>10} {format_money(settlement.returns):>11} "
            f"{format_money(balance):>12}"
        )
    return rows


def status_counts(settlements):
    counts = {}
    for settlement in settlements:
        counts[settlement.status] = counts.get(settlement.status, 0) + 1
    return dict(sorted(counts.items()))


def liability_table(rows, limit=10):
    out = [f"{'event':<8} {'runner':<18} {'stakes':>11} {'payout':>12} {'net':>12}"]
    for row in rows[:limit]:
        out.append(
            f"{row.event_id:<8} {row.runner:<18} {format_money(row.stakes):>11} "
            f"{format_money(row.payout):>12} {format_money(row.net):>12}"
        )
    return out


def describe_bet(bet_type, count, each_way=False):
    lines = line_count(bet_type, count, each_way)
    return f"{bet_name(bet_type)} on {count} selections: {lines} lines"
