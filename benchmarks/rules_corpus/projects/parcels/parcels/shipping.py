"""Quotes, consolidation of parcels going to the same door, and the carrier manifest."""

from __future__ import annotations

from parcels.addresses import clean_address
from parcels.model import Parcel
from parcels.rates import NoRate, rate_for, zone_for


def quote(parcel: Parcel) -> float:
    return rate_for(zone_for(parcel.postcode), parcel.weight_kg, parcel.express)


def quote_all(parcels: list[Parcel]) -> dict[str, float | None]:
    """Price per parcel reference; None for parcels the carrier will not take."""
    quotes: dict[str, float | None] = {}
    for parcel in parcels:
        try:
            quotes[parcel.ref] = quote(parcel)
        except NoRate:
            quotes[parcel.ref] = None
    return quotes


def consolidate(parcels: list[Parcel]) -> list[list[Parcel]]:
    """Groups of parcels for the same cleaned address and postcode, in first-seen order.

    Express parcels are never merged with standard ones.
    """
    groups: list[list[Parcel]] = []
    for parcel in parcels:
        placed = False
        for group in groups:
            head = group[0]
            if (
                head.express == parcel.express
                and head.postcode.replace(" ", "").upper()
                == parcel.postcode.replace(" ", "").upper()
                and clean_address(head.address) == clean_address(parcel.address)
            ):
                group.append(parcel)
                placed = True
                break
        if not placed:
            groups.append([parcel])
    return groups


def manifest(parcels: list[Parcel]) -> list[str]:
    """Carrier manifest lines, grouped by zone (alphabetical), parcels in input order."""
    zones = []
    for parcel in parcels:
        try:
            zone = zone_for(parcel.postcode)
        except NoRate:
            continue
        if zone not in zones:
            zones.append(zone)
    lines = []
    for zone in sorted(zones):
        count = 0
        weight = 0.0
        for parcel in parcels:
            try:
                if zone_for(parcel.postcode) != zone:
                    continue
            except NoRate:
                continue
            count += 1
            weight += parcel.weight_kg
            lines.append(
                f"{zone}|{parcel.ref}|{parcel.recipient.upper()}|"
                f"{clean_address(parcel.address).title()}|{float(parcel.weight_kg):.2f}kg"
            )
        lines.append(f"{zone}|TOTAL|{count} parcels|{weight:.2f}kg")
    return lines


def invoice_lines(parcels: list[Parcel]) -> list[str]:
    lines = []
    total = 0.0
    for parcel in parcels:
        try:
            price = quote(parcel)
        except NoRate:
            lines.append(f"{parcel.ref}: not accepted")
            continue
        total += price
        lines.append(f"{parcel.ref}: {price:.2f} EUR")
    lines.append(f"total: {total:.2f} EUR")
    return lines
