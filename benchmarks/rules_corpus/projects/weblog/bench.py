"""Workload: a day of access logs (malformed lines included), endpoint stats, sessions, reports.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from weblog import endpoint_csv, endpoint_stats, parse_log, slow_requests, user_csv, user_sessions

N_LINES, N_USERS = 12000, 300
MONTHS = ["Jan", "Feb", "Mar"]
AGENTS = ["Mozilla/5.0 (X11; Linux)", "Mozilla/5.0 (iPhone; Mobile)", "Googlebot/2.1",
          "curl/8.1", "Mozilla/5.0 (Android 14; Mobile)", "Mozilla/5.0 (Windows NT 10.0)"]
RESOURCES = ["users", "orders", "items", "carts", "reviews", "invoices", "search", "static",
             "images", "reports", "teams", "settings", "admin", "export", "health", "login"]


def make_users(rng: random.Random) -> list[dict]:
    teams = ["red", "blue", "green", "ops", "sales"]
    return [{"login": f"u{i:04d}", "name": f"User {i}", "team": rng.choice(teams)}
            for i in range(N_USERS)]


def make_path(rng: random.Random) -> str:
    first = rng.choice(RESOURCES)
    kind = rng.random()
    if kind < 0.35:
        path = f"/api/{first}/{rng.randint(1, 40)}"
    elif kind < 0.55:
        path = f"/api/{first}/{rng.randint(1, 40)}/{rng.choice(RESOURCES)}/"
    elif kind < 0.65:
        path = f"/files/{rng.getrandbits(64):016x}"
    else:
        path = f"/{first.capitalize()}/{rng.choice(RESOURCES)}"
    if rng.random() < 0.2:
        path += f"?page={rng.randint(1, 5)}"
    return path


def make_log(rng: random.Random, users: list[dict]) -> str:
    lines = []
    t = 0
    for _ in range(N_LINES):
        t += rng.choice([0, 0, 1, 1, 2, 5])
        if rng.random() < 0.01:
            lines.append("garbage line " + str(rng.random()))
            continue
        day, rest = divmod(t, 86400)
        hh, rest = divmod(rest, 3600)
        mm, ss = divmod(rest, 60)
        stamp = f"{day % 28 + 1:02d}/{MONTHS[day // 28 % 3]}/2024:{hh:02d}:{mm:02d}:{ss:02d} +0000"
        user = rng.choice(users)["login"] if rng.random() < 0.7 else rng.choice(["-", "ghost"])
        status = rng.choice([200] * 12 + [201, 304, 404, 500, 502])
        size = rng.choice(["-", str(rng.randint(100, 900000))])
        ms = int(rng.expovariate(1 / 80)) + 1
        lines.append(f'10.0.{rng.randint(0, 3)}.{rng.randint(1, 50)} - {user} [{stamp}] '
                     f'"{rng.choice(["GET", "GET", "POST", "PUT"])} {make_path(rng)} HTTP/1.1" '
                     f'{status} {size} {ms}ms "{rng.choice(AGENTS)}"')
    return "\n".join(lines)


def main() -> None:
    rng = random.Random(2024)
    users = make_users(rng)
    records, bad = parse_log(make_log(rng, users))
    print(f"{len(records)} records, {bad} malformed")
    rows = endpoint_stats(records, min_hits=3)
    print(f"{len(rows)} endpoints; busiest {rows[:2]}")
    sessions = user_sessions(records, users, gap=600)
    print(f"{len(sessions)} sessions")
    slow = slow_requests(records, top=15)
    print(f"slowest {slow[:3]}")
    report = endpoint_csv(rows) + user_csv(sessions)
    digest = hashlib.sha256(repr((rows, sessions, slow, report)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
