"""The market registry, bookmakers' books of prices, and the text price feed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prices import Price, PriceError, overround, parse_price, remove_margin


class FeedError(ValueError):
    """A feed line that cannot be used."""

    def __init__(self, message: str, line_no: int | None = None):
        if line_no is not None:
            message = f"line {line_no}: {message}"
        super().__init__(message)
        self.line_no = line_no


@dataclass(frozen=True)
class MarketSpec:
    market_id: str
    event: str
    selections: tuple[str, ...]
    day: str


MARKETS: dict[str, MarketSpec] = {}

_SPACES_RE = re.compile(r"\s+")
_JUNK_RE = re.compile(r"[^\w .+\-/&']")
_MARKET_ID_RE = re.compile(r"[A-Z0-9][A-Z0-9_\-.]*")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean_name(text: str) -> str:
    """Tidy a bookmaker or selection name: drop stray symbols, squeeze spaces, capitalise."""
    if not isinstance(text, str):
        raise TypeError(f"name must be str, not {type(text).__name__}")
    text = _JUNK_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text).strip()
    if not text:
        raise ValueError("empty name")
    words = [w if any(ch.isdigit() for ch in w) else w.capitalize() for w in text.split(" ")]
    return " ".join(words)


def normalise_market_id(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"market id must be str, not {type(text).__name__}")
    market_id = _SPACES_RE.sub("-", text.strip()).upper()
    if not _MARKET_ID_RE.fullmatch(market_id):
        raise ValueError(f"bad market id {text!r}")
    return market_id


def register_market(market_id: str, event: str, selections, day: str) -> MarketSpec:
    market_id = normalise_market_id(market_id)
    names = tuple(clean_name(s) for s in selections)
    if len(names) < 2:
        raise ValueError(f"market {market_id} needs at least two selections")
    if len(set(names)) != len(names):
        raise ValueError(f"market {market_id} has a repeated selection")
    if not isinstance(day, str) or not _DAY_RE.fullmatch(day):
        raise ValueError(f"day must look like YYYY-MM-DD, got {day!r}")
    if market_id in MARKETS:
        raise ValueError(f"market {market_id} is already registered")
    spec = MarketSpec(market_id, event.strip(), names, day)
    MARKETS[market_id] = spec
    return spec


def get_market(market_id: str) -> MarketSpec:
    try:
        return MARKETS[market_id]
    except KeyError:
        raise KeyError(f"unknown market {market_id!r}") from None


def clear_markets() -> None:
    MARKETS.clear()


class Market:
    """One bookmaker's prices for one registered market."""

    def __init__(self, market_id: str):
        self.market_id = market_id
        self.prices: dict[str, Price] = {}

    @property
    def spec(self) -> MarketSpec:
        return get_market(self.market_id)

    def set_price(self, selection: str, price: Price) -> None:
        if not isinstance(price, Price):
            raise TypeError("set_price needs a Price")
        self.prices[selection] = price

    def is_complete(self) -> bool:
        return all(s in self.prices for s in self.spec.selections)

    def ordered_prices(self) -> list[Price]:
        if not self.is_complete():
            raise ValueError(f"market {self.market_id} is not fully priced")
        return [self.prices[s] for s in self.spec.selections]

    def overround(self):
        return overround(self.ordered_prices())

    def fair_probabilities(self, method: str = "proportional") -> dict:
        fair = remove_margin(self.ordered_prices(), method)
        return dict(zip(self.spec.selections, fair))


class Book:
    """A bookmaker's price list: its markets in the order they were first quoted."""

    def __init__(self, name: str):
        self.name = name
        self.markets: list[Market] = []

    def market(self, market_id: str) -> Market | None:
        for market in self.markets:
            if market.market_id == market_id:
                return market
        return None

    def quote(self, market_id: str, selection: str, price: Price) -> None:
        spec = get_market(market_id)
        if selection not in spec.selections:
            raise ValueError(f"{selection!r} is not a selection of {market_id}")
        market = self.market(market_id)
        if market is None:
            market = Market(market_id)
            self.markets.append(market)
        market.set_price(selection, price)

    def price(self, market_id: str, selection: str) -> Price | None:
        market = self.market(market_id)
        return None if market is None else market.prices.get(selection)

    def quotes(self):
        for market in self.markets:
            for selection, price in market.prices.items():
                yield market.market_id, selection, price


def parse_feed(lines, books: dict | None = None, strict: bool = False) -> dict[str, Book]:
    """Read "bookmaker | market id | selection | price" lines into books.  A later line for
    the same book, market and selection replaces the price; blank and "#" lines are skipped,
    bad lines too, unless strict, when they raise FeedError with the line number."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    if books is None:
        books = {}
    for line_no, raw in enumerate(lines, 1):
        if not isinstance(raw, str):
            raise TypeError(f"line {line_no}: feed lines must be str")
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        try:
            if len(parts) != 4:
                raise FeedError(f"expected 4 fields, got {len(parts)}", line_no)
            bookmaker = clean_name(parts[0])
            market_id = normalise_market_id(parts[1])
            selection = clean_name(parts[2])
            price = parse_price(parts[3])
            spec = MARKETS.get(market_id)
            if spec is None:
                raise FeedError(f"unknown market {market_id}", line_no)
            if selection not in spec.selections:
                raise FeedError(f"{selection!r} is not a selection of {market_id}", line_no)
        except (ValueError, PriceError) as exc:
            if not strict:
                continue
            if isinstance(exc, FeedError):
                raise
            raise FeedError(str(exc), line_no) from exc
        book = books.get(bookmaker)
        if book is None:
            book = books[bookmaker] = Book(bookmaker)
        book.quote(market_id, selection, price)
    return books
