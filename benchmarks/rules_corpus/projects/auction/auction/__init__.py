"""Online auctions: lots, proxy bidding, winners, seller fees, reports and bidding checks."""

from auction.bidding import (
    Result,
    Step,
    bid_history,
    bids_for_lot,
    price_at,
    resolve_all,
    resolve_lot,
)
from auction.fees import Statement, fee_statement, final_value_fee, lot_fee
from auction.lots import (
    Bid,
    Lot,
    Seller,
    format_money,
    increment,
    make_bid,
    make_lot,
    make_seller,
    parse_money,
    read_bids,
)
from auction.reports import (
    BidderRow,
    CategoryRow,
    Flag,
    bidder_report,
    category_report,
    report_lines,
    suspicious_bidders,
)

__all__ = [
    "Bid",
    "BidderRow",
    "CategoryRow",
    "Flag",
    "Lot",
    "Result",
    "Seller",
    "Statement",
    "Step",
    "bid_history",
    "bidder_report",
    "bids_for_lot",
    "category_report",
    "fee_statement",
    "final_value_fee",
    "format_money",
    "increment",
    "lot_fee",
    "make_bid",
    "make_lot",
    "make_seller",
    "parse_money",
    "price_at",
    "read_bids",
    "report_lines",
    "resolve_all",
    "resolve_lot",
    "suspicious_bidders",
]
