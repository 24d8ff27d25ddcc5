"""Seller fees: a listing fee per lot plus a banded final-value fee on sold lots."""

from __future__ import annotations

from collections import namedtuple

Statement = namedtuple("Statement", "seller_id name tier listed sold gross fees net")

# (band upper limit in cents or None, rate in basis points)
FEE_BANDS = ((10000, 1000), (100000, 500), (None, 200))
LISTING_FEE = {"basic": 50, "plus": 25, "pro": 0}
TIER_DISCOUNT = {"basic": 0, "plus": 10, "pro": 25}


def final_value_fee(price: int) -> int:
    fee = 0
    lower = 0
    for upper, rate in FEE_BANDS:
        ceiling = price if upper is None else min(price, upper)
        if ceiling > lower:
            fee += (ceiling - lower) * rate
        if upper is None or price <= upper:
            break
        lower = upper
    return (fee + 5000) // 10000


def find_seller(sellers, seller_id: str):
    for seller in sellers:
        if seller.seller_id == seller_id:
            return seller
    raise KeyError(f"unknown seller {seller_id}")


def result_for(results, lot_id: str):
    for result in results:
        if result.lot_id == lot_id:
            return result
    return None


def lot_fee(lot, result, sellers) -> int:
    seller = find_seller(sellers, lot.seller_id)
    fee = LISTING_FEE[seller.tier]
    if result is not None and result.sold:
        fee += final_value_fee(result.price) * (100 - TIER_DISCOUNT[seller.tier]) // 100
    return fee


def fee_statement(sellers, lots, results) -> list:
    """One Statement per seller with at least one lot, by seller id."""
    statements = []
    for seller_id in sorted({lot.seller_id for lot in lots}):
        seller = find_seller(sellers, seller_id)
        own = [lot for lot in lots if lot.seller_id == seller_id]
        gross = 0
        fees = 0
        sold = 0
        for lot in own:
            result = result_for(results, lot.lot_id)
            fees += lot_fee(lot, result, sellers)
            if result is not None and result.sold:
                sold += 1
                gross += result.price
        statements.append(Statement(seller_id, seller.name, seller.tier, len(own), sold, gross,
                                    fees, gross - fees))
    return statements
