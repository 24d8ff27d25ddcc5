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

STOPS = """# code x y minutes
DEPOT 0 0 0
a 3 0 5
b 3 4 2   # corner
c 0 4 3
"""


def test_load_and_find():
    stops = load_stops(STOPS)
    assert stops[1] == ("A", 3.0, 0.0, 5)
    assert find_stop(stops, " c ") == 3
    with pytest.raises(KeyError):
        find_stop(stops, "zz")
    with pytest.raises(ValueError):
        load_stops("a 1 2 3\nA 4 5 6")


def test_matrix_and_tours():
    stops = load_stops(STOPS)
    matrix = distance_matrix(stops, detour=1.0)
    assert matrix[0][2] == 5.0 and matrix[2][2] == 0.0
    tour = nearest_tour(matrix, [1, 2, 3])
    assert tour == [0, 1, 2, 3, 0]
    assert tour_length(tour, matrix) == 14.0
    assert two_opt([0, 2, 1, 3, 0], matrix) == [0, 1, 2, 3, 0]


def test_close_roads():
    stops = load_stops(STOPS)
    matrix = distance_matrix(stops, detour=1.0)
    roads = close_roads(matrix, [(0, 2)])
    assert roads[0][2] == 7.0 and roads[2][0] == 7.0
    assert matrix[0][2] == 5.0
    cut = close_roads(distance_matrix(stops[:2]), [(0, 1)])
    assert cut[0][1] == math.inf


def test_plan_and_summary():
    stops = load_stops(STOPS)
    matrix = distance_matrix(stops, detour=1.0)
    jobs = [(0, 1, 0), (10, 2, 1), (5, 3, 2)]
    plan = assign_jobs(jobs, ["x", "y"], matrix, stops, batch=2)
    assert [(p[0], p[1]) for p in plan] == [("x", 5.0), ("y", 10.0)]
    assert plan[0][3] == [0, 1, 3, 0]
    assert shift_summary(plan, stops) == [("x", 1, 2, "32.0", "37.0"), ("y", 1, 1, "22.0", "32.0")]
