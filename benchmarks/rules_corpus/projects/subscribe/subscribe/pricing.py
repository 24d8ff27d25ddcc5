"""Price lookups, proration and plan history for a billing period."""

from datetime import date
from decimal import Decimal

from .models import (
    Coupon,
    Customer,
    Plan,
    PlanChange,
    UsageRecord,
    money,
    normalize_code,
    parse_date,
)


def month_bounds(month: str) -> tuple[date, date]:
    """'2024-03' -> (2024-03-01, 2024-04-01); the end is exclusive."""
    try:
        year, mon = (int(part) for part in month.strip().split("-"))
        start = date(year, mon, 1)
    except ValueError:
        raise ValueError(f"invalid month: {month!r}") from None
    end = date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1)
    return start, end


def find_plan(plans: list[Plan], plan_id: str) -> Plan:
    for plan in plans:
        if plan.plan_id == plan_id:
            return plan
    raise KeyError(f"unknown plan: {plan_id}")


def find_coupon(coupons: list[Coupon], code: str | None) -> Coupon | None:
    if not code:
        return None
    wanted = normalize_code(code)
    for coupon in coupons:
        if normalize_code(coupon.code) == wanted:
            return coupon
    return None


def prorate(amount: Decimal, start: date, end: date, period_start: date,
            period_end: date) -> Decimal:
    """The share of a full-period amount for the days of [start, end) inside the period."""
    total_days = (period_end - period_start).days
    if total_days <= 0:
        raise ValueError("billing period must have at least one day")
    used = (min(end, period_end) - max(start, period_start)).days
    if used <= 0:
        return money(0)
    return money(amount * used / total_days)


def _changes_for(customer_id: str, changes: list[PlanChange]) -> list[PlanChange]:
    own = [change for change in changes if change.customer_id == customer_id]
    own.sort(key=lambda change: parse_date(change.effective))
    return own


def plan_on(customer: Customer, changes: list[PlanChange], day) -> tuple[str, int]:
    """(plan_id, seats) in effect on the given day; later changes on the same day win."""
    day = parse_date(day)
    state = (customer.plan_id, customer.seats)
    for change in _changes_for(customer.customer_id, changes):
        if parse_date(change.effective) > day:
            break
        state = (change.plan_id, change.seats)
    return state


def plan_segments(customer: Customer, changes: list[PlanChange], period_start: date,
                  period_end: date) -> list[tuple[date, date, str, int]]:
    """Split the customer's active part of a period into (start, end, plan_id, seats) pieces."""
    start = max(period_start, parse_date(customer.started))
    end = period_end
    if customer.canceled is not None:
        end = min(end, parse_date(customer.canceled))
    if start >= end:
        return []
    state = (customer.plan_id, customer.seats)
    segments = []
    cursor = start
    for change in _changes_for(customer.customer_id, changes):
        effective = parse_date(change.effective)
        if effective >= end:
            break
        if effective > cursor:
            segments.append((cursor, effective, *state))
            cursor = effective
        state = (change.plan_id, change.seats)
    segments.append((cursor, end, *state))
    return segments


def usage_for(customer_id: str, usage: list[UsageRecord], start: date, end: date) -> int:
    """Units the customer used on days in [start, end)."""
    total = 0
    for record in usage:
        if record.customer_id == customer_id:
            day = parse_date(record.day)
            if start <= day < end:
                total += record.units
    return total
