"""Closing prices from the data vendor's CSV export (date,ticker,close)."""

from __future__ import annotations


class PriceError(ValueError):
    pass


def load_prices(rows):
    """{ticker: [close, ...]} ordered by date; every ticker must have every date."""
    by_ticker = {}
    dates = set()
    for number, row in enumerate(rows, start=1):
        if not row.strip() or row.startswith("date"):
            continue
        day, ticker, close = row.split(",")
        value = float(close)
        if value <= 0:
            raise PriceError(f"row {number}: non-positive close for {ticker}")
        by_ticker.setdefault(ticker.strip(), {})[day.strip()] = value
        dates.add(day.strip())
    ordered_dates = sorted(dates)
    series = {}
    for ticker, closes in by_ticker.items():
        missing = [d for d in ordered_dates if d not in closes]
        if missing:
            raise PriceError(f"{ticker}: no close on {missing[0]}")
        series[ticker] = [closes[d] for d in ordered_dates]
    return series
