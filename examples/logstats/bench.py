"""Workload: parse a day of access-log lines and summarize them.

Deterministic (fixed seed); prints the summary, never timings.
"""

from __future__ import annotations

import random

from logstats import parse_lines, summarize

PATHS = [
    "/",
    "/login",
    "/api/items/{}",
    "/api/items/{}/reviews",
    "/cart",
    "/health",
    "/metrics",
    "/search?q={}",
    "/static/app.js",
    "/api/users/{}/orders",
]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
STATUSES = [200, 200, 200, 200, 201, 204, 301, 304, 400, 403, 404, 500, 503]


def make_lines(rng: random.Random, n: int, clients: list[str]) -> list[str]:
    lines = []
    for i in range(n):
        path = rng.choice(PATHS).format(rng.randrange(5000))
        size = "-" if rng.random() < 0.05 else str(rng.randrange(100, 90000))
        stamp = f"11/Jun/2024:10:{i // 600 % 60:02d}:{i // 10 % 60:02d} +0000"
        request = f"{rng.choice(METHODS)} {path} HTTP/1.1"
        status, latency = rng.choice(STATUSES), rng.randrange(1, 3000)
        line = f'{rng.choice(clients)} - - [{stamp}] "{request}" {status} {size} {latency}ms'
        if rng.random() < 0.01:
            line = line[: rng.randrange(10, 40)]  # truncated write
        lines.append(line)
    return lines


def main() -> None:
    rng = random.Random(7)
    clients = [
        f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}" for _ in range(1500)
    ]
    lines = make_lines(rng, 24000, clients)
    blocklist = rng.sample(clients, 400)
    records = parse_lines(lines)
    summary = summarize(records, blocklist)
    for key, value in summary.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
