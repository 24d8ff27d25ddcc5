"""A shift: jobs (ready_minute, stop, job_id) handed to the courier who is free first."""

from dispatch.routes import nearest_tour, tour_length, two_opt

SPEED_KMH = 30.0


def travel_minutes(km):
    return km / SPEED_KMH * 60.0


def assign_jobs(jobs, couriers, matrix, stops, batch=4):
    """Greedy: take jobs by ready time in batches, give each batch to the earliest-free courier.

    Returns (courier, start, end, tour) tuples in the order the batches were handed out.
    """
    pending = sorted(jobs)
    free = [(0.0, name) for name in couriers]
    plan = []
    while pending:
        chunk = pending[:batch]
        pending = pending[batch:]
        free.sort()
        at, courier = free.pop(0)
        start = max(at, float(max(job[0] for job in chunk)))
        tour = two_opt(nearest_tour(matrix, [job[1] for job in chunk]), matrix)
        service = sum(stops[i][3] for i in tour[1:-1])
        end = start + travel_minutes(tour_length(tour, matrix)) + service
        plan.append((courier, start, end, tour))
        free.append((end, courier))
    return plan


def shift_summary(plan, stops):
    """Per courier: trips, stops served, km-free minutes busy, last return; sorted by name."""
    names = []
    for entry in plan:
        if entry[0] not in names:
            names.append(entry[0])
    names.sort()
    rows = []
    for name in names:
        trips = [entry for entry in plan if entry[0] == name]
        served = []
        for trip in trips:
            for i in trip[3][1:-1]:
                served.append(stops[i][0])
        busy = 0.0
        for trip in trips:
            busy = busy + (trip[2] - trip[1])
        rows.append((name, len(trips), len(served), "%.1f" % busy, "%.1f" % max(t[2] for t in trips)))
    return rows
