
from sensors import (
    Reading,
    downsample,
    parse_stream,
    per_sensor,
    rolling_max,
    rolling_median,
    running_max,
    spikes,
)
from sensors.readings import StreamStats
from sensors.report import daily_report


def test_parse_stream_counts_bad_lines() -> None:
    stats = StreamStats()
    lines = ["# head", "t-1;100;20,5", "bad", "t-1;130;21.0", ""]
    expected = [Reading("t-1", 100, 20.5), Reading("t-1", 130, 21.0)]
    assert list(parse_stream(lines, stats)) == expected
    assert (stats.lines, stats.bad) == (5, 1)


def test_windows() -> None:
    values = [5, 1, 4, 2, 3]
    assert list(rolling_median(values, 3)) == [5, 3.0, 4, 2, 3]
    assert list(rolling_max(values, 2)) == [5, 5, 4, 4, 3]
    assert list(running_max(values)) == [5, 5, 5, 5, 5]


def test_spikes() -> None:
    values = [10.0, 10.2, 9.9, 10.1, 10.0, 30.0, 10.1, 9.8, 10.0]
    readings = [Reading("t", i, v) for i, v in enumerate(values)]
    assert [r.ts for r in spikes(readings, window=5, threshold=4.0)] == [5]


def test_summaries() -> None:
    readings = [Reading("b", 0, 1.0), Reading("a", 10, 2.0), Reading("b", 70, 3.0)]
    assert per_sensor(readings) == {
        "a": {"count": 1, "min": 2.0, "max": 2.0, "mean": 2.0},
        "b": {"count": 2, "min": 1.0, "max": 3.0, "mean": 2.0},
    }
    assert downsample(readings, 60) == [(0, "a", 2.0), (0, "b", 1.0), (60, "b", 3.0)]
    report = daily_report(readings)
    assert report[0] == "== daily sensor report =="
    assert report[-1] == "out of range: 0"
