import copy
import random

import pytest

from farmplots import (
    CATALOG,
    Crop,
    Field,
    GrowthStage,
    IrrigationEvent,
    Reading,
    Scheduler,
    WeatherLog,
    apply_events,
    degree_days,
    estimate_yield,
    find_crop,
    season_report,
    simulate_season,
    worst_plots,
    yield_grid,
)
from farmplots.field import STARTING_FRACTION, WILTING_FRACTION
from farmplots.season import BARE_SOIL_EVAPORATION_MM, PlotOutcome

# ---------------------------------------------------------------- reference implementations


def ref_dd(t_min, t_max, base, cap):
    lo = min(max(t_min, base), cap)
    hi = min(max(t_max, base), cap)
    return (lo + hi) / 2 - base


def ref_gdd(readings, first, last, base, cap):
    return sum(ref_dd(r.t_min, r.t_max, base, cap) for r in readings if first <= r.day <= last)


def ref_neighbours(rows, cols, r, c):
    out = []
    for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        if 0 <= r + dr < rows and 0 <= c + dc < cols:
            out.append((r + dr, c + dc))
    return out


def ref_redistribute(capacity, moisture, rate=0.15):
    rows, cols = len(capacity), len(capacity[0])
    new = []
    for r in range(rows):
        line = []
        for c in range(cols):
            own = moisture[r][c] / capacity[r][c]
            around = [moisture[a][b] / capacity[a][b] for a, b in ref_neighbours(rows, cols, r, c)]
            if around:
                own += (sum(around) / len(around) - own) * rate
            line.append(min(1.0, own) * capacity[r][c])
        new.append(line)
    return new


def ref_plan(sched, capacity, moisture, plantings, readings, day, name):
    rain = sum(r.rain_mm for r in readings if day - 3 < r.day <= day)
    if rain >= sched.skip_if_rain_mm:
        return []
    cands = []
    for (r, c), p in sorted(plantings.items()):
        if p.sow_day > day:
            continue
        frac = moisture[r][c] / capacity[r][c]
        if frac >= sched.trigger_fraction:
            continue
        crop = find_crop(p.crop_name)
        gdd = ref_gdd(readings, p.sow_day, day, crop.base_temp, crop.cap_temp)
        if gdd >= crop.maturity_gdd:
            continue
        gap = sched.target_fraction - frac
        score = gap * crop.stage_at(gdd).sensitivity / crop.drought_tolerance
        cands.append((-score, r, c, gap * capacity[r][c]))
    cands.sort()
    events, budget = [], sched.daily_budget_mm
    for _, r, c, wanted in cands:
        if budget <= 0:
            break
        amount = min(wanted, sched.max_per_plot_mm, budget)
        events.append((day, name, r, c, amount))
        budget -= amount
    return events


def random_log(rng, days, start=1, gaps=False):
    readings = []
    day = start
    for _ in range(days):
        mean = rng.uniform(8, 28)
        spread = rng.uniform(2, 14)
        rain = rng.choice([0.0, 0.0, 0.0, rng.uniform(0, 25)])
        readings.append(Reading(day, rain, mean - spread / 2, mean + spread / 2))
        day += rng.randint(1, 3) if gaps else 1
    return WeatherLog(readings)


def random_field(rng, name, rows, cols, sow_range=(1, 10), fill=0.8):
    fld = Field(name, [[rng.uniform(40, 120) for _ in range(cols)] for _ in range(rows)])
    names = [c.name for c in CATALOG]
    for r in range(rows):
        for c in range(cols):
            if rng.random() < fill:
                fld.plant(r, c, rng.choice(names), rng.randint(*sow_range))
    return fld


def grids_close(a, b, rel=1e-9):
    assert len(a) == len(b)
    for ra, rb in zip(a, b):
        assert ra == pytest.approx(rb, rel=rel, abs=1e-9)


# ---------------------------------------------------------------- weather


def test_degree_days_is_never_negative_and_capped():
    assert degree_days(-10, -5, 0, 30) == 0.0
    assert degree_days(35, 40, 10, 30) == pytest.approx(20.0)
    assert degree_days(10, 10, 10, 30) == 0.0


def test_gdd_between_random_against_reference():
    rng = random.Random(7)
    log = random_log(rng, 120, start=50, gaps=True)
    for _ in range(400):
        a = rng.randint(40, 320)
        b = rng.randint(40, 320)
        base, cap = rng.choice([(0.0, 30.0), (10.0, 30.0), (7.0, 29.0), (5.0, 25.0)])
        assert log.gdd_between(a, b, base, cap) == pytest.approx(
            ref_gdd(log.readings, a, b, base, cap), abs=1e-9)


def test_gdd_between_reversed_range_is_zero():
    log = random_log(random.Random(1), 10)
    assert log.gdd_between(8, 3, 0.0, 30.0) == 0.0


def test_gdd_between_sees_readings_added_later():
    log = WeatherLog([Reading(1, 0, 10, 20), Reading(2, 0, 10, 20)])
    assert log.gdd_between(1, 10, 10, 30) == pytest.approx(10.0)
    log.add(Reading(3, 0, 20, 30))
    assert log.gdd_between(1, 10, 10, 30) == pytest.approx(25.0)
    assert log.gdd_between(1, 2, 10, 30) == pytest.approx(10.0)
    assert log.reading_for(3).t_max == 30


def test_gdd_between_depends_on_base_and_cap():
    log = WeatherLog([Reading(1, 0, 5, 35)])
    assert log.gdd_between(1, 1, 0, 30) == pytest.approx(17.5)
    assert log.gdd_between(1, 1, 10, 30) == pytest.approx(10.0)
    assert log.gdd_between(1, 1, 10, 40) == pytest.approx(12.5)


def test_weather_log_copies_and_validates_initial_readings():
    readings = [Reading(1, 0, 5, 10), Reading(2, 0, 5, 10)]
    log = WeatherLog(readings)
    log.add(Reading(3, 0, 5, 10))
    assert len(readings) == 2
    with pytest.raises(ValueError):
        WeatherLog([Reading(2, 0, 5, 10), Reading(1, 0, 5, 10)])


def test_recent_rain_with_gaps_and_bad_window():
    log = WeatherLog([Reading(1, 5, 5, 10), Reading(3, 7, 5, 10), Reading(6, 11, 5, 10)])
    assert log.recent_rain(3, 3) == pytest.approx(12.0)
    assert log.recent_rain(5, 2) == 0.0
    assert log.recent_rain(6, 5) == pytest.approx(18.0)
    assert log.recent_rain(6, 6) == pytest.approx(23.0)
    with pytest.raises(ValueError):
        log.recent_rain(6, 0)


def test_days_and_reading_for_with_gaps():
    log = random_log(random.Random(3), 30, start=100, gaps=True)
    days = log.days()
    assert days == sorted(days)
    for d in days:
        assert log.reading_for(d).day == d
    missing = next(d for d in range(days[0], days[-1]) if d not in days)
    with pytest.raises(KeyError):
        log.reading_for(missing)


# ---------------------------------------------------------------- crops


def test_find_crop_with_custom_catalog():
    rye = Crop("Rye", 0.0, 28.0, [GrowthStage("sown", 0, 0.3), GrowthStage("ripe", 900, 0.2)],
               0.6, 3.0, 0.7)
    assert find_crop(" RYE", [rye]) is rye
    with pytest.raises(KeyError):
        find_crop("rye")
    with pytest.raises(KeyError):
        find_crop("wheat", [rye])


def test_find_crop_sees_catalog_additions():
    spelt = Crop("Spelt", 0.0, 28.0, [GrowthStage("sown", 0, 0.3)], 0.5, 3.0, 0.6)
    assert find_crop("wheat").name == "Wheat"
    CATALOG.append(spelt)
    try:
        assert find_crop("spelt") is spelt
    finally:
        CATALOG.remove(spelt)
    with pytest.raises(KeyError):
        find_crop("spelt")


@pytest.mark.parametrize("kwargs", [
    {"stages": []},
    {"stages": [GrowthStage("a", 10, 0.3)]},
    {"stages": [GrowthStage("a", 0, 0.3), GrowthStage("b", 300, 1), GrowthStage("c", 200, 1)]},
    {"cap_temp": 5.0},
    {"drought_tolerance": 1.0},
    {"drought_tolerance": 0.0},
])
def test_crop_validation(kwargs):
    args = {"name": "X", "base_temp": 5.0, "cap_temp": 30.0,
            "stages": [GrowthStage("a", 0, 0.3)], "potential_yield": 1.0,
            "reference_water_mm": 4.0, "drought_tolerance": 0.5}
    args.update(kwargs)
    with pytest.raises(ValueError):
        Crop(**args)


def test_stage_at_boundaries_and_negative():
    wheat = find_crop("wheat")
    assert wheat.stage_at(-5).name == "sown"
    for stage in wheat.stages:
        assert wheat.stage_at(stage.gdd_start).name == stage.name
    assert wheat.stage_at(10**6).name == "mature"


def test_water_need_temperature_curve():
    barley = find_crop("barley")
    kc = barley.stage_at(500).crop_coefficient
    assert barley.water_need(500, 15.0) == pytest.approx(3.5 * kc)
    assert barley.water_need(500, 10.0) == pytest.approx(3.5 * kc)
    assert barley.water_need(500, 5.0) == pytest.approx(3.5 * kc * 0.5)
    assert barley.water_need(500, -8.0) == pytest.approx(3.5 * kc * 0.3)
    assert barley.water_need(500, 30.0) == pytest.approx(3.5 * kc * 1.3)


# ---------------------------------------------------------------- fields


def test_field_does_not_alias_caller_data():
    capacity = [[50.0, 60.0], [70.0, 80.0]]
    plantings = {}
    fld = Field("f", capacity, plantings)
    fld.add_water(0, 0, 100.0)
    fld.plant(1, 1, "wheat", 2)
    capacity[0][0] = 1.0
    assert fld.capacity[0][0] == 50.0
    assert plantings == {}
    assert capacity == [[1.0, 60.0], [70.0, 80.0]]


@pytest.mark.parametrize("capacity", [[], [[]], [[10.0, 0.0]], [[10.0], [-3.0]]])
def test_field_rejects_bad_capacity(capacity):
    with pytest.raises(ValueError):
        Field("bad", capacity)


def test_add_water_edge_cases():
    fld = Field("f", [[30.0]])
    assert fld.add_water(0, 0, 30.0 - 18.0) == 0.0
    assert fld.moisture[0][0] == 30.0
    assert fld.add_water(0, 0, 0.0) == 0.0
    with pytest.raises(ValueError):
        fld.add_water(0, 0, -1.0)


def test_rain_returns_total_runoff():
    fld = Field("f", [[10.0, 100.0], [20.0, 30.0]])
    runoff = fld.rain(15.0)
    expected = sum(max(0.0, cap * STARTING_FRACTION + 15 - cap)
                   for cap in (10.0, 100.0, 20.0, 30.0))
    assert runoff == pytest.approx(expected)
    assert fld.moisture == [[10.0, 75.0], [20.0, 30.0]]


def test_neighbours_at_corners_and_edges():
    fld = Field("f", [[1.0] * 3 for _ in range(2)])
    assert fld.neighbours(0, 0) == [(1, 0), (0, 1)]
    assert fld.neighbours(1, 1) == [(0, 1), (1, 0), (1, 2)]
    assert Field("g", [[1.0]]).neighbours(0, 0) == []


def test_redistribute_random_against_reference():
    rng = random.Random(11)
    for rows, cols in [(1, 1), (1, 5), (4, 1), (6, 7), (9, 4)]:
        fld = Field("f", [[rng.uniform(20, 150) for _ in range(cols)] for _ in range(rows)])
        for r in range(rows):
            for c in range(cols):
                fld.moisture[r][c] = rng.uniform(0, fld.capacity[r][c])
        for _ in range(5):
            expected = ref_redistribute(fld.capacity, fld.moisture)
            fld.redistribute()
            grids_close(fld.moisture, expected)


def test_redistribute_custom_rate_and_cap():
    fld = Field("f", [[10.0, 100.0]])
    fld.moisture = [[10.0, 100.0]]
    fld.redistribute(rate=1.0)
    assert fld.moisture == [[10.0, 100.0]]
    fld.moisture = [[0.0, 100.0]]
    fld.redistribute(rate=0.5)
    assert fld.moisture[0][0] == pytest.approx(5.0)
    assert fld.moisture[0][1] == pytest.approx(50.0)


def test_mean_moisture():
    fld = Field("f", [[10.0, 40.0], [50.0, 100.0]])
    fld.moisture = [[5.0, 40.0], [0.0, 25.0]]
    assert fld.mean_moisture() == pytest.approx((0.5 + 1.0 + 0.0 + 0.25) / 4)


def test_plant_block_skips_and_validates():
    fld = Field("f", [[50.0] * 4 for _ in range(3)])
    fld.plant(1, 1, "maize", 3)
    assert fld.plant_block(0, 0, 2, 2, "potato", 4) == 8
    assert fld.plantings[(1, 1)].crop_name == "Maize"
    with pytest.raises(KeyError):
        fld.plant(0, 3, "kale", 1)
    with pytest.raises(IndexError):
        fld.plant(-1, 0, "wheat", 1)


# ---------------------------------------------------------------- irrigation


def _field_row(moistures, crop="Maize", cap=100.0, sow=1):
    fld = Field("f", [[cap] * len(moistures)])
    for col in range(len(moistures)):
        fld.plant(0, col, crop, sow)
    fld.moisture = [list(moistures)]
    return fld


def test_plan_ties_go_in_row_major_order():
    fld = Field("f", [[100.0] * 3 for _ in range(2)])
    fld.plant_block(0, 0, 1, 2, "Wheat", 1)
    fld.moisture = [[20.0] * 3 for _ in range(2)]
    events = Scheduler(daily_budget_mm=100.0, max_per_plot_mm=30.0).plan(fld, WeatherLog(
        [Reading(d, 0, 10, 20) for d in range(1, 4)]), 3)
    assert [(e.row, e.col) for e in events] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert [e.amount_mm for e in events] == [30.0, 30.0, 30.0, 10.0]


def test_plan_budget_zero_and_caps():
    log = WeatherLog([Reading(d, 0, 10, 25) for d in range(1, 6)])
    fld = _field_row([10.0, 40.0])
    assert Scheduler(daily_budget_mm=0.0).plan(fld, log, 5) == []
    events = Scheduler(daily_budget_mm=1000.0, max_per_plot_mm=100.0).plan(fld, log, 5)
    assert [(e.col, e.amount_mm) for e in events] == [(0, pytest.approx(70.0)),
                                                       (1, pytest.approx(40.0))]
    assert all(isinstance(e, IrrigationEvent) and e.field_name == "f" and e.day == 5
               for e in events)


def test_plan_skips_unsown_mature_and_wet_plots():
    log = WeatherLog([Reading(d, 0, 25, 35) for d in range(1, 80)])
    fld = Field("f", [[100.0] * 4])
    fld.plant(0, 0, "Wheat", 1)    # mature by day 79
    fld.plant(0, 1, "Wheat", 90)   # not sown yet
    fld.plant(0, 2, "Wheat", 70)   # growing, wet
    fld.plant(0, 3, "Wheat", 70)   # growing, dry
    fld.moisture = [[5.0, 5.0, 50.0, 5.0]]
    events = Scheduler().plan(fld, log, 79)
    assert [(e.row, e.col) for e in events] == [(0, 3)]


def test_plan_random_against_reference():
    rng = random.Random(23)
    log = random_log(rng, 60)
    for trial in range(25):
        fld = random_field(rng, "r", rng.randint(1, 6), rng.randint(1, 7), (1, 40))
        for r in range(fld.rows):
            for c in range(fld.cols):
                fld.moisture[r][c] = rng.uniform(0, fld.capacity[r][c])
        sched = Scheduler(trigger_fraction=rng.uniform(0.2, 0.6), target_fraction=0.85,
                          daily_budget_mm=rng.choice([0.0, 30.0, 100.0, 1000.0]),
                          max_per_plot_mm=rng.uniform(5, 40), skip_if_rain_mm=15.0)
        day = rng.randint(1, 60)
        before = copy.deepcopy(fld.moisture)
        got = [(e.day, e.field_name, e.row, e.col, e.amount_mm)
               for e in sched.plan(fld, log, day)]
        want = ref_plan(sched, fld.capacity, fld.moisture, fld.plantings, log.readings, day, "r")
        assert [g[:4] for g in got] == [w[:4] for w in want], trial
        assert [g[4] for g in got] == pytest.approx([w[4] for w in want])
        assert fld.moisture == before


def test_apply_events_only_touches_its_field():
    fld = Field("mine", [[50.0, 50.0]])
    events = [IrrigationEvent(1, "mine", 0, 0, 30.0), IrrigationEvent(1, "other", 0, 1, 30.0),
              IrrigationEvent(1, "mine", 0, 1, 5.0)]
    saved = list(events)
    assert apply_events(fld, events) == pytest.approx(10.0)
    assert fld.moisture == [[50.0, 35.0]]
    assert events == saved


def test_scheduler_more_validation():
    with pytest.raises(ValueError):
        Scheduler(max_per_plot_mm=0)
    with pytest.raises(ValueError):
        Scheduler(trigger_fraction=0.0)
    with pytest.raises(ValueError):
        Scheduler(target_fraction=1.2)


# ---------------------------------------------------------------- yields and season


def test_estimate_yield_bounds():
    potato = find_crop("potato")
    assert estimate_yield(potato, 1e9, 0, 0.0, 10) == pytest.approx(potato.potential_yield)
    assert estimate_yield(potato, 400, 100, 1e6, 100) == 0.0
    assert estimate_yield(potato, -3, 0, 0.0, 10) == 0.0
    with pytest.raises(ValueError):
        estimate_yield(potato, 400, -1, 0.0, 10)
    with pytest.raises(ValueError):
        estimate_yield(potato, 400, 0, -0.5, 10)
    expected = potato.potential_yield * (410 / 820) * (1 - 10 / 40 * 0.7 - 84 / (4.2 * 400))
    assert estimate_yield(potato, 410, 10, 84.0, 40) == pytest.approx(expected)


def ref_season(fields, log, sched):
    """A straightforward re-implementation of the season loop over plain copies."""
    state = {f.name: (f.capacity, copy.deepcopy(f.moisture),
                      {k: [p.crop_name, p.sow_day, 0, 0.0] for k, p in f.plantings.items()})
             for f in fields}
    events = []
    for reading in log.readings:
        day = reading.day
        for f in fields:
            cap, moist, plants = state[f.name]
            for r in range(len(cap)):
                for c in range(len(cap[0])):
                    moist[r][c] = min(cap[r][c], moist[r][c] + reading.rain_mm)
            for r in range(len(cap)):
                for c in range(len(cap[0])):
                    p = plants.get((r, c))
                    if p is None or p[1] > day:
                        need = BARE_SOIL_EVAPORATION_MM * max(0.2, reading.t_mean / 20.0)
                        moist[r][c] = max(0.0, moist[r][c] - need)
                        continue
                    crop = find_crop(p[0])
                    gdd = ref_gdd(log.readings, p[1], day, crop.base_temp, crop.cap_temp)
                    left = max(0.0, moist[r][c] - crop.water_need(gdd, reading.t_mean))
                    moist[r][c] = left
                    wilt = WILTING_FRACTION * cap[r][c]
                    if gdd < crop.maturity_gdd and left < wilt:
                        p[2] += 1
                        p[3] += (wilt - left) * crop.stage_at(gdd).sensitivity
            moist[:] = ref_redistribute(cap, moist)
            if sched is not None:
                fake = {k: type("P", (), {"crop_name": v[0], "sow_day": v[1]})()
                        for k, v in plants.items()}
                todays = ref_plan(sched, cap, moist, fake, log.readings, day, f.name)
                for _, _, r, c, amount in todays:
                    moist[r][c] = min(cap[r][c], moist[r][c] + amount)
                events.extend(todays)
    return state, events


def test_simulate_season_against_reference():
    rng = random.Random(99)
    log = random_log(rng, 45)
    fields = [random_field(rng, "a", 4, 5, (1, 15)), random_field(rng, "b", 3, 6, (1, 15))]
    sched = Scheduler(daily_budget_mm=90.0, max_per_plot_mm=20.0)
    state, ref_events = ref_season(fields, log, sched)
    result = simulate_season(fields, log, sched)
    assert [(e.day, e.field_name, e.row, e.col) for e in result.events] == [
        e[:4] for e in ref_events]
    for f in fields:
        grids_close(f.moisture, state[f.name][1], rel=1e-7)
        for key, p in f.plantings.items():
            assert p.stress_days == state[f.name][2][key][2]
            assert p.deficit_mm == pytest.approx(state[f.name][2][key][3], rel=1e-7)


def test_simulate_season_window_gaps_and_late_sowing():
    log = random_log(random.Random(5), 30, start=10, gaps=True)
    days = log.days()
    fld = Field("f", [[80.0, 80.0, 80.0]])
    fld.plant(0, 0, "wheat", days[0])
    fld.plant(0, 1, "maize", days[-1] + 5)
    fld.plant(0, 2, "barley", days[3])
    before_readings = list(log.readings)
    result = simulate_season([fld], log, None, first_day=days[2], last_day=days[-3])
    assert result.days == [d for d in days if days[2] <= d <= days[-3]]
    assert log.readings == before_readings
    by_col = {o.col: o for o in result.outcomes}
    assert by_col[1].yield_t == 0.0 and by_col[1].gdd == 0.0
    assert by_col[0].gdd == pytest.approx(ref_gdd(log.readings, days[0], days[-3], 0.0, 30.0))
    assert result.daily_moisture["f"] and len(result.daily_moisture["f"]) == len(result.days)
    report = season_report(result)
    assert report["by_field"]["f"]["driest_day"] in result.days
    assert report["days"] == len(result.days)


def test_simulation_after_log_grows_matches_fresh_log():
    rng = random.Random(31)
    full = random_log(rng, 40)
    partial = WeatherLog(full.readings[:20])
    simulate_season([random_field(random.Random(1), "x", 3, 3)], partial, Scheduler())
    for reading in full.readings[20:]:
        partial.add(reading)
    a = simulate_season([random_field(random.Random(2), "x", 3, 3)], partial, Scheduler())
    b = simulate_season([random_field(random.Random(2), "x", 3, 3)], full, Scheduler())
    assert [(o.row, o.col, o.gdd, o.yield_t) for o in a.outcomes] == [
        (o.row, o.col, o.gdd, o.yield_t) for o in b.outcomes]
    assert a.events == b.events


def test_season_invariants_random():
    rng = random.Random(2024)
    log = random_log(rng, 50)
    fields = [random_field(rng, n, rng.randint(2, 6), rng.randint(2, 6)) for n in "pqr"]
    sched = Scheduler(daily_budget_mm=70.0, max_per_plot_mm=12.0)
    result = simulate_season(fields, log, sched)
    per_day = {}
    for e in result.events:
        assert 0 < e.amount_mm <= 12.0 + 1e-9
        per_day[(e.day, e.field_name)] = per_day.get((e.day, e.field_name), 0) + e.amount_mm
    assert all(total <= 70.0 + 1e-9 for total in per_day.values())
    for o in result.outcomes:
        expected = sum(e.amount_mm for e in result.events
                       if (e.field_name, e.row, e.col) == (o.field_name, o.row, o.col))
        assert o.irrigated_mm == pytest.approx(expected)
        assert 0.0 <= o.yield_t <= find_crop(o.crop_name).potential_yield
    assert len(result.outcomes) == sum(len(f.plantings) for f in fields)
    for f in fields:
        for r in range(f.rows):
            for c in range(f.cols):
                assert 0.0 <= f.moisture[r][c] <= f.capacity[r][c] + 1e-9


def test_season_outcomes_in_field_then_row_major_order():
    rng = random.Random(8)
    log = random_log(rng, 10)
    fields = [random_field(rng, "z", 3, 3), random_field(rng, "a", 2, 2)]
    result = simulate_season(fields, log)
    keys = [(o.field_name, o.row, o.col) for o in result.outcomes]
    expected = [(f.name, r, c) for f in fields for r in range(f.rows) for c in range(f.cols)
                if (r, c) in f.plantings]
    assert keys == expected
    assert list(result.daily_moisture) == ["z", "a"]


def _o(name, r, c, y, crop="Wheat"):
    return PlotOutcome(name, r, c, crop, 10.0, 1, 0.0, 0, y)


def test_worst_plots_edge_cases():
    outcomes = [_o("b", 0, 0, 2.0), _o("a", 0, 0, 2.0), _o("a", 0, 1, 0.5)]
    saved = list(outcomes)
    assert worst_plots([], 3) == []
    assert worst_plots(outcomes, 0) == []
    assert worst_plots(outcomes, 10) == [outcomes[2], outcomes[1], outcomes[0]]
    assert outcomes == saved
    with pytest.raises(ValueError):
        worst_plots(outcomes, -1)


def test_yield_grid_ignores_other_fields_and_out_of_range():
    outcomes = [_o("a", 0, 0, 1.0), _o("b", 0, 1, 5.0), _o("a", 5, 5, 7.0), _o("a", 1, 1, 2.0)]
    assert yield_grid(outcomes, "a", 2, 2) == [[1.0, 0.0], [0.0, 2.0]]
    assert yield_grid([], "a", 1, 3) == [[0.0, 0.0, 0.0]]
    assert yield_grid(outcomes, "a", 0, 0) == []


def test_season_report_with_unplanted_field_and_no_mutation():
    log = random_log(random.Random(4), 12)
    empty = Field("empty", [[50.0, 50.0]])
    busy = random_field(random.Random(6), "busy", 3, 3, fill=1.0)
    result = simulate_season([empty, busy], log, Scheduler())
    snapshot = copy.deepcopy(result)
    report = season_report(result, worst_n=100)
    assert result == snapshot
    assert report["by_field"]["empty"]["plots"] == 0
    assert report["by_field"]["empty"]["total_yield"] == 0
    assert report["by_field"]["empty"]["irrigated_mm"] == 0
    assert len(report["worst"]) == 9
    assert sum(row["plots"] for row in report["by_crop"].values()) == 9
    assert report["total_irrigation_mm"] == pytest.approx(
        sum(row["irrigated_mm"] for row in report["by_crop"].values()))


def test_season_report_crop_statistics():
    outcomes = [_o("a", 0, 0, 1.0), _o("a", 0, 1, 3.0), _o("a", 0, 2, 8.0),
                _o("a", 1, 0, 4.0, "Maize")]
    from farmplots import SeasonResult
    result = SeasonResult(1, 3, [1, 2, 3], outcomes, [], {"a": [0.5, 0.25, 0.75]}, 0.0)
    report = season_report(result, worst_n=1)
    wheat = report["by_crop"]["Wheat"]
    assert wheat["plots"] == 3
    assert wheat["total_yield"] == pytest.approx(12.0)
    assert wheat["mean_yield"] == pytest.approx(4.0)
    assert wheat["median_yield"] == pytest.approx(3.0)
    assert wheat["yield_stdev"] == pytest.approx((26 / 3) ** 0.5)
    assert list(report["by_crop"]) == ["Maize", "Wheat"]
    assert report["by_field"]["a"]["driest_day"] == 2
    assert report["by_field"]["a"]["mean_moisture"] == pytest.approx(0.5)
    assert report["worst"] == [("a", 0, 0, "Wheat", 1.0)]


def test_empty_field_list_is_allowed():
    log = random_log(random.Random(0), 5)
    result = simulate_season([], log, Scheduler())
    assert result.outcomes == [] and result.events == [] and result.runoff_mm == 0.0
    assert season_report(result)["plots"] == 0
