"""Deterministic workload: one month of trips for a mid-sized bike-share network."""

import hashlib
import random

from citybikes.pricing import duration_band_counts, format_cents, revenue_by_rider
from citybikes.report import monthly_report, monthly_summary
from citybikes.stations import StationNetwork, load_stations
from citybikes.trips import read_trips, trips_by_bike
from citybikes.usage import daily_counts, hourly_histogram

STREETS = ["Main St", "Park Ave", "Mill Rd", "Station Sq", "River Walk", "Market Pl", "Hill St"]
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 5, 12, 16, 9, 6, 6, 7, 7, 6, 7, 10, 15, 13, 8, 5, 3, 2, 1]


def make_station_lines(rng, count):
    lines = ["station_id,name,lat,lon,capacity"]
    for i in range(count):
        lat = 52.52 + rng.uniform(-0.03, 0.03)
        lon = 13.40 + rng.uniform(-0.045, 0.045)
        name = f"{rng.choice(STREETS)} {i:03d}"
        lines.append(f"S{i:03d},{name},{lat:.5f},{lon:.5f},{rng.randint(6, 24)}")
    return lines


def make_trip_lines(rng, stations, count):
    ids = list(stations)
    offices = [sid for i, sid in enumerate(ids) if i % 6 == 0]
    homes = [sid for i, sid in enumerate(ids) if i % 6 != 0]
    suburbs = homes[:18]
    lines = ["trip_id,bike_id,started,ended,origin,dest,rider,bike_type"]
    for n in range(count):
        month = 3 if rng.random() < 0.9 else rng.choice((2, 4))
        day = rng.randint(1, 28)
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        if hour < 11 and rng.random() < 0.8:
            origin, dest = rng.choice(suburbs), rng.choice(offices)
        elif hour >= 16 and rng.random() < 0.8:
            origin, dest = rng.choice(offices), rng.choice(suburbs)
        else:
            origin, dest = rng.choice(ids), rng.choice(ids)
        (lat1, lon1), (lat2, lon2) = stations[origin], stations[dest]
        km = ((lat2 - lat1) * 111.0) ** 2 + ((lon2 - lon1) * 68.0) ** 2
        ride = int(km**0.5 / rng.uniform(10.0, 18.0) * 60) + rng.randint(2, 12)
        if rng.random() < 0.08:
            ride += rng.randint(30, 120)  # a stop on the way
        if rng.random() < 0.002:
            ride = 1  # the dock did not register the return
        minute, second = rng.randint(0, 59), rng.randint(0, 59)
        end_min = minute + ride
        end_hour, end_min = hour + end_min // 60, end_min % 60
        end_day = day
        if end_hour >= 24:
            end_hour, end_day = end_hour - 24, day + 1
        rider = "member" if rng.random() < 0.7 else "casual"
        bike = "electric" if rng.random() < 0.3 else "classic"
        lines.append(
            f"T{n:06d},B{rng.randint(1, 900):04d},"
            f"2024-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d},"
            f"2024-{month:02d}-{end_day:02d} {end_hour:02d}:{end_min:02d}:{second:02d},"
            f"{origin},{dest},{rider},{bike}"
        )
        if rng.random() < 0.01:
            lines.append(lines[-1])  # the export repeats some rows
        if rng.random() < 0.003:
            lines.append(  # clock trouble at a dock: ends before it starts
                f"T{n:06d}X,B0001,2024-03-01 10:00,2024-03-01 09:00,{origin},{dest},member,classic"
            )
    return lines


def main():
    rng = random.Random(2024)
    station_lines = make_station_lines(rng, 80)
    network = StationNetwork(load_stations(station_lines))
    coords = {s.station_id: (s.lat, s.lon) for s in network}
    text = "\n".join(make_trip_lines(rng, coords, 7000))

    errors = []
    trips = read_trips(text, errors)
    report = monthly_report(network, trips, 2024, 3)
    summary = monthly_summary(network, trips, 2024, 2, top=3)
    revenue = revenue_by_rider(trips)
    bands = duration_band_counts(trips)
    days = daily_counts(trips)
    fleet = trips_by_bike(trips)
    hours = hourly_histogram(trips)

    digest = hashlib.sha256(report.encode()).hexdigest()[:16]
    print(f"stations: {len(network)}  trips: {len(trips)}  bad lines: {len(errors)}")
    print(f"revenue: {format_cents(sum(c for _, c in revenue.values()))}  "
          f"by rider: {sorted((k, v[0]) for k, v in revenue.items())}")
    print(f"bands: {list(bands.values())}")
    print(f"days: {len(days)}  busiest day: {max(days.items(), key=lambda kv: kv[1])}")
    print(f"bikes: {len(fleet)}  peak hour: {hours.index(max(hours))}")
    print(f"february: {summary['trips']} trips, {len(summary['moves'])} moves, "
          f"{summary['km']:.3f} km")
    print(f"report: {len(report.splitlines())} lines  sha256: {digest}")


if __name__ == "__main__":
    main()
