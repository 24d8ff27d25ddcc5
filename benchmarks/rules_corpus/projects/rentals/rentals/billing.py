"""Monthly customer statements, the overdue report and revenue by category."""

from __future__ import annotations

import datetime as dt

from .pricing import PricingService, Quote
from .records import Repository


def format_cents(cents: int) -> str:
    """1234567 -> '12,345.67'; negative amounts get a leading minus."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    units = str(cents // 100)
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return sign + ",".join(groups) + "." + str(cents % 100).zfill(2)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12:
        raise ValueError(f"bad month {month}")
    first = dt.date(year, month, 1)
    if month == 12:
        last = dt.date(year, 12, 31)
    else:
        last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return first, last


class StatementLine:
    def __init__(self, item_name: str, start: dt.date, returned: dt.date, quote: Quote) -> None:
        self.item_name = item_name
        self.start = start
        self.returned = returned
        self.quote = quote


class Statement:
    def __init__(self, customer_id: str, name: str, year: int, month: int) -> None:
        self.customer_id = customer_id
        self.name = name
        self.year = year
        self.month = month
        self.lines: list[StatementLine] = []
        self.payments: list[tuple[dt.date, int]] = []
        self.opening = 0
        self.charges = 0
        self.paid = 0
        self.closing = 0

    def summary(self) -> tuple:
        return (self.customer_id, self.year, self.month, self.opening, self.charges, self.paid,
                self.closing, [line.quote.as_tuple() for line in self.lines])


class OverdueLine:
    def __init__(self, agreement_id: str, customer_name: str, item_name: str, due: dt.date,
                 days_overdue: int, late_fee: int, customer_exposure: int) -> None:
        self.agreement_id = agreement_id
        self.customer_name = customer_name
        self.item_name = item_name
        self.due = due
        self.days_overdue = days_overdue
        self.late_fee = late_fee
        self.customer_exposure = customer_exposure

    def as_tuple(self) -> tuple:
        return (self.agreement_id, self.customer_name, self.item_name, self.due.isoformat(),
                self.days_overdue, self.late_fee, self.customer_exposure)


class BillingService:
    def __init__(self, repo: Repository, pricing: PricingService) -> None:
        self.repo = repo
        self.pricing = pricing

    def charged_between(self, customer_id: str, first: dt.date,
                        last: dt.date) -> list[tuple[dt.date, str, Quote]]:
        """Quotes for the customer's agreements returned in [first, last], in return order."""
        rows = []
        for agreement in self.repo.agreements_for(customer_id):
            if agreement.returned is None:
                continue
            if first <= agreement.returned <= last:
                rows.append((agreement.returned, agreement.agreement_id,
                             self.pricing.quote(agreement)))
        rows.sort(key=lambda row: (row[0], row[1]))
        return rows

    def balance_before(self, customer_id: str, day: dt.date) -> int:
        balance = 0
        for agreement in self.repo.agreements_for(customer_id):
            if agreement.returned is not None and agreement.returned < day:
                balance += self.pricing.quote(agreement).total
        for payment in self.repo.payments_for(customer_id):
            if payment.paid_on < day:
                balance -= payment.amount_cents
        return balance

    def statement(self, customer_id: str, year: int, month: int) -> Statement:
        first, last = month_bounds(year, month)
        customer = self.repo.get_customer(customer_id)
        statement = Statement(customer_id, customer.name, year, month)
        statement.opening = self.balance_before(customer_id, first)
        for returned, agreement_id, quote in self.charged_between(customer_id, first, last):
            agreement = self.repo.get_agreement(agreement_id)
            item = self.repo.get_item(agreement.item_id)
            statement.lines.append(StatementLine(item.name, agreement.start, returned, quote))
            statement.charges += quote.total
        for payment in sorted(self.repo.payments_for(customer_id), key=lambda p: p.paid_on):
            if first <= payment.paid_on <= last:
                statement.payments.append((payment.paid_on, payment.amount_cents))
                statement.paid += payment.amount_cents
        statement.closing = statement.opening + statement.charges - statement.paid
        return statement

    def month_end_run(self, year: int, month: int) -> list[Statement]:
        """Statements for every customer with a balance or activity in the month."""
        statements = []
        for customer in sorted(self.repo.customers, key=lambda c: c.customer_id):
            statement = self.statement(customer.customer_id, year, month)
            if statement.lines or statement.payments or statement.opening != 0:
                statements.append(statement)
        return statements

    def render_statement(self, statement: Statement) -> str:
        out = [f"Statement {statement.year}-{statement.month:02d} for {statement.name} "
               f"({statement.customer_id})",
               f"Opening balance {format_cents(statement.opening):>14}"]
        for line in statement.lines:
            q = line.quote
            out.append(f"  {q.agreement_id:<8} {line.item_name:<20} "
                       f"{line.start.isoformat()}..{line.returned.isoformat()} {q.days:>3}d "
                       f"rent {format_cents(q.rental):>10} disc -{format_cents(q.discount)} "
                       f"late {format_cents(q.late)} dmg {format_cents(q.damage)} "
                       f"vat {format_cents(q.vat)} total {format_cents(q.total):>10}")
        for paid_on, amount in statement.payments:
            out.append(f"  payment {paid_on.isoformat()} {format_cents(-amount):>10}")
        out.append(f"Charges {format_cents(statement.charges):>14}  "
                   f"Paid {format_cents(statement.paid):>14}  "
                   f"Closing {format_cents(statement.closing):>14}")
        return "\n".join(out)

    def overdue_report(self, as_of: dt.date) -> list[OverdueLine]:
        """Open agreements past their due date, largest late fee first."""
        overdue = [a for a in self.repo.agreements if a.returned is None and a.end < as_of]
        lines = []
        for agreement in overdue:
            customer = self.repo.get_customer(agreement.customer_id)
            item = self.repo.get_item(agreement.item_id)
            fee = self.pricing.late_fee(agreement, as_of)
            exposure = 0
            for other in overdue:
                if other.customer_id == agreement.customer_id:
                    exposure += self.pricing.late_fee(other, as_of)
            lines.append(OverdueLine(agreement.agreement_id, customer.name, item.name,
                                     agreement.end, (as_of - agreement.end).days, fee, exposure))
        lines.sort(key=lambda line: (-line.late_fee, line.agreement_id))
        return lines

    def revenue_by_category(self, year: int, month: int) -> list[tuple[str, int, int, int]]:
        """(category, rentals, net cents, VAT cents) for agreements returned in the month."""
        first, last = month_bounds(year, month)
        result = []
        for category in self.repo.categories():
            count = net = vat = 0
            for agreement in self.repo.agreements:
                if agreement.returned is None or not first <= agreement.returned <= last:
                    continue
                if self.repo.get_item(agreement.item_id).category != category:
                    continue
                quote = self.pricing.quote(agreement)
                count += 1
                net += quote.net
                vat += quote.vat
            result.append((category, count, net, vat))
        return result
