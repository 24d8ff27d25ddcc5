import pytest

from citybikes.pricing import (
    CASUAL,
    MEMBER,
    duration_band,
    format_cents,
    revenue_by_rider,
    trip_price,
)
from citybikes.report import monthly_report, monthly_summary
from citybikes.stations import Station, StationNetwork, haversine_km, load_stations
from citybikes.trips import iter_trips, parse_timestamp, parse_trip_line, read_trips
from citybikes.usage import (
    busiest_stations,
    hourly_histogram,
    hourly_net_flow,
    plan_moves,
    rebalancing_suggestions,
    top_routes,
)

STATIONS = """station_id,name,lat,lon,capacity
A,Alpha,52.5200,13.4000,10
B,Bravo,52.5300,13.4100,10
C,Charlie,52.5000,13.3800,10
"""

TRIPS = """trip_id,bike_id,started,ended,origin,dest,rider,bike_type
1,b1,2024-03-01 08:00:00,2024-03-01 08:20:00,A,B,member,classic
2,b2,2024-03-01 08:10:00,2024-03-01 08:40:00,A,B,casual,classic
3,b1,2024-03-01 17:05:00,2024-03-01 17:25:30,B,A,member,electric
4,b3,2024-03-02 09:00,2024-03-02 10:05,C,C,casual,electric
# comment line
5,b2,2024-04-01 12:00:00,2024-04-01 12:10:00,B,C,member,classic
"""


@pytest.fixture
def network():
    return StationNetwork(load_stations(STATIONS.splitlines()))


@pytest.fixture
def trips():
    return read_trips(TRIPS)


def test_parse_timestamp_with_and_without_seconds():
    assert parse_timestamp("2024-03-01 08:05:09").second == 9
    assert parse_timestamp("2024-03-01 08:05").minute == 5


def test_parse_timestamp_rejects_garbage():
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


def test_parse_trip_line_fields():
    trip = parse_trip_line("7,b9,2024-03-01 08:00,2024-03-01 08:30,A,B,Member,Classic")
    assert trip.trip_id == "7"
    assert trip.rider == "member"
    assert trip.bike_type == "classic"
    assert trip.duration_minutes == 30.0
    assert trip.start_hour == 8


def test_parse_trip_line_rejects_end_before_start():
    with pytest.raises(ValueError):
        parse_trip_line("7,b9,2024-03-01 08:00,2024-03-01 07:30,A,B,member,classic")


def test_iter_trips_collects_errors():
    errors = []
    lines = ["trip_id,x", "1,b,2024-03-01 08:00,2024-03-01 08:10,A,B,member,classic", "bad,line"]
    trips = list(iter_trips(lines, errors))
    assert len(trips) == 1
    assert errors and errors[0][0] == 3


def test_read_trips_drops_duplicates(trips):
    doubled = read_trips(TRIPS + TRIPS.splitlines()[1] + "\n")
    assert len(doubled) == len(trips) == 5


def test_haversine_known_distance():
    berlin_paris = haversine_km(52.5200, 13.4050, 48.8566, 2.3522)
    assert 875 < berlin_paris < 880
    assert haversine_km(1.0, 2.0, 1.0, 2.0) == 0.0


def test_network_lookup_and_distance(network):
    assert network.station("B").name == "Bravo"
    assert network.distance("A", "B") == pytest.approx(network.distance("B", "A"))
    with pytest.raises(KeyError):
        network.station("Z")


def test_duplicate_station_rejected(network):
    with pytest.raises(ValueError):
        network.add(Station("A", "Again", 52.0, 13.0, 5))


def test_nearest(network):
    assert [s.station_id for s in network.nearest("A", k=2)] == ["B", "C"]


def test_member_prices():
    assert MEMBER.ride_cents(30) == 0
    assert MEMBER.ride_cents(60) == 15 * 15
    assert MEMBER.ride_cents(100) == 45 * 15 + 10 * 25
    assert MEMBER.ride_cents(10, "electric") == 100


def test_casual_prices():
    assert CASUAL.ride_cents(10) == 100 + 200
    assert CASUAL.ride_cents(40.2) == 100 + 30 * 20 + 11 * 30


def test_trip_price_and_revenue(trips):
    assert trip_price(trips[0]) == 0
    assert trip_price(trips[1]) == 100 + 30 * 20
    revenue = revenue_by_rider(trips)
    assert revenue["member"][0] == 3
    assert revenue["casual"] == (2, 700 + 100 + 30 * 20 + 35 * 30 + 65 * 15)


def test_duration_band():
    assert duration_band(0) == "under 15 min"
    assert duration_band(45) == "45-90 min"
    assert duration_band(500) == "over 90 min"


def test_format_cents():
    assert format_cents(12345) == "123.45"
    assert format_cents(5) == "0.05"


def test_hourly_histogram(trips):
    hist = hourly_histogram(trips)
    assert len(hist) == 24
    assert hist[8] == 2 and hist[17] == 1 and sum(hist) == 5


def test_busiest_and_routes(trips):
    assert busiest_stations(trips, 1) == [("B", 4)]
    assert top_routes(trips, 1) == [(("A", "B"), 2)]


def test_hourly_net_flow(trips):
    flow = hourly_net_flow(trips, "A")
    assert flow[8] == -2
    assert flow[17] == 1
    assert sum(flow) == -1


def test_rebalancing_and_moves(network):
    lines = []
    for i in range(8):
        start, end = f"2024-03-01 08:{i:02d}", f"2024-03-01 08:{i + 20:02d}"
        lines.append(f"{i},b{i},{start},{end},A,B,member,classic")
    trips = read_trips(lines)
    suggestions = rebalancing_suggestions(network, trips, days=1)
    assert ("collect", "B") in {(s.action, s.station_id) for s in suggestions}
    assert ("deliver", "A") in {(s.action, s.station_id) for s in suggestions}
    moves = plan_moves(network, suggestions)
    assert moves and moves[0].source == "B" and moves[0].target == "A"


def test_monthly_summary(network, trips):
    summary = monthly_summary(network, trips, 2024, 3)
    assert summary["trips"] == 4
    assert summary["round_trips"] == 1
    assert summary["days"] == 31


def test_monthly_report_text(network, trips):
    text = monthly_report(network, trips, 2024, 3)
    assert text.startswith("City bikes - March 2024")
    assert "Trips: 4 (1 round trips)" in text
    assert "Bravo" in text
