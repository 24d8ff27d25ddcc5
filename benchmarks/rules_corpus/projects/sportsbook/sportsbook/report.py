"""The daily P&L report, from the house's side of the counter."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .slips import Settlement

_CENTS = Decimal("0.01")


def money(value) -> Decimal:
    """An exact amount rounded half-up to cents."""
    if isinstance(value, Decimal):
        return value.quantize(_CENTS, rounding=ROUND_HALF_UP)
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        _CENTS, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class LedgerRow:
    slip_id: str
    day: str
    bookmaker: str
    status: str
    stake: Decimal
    house_pnl: Decimal
    balance: Decimal
    drawdown: Decimal


@dataclass(frozen=True)
class DaySummary:
    day: str
    slips: int
    won: int
    lost: int
    void: int
    staked: Decimal
    paid_out: Decimal
    house_pnl: Decimal
    hold: Decimal  # house P&L as a percentage of stakes
    closing_balance: Decimal
    max_drawdown: Decimal


def build_ledger(settlements) -> list[LedgerRow]:
    """Settled slips in day order (ties keep their input order) with the house's running
    balance and its drawdown from the highest balance so far.  Pending slips are left out."""
    rows = []
    for settlement in settlements:
        if not isinstance(settlement, Settlement):
            raise TypeError("build_ledger needs Settlement objects")
        if settlement.status != "pending":
            rows.append(settlement)
    rows.sort(key=lambda s: s.day)
    ledger = []
    pnls = []
    balances = []
    for settlement in rows:
        pnl = money(settlement.stake) - money(settlement.returns)
        pnls.append(pnl)
        balance = sum(pnls, Decimal(0))
        balances.append(balance)
        peak = max(max(balances), Decimal(0))
        ledger.append(LedgerRow(settlement.slip_id, settlement.day, settlement.bookmaker,
                                settlement.status, money(settlement.stake), pnl, balance,
                                peak - balance))
    return ledger


def daily_report(settlements) -> list[DaySummary]:
    """One summary per day with settled slips, in day order."""
    ledger = build_ledger(settlements)
    days = sorted({row.day for row in ledger})
    summaries = []
    for day in days:
        day_rows = [row for row in ledger if row.day == day]
        staked = sum((row.stake for row in day_rows), Decimal(0))
        house_pnl = sum((row.house_pnl for row in day_rows), Decimal(0))
        hold = (house_pnl * 100 / staked).quantize(_CENTS, rounding=ROUND_HALF_UP) if staked \
            else Decimal("0.00")
        counts = Counter(row.status for row in day_rows)
        summaries.append(DaySummary(
            day, len(day_rows), counts["won"], counts["lost"], counts["void"], staked,
            staked - house_pnl, house_pnl, hold, day_rows[-1].balance,
            max(row.drawdown for row in day_rows)))
    return summaries


def format_report(summaries) -> str:
    header = f"{'day':<10} {'slips':>6} {'won':>5} {'lost':>5} {'void':>5} " \
             f"{'staked':>12} {'paid out':>12} {'house P&L':>12} {'hold %':>7} {'balance':>12}"
    lines = [header, "-" * len(header)]
    for s in summaries:
        lines.append(
            f"{s.day:<10} {s.slips:>6} {s.won:>5} {s.lost:>5} {s.void:>5} "
            f"{s.staked:>12,} {s.paid_out:>12,} {s.house_pnl:>12,} {s.hold:>7} "
            f"{s.closing_balance:>12,}"
        )
    return "\n".join(lines)
