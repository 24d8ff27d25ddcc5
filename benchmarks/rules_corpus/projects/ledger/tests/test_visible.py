from datetime import date
from decimal import Decimal

import pytest

from ledger import Ledger, Posting, Transaction, UnbalancedTransaction, UnknownAccount, reconcile
from ledger.accounts import standard_chart
from ledger.book import format_money
from ledger.reports import balance_sheet, income_statement

D = Decimal


def small_ledger() -> Ledger:
    ledger = Ledger(standard_chart())
    ledger.post(Transaction("t1", "2024-01-05", "capital", [Posting("1200", D("1000")),
                                                            Posting("3000", D("-1000"))]))
    ledger.post(Transaction("t2", "2024-02-01", "rent", [Posting("6000", D("300")),
                                                         Posting("1200", D("-300"))]))
    ledger.post(Transaction("t3", "2024-02-10", "sale", [Posting("1200", D("119")),
                                                         Posting("4000", D("-100")),
                                                         Posting("2100", D("-19"))]))
    return ledger


def test_balances() -> None:
    ledger = small_ledger()
    assert ledger.balance("1200") == D("819")
    assert ledger.balance("4000") == D("100")
    assert ledger.balance("1200", date(2024, 1, 31)) == D("1000")
    tb = ledger.trial_balance()
    assert tb[1] == ("1200", "Bank", D("819"))


def test_posting_rules() -> None:
    ledger = small_ledger()
    with pytest.raises(UnbalancedTransaction):
        ledger.post(Transaction("x", "2024-03-01", "bad", [Posting("1200", D("1")),
                                                           Posting("4000", D("-2"))]))
    with pytest.raises(UnknownAccount):
        ledger.post(Transaction("y", "2024-03-01", "bad", [Posting("9999", D("1")),
                                                           Posting("4000", D("-1"))]))
    assert len(ledger.transactions) == 3


def test_reports_and_statement() -> None:
    ledger = small_ledger()
    assert income_statement(ledger)[-1] == f"  {'Net result':<20} {'-200.00':>14}"
    sheet = balance_sheet(ledger)
    assert sheet == {"asset": D("819"), "liability": D("19"), "equity": D("800")}
    assert ledger.monthly_totals("1200") == {"2024-01": D("1000"), "2024-02": D("-181")}
    lines = ledger.account_statement("1200")
    assert lines[0] == "1200 Bank"
    assert lines[-1].endswith("819.00")
    assert format_money(D("-1234.5")) == "-1,234.50"


def test_reconcile() -> None:
    ledger = small_ledger()
    pairs, unmatched = reconcile(ledger, ["2024-02-10|119,00|A", "2024-02-01|-300|B",
                                          "2024-02-01|-300|C"])
    assert pairs == [("A", "t3"), ("B", "t2")]
    assert unmatched == ["C"]
