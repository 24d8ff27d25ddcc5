"""Polygons are lists of (x, y) vertices in order, not repeating the first one."""

from geoshapes.vectors import cross, dist


def _check(polygon):
    if len(polygon) < 3:
        raise ValueError("a polygon needs at least three vertices")


def signed_area(polygon):
    _check(polygon)
    total = 0.0
    n = len(polygon)
    for i in range(n):
        total += polygon[i][0] * polygon[(i + 1) % n][1] - polygon[(i + 1) % n][0] * polygon[i][1]
    return total / 2.0


def area(polygon):
    return abs(signed_area(polygon))


def perimeter(polygon):
    _check(polygon)
    n = len(polygon)
    return sum(dist(polygon[i], polygon[(i + 1) % n]) for i in range(n))


def centroid(polygon):
    a = signed_area(polygon)
    if a == 0:
        raise ValueError("degenerate polygon")
    cx = cy = 0.0
    n = len(polygon)
    for i in range(n):
        x0, y0 = polygon[i]
        x1, y1 = polygon[(i + 1) % n]
        f = x0 * y1 - x1 * y0
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    return (cx / (6 * a), cy / (6 * a))


def contains(polygon, point):
    """Ray casting; points on an edge count as inside."""
    _check(polygon)
    x, y = point
    inside = False
    n = len(polygon)
    for i in range(n):
        a, b = polygon[i], polygon[(i + 1) % n]
        if cross(a, b, point) == 0 and min(a[0], b[0]) <= x <= max(a[0], b[0]) and min(
            a[1], b[1]
        ) <= y <= max(a[1], b[1]):
            return True
        if (a[1] > y) != (b[1] > y):
            x_cross = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x < x_cross:
                inside = not inside
    return inside


def convex_hull(points):
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def count_large_triangles(points, min_area):
    """How many triangles formed by three of the points have at least `min_area`."""
    count = 0
    n = len(points)
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j + 1, n):
                tri = [points[i], points[j], points[k]]
                if abs(cross(tri[0], tri[1], tri[2])) / 2.0 >= min_area:
                    count += 1
    return count
