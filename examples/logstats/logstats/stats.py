"""Summaries over parsed records."""

from __future__ import annotations

from logstats.parse import Record, normalize_path

IGNORED_PATHS = ["/health", "/metrics", "/favicon.ico", "/robots.txt"]


def status_counts(records: list[Record]) -> dict[int, int]:
    """How many requests ended with each status code (first-seen order)."""
    counts: dict[int, int] = {}
    for rec in records:
        if rec.status in counts:
            counts[rec.status] += 1
        else:
            counts[rec.status] = 1
    return counts


def route_counts(records: list[Record]) -> dict[str, int]:
    """Requests per normalized route, health checks and metrics scrapes left out."""
    counts: dict[str, int] = {}
    for rec in records:
        route = normalize_path(rec.path)
        if route in IGNORED_PATHS:
            continue
        counts[route] = counts.get(route, 0) + 1
    return counts


def unique_clients(records: list[Record]) -> list[str]:
    """Client addresses in order of first appearance."""
    clients = []
    for rec in records:
        if rec.client not in clients:
            clients.append(rec.client)
    return clients


def blocked_hits(records: list[Record], blocklist: list[str]) -> int:
    """Requests that came from a blocked client."""
    hits = 0
    for rec in records:
        if rec.client in blocklist:
            hits += 1
    return hits


def slowest(records: list[Record]) -> int:
    """The highest latency seen, or 0 without records."""
    latencies = [rec.latency_ms for rec in records]
    if not latencies:
        return 0
    return sorted(latencies)[-1]


def summarize(records: list[Record], blocklist: list[str]) -> dict[str, object]:
    """Everything the daily report shows."""
    routes = route_counts(records)
    top = sorted(routes.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return {
        "requests": len(records),
        "statuses": status_counts(records),
        "clients": len(unique_clients(records)),
        "blocked": blocked_hits(records, blocklist),
        "slowest_ms": slowest(records),
        "top_routes": top,
    }
