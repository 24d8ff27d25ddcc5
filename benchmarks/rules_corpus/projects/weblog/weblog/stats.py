"""Aggregates over parsed records: per endpoint, per user session, slowest requests."""


def percentile(values, pct):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))
    return ordered[rank - 1]


def endpoint_stats(records, min_hits=1):
    """One dict per endpoint: hits, errors, p50/p95/max latency, bytes; busiest first."""
    endpoints = []
    for record in records:
        if record["endpoint"] not in endpoints:
            endpoints.append(record["endpoint"])
    rows = []
    for endpoint in endpoints:
        hits = [r for r in records if r["endpoint"] == endpoint]
        if len(hits) < min_hits:
            continue
        latencies = [r["ms"] for r in hits]
        rows.append(
            {
                "endpoint": endpoint,
                "hits": len(hits),
                "errors": len([r for r in hits if r["status"] >= 500]),
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "max": max(latencies),
                "bytes": sum(r["bytes"] for r in hits),
            }
        )
    rows.sort(key=lambda row: (-row["hits"], row["endpoint"]))
    return rows


def user_sessions(records, users, gap=1800):
    """Sessions of known users: a new session starts after `gap` idle seconds.

    `users` is a list of {"login", "name", "team"}; records of unknown users are skipped.
    """
    sessions = []
    open_by_login = {}
    for record in sorted(records, key=lambda r: r["time"]):
        login = record["user"]
        if login is None:
            continue
        user = None
        for candidate in users:
            if candidate["login"] == login:
                user = candidate
                break
        if user is None:
            continue
        current = open_by_login.get(login)
        if current is None or record["time"] - current["end"] > gap:
            current = {
                "login": login,
                "team": user["team"],
                "start": record["time"],
                "end": record["time"],
                "requests": 0,
            }
            sessions.append(current)
            open_by_login[login] = current
        current["end"] = record["time"]
        current["requests"] += 1
    return sessions


def slow_requests(records, top=10):
    """The `top` slowest requests as (ms, time, path), slowest first, earliest first on ties."""
    worst = []
    for record in records:
        worst.append((record["ms"], -record["time"], record["path"]))
        worst.sort(reverse=True)
        if len(worst) > top:
            worst.pop()
    return [(ms, -neg_time, path) for ms, neg_time, path in worst]
