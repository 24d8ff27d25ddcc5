"""Across bookmakers: best prices, arbitrage, consensus probabilities and Kelly stakes."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .markets import get_market
from .prices import Price


@dataclass(frozen=True)
class Quote:
    bookmaker: str
    market_id: str
    selection: str
    price: Price


@dataclass(frozen=True)
class Arbitrage:
    market_id: str
    legs: tuple  # (selection, bookmaker, price, stake) in the market's selection order
    total_stake: Fraction
    margin: Fraction  # 1 - sum of implied probabilities of the best prices
    profit: Fraction  # guaranteed, whichever selection wins


@dataclass(frozen=True)
class ValueBet:
    bookmaker: str
    market_id: str
    selection: str
    price: Price
    probability: float
    edge: float
    stake: float


def all_quotes(books) -> list[Quote]:
    """Every price of every book, books in name order, markets in the order quoted."""
    quotes = []
    for name in sorted(books):
        for market_id, selection, price in books[name].quotes():
            quotes.append(Quote(name, market_id, selection, price))
    return quotes


def _best_of(quotes) -> dict:
    best = {}
    for quote in quotes:
        current = best.get(quote.selection)
        if current is None or quote.price > current[0] or (
                quote.price == current[0] and quote.bookmaker < current[1]):
            best[quote.selection] = (quote.price, quote.bookmaker)
    return best


def best_prices(books, market_id: str) -> dict:
    """selection -> (best price, bookmaker); equal prices go to the first bookmaker by name."""
    get_market(market_id)
    rows = [q for q in all_quotes(books) if q.market_id == market_id]
    return _best_of(rows)


def find_arbitrage(books, total_stake=100, min_margin=0) -> list[Arbitrage]:
    """Markets where backing every selection at the best available price locks in a profit.

    Stakes are split in proportion to the implied probabilities, so every outcome returns
    the same amount.  Sorted by margin, largest first, then by market id.
    """
    total_stake = Fraction(total_stake)
    if total_stake <= 0:
        raise ValueError("total stake must be positive")
    min_margin = Fraction(min_margin)
    quotes = all_quotes(books)
    market_ids = []
    for quote in quotes:
        if quote.market_id not in market_ids:
            market_ids.append(quote.market_id)
    found = []
    for market_id in market_ids:
        rows = [q for q in quotes if q.market_id == market_id]
        best = _best_of(rows)
        spec = get_market(market_id)
        if any(s not in best for s in spec.selections):
            continue
        book_sum = sum(best[s][0].implied() for s in spec.selections)
        margin = 1 - book_sum
        if margin <= min_margin:
            continue
        legs = []
        for selection in spec.selections:
            price, bookmaker = best[selection]
            stake = total_stake * price.implied() / book_sum
            legs.append((selection, bookmaker, price, stake))
        profit = total_stake / book_sum - total_stake
        found.append(Arbitrage(market_id, tuple(legs), total_stake, margin, profit))
    found.sort(key=lambda arb: (-arb.margin, arb.market_id))
    return found


def kelly_fraction(price: Price, probability):
    """Share of the bankroll the Kelly criterion stakes at this price; 0 when there is no edge."""
    if not isinstance(price, Price):
        raise TypeError("kelly_fraction needs a Price")
    if not 0 <= probability <= 1:
        raise ValueError(f"probability must be between 0 and 1, got {probability!r}")
    decimal = price.decimal
    if isinstance(probability, float):
        decimal = float(decimal)
    fraction = (probability * decimal - 1) / (decimal - 1)
    return fraction if fraction > 0 else type(fraction)(0)


def consensus_probabilities(books, market_id: str, method: str = "power") -> dict:
    """Average of each fully priced book's margin-free probabilities for a market."""
    spec = get_market(market_id)
    totals = {s: 0.0 for s in spec.selections}
    count = 0
    for name in sorted(books):
        market = books[name].market(market_id)
        if market is None or not market.is_complete():
            continue
        fair = market.fair_probabilities(method)
        for selection in spec.selections:
            totals[selection] += float(fair[selection])
        count += 1
    if count == 0:
        return {}
    return {s: totals[s] / count for s in spec.selections}


def value_bets(books, market_ids, min_edge=0.02, bankroll=1000.0, kelly_share=0.25,
               method="power") -> list[ValueBet]:
    """Prices that beat the market consensus by at least min_edge, with fractional-Kelly stakes.

    Sorted by edge, largest first; equal edges by market id, selection, then bookmaker.
    """
    if bankroll <= 0:
        raise ValueError("bankroll must be positive")
    if not 0 < kelly_share <= 1:
        raise ValueError("kelly_share must be in (0, 1]")
    bets = []
    for market_id in market_ids:
        fair = consensus_probabilities(books, market_id, method)
        if not fair:
            continue
        for name in sorted(books):
            market = books[name].market(market_id)
            if market is None:
                continue
            for selection, price in market.prices.items():
                probability = fair[selection]
                edge = probability * float(price.decimal) - 1
                if edge < min_edge:
                    continue
                stake = bankroll * kelly_share * kelly_fraction(price, probability)
                bets.append(ValueBet(name, market_id, selection, price, probability, edge,
                                     round(stake, 2)))
    bets.sort(key=lambda b: (-b.edge, b.market_id, b.selection, b.bookmaker))
    return bets
