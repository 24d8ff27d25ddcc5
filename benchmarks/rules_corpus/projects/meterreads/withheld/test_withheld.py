import copy
import random
import statistics
from datetime import datetime, timedelta

import pytest

from meterreads import (
    Meter,
    ParseError,
    Reading,
    ReportBuilder,
    Tariff,
    TariffBand,
    by_meter,
    daily,
    find_gaps,
    find_spikes,
    hourly,
    median,
    parse_line,
    parse_lines,
    price_readings,
    rolling_medians,
)

T0 = datetime(2024, 3, 1)
QUARTER = timedelta(minutes=15)


def agile():
    return Tariff(
        "agile",
        [
            TariffBand("evening", 19, 23, 24.0),
            TariffBand("peak", 16, 19, 38.5),
            TariffBand("day", 6, 16, 22.7),
            TariffBand("night", 23, 6, 9.9),
        ],
        45.1,
    )


def flat():
    return Tariff("flat", (TariffBand("flat", 0, 24, 21.3),), 40.0)


def random_readings(rng, meter_ids, steps, skip=0.05):
    readings = []
    for step in range(steps):
        when = T0 + step * QUARTER
        for meter_id in meter_ids:
            if rng.random() < skip:
                continue
            kwh = rng.choice([0.1, 0.2, 0.25, round(rng.uniform(0, 1), 3)])
            if rng.random() < 0.02:
                kwh *= 10
            readings.append(Reading(meter_id, when, kwh))
    return readings


def brute_buckets(readings, key):
    keys = sorted({key(r.at) for r in readings})
    out = []
    for k in keys:
        total = None
        for r in readings:
            if key(r.at) == k:
                total = r.kwh if total is None else total + r.kwh
        out.append((k, total))
    return out


def brute_band(tariff, hour):
    for band in tariff.bands:
        if band.start_hour < band.end_hour and band.start_hour <= hour < band.end_hour:
            return band
        if band.start_hour > band.end_hour and (hour >= band.start_hour or hour < band.end_hour):
            return band
    raise AssertionError(hour)


def test_empty_inputs():
    assert parse_lines([]).readings == []
    assert parse_lines(["", "   ", "# nothing"]).problems == []
    assert hourly([]) == [] and daily([]) == []
    assert find_gaps([], QUARTER) == []
    assert find_spikes([], 4, 3.0) == []
    assert rolling_medians([], 3) == []
    assert price_readings([], [], []) == {}
    builder = ReportBuilder([Meter("MR1001", "   ", "flat")], [flat()])
    report = builder.build()
    summary = report.meters[0]
    assert (summary.readings, summary.kwh, summary.cost_pence) == (0, 0, 0.0)
    assert summary.peak_hour is None
    assert summary.district == "?"
    assert "MR1001" in report.render()


def test_parse_edge_cases_and_repeats():
    assert parse_line('"mr 1042","2024-03-01 13:15:00Z",0').meter_id == "MR1042"
    assert parse_line("MR1042,2024-03-01 13:15:00Z,0").at == datetime(2024, 3, 1, 13, 15)
    bad = [
        "ÄB1234,2024-03-01T13:15:00,0.1",
        "M1234,2024-03-01T13:15:00,0.1",
        "MR1234,2024-02-30T13:15:00,0.1",
        "MR1234,2024-03-01T13:15:00,-0.1",
        "MR1234,2024-03-01T13:15:00,nan",
        "MR1234,2024-03-01T13:15:00,inf",
        "MR1234,2024-03-01T13:15:00",
        "MR1234,2024-03-01T13:15:00,0.1,extra",
    ]
    for _ in range(2):
        for line in bad:
            with pytest.raises(ParseError):
                parse_line(line)
    lines = ["MR1001,2024-03-01T25:00:00,1"] * 3 + ["MR1001,2024-03-01T01:00:00,1"] * 3
    result = parse_lines(lines, strict=False)
    assert [p.lineno for p in result.problems] == [1, 2, 3]
    assert [r.at.hour for r in result.readings] == [1, 1, 1]
    with pytest.raises(ParseError, match="line 1"):
        parse_lines(lines)
    with pytest.raises(ValueError):
        Reading("MR1001", T0, -1.0)
    with pytest.raises(TypeError):
        Reading("MR1001", "2024-03-01", 1.0)


def test_resample_matches_brute_force_with_duplicates_and_shuffle():
    rng = random.Random(3)
    readings = random_readings(rng, ["MR1001"], 300)
    readings += readings[:40]
    rng.shuffle(readings)
    before = list(readings)
    hour_key = lambda t: t.replace(minute=0, second=0)  # noqa: E731
    day_key = lambda t: t.replace(hour=0, minute=0, second=0)  # noqa: E731
    assert hourly(readings) == brute_buckets(readings, hour_key)
    assert daily(readings) == brute_buckets(readings, day_key)
    assert readings == before


def test_rolling_medians_match_statistics_with_ties():
    rng = random.Random(5)
    for window in (1, 2, 3, 7, 24, 500):
        values = [rng.choice([0, 1, 1.0, 2, 2.5, 0.0]) for _ in range(300)]
        values += [rng.random() for _ in range(100)]
        copy_values = list(values)
        got = rolling_medians(values, window)
        want = [None if i < window else statistics.median(values[i - window:i])
                for i in range(len(values))]
        assert got == want
        assert [type(x) for x in got] == [type(x) for x in want]
        assert values == copy_values
    with pytest.raises(ValueError):
        rolling_medians([1.0], 0)
    with pytest.raises(ValueError):
        median([])
    assert median([3, 1, 2]) == 2 and median([4, 1, 2, 3]) == 2.5


def test_spikes_match_brute_force():
    rng = random.Random(7)
    readings = random_readings(rng, ["MR1001", "MR1002", "MR1003"], 400)
    rng.shuffle(readings)
    window, factor = 12, 3.0
    want = []
    for meter_id, rows in by_meter(readings).items():
        for i, row in enumerate(rows):
            if i >= window:
                base = statistics.median([r.kwh for r in rows[i - window:i]])
                if row.kwh >= 0.1 and row.kwh > factor * base:
                    want.append((meter_id, row.at, row.kwh, base))
    got = find_spikes(readings, window, factor)
    assert [(s.meter_id, s.at, s.kwh, s.baseline) for s in got] == want
    assert want
    with pytest.raises(ValueError):
        find_spikes(readings, window, 1.0)


def test_tariff_bands_every_hour_and_bad_tariffs():
    bands = [TariffBand("b", 12, 2, 5.0), TariffBand("a", 2, 12, 7.0)]
    tariff = Tariff("wrap", bands)
    assert isinstance(tariff.bands, tuple)
    assert [b.name for b in bands] == ["b", "a"]
    for t in (tariff, agile(), flat()):
        for hour in range(24):
            for minute in (0, 59):
                assert t.band_for(T0.replace(hour=hour, minute=minute)) is brute_band(t, hour)
    with pytest.raises(ValueError):
        Tariff("gap", (TariffBand("a", 0, 10, 1.0), TariffBand("b", 11, 24, 1.0)))
    with pytest.raises(ValueError):
        Tariff("none", ())
    with pytest.raises(ValueError):
        TariffBand("x", 3, 3, 1.0)
    with pytest.raises(ValueError):
        TariffBand("x", -1, 3, 1.0)
    assert agile() == agile() and copy.deepcopy(agile()).band_for(T0).name == "night"


def test_price_readings_brute_force_duplicates_and_errors():
    rng = random.Random(11)
    ids = [f"MR{n}" for n in range(2000, 2030)]
    meters = [Meter(i, "SW1A 1AA", rng.choice(["agile", "flat"])) for i in ids]
    meters.append(Meter(ids[0], "M1 1AA", "no-such-tariff"))
    tariffs = [agile(), flat(), Tariff("agile", (TariffBand("x", 0, 24, 99.0),))]
    readings = random_readings(rng, ids, 60)
    rng.shuffle(readings)
    want = {}
    for r in readings:
        meter = next(m for m in meters if m.meter_id == r.meter_id)
        tariff = next(t for t in tariffs if t.name == meter.tariff)
        cost = r.kwh * brute_band(tariff, r.at.hour).pence_per_kwh
        want[r.meter_id] = want.get(r.meter_id, 0.0) + cost
    got = price_readings(readings, meters, tariffs)
    assert got == want and list(got) == list(want)
    meters[0].tariff = "gone"
    with pytest.raises(KeyError, match="unknown tariff 'gone'"):
        price_readings(readings, meters, tariffs)
    meters[0].tariff = "flat"
    extra = readings + [Reading("MR9999", T0, 1.0)]
    with pytest.raises(KeyError, match="unknown meter 'MR9999'"):
        price_readings(extra, meters, tariffs)


def test_mutating_meters_between_builds():
    meters = [Meter("MR1001", "SW1A 1AA", "flat"), Meter("MR1002", "M1 2AB", "agile")]
    builder = ReportBuilder(meters, [flat(), agile()])
    readings = [Reading(m.meter_id, T0 + i * QUARTER, 0.5) for i in range(8) for m in meters]
    builder.add_readings(readings)
    first = builder.build()
    builder.meters[1].tariff = "flat"
    builder.meters[1].postcode = "sw1a 9zz"
    second = builder.build()
    assert first.meters[1].cost_pence != second.meters[1].cost_pence
    assert second.meters[0].cost_pence == second.meters[1].cost_pence
    assert [(a.district, a.meters) for a in second.areas] == [("SW1A", 2)]
    with pytest.raises(KeyError):
        builder.add_readings([Reading("MR1003", T0, 1.0)])
    builder.meters.append(Meter("MR1003", "EH3 9XY", "agile"))
    builder.add_readings([Reading("MR1003", T0, 1.0)])
    third = builder.build()
    assert [s.meter_id for s in third.meters] == ["MR1001", "MR1002", "MR1003"]
    builder.meters.pop()
    with pytest.raises(KeyError):
        builder.build()


def test_peak_ties_gaps_and_validation():
    readings = [Reading("MR1001", T0 + timedelta(hours=h), 1.0) for h in (5, 2, 9)]
    builder = ReportBuilder([Meter("MR1001", "LS6 3CD", "flat")], [flat()])
    builder.add_readings(readings)
    summary = builder.build().meters[0]
    assert summary.peak_hour == T0 + timedelta(hours=2)
    assert summary.gaps == 2 and summary.days == 1
    gaps = find_gaps(readings, QUARTER)
    assert [g.missing(QUARTER) for g in gaps] == [11, 15]
    assert find_gaps(readings, timedelta(hours=3)) == [gaps[1]]
    with pytest.raises(ValueError):
        find_gaps(readings, timedelta(0))


def test_large_report_against_brute_force():
    rng = random.Random(23)
    districts = ["SW1A 1AA", "m1 2ab", "LS6 3CD", "EH3 9XY"]
    meters = [Meter(f"MR{3000 + i}", rng.choice(districts), rng.choice(["agile", "flat"]))
              for i in range(25)]
    tariffs = [flat(), agile()]
    readings = random_readings(rng, [m.meter_id for m in meters], 250, skip=0.03)
    rng.shuffle(readings)
    lines = [f"{r.meter_id.lower()},{r.at:%Y-%m-%dT%H:%M:%S},{r.kwh!r}" for r in readings]
    builder = ReportBuilder(meters, tariffs, spike_window=8, spike_factor=3.0)
    builder.add_lines(["meter,time,kwh"] + lines)
    assert builder.readings == readings
    report = builder.build()
    gaps = find_gaps(readings, QUARTER)
    spikes = find_spikes(readings, 8, 3.0)
    for meter, summary in zip(meters, report.meters):
        rows = sorted((r for r in readings if r.meter_id == meter.meter_id), key=lambda r: r.at)
        tariff = next(t for t in tariffs if t.name == meter.tariff)
        energy = 0.0
        for r in readings:
            if r.meter_id == meter.meter_id:
                energy += r.kwh * brute_band(tariff, r.at.hour).pence_per_kwh
        days = len({r.at.date() for r in rows})
        assert summary.readings == len(rows)
        assert summary.cost_pence == energy + days * tariff.standing_pence_per_day
        assert summary.gaps == sum(1 for g in gaps if g.meter_id == meter.meter_id)
        assert summary.spikes == sum(1 for s in spikes if s.meter_id == meter.meter_id)
        hours = brute_buckets(rows, lambda t: t.replace(minute=0))
        best = max(v for _, v in hours)
        assert (summary.peak_hour, summary.peak_kwh) == next((k, v) for k, v in hours if v == best)
    assert [a.district for a in report.areas] == sorted({m.district for m in meters})
    assert sum(a.meters for a in report.areas) == len(meters)
