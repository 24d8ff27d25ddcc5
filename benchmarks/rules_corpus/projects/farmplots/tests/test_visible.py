import pytest

from farmplots import (
    Field,
    Reading,
    Scheduler,
    WeatherLog,
    degree_days,
    estimate_yield,
    find_crop,
    season_report,
    simulate_season,
    worst_plots,
    yield_grid,
)
from farmplots.season import PlotOutcome


def make_log(days=20, t_min=12.0, t_max=26.0, rain=None):
    rain = rain or {}
    return WeatherLog([Reading(d, rain.get(d, 0.0), t_min, t_max) for d in range(1, days + 1)])


def test_degree_days_clamps_to_base_and_cap():
    assert degree_days(5.0, 15.0, 10.0, 30.0) == pytest.approx(2.5)
    assert degree_days(20.0, 40.0, 10.0, 30.0) == pytest.approx(15.0)
    assert degree_days(-5.0, 5.0, 10.0, 30.0) == 0.0


def test_weather_log_rejects_bad_readings():
    log = WeatherLog()
    log.add(Reading(3, 0.0, 10.0, 20.0))
    with pytest.raises(ValueError):
        log.add(Reading(3, 0.0, 10.0, 20.0))
    with pytest.raises(ValueError):
        log.add(Reading(4, 0.0, 25.0, 20.0))
    with pytest.raises(ValueError):
        log.add(Reading(5, -1.0, 10.0, 20.0))


def test_gdd_between_is_inclusive_and_skips_missing_days():
    log = WeatherLog([Reading(1, 0, 10, 20), Reading(2, 0, 12, 22), Reading(5, 0, 20, 30)])
    assert log.gdd_between(1, 2, 10.0, 30.0) == pytest.approx(5.0 + 7.0)
    assert log.gdd_between(2, 5, 10.0, 30.0) == pytest.approx(7.0 + 15.0)
    assert log.gdd_between(3, 4, 10.0, 30.0) == 0.0


def test_recent_rain_and_reading_lookup():
    log = make_log(10, rain={4: 3.0, 5: 2.5, 8: 10.0})
    assert log.recent_rain(5, 3) == pytest.approx(5.5)
    assert log.recent_rain(8, 1) == pytest.approx(10.0)
    assert log.reading_for(8).rain_mm == 10.0
    with pytest.raises(KeyError):
        log.reading_for(42)


def test_find_crop_ignores_case_and_spaces():
    assert find_crop("  wheat ").name == "Wheat"
    with pytest.raises(KeyError):
        find_crop("quinoa")


def test_stage_at_and_maturity():
    maize = find_crop("Maize")
    assert maize.stage_at(0).name == "sown"
    assert maize.stage_at(420).name == "tasseling"
    assert maize.stage_at(419.9).name == "vegetative"
    assert maize.is_mature(maize.maturity_gdd)


def test_water_need_grows_with_heat():
    wheat = find_crop("Wheat")
    assert wheat.water_need(600, 30.0) > wheat.water_need(600, 20.0)
    assert wheat.water_need(600, 5.0) < wheat.water_need(600, 15.0)


def test_field_validation_and_default_moisture():
    with pytest.raises(ValueError):
        Field("bad", [[50.0, 50.0], [50.0]])
    fld = Field("f", [[100.0, 50.0]])
    assert fld.moisture == [[60.0, 30.0]]
    assert (fld.rows, fld.cols) == (1, 2)


def test_plant_checks_bounds_and_duplicates():
    fld = Field("f", [[80.0] * 3 for _ in range(2)])
    planting = fld.plant(0, 1, "barley", 4)
    assert planting.crop_name == "Barley"
    with pytest.raises(ValueError):
        fld.plant(0, 1, "Wheat", 4)
    with pytest.raises(IndexError):
        fld.plant(2, 0, "Wheat", 4)
    assert fld.plant_block(0, 0, 1, 2, "Wheat", 5) == 5


def test_add_water_returns_runoff():
    fld = Field("f", [[50.0]])
    assert fld.add_water(0, 0, 10.0) == 0.0
    assert fld.add_water(0, 0, 15.0) == pytest.approx(5.0)
    assert fld.moisture[0][0] == 50.0


def test_redistribute_moves_water_towards_neighbours():
    fld = Field("f", [[100.0] * 3 for _ in range(3)])
    uniform = [row[:] for row in fld.moisture]
    fld.redistribute()
    for got, want in zip(fld.moisture, uniform):
        assert got == pytest.approx(want)
    fld.moisture[1][1] = 100.0
    fld.redistribute()
    assert fld.moisture[1][1] < 100.0
    assert fld.moisture[0][1] > 60.0
    assert fld.moisture[0][0] == pytest.approx(60.0)


def test_scheduler_validation():
    with pytest.raises(ValueError):
        Scheduler(trigger_fraction=0.9, target_fraction=0.8)
    with pytest.raises(ValueError):
        Scheduler(daily_budget_mm=-1)


def test_plan_prefers_driest_sensitive_plots_within_budget():
    fld = Field("f", [[100.0, 100.0, 100.0]])
    for col in range(3):
        fld.plant(0, col, "Maize", 1)
    fld.moisture = [[40.0, 10.0, 30.0]]
    log = make_log(5)
    events = Scheduler(daily_budget_mm=60.0, max_per_plot_mm=25.0).plan(fld, log, 5)
    assert [(e.col, e.amount_mm) for e in events] == [(1, 25.0), (2, 25.0), (0, 10.0)]
    assert fld.moisture == [[40.0, 10.0, 30.0]]


def test_plan_skips_after_rain():
    fld = Field("f", [[100.0]])
    fld.plant(0, 0, "Wheat", 1)
    fld.moisture = [[5.0]]
    log = make_log(5, rain={4: 20.0})
    assert Scheduler().plan(fld, log, 5) == []


def test_estimate_yield():
    wheat = find_crop("Wheat")
    assert estimate_yield(wheat, 2000, 0, 0.0, 100) == pytest.approx(wheat.potential_yield)
    assert estimate_yield(wheat, 500, 0, 0.0, 100) == pytest.approx(wheat.potential_yield / 2)
    assert estimate_yield(wheat, 0, 0, 0.0, 100) == 0.0
    assert estimate_yield(wheat, 2000, 50, 0.0, 100) < wheat.potential_yield
    with pytest.raises(ValueError):
        estimate_yield(wheat, 100, 0, 0.0, 0)


def _dry_farm():
    fld = Field("dry", [[60.0] * 4 for _ in range(3)])
    fld.plant_block(0, 0, 2, 3, "Soybean", 1)
    return fld


def test_irrigation_improves_dry_season_yield():
    log = make_log(40, t_min=15.0, t_max=31.0)
    plain = simulate_season([_dry_farm()], log)
    watered = simulate_season([_dry_farm()], log, Scheduler(daily_budget_mm=500.0))
    assert plain.events == []
    assert sum(o.yield_t for o in watered.outcomes) > sum(o.yield_t for o in plain.outcomes)
    assert len(watered.outcomes) == 12


def test_simulate_season_validation():
    with pytest.raises(ValueError):
        simulate_season([Field("a", [[50.0]]), Field("a", [[50.0]])], make_log(3))
    with pytest.raises(ValueError):
        simulate_season([Field("a", [[50.0]])], WeatherLog())
    with pytest.raises(ValueError):
        simulate_season([Field("a", [[50.0]])], make_log(3), first_day=10)


def test_irrigated_mm_matches_events():
    log = make_log(25, t_min=15.0, t_max=31.0)
    result = simulate_season([_dry_farm()], log, Scheduler(daily_budget_mm=80.0))
    for outcome in result.outcomes:
        expected = sum(e.amount_mm for e in result.events
                       if (e.row, e.col) == (outcome.row, outcome.col))
        assert outcome.irrigated_mm == pytest.approx(expected)


def _outcome(field_name, row, col, value, crop="Wheat"):
    return PlotOutcome(field_name, row, col, crop, 100.0, 0, 0.0, 0.0, value)


def test_worst_plots_breaks_ties_by_position():
    outcomes = [_outcome("b", 0, 0, 1.0), _outcome("a", 1, 0, 1.0), _outcome("a", 0, 2, 1.0),
                _outcome("a", 0, 0, 3.0)]
    assert [(o.field_name, o.row, o.col) for o in worst_plots(outcomes, 3)] == [
        ("a", 0, 2), ("a", 1, 0), ("b", 0, 0)]


def test_yield_grid():
    outcomes = [_outcome("a", 0, 1, 2.5), _outcome("b", 0, 0, 9.0)]
    assert yield_grid(outcomes, "a", 2, 2) == [[0.0, 2.5], [0.0, 0.0]]


def test_season_report_totals():
    log = make_log(30, t_min=14.0, t_max=30.0)
    fld = Field("north", [[70.0] * 4 for _ in range(2)])
    fld.plant_block(0, 0, 0, 3, "Wheat", 1)
    fld.plant_block(1, 0, 1, 1, "Maize", 3)
    result = simulate_season([fld], log, Scheduler())
    report = season_report(result, worst_n=2)
    assert report["plots"] == 6
    assert set(report["by_crop"]) == {"Wheat", "Maize"}
    assert report["by_crop"]["Wheat"]["plots"] == 4
    assert report["by_field"]["north"]["plots"] == 6
    assert report["total_yield"] == pytest.approx(sum(o.yield_t for o in result.outcomes))
    assert len(report["worst"]) == 2
    assert report["days"] == 30
