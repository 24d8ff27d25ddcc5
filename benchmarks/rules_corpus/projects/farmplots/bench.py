"""Deterministic season workload for farmplots: prints a summary, never timings."""

from __future__ import annotations

import hashlib
import math
import random
import statistics

from farmplots import (
    Field,
    Reading,
    Scheduler,
    WeatherLog,
    season_report,
    simulate_season,
    yield_grid,
)

SEED = 20240417
FIRST_DAY = 95
SEASON_DAYS = 54
CROPS = ["Wheat", "Maize", "Barley", "Soybean", "Potato"]
FIELD_SHAPES = [("North", 8, 10), ("River", 6, 9), ("Hill", 6, 11)]


def format_report(report: dict) -> str:
    lines = [
        f"Season of {report['days']} days, {report['plots']} planted plots",
        f"Total yield {report['total_yield']:.3f} t, irrigation "
        f"{report['total_irrigation_mm']:.1f} mm, runoff {report['runoff_mm']:.1f} mm",
        "By crop:",
    ]
    for name, row in report["by_crop"].items():
        lines.append(f"  {name:<10} plots={row['plots']:>4} total={row['total_yield']:9.3f} "
                     f"mean={row['mean_yield']:.4f} median={row['median_yield']:.4f} "
                     f"sd={row['yield_stdev']:.4f} stress={row['mean_stress_days']:.2f}")
    lines.append("By field:")
    for name, row in report["by_field"].items():
        lines.append(f"  {name:<10} plots={row['plots']:>4} total={row['total_yield']:9.3f} "
                     f"irrigated={row['irrigated_mm']:.1f}mm "
                     f"moisture={row['mean_moisture']:.4f} driest_day={row['driest_day']}")
    lines.append("Worst plots:")
    for field_name, row, col, crop, value in report["worst"]:
        lines.append(f"  {field_name} ({row}, {col}) {crop}: {value:.4f} t")
    return "\n".join(lines)


def weather_summary(log: WeatherLog) -> dict[str, float]:
    return {
        "days": len(log.readings),
        "total_rain_mm": sum(r.rain_mm for r in log.readings),
        "wet_days": sum(1 for r in log.readings if r.rain_mm >= 1.0),
        "mean_temp": statistics.mean(r.t_mean for r in log.readings),
    }


def make_weather(rng: random.Random) -> WeatherLog:
    log = WeatherLog()
    for i in range(SEASON_DAYS):
        day = FIRST_DAY + i
        mean = 15.0 + 8.0 * math.sin(math.pi * i / (SEASON_DAYS + 20)) + rng.gauss(0.0, 2.5)
        spread = rng.uniform(5.0, 13.0)
        rain = rng.expovariate(1 / 9.0) if rng.random() < 0.28 else 0.0
        log.add(Reading(day, round(rain, 1), round(mean - spread / 2, 1),
                        round(mean + spread / 2, 1)))
    return log


def make_field(rng: random.Random, name: str, rows: int, cols: int) -> Field:
    base = rng.uniform(60.0, 95.0)
    capacity = [
        [round(base + 1.5 * r - 0.8 * c + rng.uniform(-12.0, 12.0), 1) for c in range(cols)]
        for r in range(rows)
    ]
    fld = Field(name, capacity)
    row = 0
    while row < rows:
        height = rng.randint(2, 4)
        col = 0
        while col < cols:
            width = rng.randint(3, 6)
            if rng.random() < 0.9:
                crop = rng.choice(CROPS)
                fld.plant_block(row, col, min(rows, row + height) - 1, min(cols, col + width) - 1,
                                crop, FIRST_DAY + rng.randint(0, 25))
            col += width
        row += height
    return fld


def run_scenario(rng: random.Random, weather: WeatherLog, scheduler: Scheduler | None):
    fields = [make_field(rng, name, rows, cols) for name, rows, cols in FIELD_SHAPES]
    result = simulate_season(fields, weather, scheduler)
    report = season_report(result, worst_n=8)
    grids = [yield_grid(result.outcomes, f.name, f.rows, f.cols) for f in fields]
    return result, report, grids


def main() -> None:
    rng = random.Random(SEED)
    weather = make_weather(rng)
    digest = hashlib.sha256()
    print("weather:", {k: round(v, 3) for k, v in weather_summary(weather).items()})
    scenarios = [
        ("generous", Scheduler(daily_budget_mm=220.0)),
        ("tight", Scheduler(trigger_fraction=0.4, daily_budget_mm=130.0, max_per_plot_mm=15.0)),
    ]
    for label, scheduler in scenarios:
        result, report, grids = run_scenario(random.Random(SEED + 1), weather, scheduler)
        text = format_report(report)
        digest.update(text.encode())
        for grid in grids:
            digest.update(repr([[round(v, 6) for v in line] for line in grid]).encode())
        print(
            f"{label}: plots={report['plots']} events={len(result.events)} "
            f"yield={report['total_yield']:.4f} irrigation={report['total_irrigation_mm']:.2f} "
            f"runoff={report['runoff_mm']:.2f}"
        )
        for name, row in report["by_crop"].items():
            print(f"  {name}: plots={row['plots']} total={row['total_yield']:.4f} "
                  f"stress={row['mean_stress_days']:.3f}")
        print("  worst:", [(f, r, c, round(v, 4)) for f, r, c, _, v in report["worst"][:3]])
    print("digest:", digest.hexdigest()[:16])


if __name__ == "__main__":
    main()
