"""Revenue reporting (MRR by plan, churn) and the dunning list of overdue invoices."""

from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from .models import ZERO, Coupon, Customer, Invoice, InvoiceStatus, Plan, PlanChange, parse_date
from .pricing import find_coupon, find_plan, month_bounds, plan_on


class DunningLevel(Enum):
    REMINDER = 1
    WARNING = 2
    FINAL = 3


def dunning_level(days_overdue: int) -> DunningLevel:
    if days_overdue >= 30:
        return DunningLevel.FINAL
    if days_overdue >= 14:
        return DunningLevel.WARNING
    return DunningLevel.REMINDER


def find_customer(customers: list[Customer], customer_id: str) -> Customer | None:
    for customer in customers:
        if customer.customer_id == customer_id:
            return customer
    return None


def monthly_recurring(customer: Customer, plans: list[Plan], coupons: list[Coupon],
                      changes: list[PlanChange], day) -> tuple[str, Decimal]:
    """(plan_id, recurring seat revenue after any valid coupon) for the customer on a day."""
    plan_id, seats = plan_on(customer, changes, day)
    amount = find_plan(plans, plan_id).seat_charge(seats)
    coupon = find_coupon(coupons, customer.coupon_code)
    if coupon is not None and coupon.is_valid_on(day):
        amount -= coupon.discount(amount)
    return plan_id, amount


def mrr_by_plan(customers: list[Customer], plans: list[Plan], coupons: list[Coupon],
                changes: list[PlanChange], day) -> dict[str, Decimal]:
    day = parse_date(day)
    totals = {plan.plan_id: ZERO for plan in plans}
    for customer in customers:
        if customer.is_active_on(day):
            plan_id, amount = monthly_recurring(customer, plans, coupons, changes, day)
            totals[plan_id] = totals.get(plan_id, ZERO) + amount
    return totals


def churn_stats(customers: list[Customer], month: str) -> dict:
    """Customers active on the 1st, new sign-ups and cancellations during the month."""
    start, end = month_bounds(month)
    active = [c for c in customers if c.is_active_on(start)]
    new = [c for c in customers if start <= parse_date(c.started) < end]
    churned = [c for c in active if c.canceled is not None and parse_date(c.canceled) <= end]
    rate = ZERO
    if active:
        rate = (Decimal(100) * len(churned) / len(active)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"active": len(active), "new": len(new), "churned": len(churned), "churn_pct": rate}


def revenue_report(customers: list[Customer], plans: list[Plan], coupons: list[Coupon],
                   changes: list[PlanChange], months: list[str]) -> list[dict]:
    """One row per month: MRR on the 1st (total and by plan), churn, and change in MRR."""
    rows = []
    previous = None
    for month in months:
        start, _ = month_bounds(month)
        by_plan = mrr_by_plan(customers, plans, coupons, changes, start)
        total = sum(by_plan.values(), ZERO)
        row = {"month": month, "mrr": total, "by_plan": by_plan}
        row.update(churn_stats(customers, month))
        row["mrr_change"] = ZERO if previous is None else total - previous
        previous = total
        rows.append(row)
    return rows


def format_revenue_report(rows: list[dict]) -> str:
    header = f"{'Month':<8} {'MRR':>12} {'Change':>11} {'Active':>7} {'New':>5} " \
             f"{'Churned':>8} {'Churn%':>7}"
    out = [header, "-" * len(header)]
    for row in rows:
        out.append(f"{row['month']:<8} {row['mrr']:>12,.2f} {row['mrr_change']:>+11,.2f} "
                   f"{row['active']:>7} {row['new']:>5} {row['churned']:>8} "
                   f"{row['churn_pct']:>7}")
    return "\n".join(out)


def dunning_list(ledger: list[Invoice], customers: list[Customer], as_of,
                 grace_days: int = 0) -> list[dict]:
    """Open invoices more than grace_days past due, most overdue (then largest) first."""
    if grace_days < 0:
        raise ValueError("grace_days cannot be negative")
    as_of = parse_date(as_of)
    entries = []
    for invoice in ledger:
        if invoice.status is not InvoiceStatus.OPEN:
            continue
        days = invoice.days_overdue(as_of)
        if days <= grace_days:
            continue
        customer = find_customer(customers, invoice.customer_id)
        entries.append({
            "number": invoice.number,
            "customer_id": invoice.customer_id,
            "name": customer.name if customer else "(unknown)",
            "email": customer.email if customer else "",
            "amount": invoice.total,
            "days_overdue": days,
            "level": dunning_level(days),
        })
    entries.sort(key=lambda e: (-e["days_overdue"], -e["amount"], e["number"]))
    return entries


def format_dunning(entries: list[dict]) -> str:
    if not entries:
        return "No overdue invoices."
    lines = []
    for e in entries:
        lines.append(f"#{e['number']:<6} {e['level'].name:<8} {e['days_overdue']:>4}d "
                     f"{e['amount']:>10,.2f}  {e['name']} <{e['email']}>")
    total = sum((e["amount"] for e in entries), ZERO)
    lines.append(f"{len(entries)} overdue, {total:,.2f} outstanding")
    return "\n".join(lines)
