"""Distances and tours over a matrix (list of lists of km); stop 0 is the depot."""

import math


def distance(a, b):
    return math.sqrt((a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2)


def distance_matrix(stops, detour=1.3):
    """Road distance estimate: straight line times a detour factor, rounded to metres."""
    n = len(stops)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                matrix[i][j] = round(distance(stops[i], stops[j]) * detour, 3)
    return matrix


def tour_length(tour, matrix):
    total = 0.0
    for k in range(len(tour) - 1):
        total += matrix[tour[k]][tour[k + 1]]
    return total


def nearest_tour(matrix, visit, start=0):
    """Depot, then always the nearest unvisited stop of `visit` (earliest in `visit` on ties), depot."""
    tour = [start]
    left = [i for i in visit if i != start]
    while left:
        here = tour[-1]
        best = left[0]
        for i in left:
            if matrix[here][i] < matrix[here][best]:
                best = i
        tour.append(best)
        left.remove(best)
    tour.append(start)
    return tour


def two_opt(tour, matrix, rounds=50):
    """Reverse segments while that shortens the tour (first improvement, at most `rounds`)."""
    best = list(tour)
    for _ in range(rounds):
        improved = False
        for i in range(1, len(best) - 2):
            for j in range(i + 2, len(best)):
                candidate = best[:i] + best[i:j][::-1] + best[j:]
                if tour_length(candidate, matrix) < tour_length(best, matrix) - 1e-9:
                    best = candidate
                    improved = True
        if not improved:
            break
    return best


def close_roads(matrix, closed):
    """A copy where the direct legs in `closed` (pairs of indices) are impassable, then the
    shortest detours through other stops (Floyd-Warshall)."""
    n = len(matrix)
    dist = [row[:] for row in matrix]
    for a, b in closed:
        dist[a][b] = math.inf
        dist[b][a] = math.inf
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
    return dist
