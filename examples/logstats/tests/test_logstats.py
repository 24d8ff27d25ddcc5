from logstats import Record, parse_line, parse_lines, status_counts, summarize, unique_clients
from logstats.parse import normalize_path
from logstats.stats import blocked_hits, route_counts, slowest

LINE = '10.0.0.1 - - [11/Jun/2024:10:00:00 +0000] "GET /api/items/42?x=1 HTTP/1.1" 200 512 37ms'


def rec(client: str = "c", path: str = "/", status: int = 200, latency: int = 1) -> Record:
    return Record(client, "GET", path, status, 0, latency)


def test_parse_line() -> None:
    assert parse_line(LINE) == Record("10.0.0.1", "GET", "/api/items/42?x=1", 200, 512, 37)
    assert parse_line(LINE.replace(" 512 ", " - ")).size == 0  # type: ignore[union-attr]
    assert parse_line("garbage") is None
    assert parse_line(LINE[:30]) is None


def test_parse_lines_skips_malformed() -> None:
    assert [r.client for r in parse_lines([LINE, "x", LINE.replace("10.0.0.1", "h")])] == [
        "10.0.0.1",
        "h",
    ]


def test_normalize_path() -> None:
    assert normalize_path("/api/items/42/reviews?page=2") == "/api/items/:id/reviews"
    assert normalize_path("/api/v2/items") == "/api/v2/items"
    assert normalize_path("/7") == "/:id"


def test_status_counts_first_seen_order() -> None:
    counts = status_counts([rec(status=404), rec(status=200), rec(status=404)])
    assert counts == {404: 2, 200: 1}
    assert list(counts) == [404, 200]
    assert status_counts([]) == {}


def test_route_counts_ignores_health() -> None:
    routes = route_counts([rec(path="/health"), rec(path="/a/1"), rec(path="/a/2?q")])
    assert routes == {"/a/:id": 2}


def test_unique_clients() -> None:
    assert unique_clients([rec("b"), rec("a"), rec("b")]) == ["b", "a"]


def test_blocked_and_slowest() -> None:
    records = [rec("a", latency=5), rec("b", latency=9), rec("a", latency=1)]
    assert blocked_hits(records, ["a"]) == 2
    assert blocked_hits(records, []) == 0
    assert slowest(records) == 9
    assert slowest([]) == 0


def test_summarize() -> None:
    summary = summarize([rec("a", path="/x"), rec("b", path="/y", status=500)], ["b"])
    assert summary["requests"] == 2
    assert summary["clients"] == 2
    assert summary["blocked"] == 1
    assert summary["top_routes"] == [("/x", 1), ("/y", 1)]
