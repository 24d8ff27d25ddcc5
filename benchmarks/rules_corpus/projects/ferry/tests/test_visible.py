from datetime import date, datetime, timedelta

import pytest

from ferry import (
    CapacityError,
    DailyReport,
    FareCalculator,
    Port,
    Timetable,
    earliest_arrival,
    reachable_ports,
)

DAY = date(2024, 5, 7)  # a Tuesday in the shoulder season


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.fixture
def tt():
    t = Timetable()
    t.add_port("AAA", "Alpha", 20)
    t.add_port("BBB", "Bravo", 15)
    t.add_port("CCC", "Charlie", 10)
    t.add_route("AAA", "BBB", 16, 1000)  # 60 min + 10 berthing
    t.add_route("BBB", "AAA", 16, 1000)
    t.add_route("BBB", "CCC", 8, 600)  # 30 min + 10
    t.add_route("AAA", "CCC", 40, 2000)  # 150 min + 10
    t.add_vessel("One", 10, 20)
    t.add_vessel("Two", 100, 50)
    t.add_vessel("Three", 100, 50)
    return t


def test_port_code_is_normalised_and_validated():
    assert Port(" abc ", "X").code == "ABC"
    with pytest.raises(ValueError):
        Port("AB", "too short")


def test_route_duration_and_code(tt):
    route = tt.route("aaa", "bbb")
    assert route.code == "AAA-BBB"
    assert route.duration == timedelta(minutes=70)
    assert tt.route("BBB", "AAA").is_reverse_of(route)


def test_schedule_and_lookup(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    assert s.sailing_id == "AAA-BBB-20240507-0800"
    assert tt.sailing("AAA-BBB-20240507-0800") is s
    assert s.arrival == at(9, 10)


def test_vessel_cannot_be_in_two_places(tt):
    tt.schedule("AAA", "BBB", "One", at(8))
    with pytest.raises(ValueError):
        tt.schedule("BBB", "AAA", "One", at(9, 20))
    tt.schedule("BBB", "AAA", "One", at(9, 30))


def test_sailings_on_sorted(tt):
    tt.schedule("AAA", "CCC", "Two", at(12))
    tt.schedule("AAA", "BBB", "One", at(8))
    tt.schedule("BBB", "CCC", "Three", at(10))
    tt.schedule("AAA", "BBB", "Three", at(8, 0, DAY + timedelta(days=1)))
    ids = [s.sailing_id for s in tt.sailings_on(DAY)]
    assert ids == ["AAA-BBB-20240507-0800", "BBB-CCC-20240507-1000", "AAA-CCC-20240507-1200"]


def test_booking_uses_seats_and_charges_fare(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    b = tt.book(s.sailing_id, 2, 1)
    assert b.ref == "FB000001"
    assert b.fare_cents == 2500
    assert s.passengers == 3
    assert s.seats_left == 7


def test_full_sailing_raises_capacity_error(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    tt.book(s.sailing_id, 8)
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 2, 1)
    assert s.passengers == 8


def test_car_deck_capacity(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    tt.book(s.sailing_id, 1, vehicle="truck")
    with pytest.raises(CapacityError):
        tt.book(s.sailing_id, 1, vehicle="car")
    tt.book(s.sailing_id, 1, vehicle="motorcycle")
    assert s.vehicle_metres == 19


def test_return_booking_is_linked_and_discounted(tt):
    out = tt.schedule("AAA", "BBB", "One", at(8))
    back = tt.schedule("BBB", "AAA", "One", at(17))
    b1, b2 = tt.book_return(out.sailing_id, back.sailing_id, 1)
    assert b1.linked_ref == b2.ref and b2.linked_ref == b1.ref
    assert b1.fare_cents == 1000
    assert b2.fare_cents == 800


def test_cancel_frees_seats(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    b = tt.book(s.sailing_id, 4)
    tt.cancel(b.ref)
    assert s.seats_left == 10
    assert b.revenue_cents == 400
    with pytest.raises(ValueError):
        tt.cancel(b.ref)


def test_seasons():
    fc = FareCalculator()
    assert fc.season_for(date(2024, 3, 31)) == "low"
    assert fc.season_for(date(2024, 4, 1)) == "shoulder"
    assert fc.season_for(datetime(2024, 7, 1, 9)) == "high"
    assert fc.season_for(date(2024, 12, 19)) == "high"


def test_quote_with_children_vehicle_and_season(tt):
    route = tt.route("AAA", "BBB")
    fc = tt.fares
    assert fc.quote(route, at(8), 1) == 1000
    assert fc.quote(route, at(8), 2, 1, "car") == 3500
    assert fc.quote(route, datetime(2024, 7, 2, 8), 1) == 1300
    assert fc.quote(route, datetime(2024, 1, 9, 8), 1, vehicle="van") == 2125


def test_peak_surcharge():
    fc = FareCalculator()
    assert fc.is_peak(datetime(2024, 5, 10, 16))  # Friday
    assert not fc.is_peak(datetime(2024, 5, 10, 20))
    assert not fc.is_peak(datetime(2024, 5, 9, 16))  # Thursday


def test_direct_connection(tt):
    tt.schedule("AAA", "BBB", "One", at(8))
    tt.schedule("AAA", "BBB", "Two", at(9))
    j = earliest_arrival(tt, "AAA", "BBB", at(8, 30))
    assert [leg.sailing_id for leg in j.legs] == ["AAA-BBB-20240507-0900"]
    assert j.transfers == 0


def test_transfer_beats_slow_direct(tt):
    tt.schedule("AAA", "CCC", "Two", at(8))  # arrives 10:40
    tt.schedule("AAA", "BBB", "One", at(8))  # arrives 09:10
    tt.schedule("BBB", "CCC", "Three", at(9, 25))  # arrives 10:05
    j = earliest_arrival(tt, "AAA", "CCC", at(7))
    assert j.arrival == at(10, 5)
    assert j.transfers == 1
    assert j.origin.code == "AAA" and j.destination.code == "CCC"


def test_transfer_time_is_respected(tt):
    tt.schedule("AAA", "CCC", "Two", at(8))
    tt.schedule("AAA", "BBB", "One", at(8))
    tt.schedule("BBB", "CCC", "Three", at(9, 25))
    j = earliest_arrival(tt, "AAA", "CCC", at(7))
    assert j.arrival == at(10, 5)
    tt.port("BBB").transfer_minutes = 16
    j = earliest_arrival(tt, "AAA", "CCC", at(7))
    assert j.arrival == at(10, 40)


def test_unreachable_returns_none(tt):
    tt.schedule("AAA", "BBB", "One", at(8))
    assert earliest_arrival(tt, "CCC", "AAA", at(7)) is None
    assert earliest_arrival(tt, "AAA", "BBB", at(9)) is None


def test_full_sailings_are_skipped(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    tt.schedule("AAA", "BBB", "Two", at(9))
    tt.book(s.sailing_id, 9)
    j = earliest_arrival(tt, "AAA", "BBB", at(7), passengers=2)
    assert j.departure == at(9)


def test_reachable_ports(tt):
    tt.schedule("AAA", "BBB", "One", at(8))
    tt.schedule("BBB", "CCC", "Three", at(9, 30))
    reach = reachable_ports(tt, "AAA", at(7))
    assert reach == {"BBB": at(9, 10), "CCC": at(10, 10)}


def test_report_load_factors_and_revenue(tt):
    s1 = tt.schedule("AAA", "BBB", "One", at(8))
    s2 = tt.schedule("BBB", "CCC", "Two", at(10))
    tt.book(s1.sailing_id, 5)
    tt.book(s2.sailing_id, 1, vehicle="car")
    report = DailyReport(tt, DAY)
    assert report.load_factors() == [
        ("AAA-BBB-20240507-0800", 0.5, 0.0),
        ("BBB-CCC-20240507-1000", 0.01, 0.1),
    ]
    assert report.revenue_by_route() == {"AAA-BBB": 5000, "BBB-CCC": 1200}


def test_report_late_sailings(tt):
    s1 = tt.schedule("AAA", "BBB", "One", at(8))
    s2 = tt.schedule("BBB", "CCC", "Two", at(10))
    tt.schedule("AAA", "CCC", "Three", at(11))
    tt.record_delay(s1.sailing_id, 12)
    tt.record_delay(s2.sailing_id, 45)
    report = DailyReport(tt, DAY)
    assert report.late_sailings() == [(s2.sailing_id, 45), (s1.sailing_id, 12)]
    assert "LATE BBB-CCC-20240507-1000 +45 min" in report.render()


def test_report_summary(tt):
    s1 = tt.schedule("AAA", "BBB", "One", at(8))
    tt.book(s1.sailing_id, 2, 2, "car")
    summary = DailyReport(tt, DAY).summary()
    assert summary["sailings"] == 1
    assert summary["passengers"] == 4
    assert summary["vehicles"] == 1
    assert summary["revenue_cents"] == 4000
    assert summary["busiest"] == s1.sailing_id


def test_negative_delay_rejected(tt):
    s = tt.schedule("AAA", "BBB", "One", at(8))
    with pytest.raises(ValueError):
        tt.record_delay(s.sailing_id, -5)
