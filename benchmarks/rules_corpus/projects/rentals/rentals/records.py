"""Records of the rental shop and the repository that holds them."""

from __future__ import annotations

import datetime as dt

TIERS = ["standard", "silver", "gold", "platinum"]


class Customer:
    def __init__(self, customer_id: str, name: str, tier: str = "standard") -> None:
        self.customer_id = customer_id
        self.name = name
        self.tier = tier


class Item:
    def __init__(self, item_id: str, name: str, category: str) -> None:
        self.item_id = item_id
        self.name = name
        self.category = category


class RateCard:
    def __init__(self, category: str, daily_cents: int, weekly_cents: int,
                 late_daily_cents: int) -> None:
        if daily_cents < 0 or weekly_cents < 0 or late_daily_cents < 0:
            raise ValueError("rates must not be negative")
        self.category = category
        self.daily_cents = daily_cents
        self.weekly_cents = weekly_cents
        self.late_daily_cents = late_daily_cents


class Agreement:
    def __init__(self, agreement_id: str, customer_id: str, item_id: str,
                 start: dt.date, end: dt.date, returned: dt.date | None = None) -> None:
        if end < start:
            raise ValueError(f"agreement {agreement_id} ends before it starts")
        if returned is not None and returned < start:
            raise ValueError(f"agreement {agreement_id} returned before it starts")
        self.agreement_id = agreement_id
        self.customer_id = customer_id
        self.item_id = item_id
        self.start = start
        self.end = end
        self.returned = returned


class DamageCharge:
    def __init__(self, agreement_id: str, amount_cents: int, note: str = "") -> None:
        if amount_cents <= 0:
            raise ValueError("damage charge must be positive")
        self.agreement_id = agreement_id
        self.amount_cents = amount_cents
        self.note = note


class Payment:
    def __init__(self, customer_id: str, paid_on: dt.date, amount_cents: int) -> None:
        if amount_cents <= 0:
            raise ValueError("payment must be positive")
        self.customer_id = customer_id
        self.paid_on = paid_on
        self.amount_cents = amount_cents


class Repository:
    """Holds every record of the shop in plain lists."""

    def __init__(self) -> None:
        self.customers: list[Customer] = []
        self.items: list[Item] = []
        self.rate_cards: list[RateCard] = []
        self.agreements: list[Agreement] = []
        self.damages: list[DamageCharge] = []
        self.payments: list[Payment] = []

    def add_customer(self, customer: Customer) -> Customer:
        for c in self.customers:
            if c.customer_id == customer.customer_id:
                raise ValueError(f"duplicate customer {customer.customer_id}")
        self.customers.append(customer)
        return customer

    def add_item(self, item: Item) -> Item:
        for i in self.items:
            if i.item_id == item.item_id:
                raise ValueError(f"duplicate item {item.item_id}")
        self.items.append(item)
        return item

    def add_rate_card(self, card: RateCard) -> RateCard:
        self.rate_cards = [c for c in self.rate_cards if c.category != card.category]
        self.rate_cards.append(card)
        return card

    def add_agreement(self, agreement: Agreement) -> Agreement:
        self.get_customer(agreement.customer_id)
        self.get_item(agreement.item_id)
        for a in self.agreements:
            if a.agreement_id == agreement.agreement_id:
                raise ValueError(f"duplicate agreement {agreement.agreement_id}")
        self.agreements.append(agreement)
        return agreement

    def add_damage(self, damage: DamageCharge) -> DamageCharge:
        self.get_agreement(damage.agreement_id)
        self.damages.append(damage)
        return damage

    def add_payment(self, payment: Payment) -> Payment:
        self.get_customer(payment.customer_id)
        self.payments.append(payment)
        return payment

    def record_return(self, agreement_id: str, returned: dt.date) -> Agreement:
        agreement = self.get_agreement(agreement_id)
        if returned < agreement.start:
            raise ValueError(f"agreement {agreement_id} returned before it starts")
        agreement.returned = returned
        return agreement

    def get_customer(self, customer_id: str) -> Customer:
        for c in self.customers:
            if c.customer_id == customer_id:
                return c
        raise KeyError(customer_id)

    def get_item(self, item_id: str) -> Item:
        for i in self.items:
            if i.item_id == item_id:
                return i
        raise KeyError(item_id)

    def get_agreement(self, agreement_id: str) -> Agreement:
        for a in self.agreements:
            if a.agreement_id == agreement_id:
                return a
        raise KeyError(agreement_id)

    def rate_card_for(self, category: str) -> RateCard:
        for c in self.rate_cards:
            if c.category == category:
                return c
        raise KeyError(f"no rate card for category {category!r}")

    def agreements_for(self, customer_id: str) -> list[Agreement]:
        return [a for a in self.agreements if a.customer_id == customer_id]

    def damages_for(self, agreement_id: str) -> list[DamageCharge]:
        return [d for d in self.damages if d.agreement_id == agreement_id]

    def payments_for(self, customer_id: str) -> list[Payment]:
        return [p for p in self.payments if p.customer_id == customer_id]

    def categories(self) -> list[str]:
        return sorted(c.category for c in self.rate_cards)
