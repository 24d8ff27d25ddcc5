import pytest

from fleetstats import (
    clean_trip,
    driver_ranking,
    driver_stats,
    group_by,
    idle_gaps,
    load_trips,
    merge_exports,
    month_of,
    monthly_report,
    normalise,
    rank,
    render_report,
    trip_outliers,
    utilisation,
    without_outliers,
    zscores,
)

VEHICLES = [
    {"id": "VAN-1", "model": "Sprinter", "depot": "NORTH", "rated_l_per_100km": 10.0},
    {"id": "VAN-2", "model": "Transit", "depot": "SOUTH", "rated_l_per_100km": 8.0},
]


def row(tid, vehicle, driver, start, end, km, litres, depot="north"):
    return {
        "id": tid,
        "vehicle": vehicle,
        "driver": driver,
        "depot": depot,
        "start": start,
        "end": end,
        "distance_km": km,
        "fuel_l": litres,
    }


@pytest.fixture
def trips():
    return load_trips(
        [
            row("t1", "van-1", "ana  silva", "2024-01-02 08:00", "2024-01-02 10:00", 100, 10),
            row("t2", "VAN-1", "Ana Silva", "2024-01-03 08:00", "2024-01-03 09:00", 50, 6),
            row("t3", "VAN-2", "BO CHEN", "2024-01-02 07:00", "2024-01-02 09:00", 120, 9.6,
                depot="South"),
            row("t4", "VAN-2", "bo chen", "2024-02-05 12:00", "2024-02-05 13:30", 60, 4.2,
                depot="south "),
        ]
    )


def test_clean_trip_normalises_fields():
    raw = row(" t9 ", " van-2", "  eun-ji   PARK ", "2024-03-01 06:15", "2024-03-01 07:45",
              "88.5", "7.1", depot=" east")
    trip = clean_trip(raw)
    assert trip == {
        "id": "t9",
        "vehicle": "VAN-2",
        "driver": "Eun-ji Park",
        "depot": "EAST",
        "start": "2024-03-01 06:15",
        "end": "2024-03-01 07:45",
        "distance_km": 88.5,
        "fuel_l": 7.1,
    }
    assert raw["driver"] == "  eun-ji   PARK "


def test_clean_trip_rejects_bad_rows():
    with pytest.raises(ValueError):
        clean_trip(row("x", "VAN-1", "A", "2024-01-01 10:00", "2024-01-01 09:00", 1, 1))
    with pytest.raises(ValueError):
        clean_trip({"id": "x", "vehicle": "VAN-1"})


def test_load_trips_refuses_duplicates():
    rows = [row("t1", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 10, 1)] * 2
    with pytest.raises(ValueError, match="t1"):
        load_trips(rows)


def test_merge_exports_orders_by_start(trips):
    merged = merge_exports(trips[2:], trips[:2])
    assert [trip["id"] for trip in merged] == ["t3", "t1", "t2", "t4"]


def test_group_by_sorted_keys_and_input_order(trips):
    groups = group_by(trips, month_of)
    assert list(groups) == ["2024-01", "2024-02"]
    assert [trip["id"] for trip in groups["2024-01"]] == ["t1", "t2", "t3"]


def test_zscores_and_flat_values():
    assert zscores([1.0, 2.0, 3.0]) == pytest.approx([-1.224744871, 0.0, 1.224744871])
    assert zscores([5, 5, 5]) == [0.0, 0.0, 0.0]


def test_normalise_and_rank():
    assert normalise({"a": 2.0, "b": 4.0, "c": 3.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert rank({"a": 3, "b": 5, "c": 3, "d": 1}) == {"a": 2, "b": 1, "c": 2, "d": 4}


def test_driver_stats(trips):
    stats = driver_stats(trips, VEHICLES)
    assert list(stats) == ["Ana Silva", "Bo Chen"]
    ana = stats["Ana Silva"]
    assert ana["trips"] == 2
    assert ana["distance_km"] == 150.0
    assert ana["fuel_l"] == 16.0
    assert ana["hours"] == 3.0
    assert ana["km_per_l"] == pytest.approx(9.375)
    assert ana["efficiency"] == pytest.approx(16 / 15, abs=1e-4)
    assert ana["avg_speed"] == 50.0
    assert stats["Bo Chen"]["efficiency"] == pytest.approx(13.8 / 14.4, abs=1e-4)


def test_trip_outliers_flags_the_extreme_trip():
    rows = [
        row(f"t{i}", "VAN-1", "A", f"2024-01-{i + 1:02d} 08:00", f"2024-01-{i + 1:02d} 09:00",
            100, 10)
        for i in range(20)
    ]
    rows[7]["fuel_l"] = 30
    trips = load_trips(rows)
    outliers = trip_outliers(trips, VEHICLES)
    assert [trip["id"] for trip in outliers] == ["t7"]
    assert outliers[0]["z"] > 3
    assert len(without_outliers(trips, VEHICLES)) == 19


def test_driver_ranking(trips):
    ranking = driver_ranking(trips, VEHICLES, min_trips=1)
    assert [r["driver"] for r in ranking] == ["Bo Chen", "Ana Silva"]
    assert [r["rank"] for r in ranking] == [1, 2]
    assert ranking[0]["score"] == 1.0


def test_utilisation_and_idle_gaps(trips):
    assert utilisation(trips)["VAN-1"] == pytest.approx(3 / 25, abs=1e-4)
    assert idle_gaps(trips) == {"VAN-1": 22.0, "VAN-2": 819.0}


def test_monthly_report_and_render(trips):
    rows = monthly_report(trips, VEHICLES)
    assert [r["month"] for r in rows] == ["2024-01", "2024-02"]
    assert rows[0]["trips"] == 3
    assert rows[0]["depots"] == {"NORTH": 9.375, "SOUTH": 12.5}
    assert rows[1]["top_drivers"] == []
    text = render_report(trips, VEHICLES, title="Jan-Feb")
    assert text.startswith("Jan-Feb\n=======\n")
    assert "2024-02  trips     1" in text
    assert text.endswith("total trips 4\n")
