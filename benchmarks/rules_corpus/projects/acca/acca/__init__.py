"""acca: a betting slip calculator for odds, multiples, each-way bets, settlement and
bookmaker liability."""

from .bets import (
    BET_TYPES,
    PLACE,
    WIN,
    Line,
    Selection,
    Slip,
    build_lines,
    line_count,
    line_sizes,
    potential_return,
    total_stake,
)
from .liability import Event, LiabilityRow, liability_report, total_exposure, worst_case
from .odds import (
    STANDARD_FRACTIONS,
    OddsError,
    american_to_decimal,
    exact_fraction,
    format_odds,
    fractional_to_decimal,
    implied_probability,
    overround,
    parse_odds,
    to_american,
    to_fractional,
)
from .report import (
    bet_name,
    describe_bet,
    format_money,
    liability_table,
    slip_receipt,
    statement,
    status_counts,
)
from .settle import (
    MAX_RULE4,
    NonRunner,
    Result,
    SettlementError,
    Settlement,
    Settler,
    apply_rule4,
    dead_heat_factor,
    rule4_deduction,
    rule4_rate,
)

__all__ = [
    "BET_TYPES", "MAX_RULE4", "PLACE", "STANDARD_FRACTIONS", "WIN",
    "Event", "LiabilityRow", "Line", "NonRunner", "OddsError", "Result", "Selection",
    "Settlement", "SettlementError", "Settler", "Slip",
    "american_to_decimal", "apply_rule4", "bet_name", "build_lines", "dead_heat_factor",
    "describe_bet", "exact_fraction", "format_money", "format_odds", "fractional_to_decimal",
    "implied_probability", "liability_report", "liability_table", "line_count", "line_sizes",
    "overround", "parse_odds", "potential_return", "rule4_deduction", "rule4_rate",
    "slip_receipt", "statement", "status_counts", "to_american", "to_fractional",
    "total_exposure", "total_stake", "worst_case",
]
