import copy
import random
from datetime import date
from decimal import Decimal

import pytest

from ledger import Account, Ledger, Posting, Transaction, UnbalancedTransaction, reconcile
from ledger.accounts import standard_chart
from ledger.book import format_money
from ledger.reports import balance_sheet

D = Decimal


def test_post_validation_does_not_append_on_error() -> None:
    ledger = Ledger(standard_chart())
    with pytest.raises(UnbalancedTransaction):
        ledger.post(Transaction("a", "2024-01-01", "", [Posting("1200", D("1"))]))
    with pytest.raises(ValueError):
        ledger.post(Transaction("b", "2024-13-01", "", [Posting("1200", D("1")),
                                                        Posting("4000", D("-1"))]))
    with pytest.raises(KeyError):
        ledger.account("0000")
    assert ledger.transactions == []
    with pytest.raises(ValueError):
        Account("1", "x", "revenue")


def test_as_of_is_inclusive_and_direct_edits_are_seen() -> None:
    ledger = Ledger(standard_chart())
    ledger.post(Transaction("a", "2024-03-31", "", [Posting("1000", D("5")),
                                                    Posting("4000", D("-5"))]))
    assert ledger.balance("1000", date(2024, 3, 31)) == D("5")
    assert ledger.balance("1000", date(2024, 3, 30)) == D("0")
    ledger.transactions.append(Transaction("b", "2024-04-01", "", [Posting("1000", D("2")),
                                                                   Posting("4000", D("-2"))]))
    assert ledger.balance("1000") == D("7")
    ledger.transactions.pop(0)
    assert ledger.balance("4000") == D("2")
    ledger.accounts.append(Account("7000", "Misc", "expense"))
    assert ledger.trial_balance()[-1] == ("7000", "Misc", D("0"))


def test_duplicate_account_codes_use_first() -> None:
    ledger = Ledger([Account("1", "A", "asset"), Account("1", "L", "liability"),
                     Account("2", "E", "equity")])
    ledger.post(Transaction("a", "2024-01-01", "", [Posting("1", D("3")), Posting("2", D("-3"))]))
    assert ledger.balance("1") == D("3")
    assert [row[2] for row in ledger.trial_balance()] == [D("3"), D("3"), D("3")]


def test_reconcile_order_and_no_double_use() -> None:
    ledger = Ledger(standard_chart())
    for ident in ("x1", "x2", "x3"):
        ledger.post(Transaction(ident, "2024-05-05", "", [Posting("1200", D("10")),
                                                          Posting("4000", D("-10"))]))
    ledger.post(Transaction("y", "2024-05-05", "", [Posting("1200", D("-4")),
                                                    Posting("1200", D("10")),
                                                    Posting("6000", D("-6"))]))
    statement = ["2024-05-05|10|a", "2024-05-05|10.00|b", "2024-05-06|10|c",
                 "2024-05-05|-4|d", "2024-05-05|10|e", "2024-05-05|10|f"]
    pairs, unmatched = reconcile(ledger, statement)
    assert pairs == [("a", "x1"), ("b", "x2"), ("d", "y"), ("e", "x3")]
    assert unmatched == ["c", "f"]
    with pytest.raises(ValueError):
        reconcile(ledger, ["2024-05-05|10"])
    assert reconcile(ledger, []) == ([], [])


def test_statement_orders_by_date_stably() -> None:
    ledger = Ledger(standard_chart())
    for ident, day in (("b", "2024-02-01"), ("a", "2024-01-15"), ("c", "2024-02-01")):
        ledger.post(Transaction(ident, day, ident, [Posting("1000", D("1")),
                                                    Posting("4000", D("-1"))]))
    lines = ledger.account_statement("1000")
    assert [line.split()[1] for line in lines[1:]] == ["a", "b", "c"]
    assert [t.ident for t in ledger.transactions] == ["b", "a", "c"]


def test_money_formatting() -> None:
    assert format_money(D("0.005")) == "0.00"
    assert format_money(D("0.015")) == "0.02"
    assert format_money(D("-0.004")) == "0.00"
    assert format_money(D("1234567.891")) == "1,234,567.89"
    assert format_money(3) == "3.00"


def test_random_books_balance() -> None:
    rng = random.Random(5)
    ledger = Ledger(standard_chart())
    codes = [a.code for a in ledger.accounts]
    for i in range(300):
        a, b = rng.sample(codes, 2)
        amount = D(rng.randrange(1, 10000)) / 100
        ledger.post(Transaction(f"t{i}", f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                "", [Posting(a, amount), Posting(b, -amount)]))
    snapshot = copy.deepcopy(ledger.transactions)
    sheet = balance_sheet(ledger)
    assert sheet["asset"] == sheet["liability"] + sheet["equity"]
    for as_of in (date(2024, 3, 1), date(2024, 8, 15)):
        raw = sum((p.amount for t in ledger.transactions if t.day <= as_of.isoformat()
                   for p in t.postings), D("0"))
        assert raw == 0
        tb = ledger.trial_balance(as_of)
        signed = sum((b if ledger.account(c).debit_normal else -b for c, _, b in tb), D("0"))
        assert signed == 0
    months = ledger.monthly_totals("1200")
    assert list(months) == sorted(months)
    assert sum(months.values(), D("0")) == ledger.balance("1200")
    assert ledger.transactions == snapshot
