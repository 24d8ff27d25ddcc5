"""Customer statements, the aging report of unpaid invoices and the summary by tariff plan."""

from decimal import ROUND_HALF_UP, Decimal

from .billing import (
    days_overdue,
    find_customer,
    is_unpaid,
    late_fee,
    monthly_bill,
    outstanding_for,
)
from .loading import parse_date
from .rates import plan_service

AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"]
LARGE_ACCOUNT_SHARE = "5"  # percent of the plan's revenue


def format_money(amount):
    if amount < 0:
        return f"-${-amount:,.2f}"
    return f"${amount:,.2f}"


def format_date(date_text):
    return parse_date(date_text).strftime("%d %b %Y")


def unit_label(plan):
    return "kWh" if plan_service(plan) == "electric" else "kL"


def format_statement(customer, bill, balance, as_of):
    owed, fees = balance
    lines = [
        f"STATEMENT {customer['customer_id']} - {customer['name']}",
        f"Plan: {customer['plan']}   Period: {bill.month}   Issued: {format_date(as_of)}",
        f"  Usage            {bill.usage:>10} {unit_label(customer['plan'])}",
        f"  Energy charge    {format_money(bill.energy):>14}",
        f"  Fixed charge     {format_money(bill.fixed):>14}",
    ]
    if bill.loyalty:
        lines.append(f"  Loyalty credit   {format_money(-bill.loyalty):>14}")
    if bill.discount:
        lines.append(
            f"  Discount {customer['discount_code']:<8}{format_money(-bill.discount):>14}"
        )
    lines.append(f"  Tax              {format_money(bill.tax):>14}")
    lines.append(f"  This month       {format_money(bill.total):>14}")
    if owed:
        lines.append(f"  Past due         {format_money(owed):>14}")
    if fees:
        lines.append(f"  Late fees        {format_money(fees):>14}")
    lines.append(f"  AMOUNT DUE       {format_money(bill.total + owed + fees):>14}")
    return "\n".join(lines) + "\n"


def build_statements(customers, readings, invoices, month, as_of):
    """Text statements for every customer, ordered by customer id."""
    statements = []
    for customer in sorted(customers, key=lambda c: c["customer_id"]):
        bill = monthly_bill(customer, readings, month)
        balance = outstanding_for(customer["customer_id"], invoices, as_of)
        statements.append(format_statement(customer, bill, balance, as_of))
    return statements


def aging_bucket(days):
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return "90+"


class AgingReport:
    """Unpaid invoices grouped by how long they are past due."""

    def __init__(self, as_of):
        self.as_of = as_of
        self.buckets = {name: [] for name in AGING_BUCKETS}

    def add(self, entry):
        self.buckets[aging_bucket(entry["days"])].append(entry)

    def total(self, bucket):
        return sum((e["amount"] + e["fee"] for e in self.buckets[bucket]), Decimal("0.00"))

    def grand_total(self):
        return sum((self.total(name) for name in AGING_BUCKETS), Decimal("0.00"))

    def count(self):
        return sum(len(entries) for entries in self.buckets.values())


def aging_report(customers, invoices, as_of):
    report = AgingReport(as_of)
    for invoice in invoices:
        if not is_unpaid(invoice, as_of):
            continue
        customer = find_customer(customers, invoice["customer_id"])
        report.add({
            "invoice_id": invoice["invoice_id"],
            "customer_id": customer["customer_id"],
            "name": customer["name"],
            "due": invoice["due"],
            "days": days_overdue(invoice, as_of),
            "amount": invoice["amount"],
            "fee": late_fee(invoice, as_of),
        })
    for name in AGING_BUCKETS:
        report.buckets[name].sort(key=lambda e: (-e["days"], e["invoice_id"]))
    return report


def format_aging(report):
    lines = [f"AGING REPORT as of {format_date(report.as_of)}"]
    for name in AGING_BUCKETS:
        entries = report.buckets[name]
        lines.append(f"[{name}] {len(entries)} invoices, {format_money(report.total(name))}")
        for e in entries:
            lines.append(
                f"  {e['invoice_id']:<10} {e['customer_id']:<8} {e['name']:<22} "
                f"due {format_date(e['due'])} {e['days']:>4}d "
                f"{format_money(e['amount']):>12} fee {format_money(e['fee']):>9}"
            )
    lines.append(f"TOTAL {format_money(report.grand_total())}")
    return "\n".join(lines) + "\n"


def plan_summary(customers, readings, month):
    """Per plan: customers, units, revenue and the accounts above the large-account share."""
    bills = []
    for customer in customers:
        bills.append((customer, monthly_bill(customer, readings, month)))
    summary = {}
    for customer, bill in bills:
        plan = customer["plan"]
        if plan not in summary:
            summary[plan] = {"customers": 0, "usage": Decimal("0"), "revenue": Decimal("0.00"),
                             "large": []}
        row = summary[plan]
        row["customers"] += 1
        row["usage"] += bill.usage
        row["revenue"] += bill.total
        plan_revenue = sum((b.total for c, b in bills if c["plan"] == plan), Decimal("0.00"))
        if plan_revenue > 0:
            share = bill.total * Decimal("100") / plan_revenue
            if share >= Decimal(LARGE_ACCOUNT_SHARE):
                row["large"].append(customer["customer_id"])
    for row in summary.values():
        row["large"].sort()
        if row["customers"]:
            row["average"] = (row["revenue"] / row["customers"]).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
    return dict(sorted(summary.items()))


def format_plan_summary(summary, month):
    lines = [f"PLAN SUMMARY {month}"]
    for plan, row in summary.items():
        lines.append(
            f"{plan:<8} {row['customers']:>5} customers {row['usage']:>12} {unit_label(plan)} "
            f"revenue {format_money(row['revenue']):>14} avg {format_money(row['average']):>10} "
            f"large: {', '.join(row['large']) or '-'}"
        )
    return "\n".join(lines) + "\n"
