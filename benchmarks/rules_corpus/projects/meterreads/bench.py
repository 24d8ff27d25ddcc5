"""Deterministic workload: a week of 15-minute readings from a street of smart meters."""

import hashlib
import random
from datetime import datetime, timedelta

from meterreads import Meter, ReportBuilder, Tariff, TariffBand

DISTRICTS = ["SW1A 1AA", "M1 2AB", "LS6 3CD", "EH3 9XY", "BS8 1TH", "CF10 3AT", "NE1 4ST"]
METERS = 70
DAYS = 5


def tariffs():
    return [
        Tariff("standard", (TariffBand("flat", 0, 24, 24.5),), 53.4),
        Tariff("economy7", (TariffBand("day", 7, 24, 30.2), TariffBand("night", 0, 7, 13.1)), 48.0),
        Tariff(
            "agile",
            (
                TariffBand("evening", 19, 23, 24.0),
                TariffBand("peak", 16, 19, 38.5),
                TariffBand("day", 6, 16, 22.7),
                TariffBand("night", 23, 6, 9.9),
            ),
            45.1,
        ),
    ]


def export_lines(rng, meters):
    start = datetime(2024, 3, 4)
    base = {m.meter_id: rng.uniform(0.05, 0.25) for m in meters}
    lines = ["meter_id,timestamp,kwh"]
    for step in range(DAYS * 96):
        at = start + timedelta(minutes=15 * step)
        stamp = at.strftime("%Y-%m-%dT%H:%M:%S")
        evening = 2.5 if 17 <= at.hour < 21 else 1.0
        for meter in meters:
            roll = rng.random()
            if roll < 0.004:
                continue
            kwh = base[meter.meter_id] * evening * rng.uniform(0.6, 1.4)
            if roll > 0.997:
                kwh *= rng.choice([6, 9, 12])
            meter_id = meter.meter_id.lower() if roll < 0.02 else meter.meter_id
            if roll > 0.9995:
                lines.append(f"{meter_id},{stamp},n/a")
            else:
                lines.append(f"{meter_id},{stamp},{kwh:.3f}")
    return lines


def main():
    rng = random.Random(18)
    names = ["standard", "economy7", "agile"]
    meters = [
        Meter(f"MR{1000 + 7 * i}", rng.choice(DISTRICTS), rng.choice(names), f"flat {i}")
        for i in range(METERS)
    ]
    builder = ReportBuilder(meters, tariffs(), spike_window=96, spike_factor=4.0)
    builder.add_lines(export_lines(rng, meters), strict=False)
    report = builder.build()
    text = report.render()
    top = sorted(report.meters, key=lambda s: (-s.kwh, s.meter_id))[:3]
    print(f"{len(builder.readings)} readings, {len(report.problems)} problems")
    gaps = sum(s.gaps for s in report.meters)
    print(f"{gaps} gaps, {sum(s.spikes for s in report.meters)} spikes")
    print("top:", ", ".join(f"{s.meter_id} {s.kwh:.2f}kWh" for s in top))
    for area in report.areas:
        print(f"{area.district:<5} {area.meters:>2} meters £{area.cost_pence / 100:.2f}")
    digest = hashlib.sha256((repr(report) + text).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
