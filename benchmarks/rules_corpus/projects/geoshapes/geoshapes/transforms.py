"""3x3 affine matrices as nested lists, applied to (x, y) points."""

import math


def identity():
    return [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def translation(dx, dy):
    return [[1.0, 0.0, float(dx)], [0.0, 1.0, float(dy)], [0.0, 0.0, 1.0]]


def scaling(sx, sy=None):
    sy = sx if sy is None else sy
    return [[float(sx), 0.0, 0.0], [0.0, float(sy), 0.0], [0.0, 0.0, 1.0]]


def rotation(degrees):
    r = math.radians(degrees)
    c, s = math.cos(r), math.sin(r)
    return [[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]


def matmul(a, b):
    n = len(a)
    m = len(b[0])
    inner = len(b)
    result = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            for k in range(inner):
                result[i][j] += a[i][k] * b[k][j]
    return result


def compose(matrices):
    """The single matrix that applies `matrices` in order (first one first)."""
    result = identity()
    for matrix in matrices:
        result = matmul(matrix, result)
    return result


def apply(matrix, point):
    x, y = point
    return (
        matrix[0][0] * x + matrix[0][1] * y + matrix[0][2],
        matrix[1][0] * x + matrix[1][1] * y + matrix[1][2],
    )


def transform_all(points, matrices):
    """Every point moved by the chain of transforms."""
    moved = []
    for point in points:
        moved.append(apply(compose(matrices), point))
    return moved
