"""Streaming statistics for building sensors: parsing, rolling windows, spikes, summaries."""

from sensors.detect import spikes
from sensors.readings import Reading, parse_stream
from sensors.summary import downsample, per_sensor
from sensors.windows import rolling_max, rolling_median, running_max

__all__ = [
    "Reading",
    "downsample",
    "parse_stream",
    "per_sensor",
    "rolling_max",
    "rolling_median",
    "running_max",
    "spikes",
]
