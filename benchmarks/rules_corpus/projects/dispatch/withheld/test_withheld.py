import copy
import math

import pytest

from dispatch import (
    assign_jobs,
    close_roads,
    distance_matrix,
    find_stop,
    load_stops,
    nearest_tour,
    shift_summary,
    tour_length,
    two_opt,
)

SQUARE = "D 0 0 0\nA 1 0 1\nB 1 1 1\nC 0 1 1\nE 2 0 1\n"


def test_load_errors_and_comments():
    with pytest.raises(ValueError, match="line 2"):
        load_stops("a 1 2 3\nb 1 2\n")
    with pytest.raises(ValueError):
        load_stops("a x 2 3")
    assert load_stops("# only a comment\n\n") == []
    assert find_stop(load_stops("a 1 2 3\nB 0 0 1"), "b") == 1
    with pytest.raises(KeyError):
        find_stop([], "a")


def test_nearest_ties_take_lowest_index_and_keep_inputs():
    stops = load_stops(SQUARE)
    matrix = distance_matrix(stops, detour=1.0)
    visit = [3, 1, 2]
    assert nearest_tour(matrix, visit) == [0, 3, 2, 1, 0]
    assert visit == [3, 1, 2]
    assert nearest_tour(matrix, []) == [0, 0]
    assert nearest_tour(matrix, [0, 4]) == [0, 4, 0]


def test_two_opt_keeps_input_and_endpoints():
    stops = load_stops(SQUARE)
    matrix = distance_matrix(stops, detour=1.0)
    tour = [0, 2, 1, 4, 3, 0]
    before = list(tour)
    better = two_opt(tour, matrix)
    assert tour == before
    assert better[0] == 0 and better[-1] == 0 and sorted(better) == sorted(tour)
    assert tour_length(better, matrix) < tour_length(tour, matrix)
    assert two_opt(tour, matrix, rounds=0) == tour
    assert two_opt([0, 0], matrix) == [0, 0]
    assert tour_length([0], matrix) == 0.0


def test_close_roads_copy_infinity_and_detours():
    stops = load_stops(SQUARE)
    matrix = distance_matrix(stops, detour=1.0)
    snapshot = copy.deepcopy(matrix)
    roads = close_roads(matrix, [(0, 1), (1, 2)])
    assert matrix == snapshot
    assert roads[0][1] == matrix[0][3] + matrix[3][1]
    assert roads[1][2] == roads[2][1]
    islands = close_roads([[0.0, 1.0], [1.0, 0.0]], [(0, 1), (1, 0)])
    assert islands[0][1] == math.inf and islands[0][0] == 0.0
    assert close_roads([], []) == []
    nan = close_roads([[0.0, math.nan], [1.0, 0.0]], [])
    assert math.isnan(nan[0][1])


def test_plan_ties_between_couriers_and_jobs_order():
    stops = load_stops(SQUARE)
    matrix = distance_matrix(stops, detour=1.0)
    jobs = [(0, 2, 1), (0, 1, 0), (0, 3, 2), (0, 4, 3)]
    jobs_before = list(jobs)
    plan = assign_jobs(jobs, ["zed", "amy"], matrix, stops, batch=1)
    assert jobs == jobs_before
    assert [p[0] for p in plan] == ["amy", "zed", "amy", "zed"]
    assert [p[3] for p in plan] == [[0, 1, 0], [0, 2, 0], [0, 3, 0], [0, 4, 0]]
    assert assign_jobs([], ["a"], matrix, stops) == []
    with pytest.raises(IndexError):
        assign_jobs(jobs, [], matrix, stops)
    summary = shift_summary(plan, stops)
    assert [row[0] for row in summary] == ["amy", "zed"]
    assert summary[0][:3] == ("amy", 2, 2)
    assert shift_summary([], stops) == []
