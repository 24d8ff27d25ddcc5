"""Matching the bank statement against postings on the bank account."""

from __future__ import annotations

from decimal import Decimal

from ledger.book import Ledger

BANK = "1200"


def parse_statement_line(line: str) -> tuple[str, Decimal, str]:
    day, amount, reference = (part.strip() for part in line.split("|"))
    return day, Decimal(amount.replace(",", ".")), reference


def reconcile(ledger: Ledger, statement: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Pairs each statement line with the first unmatched bank posting of the same day and amount.

    Returns ([(statement reference, transaction ident)], [unmatched statement references]).
    """
    matched_ids: list[str] = []
    pairs = []
    unmatched = []
    for line in statement:
        day, amount, reference = parse_statement_line(line)
        found = None
        for txn in ledger.transactions:
            if txn.day != day or txn.ident in matched_ids:
                continue
            for posting in txn.postings:
                if posting.account == BANK and posting.amount == amount:
                    found = txn
                    break
            if found is not None:
                break
        if found is None:
            unmatched.append(reference)
        else:
            matched_ids.append(found.ident)
            pairs.append((reference, found.ident))
    return pairs, unmatched
