import copy

import pytest

from weblog import endpoint_csv, endpoint_stats, parse_log, slow_requests, user_csv, user_sessions
from weblog.parse import parse_stamp
from weblog.stats import percentile


def line(user, stamp, path, status=200, ms=10, size="10", agent="x"):
    return f'1.2.3.4 - {user} [{stamp}] "GET {path} HTTP/1.1" {status} {size} {ms}ms "{agent}"'


def test_stamp_offsets_and_errors():
    assert parse_stamp("01/Jan/2024:10:00:00 +0100") == 1704099600
    assert parse_stamp("01/Jan/2024:10:00:00 +0100") == parse_stamp("01/Jan/2024:09:00:00 +0000")
    with pytest.raises(ValueError):
        parse_stamp("32/Jan/2024:10:00:00 +0000")
    with pytest.raises(ValueError):
        parse_log(line("a", "01/Foo/2024:10:00:00 +0000", "/x"))


def test_percentile_ranks():
    values = [5, 1, 4, 2, 3]
    assert [percentile(values, p) for p in (0, 20, 21, 50, 95, 100)] == [1, 1, 2, 3, 5, 5]
    assert values == [5, 1, 4, 2, 3]
    with pytest.raises(IndexError):
        percentile([], 50)


def test_endpoint_ties_and_no_mutation():
    text = "\n".join(
        [line("a", "01/Jan/2024:10:00:0%d +0000" % i, p, ms=i + 1) for i, p in
         enumerate(["/b/1", "/a/2", "/b/3", "/a/4", "/c"])]
    )
    records, bad = parse_log(text)
    before = copy.deepcopy(records)
    rows = endpoint_stats(records)
    assert records == before and bad == 0
    assert [(r["endpoint"], r["hits"]) for r in rows] == [("/a/{id}", 2), ("/b/{id}", 2), ("/c", 1)]
    assert endpoint_stats(records, min_hits=3) == []
    assert endpoint_stats([]) == []
    assert endpoint_csv([]) == "endpoint,hits,share,errors,p50,p95,max,bytes\n"
    assert endpoint_csv([dict(rows[0], hits=0)]).splitlines()[1].split(",")[2] == "-"


def test_big_numbers_formatting():
    rows = [{"endpoint": "/x", "hits": 1, "errors": 0, "p50": 1234567, "p95": 2, "max": 3,
             "bytes": 5 * 1024 ** 4}]
    assert endpoint_csv(rows).splitlines()[1] == "/x,1,100.0%,0,1_234_567.0,2.0,3.0,5120.0 GB"


def test_sessions_unknown_users_duplicates_and_order():
    users = [{"login": "a", "name": "A", "team": "t1"}, {"login": "a", "name": "A2", "team": "t2"},
             {"login": "b", "name": "B", "team": "t3"}]
    text = "\n".join([
        line("b", "01/Jan/2024:10:10:00 +0000", "/x"),
        line("a", "01/Jan/2024:10:00:00 +0000", "/x"),
        line("zed", "01/Jan/2024:10:00:01 +0000", "/x"),
        line("a", "01/Jan/2024:10:10:00 +0000", "/x"),
        line("a", "01/Jan/2024:10:20:01 +0000", "/x"),
    ])
    records, _ = parse_log(text)
    users_before = copy.deepcopy(users)
    sessions = user_sessions(records, users, gap=600)
    assert users == users_before
    assert [(s["login"], s["team"], s["requests"]) for s in sessions] == [
        ("a", "t1", 2), ("b", "t3", 1), ("a", "t1", 1)]
    assert user_sessions(records, [], gap=600) == []
    assert user_csv(sessions).splitlines()[1] == "a,t1,1704103200,10.00,2"


def test_slowest_ties_and_small_top():
    text = "\n".join(line("a", "01/Jan/2024:10:00:0%d +0000" % i, f"/p{i}", ms=[5, 9, 9, 1][i])
                     for i in range(4))
    records, _ = parse_log(text)
    assert slow_requests(records, top=3) == [
        (9, 1704103201, "/p1"), (9, 1704103202, "/p2"), (5, 1704103200, "/p0")]
    assert slow_requests(records, top=0) == []
    assert slow_requests([], top=5) == []
    assert len(slow_requests(records * 3, top=100)) == 12
