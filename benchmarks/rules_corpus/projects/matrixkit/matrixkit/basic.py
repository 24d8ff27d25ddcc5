"""Matrices as lists of rows: shape checks, products, transposes and a linear solver."""


def shape(m):
    """(rows, cols) of a rectangular matrix; ValueError for ragged rows."""
    rows = len(m)
    cols = len(m[0]) if rows else 0
    for i in range(rows):
        if len(m[i]) != cols:
            raise ValueError(f"row {i} has {len(m[i])} values, expected {cols}")
    return rows, cols


def zeros(rows, cols):
    return [[0.0] * cols for _ in range(rows)]


def identity(n):
    out = zeros(n, n)
    for i in range(n):
        out[i][i] = 1.0
    return out


def column(m, j):
    return [m[i][j] for i in range(len(m))]


def transpose(m):
    rows, cols = shape(m)
    return [column(m, j) for j in range(cols)]


def matmul(a, b):
    """The product a @ b."""
    n, m = shape(a)
    m2, p = shape(b)
    if m != m2:
        raise ValueError(f"cannot multiply {n}x{m} by {m2}x{p}")
    out = zeros(n, p)
    for i in range(n):
        for j in range(p):
            total = 0.0
            for k in range(m):
                total += a[i][k] * b[k][j]
            out[i][j] = total
    return out


def solve(a, b):
    """x with a @ x == b for square a and a vector b (Gaussian elimination, partial pivoting)."""
    n, cols = shape(a)
    if n != cols or len(b) != n:
        raise ValueError("solve needs a square matrix and a matching vector")
    work = [list(a[i]) + [b[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(work[r][col]))
        if abs(work[pivot][col]) < 1e-12:
            raise ZeroDivisionError("matrix is singular")
        work[col], work[pivot] = work[pivot], work[col]
        for r in range(col + 1, n):
            factor = work[r][col] / work[col][col]
            for c in range(col, n + 1):
                work[r][c] -= factor * work[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        total = work[r][n]
        for c in range(r + 1, n):
            total -= work[r][c] * x[c]
        x[r] = total / work[r][r]
    return x
