import copy
import random
import statistics

import pytest

from fleetstats import (
    busiest_days,
    clean_trip,
    depot_stats,
    driver_ranking,
    driver_scores,
    driver_stats,
    duplicate_ids,
    efficiency_ratio,
    expected_fuel,
    group_by,
    idle_gaps,
    km_per_litre,
    load_trips,
    maximum,
    mean,
    merge_exports,
    month_of,
    monthly_report,
    normalise,
    parse_time,
    percentile,
    rank,
    render_report,
    span_hours,
    spread,
    summarise_group,
    trip_outliers,
    utilisation,
    vehicle_ranking,
    vehicle_record,
    vehicle_stats,
    without_outliers,
    zscores,
)

VEHICLES = [
    {"id": "VAN-1", "model": "Sprinter", "depot": "NORTH", "rated_l_per_100km": 10.0},
    {"id": "VAN-2", "model": "Transit", "depot": "SOUTH", "rated_l_per_100km": 8.0},
    {"id": "VAN-3", "model": "Vivaro", "depot": "NORTH", "rated_l_per_100km": 7.5},
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


def random_rows(count, seed):
    rng = random.Random(seed)
    drivers = ["ana silva", "BO CHEN", "Cy Dube", "dee  eng", "Eli Fox", "fay gill", "Gus Ho"]
    rows = []
    for number in range(count):
        vehicle = rng.choice(VEHICLES)
        month = rng.randint(1, 6)
        day = rng.randint(1, 28)
        hour = rng.randint(5, 18)
        minute = rng.choice([0, 30])
        end = hour * 60 + minute + rng.randint(20, 300)
        km = round(rng.uniform(5, 200), 1)
        litres = km * vehicle["rated_l_per_100km"] / 100 * rng.gauss(1.0, 0.08)
        if rng.random() < 0.02:
            litres *= 2.5
        rows.append(
            row(
                f"T{number:05d}",
                vehicle["id"],
                rng.choice(drivers),
                f"2024-{month:02d}-{day:02d} {hour:02d}:{minute:02d}",
                f"2024-{month:02d}-{day:02d} {end // 60:02d}:{end % 60:02d}",
                km,
                round(litres, 2),
                depot=vehicle["depot"],
            )
        )
    return rows


@pytest.fixture
def big():
    return load_trips(random_rows(1500, seed=11))


# aggregates ---------------------------------------------------------------------------------


def test_empty_aggregates_raise():
    with pytest.raises(ValueError):
        mean([])
    with pytest.raises(ValueError):
        spread([])
    with pytest.raises(ValueError):
        maximum([])
    assert maximum([], default=0.0) == 0.0
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_percentile_interpolates():
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([7], 90) == 7
    assert percentile([1, 2, 3, 4, 5], 100) == 5


def test_zscores_edges():
    assert zscores([]) == []
    assert zscores([3.5]) == [0.0]
    assert zscores(iter([2.0, 2.0])) == [0.0, 0.0]


def test_zscores_large_matches_statistics():
    rng = random.Random(3)
    values = [rng.gauss(10, 3) for _ in range(800)]
    centre, deviation = statistics.fmean(values), statistics.pstdev(values)
    expected = [(value - centre) / deviation for value in values]
    assert zscores(values) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_group_by_edges():
    assert group_by([], lambda r: r) == {}
    records = [{"k": 2, "n": 1}, {"k": 1, "n": 2}, {"k": 2, "n": 3}]
    groups = group_by(records, lambda r: r["k"])
    assert list(groups) == [1, 2]
    assert groups[2] == [{"k": 2, "n": 1}, {"k": 2, "n": 3}]
    assert groups[2][0] is records[0]


def test_group_by_large_input():
    rng = random.Random(5)
    records = [{"key": rng.randrange(300), "n": n} for n in range(6000)]
    groups = group_by(records, lambda r: r["key"])
    assert list(groups) == sorted({r["key"] for r in records})
    assert sum(len(g) for g in groups.values()) == 6000
    for key, group in groups.items():
        assert [r["n"] for r in group] == [r["n"] for r in records if r["key"] == key]


def test_normalise_edges():
    assert normalise({}) == {}
    assert normalise({"a": 4.0}) == {"a": 1.0}
    assert normalise({"a": 2, "b": 2}) == {"a": 1.0, "b": 1.0}
    assert normalise({"a": -1.0, "b": 1.0, "c": 0.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}


def test_rank_ties_and_direction():
    assert rank({}) == {}
    assert rank({"only": 0.3}) == {"only": 1}
    scores = {"a": 1.0, "b": 1.0, "c": 1.0, "d": 0.5}
    assert rank(scores) == {"a": 1, "b": 1, "c": 1, "d": 4}
    assert rank(scores, highest_first=False) == {"a": 2, "b": 2, "c": 2, "d": 1}


def test_rank_large_input():
    rng = random.Random(9)
    scores = {f"d{i}": rng.randint(0, 50) for i in range(2000)}
    ranks = rank(scores)
    ordered = sorted(scores.values(), reverse=True)
    for name, value in scores.items():
        assert ranks[name] == ordered.index(value) + 1


# trips --------------------------------------------------------------------------------------


def test_parse_time():
    assert parse_time(" 2024-02-29 23:59 ").day == 29
    with pytest.raises(ValueError):
        parse_time("2024-02-30 10:00")
    with pytest.raises(ValueError):
        parse_time("2024-02-03T10:00")


def test_clean_trip_rejections():
    good = row("t", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 10, 1)
    with pytest.raises(ValueError, match="driver"):
        clean_trip(dict(good, driver=""))
    with pytest.raises(ValueError, match="fuel_l"):
        clean_trip({k: v for k, v in good.items() if k != "fuel_l"})
    with pytest.raises(ValueError):
        clean_trip(dict(good, distance_km=-1))
    with pytest.raises(ValueError):
        clean_trip(dict(good, fuel_l="lots"))
    zero = clean_trip(dict(good, end="2024-01-01 08:00", distance_km=0, fuel_l=0))
    assert zero["distance_km"] == 0.0


def test_duplicates_listed_sorted_once():
    rows = [row(tid, "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 10, 1)
            for tid in ["b", "a", "c", "b", "a", "b"]]
    trips = [clean_trip(r) for r in rows]
    assert duplicate_ids(trips) == ["a", "b"]
    assert duplicate_ids([]) == []
    with pytest.raises(ValueError, match="duplicate trip ids: a, b$"):
        load_trips(rows)
    assert load_trips([]) == []


def test_merge_exports_duplicates_across_exports_and_stability():
    first = load_trips([row("x", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 1, 1),
                        row("y", "VAN-1", "A", "2024-01-01 07:00", "2024-01-01 08:00", 1, 1)])
    second = load_trips([row("z", "VAN-2", "B", "2024-01-01 08:00", "2024-01-01 09:00", 1, 1)])
    assert [t["id"] for t in merge_exports(first, second)] == ["y", "x", "z"]
    assert [t["id"] for t in merge_exports(second, first)] == ["y", "z", "x"]
    assert merge_exports() == []
    with pytest.raises(ValueError, match="x"):
        merge_exports(first, first[:1])


def test_load_and_merge_do_not_mutate():
    rows = random_rows(50, seed=1)
    before = copy.deepcopy(rows)
    trips = load_trips(rows)
    assert rows == before
    snapshot = copy.deepcopy(trips)
    merge_exports(trips[::-1])
    assert trips == snapshot


# efficiency ---------------------------------------------------------------------------------


def test_vehicle_lookup():
    assert vehicle_record(VEHICLES, "VAN-2")["model"] == "Transit"
    with pytest.raises(KeyError):
        vehicle_record(VEHICLES, "VAN-9")
    twins = VEHICLES + [dict(VEHICLES[0], rated_l_per_100km=99.0)]
    trip = clean_trip(row("t", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 200, 20))
    assert expected_fuel(trip, twins) == 20.0
    assert efficiency_ratio([trip], twins) == 1.0
    with pytest.raises(KeyError):
        efficiency_ratio([dict(trip, vehicle="VAN-9")], VEHICLES)


def test_ratios_on_empty_and_zero():
    with pytest.raises(ValueError):
        km_per_litre([])
    with pytest.raises(ValueError):
        efficiency_ratio([], VEHICLES)
    idle = clean_trip(row("t", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 0, 0))
    with pytest.raises(ZeroDivisionError):
        km_per_litre([idle])
    with pytest.raises(ZeroDivisionError):
        efficiency_ratio([idle], VEHICLES)


def test_summarise_single_trip():
    trip = clean_trip(row("t", "VAN-3", "A", "2024-01-01 08:00", "2024-01-01 08:30", 30, 3))
    summary = summarise_group([trip], VEHICLES)
    assert summary == {
        "trips": 1,
        "distance_km": 30.0,
        "fuel_l": 3.0,
        "hours": 0.5,
        "km_per_l": 10.0,
        "efficiency": round(3 / 2.25, 4),
        "avg_speed": 60.0,
        "longest_km": 30.0,
    }


def test_stats_by_driver_vehicle_depot_agree(big):
    drivers = driver_stats(big, VEHICLES)
    vehicles = vehicle_stats(big, VEHICLES)
    depots = depot_stats(big, VEHICLES)
    assert sum(s["trips"] for s in drivers.values()) == len(big)
    assert sum(s["trips"] for s in vehicles.values()) == len(big)
    assert list(depots) == ["NORTH", "SOUTH"]
    assert vehicles["VAN-2"]["model"] == "Transit"
    assert vehicles["VAN-2"]["drivers"] == 7
    for name, stats in drivers.items():
        mine = [t for t in big if t["driver"] == name]
        assert stats == summarise_group(mine, VEHICLES)
    assert driver_stats([], VEHICLES) == {}


def test_outliers_match_naive_computation(big):
    ratios = {t["id"]: t["fuel_l"] / expected_fuel(t, VEHICLES) for t in big}
    expected = []
    for depot in {t["depot"] for t in big}:
        ids = [t["id"] for t in big if t["depot"] == depot]
        values = [ratios[i] for i in ids]
        centre, deviation = statistics.fmean(values), statistics.pstdev(values)
        expected += [i for i, v in zip(ids, values) if abs((v - centre) / deviation) > 3.0]
    outliers = trip_outliers(big, VEHICLES)
    assert sorted(t["id"] for t in outliers) == sorted(expected)
    assert len(outliers) > 5
    keys = [(-abs(t["z"]), t["id"]) for t in outliers]
    assert keys == sorted(keys)
    kept = without_outliers(big, VEHICLES)
    assert len(kept) == len(big) - len(outliers)
    assert [t["id"] for t in kept] == [t["id"] for t in big if t["id"] not in set(expected)]


def test_outliers_edges_and_no_mutation():
    assert trip_outliers([], VEHICLES) == []
    assert without_outliers([], VEHICLES) == []
    trips = load_trips(
        [row(f"t{i}", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 09:00", 100, 10)
         for i in range(5)]
    )
    assert trip_outliers(trips, VEHICLES) == []
    assert without_outliers(trips, VEHICLES) == trips
    trips[2]["fuel_l"] = 40.0
    snapshot = copy.deepcopy(trips)
    flagged = trip_outliers(trips, VEHICLES, threshold=1.5)
    assert [t["id"] for t in flagged] == ["t2"]
    assert flagged[0] is not trips[2]
    assert "z" not in trips[2]
    assert trips == snapshot


def test_driver_scores_min_trips_and_single_driver(big):
    assert driver_scores(big, VEHICLES, min_trips=10_000) == {}
    assert driver_ranking(big, VEHICLES, min_trips=10_000) == []
    solo = [t for t in big if t["driver"] == "Ana Silva"]
    assert driver_scores(solo, VEHICLES) == {"Ana Silva": 1.0}
    scores = driver_scores(big, VEHICLES)
    assert len(scores) == 7
    assert all(0.0 <= s <= 1.0 for s in scores.values())


def test_driver_ranking_ties_listed_by_name():
    rows = []
    for number, driver in enumerate(["Zed Y", "Abe B", "Max M"] * 2):
        rows.append(row(f"t{number}", "VAN-1", driver, "2024-01-01 08:00", "2024-01-01 09:00",
                        50, 5))
    ranking = driver_ranking(load_trips(rows), VEHICLES, min_trips=2)
    assert ranking == [
        {"rank": 1, "driver": "Abe B", "score": 1.0},
        {"rank": 1, "driver": "Max M", "score": 1.0},
        {"rank": 1, "driver": "Zed Y", "score": 1.0},
    ]


def test_vehicle_ranking(big):
    ranking = vehicle_ranking(big, VEHICLES)
    assert sorted(r["vehicle"] for r in ranking) == ["VAN-1", "VAN-2", "VAN-3"]
    effs = [r["efficiency"] for r in ranking]
    assert effs == sorted(effs)
    assert [r["rank"] for r in ranking] == [1, 2, 3]


# report -------------------------------------------------------------------------------------


def test_span_utilisation_idle_edges():
    single = load_trips([row("t", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 10:00", 1, 1)])
    assert span_hours(single) == 2.0
    assert utilisation(single) == {"VAN-1": 1.0}
    assert idle_gaps(single) == {"VAN-1": 0.0}
    still = load_trips([row("t", "VAN-1", "A", "2024-01-01 08:00", "2024-01-01 08:00", 0, 0)])
    assert utilisation(still) == {"VAN-1": 0.0}
    assert utilisation([]) == {} and idle_gaps([]) == {}
    with pytest.raises(ValueError):
        span_hours([])


def test_idle_gaps_sorts_by_start():
    trips = load_trips(
        [
            row("c", "VAN-2", "A", "2024-01-03 08:00", "2024-01-03 09:00", 1, 1),
            row("a", "VAN-2", "A", "2024-01-01 08:00", "2024-01-01 09:00", 1, 1),
            row("b", "VAN-2", "A", "2024-01-01 12:00", "2024-01-01 13:00", 1, 1),
        ]
    )
    assert idle_gaps(trips) == {"VAN-2": 43.0}


def test_busiest_days_ties():
    trips = load_trips(
        [row(f"t{i}", "VAN-1", "A", f"2024-01-0{d} 08:00", f"2024-01-0{d} 09:00", 1, 1)
         for i, d in enumerate([3, 1, 3, 1, 2, 5])]
    )
    assert busiest_days(trips) == [("2024-01-01", 2), ("2024-01-03", 2), ("2024-01-02", 1),
                                   ("2024-01-05", 1)]
    assert busiest_days(trips, top=1) == [("2024-01-01", 2)]
    assert busiest_days([]) == []


def test_monthly_report_large_and_unmutated(big):
    snapshot = copy.deepcopy(big)
    vehicles = copy.deepcopy(VEHICLES)
    rows = monthly_report(big, VEHICLES, top=2)
    assert big == snapshot and VEHICLES == vehicles
    assert [r["month"] for r in rows] == [f"2024-{m:02d}" for m in range(1, 7)]
    assert sum(r["trips"] for r in rows) == len(big)
    for r in rows:
        month = [t for t in big if month_of(t) == r["month"]]
        assert {k: r[k] for k in summarise_group(month, VEHICLES)} == summarise_group(
            month, VEHICLES
        )
        assert len(r["top_drivers"]) == 2
        assert r["outliers"] == len(trip_outliers(month, VEHICLES))
        assert set(r["depots"]) == {"NORTH", "SOUTH"}


def test_report_empty_and_content(big):
    assert monthly_report([], VEHICLES) == []
    assert render_report([], VEHICLES, title="Empty") == "Empty\n=====\n"
    text = render_report(big, VEHICLES)
    lines = text.splitlines()
    assert lines[0] == "Fleet report"
    assert len(lines) == 2 + 3 * 6 + 1
    assert lines[-1] == f"total trips {len(big)}"
