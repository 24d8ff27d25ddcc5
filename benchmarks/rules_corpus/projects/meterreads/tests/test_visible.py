from datetime import datetime, timedelta

import pytest

from meterreads import (
    Meter,
    ParseError,
    Reading,
    ReportBuilder,
    Tariff,
    TariffBand,
    daily,
    find_gaps,
    find_spikes,
    hourly,
    parse_line,
    parse_lines,
    price_readings,
    rolling_medians,
)

T0 = datetime(2024, 3, 1)


def at(hour, minute=0, day=0):
    return T0 + timedelta(days=day, hours=hour, minutes=minute)


def economy7():
    bands = (TariffBand("day", 7, 24, 30.0), TariffBand("night", 0, 7, 10.0))
    return Tariff("economy7", bands, 50.0)


def test_parse_line_cleans_fields():
    reading = parse_line(" mr1042 , 2024-03-01T13:15:00 , 0.734\n")
    assert reading == Reading("MR1042", datetime(2024, 3, 1, 13, 15), 0.734)


def test_parse_lines_skips_header_comments_and_blanks():
    lines = ["meter_id,timestamp,kwh", "", "# export v2", "MR1001,2024-03-01T00:00:00,0.5"]
    result = parse_lines(lines)
    assert result.readings == [Reading("MR1001", at(0), 0.5)]
    assert result.problems == []


def test_parse_lines_strict_and_lenient():
    lines = ["MR1001,2024-03-01T00:00:00,0.5", "MR1001,2024-03-01T00:15:00,lots"]
    with pytest.raises(ParseError) as info:
        parse_lines(lines)
    assert info.value.lineno == 2
    result = parse_lines(lines, strict=False)
    assert len(result.readings) == 1
    assert [p.lineno for p in result.problems] == [2]


def test_hourly_and_daily_buckets():
    readings = [
        Reading("MR1001", at(1, 30), 0.25),
        Reading("MR1001", at(0, 15), 0.5),
        Reading("MR1001", at(1, 0), 0.5),
        Reading("MR1001", at(0, 0, day=1), 2.0),
    ]
    assert hourly(readings) == [(at(0), 0.5), (at(1), 0.75), (at(0, day=1), 2.0)]
    assert daily(readings) == [(at(0), 1.25), (at(0, day=1), 2.0)]


def test_tariff_bands_and_validation():
    tariff = economy7()
    assert tariff.band_for(at(6, 45)).name == "night"
    assert tariff.band_for(at(7)).name == "day"
    assert tariff.price(at(3), 2.0) == 20.0
    with pytest.raises(ValueError):
        Tariff("broken", (TariffBand("a", 0, 12, 1.0), TariffBand("b", 10, 24, 2.0)))


def test_price_readings_per_meter():
    meters = [Meter("MR1001", "SW1A 1AA", "economy7"), Meter("MR1002", "M1 2AB", "economy7")]
    readings = [
        Reading("MR1001", at(2), 1.0),
        Reading("MR1002", at(12), 1.0),
        Reading("MR1001", at(20), 0.5),
    ]
    assert price_readings(readings, meters, [economy7()]) == {"MR1001": 25.0, "MR1002": 30.0}


def test_find_gaps():
    readings = [Reading("MR1001", at(0, m), 0.1) for m in (0, 15, 30, 90, 105)]
    gaps = find_gaps(readings, timedelta(minutes=15))
    assert [(g.after, g.before) for g in gaps] == [(at(0, 30), at(0, 90))]
    assert gaps[0].missing(timedelta(minutes=15)) == 3


def test_rolling_medians_and_spikes():
    values = [1.0, 3.0, 2.0, 10.0, 2.0]
    assert rolling_medians(values, 3) == [None, None, None, 2.0, 3.0]
    readings = [Reading("MR1001", at(0, 15 * i), v) for i, v in enumerate(values)]
    spikes = find_spikes(readings, 3, 4.0)
    assert [(s.at, s.kwh, s.baseline) for s in spikes] == [(at(0, 45), 10.0, 2.0)]


def test_report_builder_summaries():
    meters = [Meter("MR1001", "SW1A 1AA", "economy7"), Meter("MR1002", "sw1a 2bb", "economy7")]
    builder = ReportBuilder(meters, [economy7()])
    builder.add_lines([
        "MR1001,2024-03-01T02:00:00,1.0",
        "MR1001,2024-03-01T02:15:00,1.5",
        "MR1002,2024-03-01T12:00:00,2.0",
    ])
    report = builder.build()
    first, second = report.meters
    assert (first.readings, first.kwh, first.cost_pence) == (2, 2.5, 75.0)
    assert first.peak_hour == at(2) and first.peak_kwh == 2.5
    assert second.cost_pence == 110.0
    assert [(a.district, a.meters, a.kwh) for a in report.areas] == [("SW1A", 2, 4.5)]
    assert "MR1001" in report.render()


def test_add_readings_rejects_unknown_meter():
    builder = ReportBuilder([Meter("MR1001", "SW1A 1AA")], [])
    with pytest.raises(KeyError):
        builder.add_readings([Reading("MR1001", at(0), 1.0), Reading("MR9999", at(0), 1.0)])
    assert builder.readings == []


def test_render_lists_areas_and_problems():
    tariff = Tariff("standard", (TariffBand("flat", 0, 24, 20.0),), 0.0)
    builder = ReportBuilder([Meter("MR1001", "LS6 3CD", "standard")], [tariff])
    builder.add_lines(["MR1001,2024-03-01T10:00:00,1.0", "bad line"], strict=False)
    text = builder.build().render()
    assert "LS6" in text
    assert "1 lines could not be read" in text
