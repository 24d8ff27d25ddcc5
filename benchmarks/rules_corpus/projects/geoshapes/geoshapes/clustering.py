"""k-means on survey points (deterministic start: the first k distinct points)."""

from geoshapes.vectors import dist


def nearest(point, centres):
    best = 0
    best_d = dist(point, centres[0])
    for i in range(1, len(centres)):
        d = dist(point, centres[i])
        if d < best_d:
            best, best_d = i, d
    return best


def kmeans(points, k, iterations=10):
    """(centres, labels) after a fixed number of iterations."""
    centres = []
    for p in points:
        if p not in centres:
            centres.append(p)
        if len(centres) == k:
            break
    if len(centres) < k:
        raise ValueError("fewer distinct points than clusters")
    labels = [0] * len(points)
    for _ in range(iterations):
        labels = [nearest(p, centres) for p in points]
        new = []
        for c in range(k):
            members = [points[i] for i in range(len(points)) if labels[i] == c]
            if not members:
                new.append(centres[c])
                continue
            new.append((sum([m[0] for m in members]) / len(members),
                        sum([m[1] for m in members]) / len(members)))
        centres = new
    return centres, labels
