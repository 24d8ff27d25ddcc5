"""The monthly operator report."""

import calendar

from .pricing import duration_band_counts, format_cents, revenue_by_rider
from .trips import trips_in_month
from .usage import (
    busiest_stations,
    hourly_histogram,
    plan_moves,
    rebalancing_suggestions,
    top_routes,
)


def trip_distance_km(network, trip):
    return network.distance(trip.origin, trip.dest)


def suspicious_trips(network, trips, max_kmh=30.0):
    """Trips whose straight-line speed is above max_kmh (data errors or a bike on a van)."""
    flagged = []
    for trip in trips:
        km = trip_distance_km(network, trip)
        hours = trip.duration_minutes / 60.0
        if km == 0.0:
            continue
        if hours == 0.0 or km / hours > max_kmh:
            flagged.append(trip)
    return flagged


def monthly_summary(network, trips, year, month, top=5):
    """The figures behind the monthly report, as a dict."""
    if not 1 <= month <= 12:
        raise ValueError(f"bad month {month}")
    month_trips = list(trips_in_month(trips, year, month))
    days = calendar.monthrange(year, month)[1]
    revenue = revenue_by_rider(month_trips)
    total_minutes = sum(t.duration_minutes for t in month_trips)
    total_km = sum(trip_distance_km(network, trip) for trip in month_trips)
    round_trips = sum(1 for t in month_trips if t.is_round_trip())
    suggestions = rebalancing_suggestions(network, month_trips, days)
    return {
        "year": year,
        "month": month,
        "days": days,
        "trips": len(month_trips),
        "round_trips": round_trips,
        "revenue": revenue,
        "revenue_cents": sum(cents for _, cents in revenue.values()),
        "minutes": total_minutes,
        "km": total_km,
        "bands": duration_band_counts(month_trips),
        "hours": hourly_histogram(month_trips),
        "busiest": busiest_stations(month_trips, top),
        "routes": top_routes(month_trips, top),
        "suggestions": suggestions,
        "moves": plan_moves(network, suggestions),
        "suspicious": suspicious_trips(network, month_trips),
    }


def _bar(count, peak, width=40):
    if peak == 0:
        return ""
    return "#" * round(width * count / peak)


def monthly_report(network, trips, year, month, top=5):
    s = monthly_summary(network, trips, year, month, top)
    title = f"City bikes - {calendar.month_name[month]} {year}"
    out = title + "\n" + "=" * len(title) + "\n"
    out += f"Trips: {s['trips']} ({s['round_trips']} round trips) over {s['days']} days\n"
    if s["trips"]:
        out += f"Average ride: {s['minutes'] / s['trips']:.1f} min, {s['km'] / s['trips']:.2f} km\n"
    out += f"Revenue: {format_cents(s['revenue_cents'])}\n"
    for rider in sorted(s["revenue"]):
        count, cents = s["revenue"][rider]
        out += f"  {rider:<8} {count:>7} trips {format_cents(cents):>12}\n"
    out += "Ride time:\n"
    for label, count in s["bands"].items():
        out += f"  {label:<14} {count:>7}\n"
    out += "Departures by hour:\n"
    peak = max(s["hours"])
    for hour, count in enumerate(s["hours"]):
        out += f"  {hour:02d}h {count:>6} {_bar(count, peak)}\n"
    out += "Busiest stations:\n"
    for station_id, total in s["busiest"]:
        out += f"  {network.station(station_id).name:<24} {total:>7}\n"
    out += "Top routes:\n"
    for (origin, dest), count in s["routes"]:
        origin_name = network.station(origin).name
        dest_name = network.station(dest).name
        out += f"  {origin_name} -> {dest_name}: {count}\n"
    out += f"Rebalancing: {len(s['suggestions'])} suggestions, {len(s['moves'])} moves\n"
    for move in s["moves"]:
        out += (
            f"  {move.hour:02d}h {move.bikes:>3} bikes {network.station(move.source).name}"
            f" -> {network.station(move.target).name} ({move.km:.2f} km)\n"
        )
    out += f"Suspicious trips: {len(s['suspicious'])}\n"
    for trip in sorted(s["suspicious"], key=lambda t: t.trip_id):
        out += f"  {trip.trip_id} {trip.origin} -> {trip.dest} {trip.duration_minutes:.1f} min\n"
    return out
