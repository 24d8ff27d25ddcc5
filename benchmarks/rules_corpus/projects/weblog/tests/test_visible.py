from weblog import (
    endpoint_csv,
    endpoint_stats,
    normalize_path,
    parse_line,
    parse_log,
    slow_requests,
    user_csv,
    user_sessions,
)

LOG = """10.0.0.1 - alice [01/Jan/2024:10:00:00 +0000] "GET /api/users/12 HTTP/1.1" 200 512 40ms "Mozilla/5.0 (X11)"
10.0.0.2 - - [01/Jan/2024:10:00:05 +0000] "GET /api/users/7?x=1 HTTP/1.1" 500 - 300ms "Googlebot/2.1"
not a log line
10.0.0.1 - alice [01/Jan/2024:10:20:00 +0000] "POST /api/orders/ HTTP/1.1" 201 90 120ms "Mozilla/5.0 (iPhone; Mobile)"

10.0.0.3 - bob [01/Jan/2024:11:00:00 +0000] "GET /api/users/12 HTTP/1.1" 200 2048 60ms "curl/8"
"""

USERS = [
    {"login": "alice", "name": "Alice", "team": "red"},
    {"login": "bob", "name": "Bob", "team": "blue"},
]


def test_parse():
    records, bad = parse_log(LOG)
    assert bad == 1 and len(records) == 4
    first = records[0]
    assert first["endpoint"] == "/api/users/{id}"
    assert first["time"] == 1704103200
    assert first["agent"] == "desktop"
    assert records[1]["user"] is None and records[1]["bytes"] == 0
    assert records[2]["agent"] == "mobile" and records[3]["agent"] == "bot"
    assert parse_line("nope") is None


def test_normalize_path():
    assert normalize_path("/API/Users/123/orders/?page=2") == "/api/users/{id}/orders"
    assert normalize_path("/files/00ff00ff00ff00ff") == "/files/{hash}"
    assert normalize_path("/") == "/"


def test_endpoint_stats_and_csv():
    records, _ = parse_log(LOG)
    rows = endpoint_stats(records)
    assert [r["endpoint"] for r in rows] == ["/api/users/{id}", "/api/orders"]
    top = rows[0]
    assert (top["hits"], top["errors"], top["p50"], top["p95"], top["max"]) == (3, 1, 60, 300, 300)
    assert top["bytes"] == 2560
    text = endpoint_csv(rows)
    assert text.splitlines()[1] == "/api/users/{id},3,75.0%,1,60.0,300.0,300.0,2.5 KB"
    assert endpoint_stats(records, min_hits=2) == rows[:1]


def test_sessions_and_slowest():
    records, _ = parse_log(LOG)
    sessions = user_sessions(records, USERS, gap=600)
    assert [(s["login"], s["requests"]) for s in sessions] == [("alice", 1), ("alice", 1), ("bob", 1)]
    assert user_csv(sessions).splitlines()[1] == "alice,red,1704103200,0.00,1"
    assert len(user_sessions(records, USERS, gap=3600)) == 2
    assert slow_requests(records, top=2) == [
        (300, 1704103205, "/api/users/7?x=1"),
        (120, 1704104400, "/api/orders/"),
    ]
