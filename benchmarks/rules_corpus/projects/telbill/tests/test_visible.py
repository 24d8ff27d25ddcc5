from datetime import datetime
from decimal import Decimal

import pytest

import telbill as tb

DECK_LINES = [
    "prefix,country,peak,offpeak",
    "# test deck",
    "353,IE,0.0200,0.0100",
    "3538,IE,0.1200,0.0600",
    "44,GB,0.0300,0.0200",
    "447,GB,0.1500,0.0900",
    "33,FR,0.0400,0.0300",
]

ACCOUNTS = [
    {"id": "A1", "name": "Aoife Murphy", "plan": "payg", "region": "IE", "country": "IE"},
    {"id": "A2", "name": "Sean Kelly", "plan": "talk100", "region": "IE", "country": "IE"},
]


def rec(call_id, account, callee, start, duration, kind="voice"):
    return {
        "call_id": call_id,
        "account": account,
        "caller": "353861234567",
        "callee": callee,
        "start": datetime.fromisoformat(start),
        "duration": duration,
        "kind": kind,
    }


@pytest.fixture
def deck():
    return tb.parse_rate_deck(DECK_LINES)


def test_normalize_number_formats():
    assert tb.normalize_number("+353 86 123 4567") == "353861234567"
    assert tb.normalize_number("00353-86-1234567") == "353861234567"
    assert tb.normalize_number("(+33) 145-201234") == "33145201234"


def test_normalize_number_rejects_national_numbers():
    with pytest.raises(tb.CdrError):
        tb.normalize_number("086 123 4567")


def test_parse_cdr_line():
    record = tb.parse_cdr_line("C1,A1,+353861234567,+33145201234,2024-03-05 10:15:00,125,voice")
    assert record["call_id"] == "C1"
    assert record["callee"] == "33145201234"
    assert record["start"] == datetime(2024, 3, 5, 10, 15)
    assert record["duration"] == 125
    assert record["kind"] == "voice"


def test_parse_cdr_lines_skips_header_and_blanks():
    lines = [
        "call_id,account,caller,callee,start,duration,kind",
        "C1,A1,+353861234567,+33145201234,2024-03-05 10:15:00,125,voice",
        "",
        "C2,A1,+353861234567,+44791234567,2024-03-05 11:00:00,0,sms",
    ]
    records = tb.parse_cdr_lines(lines)
    assert [r["call_id"] for r in records] == ["C1", "C2"]


def test_parse_cdr_lines_collects_errors():
    lines = [
        "C1,A1,+353861234567,+33145201234,2024-03-05 10:15:00,125,voice",
        "C2,A1,+353861234567,+33145201234,2024-02-30 10:15:00,125,voice",
        "C3,A1,+353861234567,+33145201234,2024-03-05 10:15:00,12,voice",
    ]
    errors = []
    records = tb.parse_cdr_lines(lines, errors)
    assert [r["call_id"] for r in records] == ["C1", "C3"]
    assert len(errors) == 1 and errors[0][0] == 2


def test_parse_cdr_lines_raises_without_error_list():
    with pytest.raises(tb.CdrError) as info:
        tb.parse_cdr_lines(["C1,A1,+353861234567,+33145201234,2024-03-05 10:15:00,-1,voice"])
    assert info.value.lineno == 1


def test_format_cdr_line_round_trip():
    line = "C9,A2,+353861234567,+447912345678,2024-04-01 08:00:00,61,voice"
    assert tb.format_cdr_line(tb.parse_cdr_line(line)) == line


def test_parse_rate_deck(deck):
    assert [entry[0] for entry in deck] == ["33", "353", "3538", "44", "447"]
    assert deck[1] == ("353", "IE", Decimal("0.0200"), Decimal("0.0100"))


def test_find_rate_longest_prefix(deck):
    assert tb.find_rate(deck, "353871234567")[0] == "3538"
    assert tb.find_rate(deck, "353161234567")[0] == "353"
    assert tb.find_rate(deck, "447912345678")[1] == "GB"


def test_find_rate_no_match(deck):
    assert tb.find_rate(deck, "4912345678") is None


def test_is_peak():
    assert tb.is_peak(datetime(2024, 3, 5, 10, 0), "IE")
    assert not tb.is_peak(datetime(2024, 3, 5, 19, 0), "IE")
    assert not tb.is_peak(datetime(2024, 3, 9, 10, 0), "IE")  # Saturday
    assert not tb.is_peak(datetime(2024, 3, 18, 10, 0), "IE")  # holiday


def test_billable_seconds():
    assert tb.billable_seconds(61, "second") == 61
    assert tb.billable_seconds(61, "minute") == 120
    assert tb.billable_seconds(20, "60/1") == 60
    assert tb.billable_seconds(37, "30/6") == 42
    assert tb.billable_seconds(0, "minute") == 0


def test_call_charge():
    assert tb.call_charge(Decimal("0.0600"), 90) == Decimal("0.0900")
    assert tb.call_charge(Decimal("0.1000"), 1) == Decimal("0.0017")


def test_rate_calls_payg(deck):
    records = [rec("C1", "A1", "353161234567", "2024-03-05 10:00:00", 120)]
    rated = tb.rate_calls(records, ACCOUNTS, deck)
    assert len(rated) == 1
    call = rated[0]
    assert call["country"] == "IE" and call["peak"]
    assert call["billed_seconds"] == 120 and call["free_seconds"] == 0
    assert call["charge"] == Decimal("0.0400")
    assert call["month"] == "2024-03"


def test_rate_calls_consumes_bundle_in_call_order(deck):
    records = [
        rec("C2", "A2", "353161234567", "2024-03-05 11:00:00", 1800),
        rec("C1", "A2", "353161234567", "2024-03-05 10:00:00", 5000),
    ]
    rated = tb.rate_calls(records, ACCOUNTS, deck)
    assert [c["call_id"] for c in rated] == ["C1", "C2"]
    assert rated[0]["free_seconds"] == 5040
    assert rated[1]["free_seconds"] == 960
    assert rated[1]["charge"] == tb.call_charge(Decimal("0.0200"), 1800 - 960)


def test_rate_calls_rejects_unknown_destination(deck):
    records = [rec("C1", "A1", "4912345678", "2024-03-05 10:00:00", 60)]
    with pytest.raises(tb.RatingError):
        tb.rate_calls(records, ACCOUNTS, deck)
    rejected = []
    assert tb.rate_calls(records, ACCOUNTS, deck, rejected=rejected) == []
    assert rejected == records


def test_sms_uses_plan_price(deck):
    records = [rec("C1", "A1", "447912345678", "2024-03-05 10:00:00", 0, "sms")]
    call = tb.rate_calls(records, ACCOUNTS, deck)[0]
    assert call["charge"] == Decimal("0.10")
    assert call["billed_seconds"] == 0


def test_build_statements(deck):
    records = [
        rec("C1", "A1", "353161234567", "2024-03-05 10:00:00", 600),
        rec("C2", "A1", "33145201234", "2024-03-09 10:00:00", 60),
        rec("C3", "A1", "33145201234", "2024-04-09 10:00:00", 60),
    ]
    rated = tb.rate_calls(records, ACCOUNTS, deck)
    statements = tb.build_statements(rated, ACCOUNTS, "2024-03")
    assert [s["account"] for s in statements] == ["A1", "A2"]
    first = statements[0]
    assert first["calls"] == 2
    assert first["subtotal"] == Decimal("0.23")
    assert first["tax"] == Decimal("0.05")
    assert first["total"] == Decimal("0.28")
    assert statements[1]["lines"] == [("Monthly fee - Talk 100", 1, 0, Decimal("9.99"))]


def test_render_statement(deck):
    rated = tb.rate_calls([rec("C1", "A2", "447912345678", "2024-03-05 10:00:00", 60)],
                          ACCOUNTS, deck)
    text = tb.render_statement(tb.build_statements(rated, ACCOUNTS, "2024-03")[1])
    assert "Sean Kelly" in text
    assert "Calls to GB (peak)" in text
    assert text.splitlines()[-1].endswith("EUR 12.47")


def test_usage_by_country(deck):
    records = [
        rec("C1", "A1", "353161234567", "2024-03-05 10:00:00", 600),
        rec("C2", "A1", "33145201234", "2024-03-05 10:30:00", 600),
        rec("C3", "A1", "33145201234", "2024-03-05 11:00:00", 600),
    ]
    rows = tb.usage_by_country(tb.rate_calls(records, ACCOUNTS, deck))
    assert [row[0] for row in rows] == ["FR", "IE"]
    assert rows[0][1] == "France"
    assert rows[0][2] == 2 and rows[0][3] == 1200
    assert rows[0][4] == Decimal("0.80")
    assert rows[0][5] + rows[1][5] == Decimal("100.0")


def test_daily_usage(deck):
    records = [
        rec("C1", "A1", "353161234567", "2024-02-05 10:00:00", 600),
        rec("C2", "A1", "353161234567", "2024-02-29 23:59:59", 60),
    ]
    days = tb.daily_usage(tb.rate_calls(records, ACCOUNTS, deck), "2024-02")
    assert len(days) == 29
    assert days[4] == ("2024-02-05", 1, 600, Decimal("0.20"))
    assert days[-1][1] == 1
    assert sum(day[1] for day in days) == 2


def test_format_money():
    assert tb.format_money(Decimal("1234.5")) == "EUR 1,234.50"
    assert tb.format_money(Decimal("-0.005")) == "-EUR 0.01"


def test_ledger():
    ledger = tb.Ledger("A1")
    ledger.charge({"account": "A1", "month": "2024-03", "total": Decimal("12.30")})
    ledger.pay("10", "2024-04-02")
    assert ledger.balance == Decimal("2.30")
    assert len(ledger.entries()) == 2


def test_parse_month():
    assert tb.parse_month("2024-11") == (2024, 11)
    with pytest.raises(ValueError):
        tb.parse_month("2024-13")
