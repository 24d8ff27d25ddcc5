from datetime import date
from decimal import Decimal

import pytest

import utilbill as ub

TARIFFS = """
# two versions of a standard electricity tariff
E-STD electric 2024-01-01 standing=0.50 100@0.20 *@0.30
E-STD electric 2024-01-16 standing=0.60 100@0.25 *@0.35
W-MET water 2023-06-01 standing=0.20 6@1.50 *@2.00
"""


def make_world():
    book = ub.TariffBook(ub.parse_tariffs(TARIFFS))
    ledger = ub.MeterLedger()
    ledger.add_account(ub.Account("AC-1", "Ash", "electric", "E-STD", date(2024, 1, 1)))
    ledger.add_account(ub.Account("AC-2", "Birch", "water", "W-MET", date(2024, 1, 10)))
    ledger.add_readings(ub.parse_readings(
        "AC-1 | 2024-01-01 | 1000\n"
        "ac 1 | 2024-02-01 | 1310 | A\n"
        "AC-2 | 2024-01-10 | 50.0\n"
        "AC-2 | 2024-02-01 | 61.0 | C\n"
    ))
    return ledger, book, ub.Biller(ledger, book)


def test_round_money_half_up():
    assert ub.round_money("2.345") == Decimal("2.35")
    assert ub.round_money(Decimal("-2.345")) == Decimal("-2.35")
    assert ub.round_money(3) == Decimal("3.00")


def test_format_money():
    assert ub.format_money(Decimal("1234.5")) == "£1,234.50"
    assert ub.format_money("-0.5") == "-£0.50"


def test_parse_rate():
    assert ub.parse_rate("5%") == Decimal("0.05")
    assert ub.parse_rate("0.2") == Decimal("0.2")


def test_split_amount_adds_up():
    parts = ub.split_amount("10.00", [1, 1, 1])
    assert parts == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]
    assert sum(parts) == Decimal("10.00")


def test_normalise_account_id():
    assert ub.normalise_account_id(" ac 00012 ") == "AC-00012"
    assert ub.normalise_account_id("AC00012") == "AC-00012"
    with pytest.raises(ValueError):
        ub.normalise_account_id("12-AC")


def test_parse_readings_fields():
    readings = ub.parse_readings("# header\nAC-7 | 2024-03-01 | 0012.5 | c  # note\n\n")
    assert readings == [ub.Reading("AC-7", date(2024, 3, 1), Decimal("0012.5"), "C")]


def test_parse_readings_reports_line_number():
    with pytest.raises(ValueError, match="line 2"):
        ub.parse_readings("AC-1 | 2024-01-01 | 1\nAC-1 | 2024-13-01 | 2\n")


def test_parse_tariff():
    tariff = ub.parse_tariff("E-STD electric 2024-01-01 standing=0.50 100@0.20 *@0.30")
    assert tariff.code == "E-STD"
    assert tariff.effective == date(2024, 1, 1)
    assert tariff.standing == Decimal("0.50")
    assert tariff.tiers == (ub.Tier(100, Decimal("0.20")), ub.Tier(None, Decimal("0.30")))


def test_tariff_on_picks_latest_version():
    _, book, _ = make_world()
    assert book.tariff_on("E-STD", date(2024, 1, 15)).standing == Decimal("0.50")
    assert book.tariff_on("E-STD", date(2024, 1, 16)).standing == Decimal("0.60")
    with pytest.raises(LookupError):
        book.tariff_on("E-STD", date(2023, 12, 31))


def test_segments_split_on_tariff_change():
    _, book, _ = make_world()
    segments = book.segments("E-STD", date(2024, 1, 1), date(2024, 2, 1))
    assert [(s.start, s.end) for s in segments] == [
        (date(2024, 1, 1), date(2024, 1, 16)),
        (date(2024, 1, 16), date(2024, 2, 1)),
    ]


def test_band_usage_scales_limits_by_days():
    tariff = ub.parse_tariff("X electric 2024-01-01 standing=0 100@0.20 *@0.30")
    assert ub.band_usage(tariff, Decimal("150"), 15) == [
        (Decimal("50.000"), Decimal("0.20")),
        (Decimal("100.000"), Decimal("0.30")),
    ]


def test_read_at_interpolates_and_estimates():
    ledger, _, _ = make_world()
    assert ledger.read_at("AC-1", date(2024, 1, 1)) == ub.Read(date(2024, 1, 1),
                                                               Decimal("1000"), "actual")
    mid = ledger.read_at("AC-1", date(2024, 1, 11))
    assert (mid.value, mid.kind) == (Decimal("1100.000"), "interpolated")
    later = ledger.read_at("AC-1", date(2024, 2, 11))
    assert (later.value, later.kind) == (Decimal("1410.000"), "estimated")


def test_reading_cannot_go_backwards():
    ledger, _, _ = make_world()
    with pytest.raises(ValueError):
        ledger.add_reading(ub.Reading("AC-1", date(2024, 2, 5), Decimal("1200"), "A"))


def test_consumption():
    ledger, _, _ = make_world()
    units, first, last = ledger.consumption("AC-1", date(2024, 1, 1), date(2024, 2, 1))
    assert units == Decimal("310")
    assert first.kind == last.kind == "actual"


def test_invoice_prorates_across_tariff_change():
    _, _, biller = make_world()
    invoice = biller.bill("AC-1", date(2024, 1, 1), date(2024, 2, 1))
    assert invoice.number == "INV-000001"
    assert [line.amount for line in invoice.lines] == [
        Decimal("10.00"), Decimal("30.00"), Decimal("7.50"),
        Decimal("13.33"), Decimal("37.33"), Decimal("9.60"),
    ]
    assert invoice.subtotal == Decimal("107.76")
    assert invoice.tax == Decimal("5.39")
    assert invoice.total == Decimal("113.15")
    assert invoice.estimated is False


def test_water_has_no_tax_and_part_month():
    _, _, biller = make_world()
    issued = biller.bill_month(2024, 1)
    water = [i for i in issued if i.account_id == "AC-2"][0]
    assert water.start == date(2024, 1, 10)
    assert water.tax == Decimal("0.00")
    # 22 days: 6 * 22 / 30 = 4.4 units in the low band, 6.6 above it
    assert water.subtotal == Decimal("6.60") + Decimal("13.20") + Decimal("4.40")


def test_double_billing_rejected():
    _, _, biller = make_world()
    biller.bill("AC-1", date(2024, 1, 1), date(2024, 2, 1))
    with pytest.raises(ValueError):
        biller.bill("AC-1", date(2024, 1, 20), date(2024, 2, 1))


def test_percent_then_fixed_discount():
    _, _, biller = make_world()
    biller.add_discount(ub.Discount("AC-1", "fixed", Decimal("5"), date(2024, 1, 1),
                                    date(2024, 3, 1), "goodwill"))
    biller.add_discount(ub.Discount("AC-1", "percent", Decimal("10"), date(2024, 1, 1),
                                    date(2024, 3, 1), "loyalty"))
    invoice = biller.quote("AC-1", date(2024, 1, 1), date(2024, 2, 1))
    assert invoice.number is None
    assert invoice.discount == Decimal("10.78") + Decimal("5.00")
    assert invoice.lines[-2].description == "Discount: loyalty"
    assert invoice.total == invoice.subtotal - invoice.discount + invoice.tax


def test_bad_discount_rejected():
    _, _, biller = make_world()
    with pytest.raises(ValueError):
        biller.add_discount(ub.Discount("AC-1", "percent", Decimal("120"), date(2024, 1, 1),
                                        date(2024, 2, 1), "too generous"))


def test_parse_payments():
    payments = ub.parse_payments("AC-1; 2024-02-10; 20.005; P1\n")
    assert payments == [ub.Payment("AC-1", date(2024, 2, 10), Decimal("20.01"), "P1")]


def test_aging_report_buckets():
    _, _, biller = make_world()
    invoices = biller.bill_month(2024, 1)
    payments = [ub.Payment("AC-1", date(2024, 2, 20), Decimal("50.00"), "P1")]
    rows = ub.aging_report(invoices, payments, date(2024, 4, 1))
    ac1 = [r for r in rows if r.account_id == "AC-1"][0]
    assert ac1.days_31_60 == Decimal("63.15")
    assert ac1.total == Decimal("63.15")
    assert rows[0].account_id == "AC-1"


def test_statement_running_balance():
    _, _, biller = make_world()
    invoices = biller.bill_month(2024, 1)
    payments = [ub.Payment("AC-1", date(2024, 2, 20), Decimal("100.00"), "P1")]
    lines = ub.statement(invoices, payments, "AC-1")
    assert [line.balance for line in lines] == [Decimal("113.15"), Decimal("13.15")]


def test_invoice_text_mentions_totals():
    _, _, biller = make_world()
    invoice = biller.bill("AC-1", date(2024, 1, 1), date(2024, 2, 1))
    text = ub.invoice_text(invoice)
    assert "INV-000001" in text
    assert "31 Jan 2024" in text
    assert "£113.15" in text


def test_revenue_summary_keys():
    _, _, biller = make_world()
    invoices = biller.bill_month(2024, 1)
    summary = ub.revenue_summary(invoices)
    assert list(summary) == [("electric", "2024-01"), ("water", "2024-01")]
    assert summary[("electric", "2024-01")]["tax"] == Decimal("5.39")
