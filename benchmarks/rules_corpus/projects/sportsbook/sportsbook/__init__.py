"""sportsbook: an odds desk - prices, margins, parlays, settlement, arbitrage and P&L."""

from .analysis import (Arbitrage, Quote, ValueBet, all_quotes, best_prices,
                       consensus_probabilities, find_arbitrage, kelly_fraction, value_bets)
from .markets import (MARKETS, Book, FeedError, Market, MarketSpec, clean_name, clear_markets,
                      get_market, normalise_market_id, parse_feed, register_market)
from .prices import (Price, PriceError, format_price, overround, parse_price,
                     remove_margin)
from .report import DaySummary, LedgerRow, build_ledger, daily_report, format_report, money
from .slips import (Leg, MatchResult, Settlement, Slip, SlipError, parse_result, settle_slip,
                    settle_slips)

__all__ = [
    "MARKETS", "Arbitrage", "Book", "DaySummary", "FeedError", "LedgerRow", "Leg", "Market",
    "MarketSpec", "MatchResult", "Price", "PriceError", "Quote", "Settlement", "Slip", "SlipError",
    "ValueBet", "all_quotes", "best_prices", "build_ledger", "clean_name", "clear_markets",
    "consensus_probabilities", "daily_report", "find_arbitrage", "format_price", "format_report",
    "get_market", "kelly_fraction", "money", "normalise_market_id", "overround", "parse_feed",
    "parse_price", "parse_result", "register_market", "remove_margin", "settle_slip",
    "settle_slips", "value_bets",
]
