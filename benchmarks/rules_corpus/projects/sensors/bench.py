"""Workload: one day of readings from a building's sensor gateway; the daily report.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import math
import random

from sensors import downsample, parse_stream, rolling_median
from sensors.readings import StreamStats
from sensors.report import daily_report
from sensors.summary import peaks_so_far

SENSORS = [f"{kind}-{floor}{room}" for kind in ("temp", "hum", "co2") for floor in "12"
           for room in "abc"]
BASE = {"temp": 21.0, "hum": 45.0, "co2": 600.0}
SPREAD = {"temp": 1.5, "hum": 6.0, "co2": 150.0}


def make_lines(rng: random.Random, per_sensor: int) -> list[str]:
    lines = ["# sensor;ts;value"]
    for step in range(per_sensor):
        ts = 1717200000 + step * 30
        for sensor in SENSORS:
            kind = sensor.split("-")[0]
            noise = rng.gauss(0, SPREAD[kind] / 5)
            value = BASE[kind] + SPREAD[kind] * math.sin(step / 300) + noise
            if rng.random() < 0.002:
                value += SPREAD[kind] * rng.choice([-6, 8])
            text = f"{value:.2f}".replace(".", ",") if rng.random() < 0.3 else f"{value:.2f}"
            lines.append(f"{sensor};{ts};{text}")
        if rng.random() < 0.01:
            lines.append("garbage;line")
    return lines


def main() -> None:
    rng = random.Random(606)
    stats = StreamStats()
    readings = list(parse_stream(make_lines(rng, 1500), stats))
    report = daily_report(readings)
    buckets = downsample(readings, 900)
    smooth = {}
    for sensor in SENSORS:
        smooth[sensor] = list(rolling_median([r.value for r in readings if r.sensor == sensor], 61))
    peaks = peaks_so_far(readings[:4500])
    print(f"{stats}, {len(readings)} readings")
    print("\n".join(line for line in report if not line.startswith("    ")))
    print(f"{len(buckets)} buckets, first {buckets[0]}")
    print(f"co2-1a smoothed tail {[round(v, 2) for v in smooth['co2-1a'][-3:]]}, "
          f"smoothed max {max(max(v) for v in smooth.values()):.2f}, peak {peaks[-1]}")
    print(f"report sha256 {hashlib.sha256(chr(10).join(report).encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
