"""Vehicle utilisation, idle gaps and the monthly fleet report."""

from __future__ import annotations

from fleetstats.aggregates import group_by, percentile, total
from fleetstats.efficiency import driver_ranking, km_per_litre, summarise_group, trip_outliers
from fleetstats.trips import consumption, day_of, duration_hours, month_of, parse_time


def span_hours(trips: list[dict]) -> float:
    """Hours from the first start to the last end of a set of trips."""
    first = min(parse_time(trip["start"]) for trip in trips)
    last = max(parse_time(trip["end"]) for trip in trips)
    return (last - first).total_seconds() / 3600


def utilisation(trips: list[dict]) -> dict:
    """Per vehicle, the share of its active span spent driving."""
    return {
        vehicle_id: round(total(duration_hours(trip) for trip in group) / span_hours(group), 4)
        if span_hours(group)
        else 0.0
        for vehicle_id, group in group_by(trips, lambda trip: trip["vehicle"]).items()
    }


def idle_gaps(trips: list[dict]) -> dict:
    """Per vehicle, the longest stretch in hours between one trip's end and the next start."""
    ordered = {
        vehicle_id: sorted(group, key=lambda trip: parse_time(trip["start"]))
        for vehicle_id, group in group_by(trips, lambda trip: trip["vehicle"]).items()
    }
    return {
        vehicle_id: round(
            max(
                (
                    (parse_time(nxt["start"]) - parse_time(prev["end"])).total_seconds() / 3600
                    for prev, nxt in zip(group, group[1:])
                ),
                default=0.0,
            ),
            2,
        )
        for vehicle_id, group in ordered.items()
    }


def busiest_days(trips: list[dict], top: int = 5) -> list[tuple[str, int]]:
    days = [day_of(trip) for trip in trips]
    counts = {day: days.count(day) for day in set(days)}
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def monthly_report(trips: list[dict], vehicles: list[dict], top: int = 3) -> list[dict]:
    """One row per calendar month: totals, depot economy, best drivers and outlier count."""
    return [
        dict(
            summarise_group(group, vehicles),
            month=month,
            depots={
                depot: round(km_per_litre(trips_there), 3)
                for depot, trips_there in group_by(group, lambda trip: trip["depot"]).items()
            },
            p90_l_per_100km=round(percentile([consumption(trip) for trip in group], 90), 2),
            top_drivers=[row["driver"] for row in driver_ranking(group, vehicles, 3)[:top]],
            outliers=len(trip_outliers(group, vehicles)),
        )
        for month, group in group_by(trips, month_of).items()
    ]


def render_report(trips: list[dict], vehicles: list[dict], title: str = "Fleet report") -> str:
    rows = monthly_report(trips, vehicles)
    text = f"{title}\n{'=' * len(title)}\n"
    for row in rows:
        text += (
            f"{row['month']}  trips {row['trips']:>5}  km {row['distance_km']:>10.1f}  "
            f"l {row['fuel_l']:>9.1f}  km/l {row['km_per_l']:>6.3f}  "
            f"eff {row['efficiency']:>6.4f}  outliers {row['outliers']:>3}\n"
        )
        text += "    depots: " + ", ".join(f"{d} {v:.3f}" for d, v in row["depots"].items()) + "\n"
        text += "    best drivers: " + ", ".join(row["top_drivers"]) + "\n"
    if rows:
        text += f"total trips {sum(row['trips'] for row in rows)}\n"
    return text
