import random
import statistics

import pytest

from sensors import (
    Reading,
    parse_stream,
    per_sensor,
    rolling_max,
    rolling_median,
    running_max,
    spikes,
)
from sensors.detect import format_alert, median
from sensors.report import daily_report, out_of_range
from sensors.summary import downsample, peaks_so_far


def test_window_errors_and_empty_streams() -> None:
    with pytest.raises(ValueError):
        list(rolling_median([1], 0))
    with pytest.raises(ValueError):
        list(rolling_max([1], 0))
    assert list(rolling_median([], 3)) == []
    assert list(running_max([])) == []
    assert peaks_so_far([]) == []


def test_windows_are_lazy_generators() -> None:
    pulled = []

    def counting(limit=100_000):
        for value in range(1, limit + 1):
            pulled.append(value)
            yield value

    gen = rolling_median(counting(), 4)
    assert [next(gen) for _ in range(6)] == [1, 1.5, 2, 2.5, 3.5, 4.5]
    assert len(pulled) == 6
    pulled.clear()
    gen = running_max(counting())
    assert [next(gen) for _ in range(3)] == [1, 2, 3]
    assert len(pulled) == 3
    pulled.clear()
    gen = rolling_max(counting(), 2)
    assert [next(gen) for _ in range(3)] == [1, 2, 3]
    assert len(pulled) == 3


def test_windows_match_statistics_on_random_data() -> None:
    rng = random.Random(10)
    values = [rng.choice([rng.uniform(-5, 5), 1.0, 2.0]) for _ in range(300)]
    for window in (1, 2, 7, 30):
        medians = list(rolling_median(iter(values), window))
        maxima = list(rolling_max(values, window))
        for i in range(len(values)):
            chunk = values[max(0, i - window + 1): i + 1]
            assert medians[i] == statistics.median(chunk)
            assert maxima[i] == max(chunk)
    assert list(running_max(values)) == [max(values[: i + 1]) for i in range(len(values))]


def test_max_keeps_first_of_equal_values() -> None:
    values = [1, 1.0, True, 0]
    out = list(running_max(values))
    assert [type(v) for v in out] == [int, int, int, int]
    out = list(rolling_max(values, 2))
    assert [type(v) for v in out] == [int, int, float, bool]


def test_spikes_flat_signal_and_mutation() -> None:
    flat = [Reading("s", i, 5.0) for i in range(20)]
    assert spikes(flat) == []
    readings = [Reading("s", i, v) for i, v in enumerate([1, 2, 1, 2, 50, 1, 2])]
    before = list(readings)
    assert [r.ts for r in spikes(readings, window=4, threshold=3)] == [4]
    assert readings == before
    assert median([3, 1, 2, 4]) == 2.5


def test_parse_edge_cases() -> None:
    lines = ["a;1;2", "a; 2 ; 3,5 ", "a;x;1", "a;1;2;3", "#c", "  ", "b;3;nan"]
    out = list(parse_stream(lines))
    assert out[:2] == [Reading("a", 1, 2.0), Reading("a", 2, 3.5)]
    assert out[2].sensor == "b" and out[2].value != out[2].value
    assert len(out) == 3


def test_per_sensor_and_downsample_edges() -> None:
    assert per_sensor([]) == {}
    readings = [Reading("z", 59, 1.0), Reading("z", 60, 2.0), Reading("a", 59, 4.0),
                Reading("z", 0, 3.0)]
    assert downsample(readings, 60) == [(0, "a", 4.0), (0, "z", 2.0), (60, "z", 2.0)]
    assert list(per_sensor(readings)) == ["a", "z"]
    assert per_sensor(readings)["z"]["mean"] == 2.0


def test_report_alerts() -> None:
    readings = [Reading("temp-1", 10, 35.0), Reading("hum-1", 20, 10.0),
                Reading("other", 30, 1e9), Reading("co2-1", 40, 500.0)]
    assert out_of_range(readings) == ["[10] temp-1: 35.00°C", "[20] hum-1: 10.00"]
    assert format_alert(Reading("x", 1.9, 2)) == "[1] x: 2.00°C"
    lines = daily_report(readings)
    assert lines[-3] == "out of range: 2"
    assert sum(1 for line in lines if line.startswith(("co2", "hum", "other", "temp"))) == 4
