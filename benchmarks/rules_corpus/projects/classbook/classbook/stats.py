"""Small descriptive statistics, written out for the gradebook's own needs."""


def mean(values):
    if len(values) == 0:
        raise ValueError("mean of empty data")
    return sum(values) / len(values)


def median(values):
    if len(values) == 0:
        raise ValueError("median of empty data")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def variance(values):
    """Sample variance; a single value has no spread."""
    if len(values) == 0:
        raise ValueError("variance of empty data")
    if len(values) == 1:
        return 0.0
    return sum((v - mean(values)) ** 2 for v in values) / (len(values) - 1)


def stdev(values):
    return variance(values) ** 0.5


def percentile_rank(value, values):
    """Share of values below `value`, counting ties as half, in percent."""
    if len(values) == 0:
        raise ValueError("percentile of empty data")
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return 100.0 * (below + 0.5 * equal) / len(values)


def competition_ranks(values):
    """Rank values from highest to lowest; equal values share the better rank (1, 2, 2, 4)."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0] * len(values)
    for position, i in enumerate(order):
        if position and values[i] == values[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks


def histogram(values, edges):
    """Count values into the half-open bins [edges[k], edges[k+1]); the last bin is closed."""
    if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError("edges must be increasing and at least two long")
    counts = [0] * (len(edges) - 1)
    for v in values:
        for k in range(len(counts)):
            last = k == len(counts) - 1
            if edges[k] <= v < edges[k + 1] or (last and v == edges[k + 1]):
                counts[k] += 1
                break
    return counts
