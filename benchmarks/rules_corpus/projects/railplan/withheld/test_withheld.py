import copy
import itertools
import random
import statistics
from collections import Counter

import pytest

from railplan import (
    Line,
    Network,
    Station,
    Trip,
    build_graph,
    busiest_stations,
    connections,
    delay_minutes,
    delay_stats,
    departures_board,
    earliest_arrival,
    fewest_changes,
    format_time,
    interchange_stations,
    load_delays,
    load_network,
    parse_time,
    shortest_travel_time,
    stop_minutes,
)

STATIONS = """code,name,zone
A,Abbey Road,1
B,Bank,1
C,Central,1
D,Docks,2
E,East End,2
F,Fairfield,3
G,Greenway,3
X,Xmoor,4
"""

LINES = """id,name,stops,run_minutes
R,Red Line,A;B;C;D,5;5;5
G,Green Line,E;C;F,4;4
Y,Yellow Line,F;G,10
"""

TIMETABLE = """line,direction,departures
R,F,08:00 08:30
R,R,08:10
G,F,08:20 09:00
G,R,08:05
Y,F,08:40
"""


@pytest.fixture
def net():
    return load_network(STATIONS, LINES, TIMETABLE)


# ---------------------------------------------------------------- parsing and loading

@pytest.mark.parametrize("bad", ["24:00", "12:60", "ab:cd", "1200", "", "12:3:4", None, 745])
def test_parse_time_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        parse_time(bad)


def test_parse_and_format_edges():
    assert parse_time("00:00") == 0
    assert parse_time(" 23:59 ") == 1439
    assert format_time(0) == "00:00"
    assert format_time(1439) == "23:59"
    assert format_time(1440 + 65) == "01:05"


@pytest.mark.parametrize("lines_text", [
    "id,name,stops,run_minutes\nR,Red,A;Q,5",          # unknown station
    "id,name,stops,run_minutes\nR,Red,A;B;C,5",        # run count mismatch
    "id,name,stops,run_minutes\nR,Red,A;B,0",          # non-positive run
    "id,name,stops,run_minutes\nR,Red,A;B;A,3;3",      # station twice
    "id,name,stops,run_minutes\nR,Red,A,",             # single stop
    "id,name,stops,run_minutes\nR,Red,A;B,3\nR,Again,B;C,3",  # duplicate line id
    "id,name,stops\nR,Red,A;B",                        # missing column
])
def test_bad_lines_raise(lines_text):
    with pytest.raises(ValueError):
        load_network(STATIONS, lines_text)


@pytest.mark.parametrize("timetable", [
    "line,direction,departures\nZ,F,08:00",
    "line,direction,departures\nR,U,08:00",
    "line,direction,departures\nR,F,8h00",
])
def test_bad_timetable_raises(timetable):
    with pytest.raises(ValueError):
        load_network(STATIONS, LINES, timetable)


def test_duplicate_station_raises():
    with pytest.raises(ValueError):
        load_network(STATIONS + "A,Another Abbey,1\n", LINES)


def test_empty_inputs():
    net = load_network("", "", "")
    assert net.stations == [] and net.lines == [] and net.trips == []
    assert connections(net) == []
    assert interchange_stations(net) == []
    assert busiest_stations(net) == []
    assert delay_stats(net, []) == []
    assert load_delays("") == []


def test_comments_and_blank_rows_are_skipped():
    net = load_network(STATIONS, LINES, "line,direction,departures\n\n# none yet\nY,R,07:00\n")
    assert len(net.trips) == 1
    assert stop_minutes(net.trips[0], net) == [("G", 420), ("F", 430)]


# ---------------------------------------------------------------- planner

def test_fewest_changes_same_station_and_unknown(net):
    assert fewest_changes(net, "C", "C") == {"changes": 0, "lines": []}
    with pytest.raises(KeyError):
        fewest_changes(net, "A", "NOPE")
    assert fewest_changes(net, "X", "A") is None


def test_fewest_changes_tie_prefers_sorted_line_ids():
    stations = "code,name\n" + "\n".join(f"{c},{c}" for c in "ABCDE")
    lines = ("id,name,stops,run_minutes\n"
             "Q,Q,A;B,1\nP,P,A;C,1\nZ,Z,B;C;D,1;1\nW,W,E;D,1\n")
    net = load_network(stations, lines)
    assert fewest_changes(net, "A", "D") == {"changes": 1, "lines": ["P", "Z"]}
    assert fewest_changes(net, "A", "E") == {"changes": 2, "lines": ["P", "Z", "W"]}


def test_earliest_arrival_same_station(net):
    assert earliest_arrival(net, "B", "B", "10:15") == {
        "arrival": "10:15", "minutes": 0, "legs": []}


def test_earliest_arrival_unreachable_and_too_late(net):
    assert earliest_arrival(net, "A", "X", "07:00") is None
    assert earliest_arrival(net, "A", "G", "08:31") is None
    with pytest.raises(ValueError):
        earliest_arrival(net, "A", "C", "25:00")
    with pytest.raises(KeyError):
        earliest_arrival(net, "A", "NOPE", "08:00")


def test_earliest_arrival_boards_exactly_on_time(net):
    result = earliest_arrival(net, "C", "D", "08:10")
    assert result["arrival"] == "08:15"
    assert result["legs"][0]["depart"] == "08:10"


def test_earliest_arrival_over_midnight():
    stations = "code,name\nA,A\nB,B\nC,C"
    lines = "id,name,stops,run_minutes\nN,Night,A;B;C,10;15"
    net = load_network(stations, lines, "line,direction,departures\nN,F,23:50")
    assert stop_minutes(net.trips[0], net) == [("A", 1430), ("B", 1440), ("C", 1455)]
    result = earliest_arrival(net, "A", "C", "23:45")
    assert result["arrival"] == "00:15"
    assert result["minutes"] == 30


def test_earliest_arrival_unsorted_timetable():
    stations = "code,name\nA,A\nB,B"
    lines = "id,name,stops,run_minutes\nL,L,A;B,7"
    net = load_network(stations, lines, "line,direction,departures\nL,F,11:00 09:00 10:00")
    result = earliest_arrival(net, "A", "B", "08:30")
    assert result["arrival"] == "09:07"
    assert result["legs"] == [
        {"line": "L", "from": "A", "to": "B", "depart": "09:00", "arrive": "09:07"}]


def test_shortest_tie_and_parallel_lines():
    stations = "code,name\n" + "\n".join(f"{c},{c}" for c in "ABCD")
    lines = ("id,name,stops,run_minutes\n"
             "S,Slow,A;B;D,3;3\nT,Top,A;C;D,3;3\nU,Fast,A;B,1\n")
    net = load_network(stations, lines)
    assert shortest_travel_time(net, "A", "D") == {"minutes": 4, "path": ["A", "B", "D"]}
    assert shortest_travel_time(net, "C", "B") == {"minutes": 4, "path": ["C", "A", "B"]}
    assert shortest_travel_time(net, "D", "D") == {"minutes": 0, "path": ["D"]}
    with pytest.raises(KeyError):
        shortest_travel_time(net, "Q", "A")


def test_planner_does_not_mutate_network(net):
    before = ([s.code for s in net.stations], [(ln.line_id, list(ln.stops), list(ln.run_minutes))
                                              for ln in net.lines],
              [(t.line_id, t.direction, t.departure) for t in net.trips])
    earliest_arrival(net, "A", "G", "07:00")
    fewest_changes(net, "A", "G")
    shortest_travel_time(net, "D", "G")
    busiest_stations(net)
    departures_board(net, "C", "08:00")
    after = ([s.code for s in net.stations], [(ln.line_id, list(ln.stops), list(ln.run_minutes))
                                             for ln in net.lines],
             [(t.line_id, t.direction, t.departure) for t in net.trips])
    assert before == after


def test_network_built_by_hand():
    net = Network()
    net.add_station(Station("P", "Pier"))
    net.add_station(Station("Q", "Quay"))
    net.add_line(Line("F", "Ferry", ["P", "Q"], [12]))
    net.add_trip(Trip("F", "R", "06:00"))
    assert earliest_arrival(net, "Q", "P", "05:00")["arrival"] == "06:12"
    assert build_graph(net) == {"P": [("Q", 12)], "Q": [("P", 12)]}
    with pytest.raises(ValueError):
        net.add_trip(Trip("NOPE", "F", "06:00"))


# ---------------------------------------------------------------- reports

def test_delay_minutes_across_midnight_and_early():
    assert delay_minutes({"scheduled": "23:58", "actual": "00:03"}) == 5
    assert delay_minutes({"scheduled": "00:02", "actual": "23:59"}) == -3
    assert delay_minutes({"scheduled": "10:00", "actual": "09:58"}) == -2


def test_delay_stats_details_and_no_mutation(net):
    records = load_delays("""line,station,scheduled,actual
G,C,08:24,08:26
G,F,08:28,08:28
G,E,08:20,08:22
G,C,09:04,09:04
NOPE,C,08:00,09:00
""")
    original = copy.deepcopy(records)
    stats = delay_stats(net, records)
    assert records == original
    green = stats[1]
    assert green == {"line": "G", "count": 4, "mean": 1.0, "median": 1.0, "max": 2,
                     "on_time_pct": 100.0, "worst_station": "E"}
    strict = delay_stats(net, records, on_time_within=0)[1]
    assert strict["on_time_pct"] == 50.0
    assert stats[0]["count"] == 0 and stats[0]["worst_station"] is None


def test_load_delays_bad_rows():
    with pytest.raises(ValueError):
        load_delays("line,station,scheduled,actual\nR,A,08:00")
    with pytest.raises(ValueError):
        load_delays("line,station,scheduled,actual\nR,A,08:00,8.05")


def test_busiest_ties_and_top(net):
    everything = busiest_stations(net, top=50)
    assert [t["code"] for t in everything] == ["C", "F", "A", "B", "D", "E", "G"]
    assert everything[-1] == {"code": "G", "name": "Greenway", "calls": 1, "lines": 1}
    assert busiest_stations(net, top=0) == []


def test_board_terminus_limit_and_empty(net):
    board = departures_board(net, "D", "07:00")
    rows = [line for line in board.splitlines() if line[:2].isdigit()]
    assert [row[:5] for row in rows] == ["08:10"]     # R trips ending at D are not departures
    assert "Abbey Road" in rows[0]
    late = departures_board(net, "A", "23:00")
    assert "No further departures today" in late
    limited = departures_board(net, "C", "00:00", limit=2)
    assert len([line for line in limited.splitlines() if line[:2].isdigit()]) == 2
    with pytest.raises(KeyError):
        departures_board(net, "NOPE", "08:00")


# ---------------------------------------------------------------- brute-force oracles

def random_network(seed, n_stations=24, n_lines=6):
    rng = random.Random(seed)
    codes = [f"S{i:02d}" for i in range(n_stations)]
    stations = "code,name\n" + "\n".join(f"{c},Stop {c}" for c in codes)
    rows = ["id,name,stops,run_minutes"]
    tt = ["line,direction,departures"]
    for n in range(n_lines):
        stops = rng.sample(codes[: n_stations - 3], rng.randint(3, 7))
        runs = [rng.randint(1, 9) for _ in stops[1:]]
        rows.append(f"L{n},Line {n}," + ";".join(stops) + "," + ";".join(map(str, runs)))
        for direction in "FR":
            deps = [format_time(rng.randint(300, 1420)) for _ in range(rng.randint(0, 6))]
            if deps:
                tt.append(f"L{n},{direction}," + " ".join(deps))
    return load_network(stations, "\n".join(rows), "\n".join(tt)), codes


def oracle_arrival(net, origin, destination, start):
    best = {origin: start}
    changed = True
    while changed:
        changed = False
        for trip in net.trips:
            line = [ln for ln in net.lines if ln.line_id == trip.line_id][0]
            stops = line.stops if trip.direction == "F" else line.stops[::-1]
            runs = line.run_minutes if trip.direction == "F" else line.run_minutes[::-1]
            times = [parse_time(trip.departure)]
            for r in runs:
                times.append(times[-1] + r)
            for i, stop in enumerate(stops):
                if stop in best and times[i] >= best[stop]:
                    for j in range(i + 1, len(stops)):
                        if stops[j] not in best or times[j] < best[stops[j]]:
                            best[stops[j]] = times[j]
                            changed = True
                    break
    return best.get(destination)


@pytest.mark.parametrize("seed", range(6))
def test_earliest_arrival_matches_oracle(seed):
    net, codes = random_network(seed)
    rng = random.Random(seed + 100)
    for _ in range(25):
        a, b = rng.choice(codes), rng.choice(codes)
        start = rng.randint(300, 1300)
        result = earliest_arrival(net, a, b, format_time(start))
        expected = oracle_arrival(net, a, b, start)
        if expected is None:
            assert result is None
            continue
        assert result["minutes"] == expected - start
        assert result["arrival"] == format_time(expected)
        here, clock = a, start
        for leg in result["legs"]:
            assert leg["from"] == here
            assert parse_time(leg["depart"]) >= clock % 1440 or clock >= 1440
            here, clock = leg["to"], parse_time(leg["arrive"])
        assert here == b


@pytest.mark.parametrize("seed", range(6))
def test_shortest_matches_floyd_warshall(seed):
    net, codes = random_network(seed)
    inf = float("inf")
    dist = {(a, b): (0 if a == b else inf) for a in codes for b in codes}
    for line in net.lines:
        for x, y, w in zip(line.stops, line.stops[1:], line.run_minutes):
            dist[x, y] = min(dist[x, y], w)
            dist[y, x] = min(dist[y, x], w)
    for k in codes:
        for i in codes:
            for j in codes:
                if dist[i, k] + dist[k, j] < dist[i, j]:
                    dist[i, j] = dist[i, k] + dist[k, j]
    graph = build_graph(net)
    for a in codes[::2]:
        for b in codes[1::3]:
            result = shortest_travel_time(net, a, b)
            if dist[a, b] == inf:
                assert result is None
                continue
            assert result["minutes"] == dist[a, b]
            path = result["path"]
            assert path[0] == a and path[-1] == b
            total = sum(min(w for n, w in graph[x] if n == y) for x, y in zip(path, path[1:]))
            assert total == dist[a, b]


@pytest.mark.parametrize("seed", range(5))
def test_fewest_changes_matches_brute_force(seed):
    net, codes = random_network(seed, n_lines=5)
    stops = {ln.line_id: set(ln.stops) for ln in net.lines}
    ids = sorted(stops)
    for a in codes[::3]:
        for b in codes[1::2]:
            result = fewest_changes(net, a, b)
            if a == b:
                assert result == {"changes": 0, "lines": []}
                continue
            best = None
            for size in range(1, len(ids) + 1):
                for seq in itertools.permutations(ids, size):
                    if a in stops[seq[0]] and b in stops[seq[-1]] and all(
                            stops[x] & stops[y] for x, y in zip(seq, seq[1:])):
                        best = size - 1
                        break
                if best is not None:
                    break
            if best is None:
                assert result is None
                continue
            assert result["changes"] == best
            seq = result["lines"]
            assert a in stops[seq[0]] and b in stops[seq[-1]]
            assert all(stops[x] & stops[y] for x, y in zip(seq, seq[1:]))


def test_busiest_and_delays_match_simple_counts():
    net, codes = random_network(42, n_stations=40, n_lines=8)
    expected = Counter()
    for trip in net.trips:
        expected.update(code for code, _ in trip.times(net))
    ranking = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))
    got = busiest_stations(net, top=len(codes))
    assert [(g["code"], g["calls"]) for g in got] == ranking

    rng = random.Random(7)
    rows = ["line,station,scheduled,actual"]
    for _ in range(400):
        line = rng.choice(net.lines)
        t = rng.randint(0, 1439)
        rows.append(f"{line.line_id},{rng.choice(line.stops)},{format_time(t)},"
                    f"{format_time(t + rng.randint(-3, 30))}")
    records = load_delays("\n".join(rows))
    for entry in delay_stats(net, records):
        mine = [r for r in records if r["line"] == entry["line"]]
        delays = [delay_minutes(r) for r in mine]
        if not delays:
            assert entry["count"] == 0
            continue
        assert entry["count"] == len(delays)
        assert entry["mean"] == round(statistics.mean(delays), 2)
        assert entry["median"] == statistics.median(delays)
        assert entry["max"] == max(delays)
        per = {}
        for r, d in zip(mine, delays):
            per.setdefault(r["station"], []).append(d)
        top = max(sum(v) / len(v) for v in per.values())
        assert entry["worst_station"] == min(k for k, v in per.items() if sum(v) / len(v) == top)
