"""Double-entry bookkeeping for a small company: posting, balances, statements, reconciliation."""

from ledger.accounts import Account, UnknownAccount
from ledger.book import Ledger, Posting, Transaction, UnbalancedTransaction
from ledger.reconcile import reconcile

__all__ = [
    "Account",
    "Ledger",
    "Posting",
    "Transaction",
    "UnbalancedTransaction",
    "UnknownAccount",
    "reconcile",
]
