"""Prices one rental agreement: rental days, rate cards, loyalty discounts, late fees, VAT."""

from __future__ import annotations

import datetime as dt
import re

from .records import TIERS, Agreement, Repository

DISCOUNT_PERCENT = {"standard": 0, "silver": 5, "gold": 10, "platinum": 15}
LOYALTY_WINDOW_DAYS = 365


def percent_of(amount_cents: int, percent: int) -> int:
    """Percentage of an amount in cents, rounded half up."""
    whole = amount_cents * percent
    cents = whole // 100
    if whole % 100 >= 50:
        cents += 1
    return cents


class Quote:
    def __init__(self, agreement_id: str, days: int, rental: int, discount: int, late: int,
                 damage: int, vat_percent: int) -> None:
        self.agreement_id = agreement_id
        self.days = days
        self.rental = rental
        self.discount = discount
        self.late = late
        self.damage = damage
        self.net = rental - discount + late + damage
        self.vat = percent_of(self.net, vat_percent)
        self.total = self.net + self.vat

    def as_tuple(self) -> tuple[str, int, int, int, int, int, int, int, int]:
        return (self.agreement_id, self.days, self.rental, self.discount, self.late,
                self.damage, self.net, self.vat, self.total)


class PricingService:
    def __init__(self, repo: Repository, vat_percent: int = 20, loyalty_threshold: int = 6,
                 grace_days: int = 0) -> None:
        if vat_percent < 0:
            raise ValueError("VAT must not be negative")
        self.repo = repo
        self.vat_percent = vat_percent
        self.loyalty_threshold = loyalty_threshold
        self.grace_days = grace_days

    def normalize_tier(self, tier: str) -> str:
        name = re.sub(r"[\s_\-]+", "", tier).lower()
        if name not in TIERS:
            raise ValueError(f"unknown loyalty tier {tier!r}")
        return name

    def prior_rentals(self, agreement: Agreement) -> int:
        """Rentals the customer started in the year before this agreement started."""
        window_start = agreement.start - dt.timedelta(days=LOYALTY_WINDOW_DAYS)
        count = 0
        for other in self.repo.agreements_for(agreement.customer_id):
            if other.agreement_id == agreement.agreement_id:
                continue
            if window_start <= other.start < agreement.start:
                count += 1
        return count

    def effective_tier(self, agreement: Agreement) -> str:
        customer = self.repo.get_customer(agreement.customer_id)
        tier = self.normalize_tier(customer.tier)
        if self.prior_rentals(agreement) >= self.loyalty_threshold:
            level = TIERS.index(tier)
            if level + 1 < len(TIERS):
                tier = TIERS[level + 1]
        return tier

    def rental_days(self, agreement: Agreement) -> int:
        days = (agreement.end - agreement.start).days
        if days < 1:
            days = 1
        return days

    def rental_charge(self, agreement: Agreement) -> int:
        item = self.repo.get_item(agreement.item_id)
        card = self.repo.rate_card_for(item.category)
        days = self.rental_days(agreement)
        weeks = 0
        while days >= 7:
            weeks += 1
            days -= 7
        return weeks * card.weekly_cents + min(days * card.daily_cents, card.weekly_cents)

    def late_days(self, agreement: Agreement, as_of: dt.date | None = None) -> int:
        """Shop days (Sundays are free) between the due date and the return or as_of date."""
        closing = agreement.returned if agreement.returned is not None else as_of
        if closing is None:
            raise ValueError(f"agreement {agreement.agreement_id} is open: give as_of")
        due = agreement.end + dt.timedelta(days=self.grace_days)
        count = 0
        day = due + dt.timedelta(days=1)
        while day <= closing:
            if day.weekday() != 6:
                count += 1
            day += dt.timedelta(days=1)
        return count

    def late_fee(self, agreement: Agreement, as_of: dt.date | None = None) -> int:
        item = self.repo.get_item(agreement.item_id)
        card = self.repo.rate_card_for(item.category)
        return self.late_days(agreement, as_of) * card.late_daily_cents

    def damage_total(self, agreement: Agreement) -> int:
        total = 0
        for damage in self.repo.damages_for(agreement.agreement_id):
            total += damage.amount_cents
        return total

    def quote(self, agreement: Agreement, as_of: dt.date | None = None) -> Quote:
        rental = self.rental_charge(agreement)
        tier = self.effective_tier(agreement)
        discount = percent_of(rental, DISCOUNT_PERCENT[tier])
        return Quote(agreement.agreement_id, self.rental_days(agreement), rental, discount,
                     self.late_fee(agreement, as_of), self.damage_total(agreement),
                     self.vat_percent)
