"""Fuel efficiency per driver, vehicle and depot; consumption outliers; driver scores."""

from __future__ import annotations

from fleetstats.aggregates import field, group_by, maximum, mean, normalise, rank, total, zscores
from fleetstats.trips import average_speed, duration_hours

SCORE_WEIGHTS = {"economy": 0.5, "pace": 0.3, "volume": 0.2}


def vehicle_record(vehicles: list[dict], vehicle_id: str) -> dict:
    match = next((vehicle for vehicle in vehicles if vehicle["id"] == vehicle_id), None)
    if match is None:
        raise KeyError(f"unknown vehicle {vehicle_id!r}")
    return match


def expected_fuel(trip: dict, vehicles: list[dict]) -> float:
    """Litres the trip should have used at the vehicle's rated consumption."""
    rated = vehicle_record(vehicles, trip["vehicle"])["rated_l_per_100km"]
    return trip["distance_km"] * rated / 100


def km_per_litre(trips: list[dict]) -> float:
    if not trips:
        raise ValueError("no trips")
    return total(field(trips, "distance_km")) / total(field(trips, "fuel_l"))


def efficiency_ratio(trips: list[dict], vehicles: list[dict]) -> float:
    """Actual over expected fuel: below 1.0 is better than the vehicles' rating."""
    if not trips:
        raise ValueError("no trips")
    return total(field(trips, "fuel_l")) / total(expected_fuel(trip, vehicles) for trip in trips)


def summarise_group(trips: list[dict], vehicles: list[dict]) -> dict:
    return {
        "trips": len(trips),
        "distance_km": round(total(field(trips, "distance_km")), 2),
        "fuel_l": round(total(field(trips, "fuel_l")), 2),
        "hours": round(total(duration_hours(trip) for trip in trips), 2),
        "km_per_l": round(km_per_litre(trips), 3),
        "efficiency": round(efficiency_ratio(trips, vehicles), 4),
        "avg_speed": round(mean(average_speed(trip) for trip in trips), 2),
        "longest_km": maximum(field(trips, "distance_km")),
    }


def driver_stats(trips: list[dict], vehicles: list[dict]) -> dict:
    return {
        driver: summarise_group(group, vehicles)
        for driver, group in group_by(trips, lambda trip: trip["driver"]).items()
    }


def vehicle_stats(trips: list[dict], vehicles: list[dict]) -> dict:
    return {
        vehicle_id: dict(
            summarise_group(group, vehicles),
            model=vehicle_record(vehicles, vehicle_id)["model"],
            drivers=len({trip["driver"] for trip in group}),
        )
        for vehicle_id, group in group_by(trips, lambda trip: trip["vehicle"]).items()
    }


def depot_stats(trips: list[dict], vehicles: list[dict]) -> dict:
    return {
        depot: summarise_group(group, vehicles)
        for depot, group in group_by(trips, lambda trip: trip["depot"]).items()
    }


def fuel_ratio(trip: dict, vehicles: list[dict]) -> float:
    """Actual over expected fuel for one trip (1.0 for a trip that did not move)."""
    expected = expected_fuel(trip, vehicles)
    return trip["fuel_l"] / expected if expected else 1.0


def trip_outliers(trips: list[dict], vehicles: list[dict], threshold: float = 3.0) -> list[dict]:
    """Trips whose fuel ratio is far from the rest of their depot's, most extreme first.

    Each outlier is a copy of the trip with its z-score added as "z".
    """
    flagged = [
        dict(trip, z=round(score, 3))
        for group in group_by(trips, lambda trip: trip["depot"]).values()
        for trip, score in zip(group, zscores(fuel_ratio(trip, vehicles) for trip in group))
        if abs(score) > threshold
    ]
    return sorted(flagged, key=lambda trip: (-abs(trip["z"]), trip["id"]))


def without_outliers(trips: list[dict], vehicles: list[dict], threshold: float = 3.0) -> list[dict]:
    flagged = trip_outliers(trips, vehicles, threshold)
    return [trip for trip in trips if trip["id"] not in [outlier["id"] for outlier in flagged]]


def driver_scores(trips: list[dict], vehicles: list[dict], min_trips: int = 5) -> dict:
    """A 0..1 score per driver with at least min_trips trips: economy, pace and volume."""
    stats = {
        driver: summary
        for driver, summary in driver_stats(trips, vehicles).items()
        if summary["trips"] >= min_trips
    }
    parts = {
        "economy": normalise({driver: -s["efficiency"] for driver, s in stats.items()}),
        "pace": normalise({driver: s["avg_speed"] for driver, s in stats.items()}),
        "volume": normalise({driver: s["distance_km"] for driver, s in stats.items()}),
    }
    return {
        driver: round(sum(w * parts[part][driver] for part, w in SCORE_WEIGHTS.items()), 4)
        for driver in stats
    }


def driver_ranking(trips: list[dict], vehicles: list[dict], min_trips: int = 5) -> list[dict]:
    """Drivers by score, best first; equal scores share a rank and are listed by name."""
    scores = driver_scores(trips, vehicles, min_trips)
    ranks = rank(scores)
    return sorted(
        (
            {"rank": ranks[driver], "driver": driver, "score": score}
            for driver, score in scores.items()
        ),
        key=lambda row: (row["rank"], row["driver"]),
    )


def vehicle_ranking(trips: list[dict], vehicles: list[dict]) -> list[dict]:
    """Vehicles by efficiency ratio, most economical first."""
    ratios = {vid: s["efficiency"] for vid, s in vehicle_stats(trips, vehicles).items()}
    ranks = rank(ratios, highest_first=False)
    return sorted(
        (
            {"rank": ranks[vid], "vehicle": vid, "efficiency": ratio}
            for vid, ratio in ratios.items()
        ),
        key=lambda row: (row["rank"], row["vehicle"]),
    )
