"""Workload: six monthly trip exports of a delivery fleet, loaded, merged and analysed.

Ninety vans over six depots and about a hundred and sixty drivers (names typed in several
spellings), a few trips with implausible fuel figures. Deterministic (fixed seed); prints a
summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from fleetstats import (
    busiest_days,
    depot_stats,
    driver_ranking,
    driver_stats,
    idle_gaps,
    load_trips,
    merge_exports,
    monthly_report,
    render_report,
    trip_outliers,
    utilisation,
    vehicle_ranking,
    vehicle_stats,
    without_outliers,
)

DEPOTS = ["north", "South", "EAST ", "west", "Harbour", "airport"]
MODELS = {"Sprinter 316": 10.5, "Transit 350": 11.2, "Vivaro L2": 8.4, "e-Boxer": 9.1,
          "Crafter 35": 12.0, "Master L3": 11.6}
FIRST = ["anna", "Björn", "chloé", "Dmitri", "EUN-JI", "femi", "Gustav", "hana", "Ivo", "jürgen",
         "Kai", "Lena", "mateo", "Nia", "oskar", "Priya", "Quinn", "rosa", "Søren", "Tomás"]
LAST = ["Adeyemi", "berg", "Castro", "DUBOIS", "Eriksen", "fischer", "Gómez", "Huang", "ito"]
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]
N_VANS = 15


def messy(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return name.upper()
    if roll < 0.3:
        return f"  {name.lower()} "
    if roll < 0.4:
        return name.replace(" ", "   ")
    return name


def build(rng: random.Random) -> tuple[list[dict], dict[str, list[str]], dict[str, float]]:
    vehicles = []
    for number in range(N_VANS):
        model = rng.choice(sorted(MODELS))
        depot = DEPOTS[number % len(DEPOTS)]
        rated = round(MODELS[model] * rng.uniform(0.93, 1.07), 2)
        vehicles.append({"id": f"VAN-{number:03d}", "model": model, "depot": depot,
                         "rated_l_per_100km": rated})
    names = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(400)})[:72]
    crews = {depot: names[i::len(DEPOTS)] for i, depot in enumerate(DEPOTS)}
    habits = {name: rng.gauss(1.0, 0.06) for name in names}
    return vehicles, crews, habits


def export(month: str, start_number: int, vehicles, crews, habits, rng) -> list[dict]:
    rows = []
    number = start_number
    for vehicle in vehicles:
        for day in sorted(rng.sample(range(1, 29), rng.randint(8, 16))):
            for shift in range(rng.choice([1, 1, 2])):
                hour = 6 + 6 * shift + rng.randint(0, 3)
                minute = rng.choice([0, 15, 30, 45])
                distance = round(rng.uniform(20, 240), 1)
                minutes = int(distance / rng.uniform(28, 62) * 60)
                end_minutes = hour * 60 + minute + minutes
                driver = rng.choice(crews[vehicle["depot"]])
                fuel = distance * vehicle["rated_l_per_100km"] / 100 * habits[driver]
                fuel *= rng.gauss(1.0, 0.05)
                if rng.random() < 0.012:
                    fuel *= rng.choice([0.4, 1.9, 2.4])
                rows.append(
                    {
                        "id": f"T{number:06d}",
                        "vehicle": vehicle["id"].lower() if rng.random() < 0.2 else vehicle["id"],
                        "driver": messy(driver, rng),
                        "depot": vehicle["depot"],
                        "start": f"{month}-{day:02d} {hour:02d}:{minute:02d}",
                        "end": f"{month}-{day:02d} {end_minutes // 60:02d}:{end_minutes % 60:02d}",
                        "distance_km": str(distance),
                        "fuel_l": f"{fuel:.2f}",
                    }
                )
                number += 1
    rng.shuffle(rows)
    return rows


def main() -> None:
    rng = random.Random(2024)
    vehicles, crews, habits = build(rng)
    exports = []
    number = 1
    for month in MONTHS:
        rows = export(month, number, vehicles, crews, habits, rng)
        number += len(rows)
        exports.append(load_trips(rows))
    trips = merge_exports(*exports)

    drivers = driver_stats(trips, vehicles)
    vans = vehicle_stats(trips, vehicles)
    depots = depot_stats(trips, vehicles)
    outliers = trip_outliers(trips, vehicles)
    cleaned = without_outliers(trips, vehicles)
    ranking = driver_ranking(cleaned, vehicles)
    van_ranking = vehicle_ranking(cleaned, vehicles)
    usage = utilisation(trips)
    gaps = idle_gaps(trips)
    days = busiest_days(trips)
    months = monthly_report(trips, vehicles)
    text = render_report(cleaned, vehicles, title="Fleet report H1 2024 (outliers removed)")

    print(f"trips {len(trips)}, drivers {len(drivers)}, vehicles {len(vans)}, depots {len(depots)}")
    print(f"outliers {len(outliers)}, worst {outliers[0]['id']} z={outliers[0]['z']}")
    print(f"best drivers {[(row['rank'], row['driver']) for row in ranking[:3]]}")
    print(f"worst driver {ranking[-1]['driver']} score {ranking[-1]['score']}")
    print(f"most economical vans {[row['vehicle'] for row in van_ranking[:3]]}")
    print(f"busiest days {days[:3]}")
    print(f"mean utilisation {sum(usage.values()) / len(usage):.4f}, "
          f"longest idle {max(gaps.values())} h")
    for row in months:
        print(f"{row['month']} trips {row['trips']} km/l {row['km_per_l']} "
              f"outliers {row['outliers']} top {row['top_drivers']}")
    print(f"report lines {len(text.splitlines())}")
    results = (drivers, vans, depots, outliers, ranking, van_ranking, usage, gaps, days, months,
               text)
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
