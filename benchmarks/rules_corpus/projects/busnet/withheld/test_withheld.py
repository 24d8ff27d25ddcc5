import copy
import random

import pytest

import busnet as bn

STOPS = """stop_id,name,zone
# a comment line
A,Gare Centrale,Z1
B,Place de l'Église,Z1

C,Rue Émile Zola,Z2
D,Hôpital Nord,Z2
E,Parc des Fleurs,Z3
F,Quai St. Anne's,Z3
G,Île Verte,Z4
"""

LINES = """line_id,stops
L1,A B C D
L2,C E F
L3,B E
"""

TRIPS = """trip_id,line_id,stop_id,time
T1,L1,A,08:00
T1,L1,B,08:05
T1,L1,C,08:10
T1,L1,D,08:20
T2,L1,A,08:30
T2,L1,B,08:35
T2,L1,C,08:40
T2,L1,D,08:50
T3,L2,C,08:15
T3,L2,E,08:22
T3,L2,F,08:30
T4,L3,B,08:06
T4,L3,E,08:12
T5,L2,C,08:45
T5,L2,E,08:52
T5,L2,F,09:00
"""


@pytest.fixture
def net():
    return bn.load_network(STOPS, LINES, TRIPS)


# ---------------------------------------------------------------- reference helpers


def ref_earliest(network, origin, start):
    """Bellman-Ford style relaxation over every trip segment until nothing changes."""
    best = {s["stop_id"]: None for s in network["stops"]}
    best[origin] = start
    changed = True
    while changed:
        changed = False
        for trip in network["trips"]:
            times = trip["stop_times"]
            for a, b in zip(times, times[1:]):
                t = best[a["stop_id"]]
                if t is None or bn.parse_time(a["time"]) < t:
                    continue
                arr = bn.parse_time(b["time"])
                if best[b["stop_id"]] is None or arr < best[b["stop_id"]]:
                    best[b["stop_id"]] = arr
                    changed = True
    return best


def ref_transfers(network, origin, destination):
    lines = {k: set(v) for k, v in network["lines"].items()}
    frontier = [k for k in lines if origin in lines[k]]
    seen = set(frontier)
    depth = 0
    while frontier:
        if any(destination in lines[k] for k in frontier):
            return depth
        nxt = []
        for k in frontier:
            for other in lines:
                if other not in seen and lines[k] & lines[other]:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
        depth += 1
    return None


def random_network(seed, n_stops=30, n_lines=6, trips_per_line=8):
    rng = random.Random(seed)
    stop_rows = ["stop_id,name,zone"]
    for i in range(n_stops):
        stop_rows.append(f"P{i:02d},Stop {rng.choice(['Nord', 'Sud', 'Été', 'Gare'])} {i},Z{i % 3}")
    ids = [f"P{i:02d}" for i in range(n_stops)]
    line_rows = ["line_id,stops"]
    trip_rows = ["trip_id,line_id,stop_id,time"]
    n = 0
    for k in range(n_lines):
        seq = rng.sample(ids, rng.randint(3, 8))
        line_rows.append(f"M{k},{' '.join(seq)}")
        for _ in range(trips_per_line):
            stops = seq if rng.random() < 0.5 else seq[::-1]
            clock = rng.randint(300, 1200)
            for s in stops:
                trip_rows.append(f"R{n:03d},M{k},{s},{bn.format_time(clock)}")
                clock += rng.randint(1, 6)
            n += 1
    return bn.load_network(
        "\n".join(stop_rows) + "\n", "\n".join(line_rows) + "\n", "\n".join(trip_rows) + "\n"
    )


def check_legs(network, journey, origin, destination, start):
    legs = journey["legs"]
    assert legs[0]["from"] == origin
    assert legs[-1]["to"] == destination
    assert journey["transfers"] == len(legs) - 1
    assert bn.parse_time(legs[0]["depart"]) >= start
    for prev, leg in zip(legs, legs[1:]):
        assert prev["to"] == leg["from"]
        assert bn.parse_time(leg["depart"]) >= bn.parse_time(prev["arrive"])
        assert prev["trip"] != leg["trip"]
    for leg in legs:
        trip = bn.get_trip(network, leg["trip"])
        assert trip["line_id"] == leg["line"]
        calls = [(st["stop_id"], st["time"]) for st in trip["stop_times"]]
        i = calls.index((leg["from"], leg["depart"]))
        j = calls.index((leg["to"], leg["arrive"]))
        assert i < j
    assert journey["arrival"] == legs[-1]["arrive"]


# ---------------------------------------------------------------- times


@pytest.mark.parametrize(
    "bad", ["", "8h05", "08:5", "08:60", "48:00", "-1:00", "ab:cd", "08:00:00", "0800", " : "]
)
def test_parse_time_malformed(bad):
    with pytest.raises(ValueError):
        bn.parse_time(bad)


@pytest.mark.parametrize("bad", [None, 805, 8.5])
def test_parse_time_not_a_string(bad):
    with pytest.raises(ValueError):
        bn.parse_time(bad)


def test_parse_time_edges():
    assert bn.parse_time("00:00") == 0
    assert bn.parse_time("8:05") == 485
    assert bn.parse_time(" 23:59 ") == 1439
    assert bn.parse_time("47:59") == 2879
    assert bn.format_time(1510) == "25:10"
    with pytest.raises(ValueError):
        bn.format_time(-5)


# ---------------------------------------------------------------- loading


def test_comments_and_blank_lines_ignored(net):
    assert [s["stop_id"] for s in net["stops"]] == ["A", "B", "C", "D", "E", "F", "G"]


def test_trip_rows_grouped_when_interleaved():
    trips = bn.load_trips(
        "trip_id,line_id,stop_id,time\nX,L,A,08:00\nY,L,A,09:00\nX,L,B,08:10\nY,L,B,09:05\n"
    )
    assert [t["trip_id"] for t in trips] == ["X", "Y"]
    assert [st["stop_id"] for st in trips[0]["stop_times"]] == ["A", "B"]
    assert trips[1]["stop_times"][1]["time"] == "09:05"


@pytest.mark.parametrize(
    "text, exc",
    [
        ("trip_id,line_id,stop_id,time\nX,L,A,8h00\n", ValueError),
        ("trip_id,line_id,stop_id,time\nX,L,A,08:00\nX,L,B,07:59\n", ValueError),
        ("trip_id,line_id,stop_id,time\nX,L,A\n", ValueError),
    ],
)
def test_load_trips_bad_rows(text, exc):
    with pytest.raises(exc):
        bn.load_trips(text)


def test_load_stops_duplicate_and_bad_row():
    with pytest.raises(ValueError):
        bn.load_stops("stop_id,name,zone\nA,One,Z\nA,Two,Z\n")
    with pytest.raises(ValueError):
        bn.load_stops("stop_id,name,zone\nA,One\n")


def test_load_lines_too_short():
    with pytest.raises(ValueError):
        bn.load_lines("line_id,stops\nL1,A\n")


def test_load_network_unknown_references():
    with pytest.raises(KeyError):
        bn.load_network(STOPS, "line_id,stops\nL1,A Q\n", "trip_id,line_id,stop_id,time\n")
    with pytest.raises(KeyError):
        bn.load_network(STOPS, LINES, "trip_id,line_id,stop_id,time\nX,L1,Q,08:00\n")
    with pytest.raises(KeyError):
        bn.load_network(STOPS, LINES, "trip_id,line_id,stop_id,time\nX,L7,A,08:00\n")


def test_load_actuals_bad_time():
    with pytest.raises(ValueError):
        bn.load_actuals("trip_id,stop_id,time\nT1,A,25:61\n")


def test_empty_inputs():
    net = bn.load_network(
        "stop_id,name,zone\n", "line_id,stops\n", "trip_id,line_id,stop_id,time\n"
    )
    assert net == {"stops": [], "lines": {}, "trips": []}
    assert bn.headway_report(net) == {}
    assert bn.search_stops(net, "gare") == []
    assert bn.zone_summary(net) == {}
    report = bn.punctuality_report(net, [])
    assert report == {"stops": {}, "matched": 0, "unmatched": 0, "on_time_pct": None}
    assert bn.build_adjacency(net) == {}


# ---------------------------------------------------------------- earliest arrival


def test_unknown_stops_raise(net):
    with pytest.raises(KeyError):
        bn.earliest_arrival(net, "A", "Q", "08:00")
    with pytest.raises(KeyError):
        bn.earliest_arrival(net, "Q", "A", "08:00")
    with pytest.raises(KeyError):
        bn.fewest_transfers(net, "A", "Q")
    with pytest.raises(KeyError):
        bn.departures(net, "Q", "08:00")
    with pytest.raises(KeyError):
        bn.stop_card(net, "Q")


def test_malformed_departure_time(net):
    with pytest.raises(ValueError):
        bn.earliest_arrival(net, "A", "D", "8.00")


def test_same_origin_and_destination(net):
    j = bn.earliest_arrival(net, "C", "C", "08:03")
    assert j == {"arrival": "08:03", "legs": [], "transfers": 0}


def test_stop_with_no_service_unreachable(net):
    assert bn.earliest_arrival(net, "A", "G", "00:00") is None
    assert bn.earliest_arrival(net, "G", "A", "00:00") is None
    assert bn.fewest_transfers(net, "A", "G") is None


def test_backwards_direction_unreachable(net):
    # every trip runs A -> D, so nothing goes back to A
    assert bn.earliest_arrival(net, "D", "A", "06:00") is None


def test_stays_on_one_trip(net):
    j = bn.earliest_arrival(net, "A", "D", "08:00")
    assert len(j["legs"]) == 1
    assert j["legs"][0] == {
        "trip": "T1", "line": "L1", "from": "A", "to": "D", "depart": "08:00", "arrive": "08:20"
    }


def test_boarding_exactly_on_time(net):
    j = bn.earliest_arrival(net, "B", "E", "08:06")
    assert j["arrival"] == "08:12"
    assert j["legs"][0]["trip"] == "T4"
    j = bn.earliest_arrival(net, "B", "E", "08:07")
    assert j["arrival"] == "08:52"
    assert [leg["trip"] for leg in j["legs"]] == ["T2", "T5"]


def test_tie_first_listed_trip_wins():
    trips = """trip_id,line_id,stop_id,time
Z2,L1,A,08:00
Z2,L1,B,09:00
Z1,L1,A,08:10
Z1,L1,B,09:00
"""
    net = bn.load_network(STOPS, LINES, trips)
    j = bn.earliest_arrival(net, "A", "B", "07:00")
    assert j["arrival"] == "09:00"
    assert j["legs"][0]["trip"] == "Z2"


def test_tie_settle_order_prefers_smaller_stop_id():
    # C and B are both reached at 08:10; each continues to D arriving 08:30.
    trips = """trip_id,line_id,stop_id,time
U1,L1,A,08:00
U1,L1,C,08:10
U2,L1,A,08:00
U2,L1,B,08:10
U3,L1,C,08:15
U3,L1,D,08:30
U4,L1,B,08:15
U4,L1,D,08:30
"""
    net = bn.load_network(STOPS, LINES, trips)
    j = bn.earliest_arrival(net, "A", "D", "08:00")
    assert [(leg["from"], leg["to"]) for leg in j["legs"]] == [("A", "B"), ("B", "D")]


def test_trips_past_midnight():
    trips = """trip_id,line_id,stop_id,time
N1,L1,A,23:50
N1,L1,B,24:05
N1,L1,C,24:20
"""
    net = bn.load_network(STOPS, LINES, trips)
    j = bn.earliest_arrival(net, "A", "C", "23:45")
    assert j["arrival"] == "24:20"
    assert bn.departures(net, "B", "24:00") == [
        {"time": "24:05", "line": "L1", "trip": "N1", "headsign": "Rue Émile Zola"}
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_earliest_arrival_matches_reference(seed):
    net = random_network(seed)
    rng = random.Random(seed * 11)
    ids = [s["stop_id"] for s in net["stops"]]
    for _ in range(4):
        origin = rng.choice(ids)
        start = rng.randint(280, 1000)
        ref = ref_earliest(net, origin, start)
        for destination in ids:
            j = bn.earliest_arrival(net, origin, destination, bn.format_time(start))
            if ref[destination] is None:
                assert j is None
            else:
                assert bn.parse_time(j["arrival"]) == ref[destination]
                if destination != origin:
                    check_legs(net, j, origin, destination, start)


def test_earliest_arrival_does_not_mutate_network(net):
    before = copy.deepcopy(net)
    bn.earliest_arrival(net, "A", "F", "08:00")
    bn.fewest_transfers(net, "A", "F")
    bn.departures(net, "C", "08:00")
    bn.headway_report(net)
    assert net == before


# ---------------------------------------------------------------- mutation between calls


def test_cancelled_trip_changes_journey(net):
    assert bn.earliest_arrival(net, "A", "F", "08:00")["arrival"] == "08:30"
    net["trips"] = [t for t in net["trips"] if t["trip_id"] != "T3"]
    assert bn.earliest_arrival(net, "A", "F", "08:00")["arrival"] == "09:00"
    net["trips"].remove(bn.get_trip(net, "T5"))
    assert bn.earliest_arrival(net, "A", "F", "08:00") is None


def test_retimed_trip_seen_by_every_query(net):
    actual = bn.load_actuals("trip_id,stop_id,time\nT3,F,08:38\n")
    assert bn.punctuality_report(net, actual)["stops"]["F"]["mean_delay"] == 8.0
    assert bn.departures(net, "C", "08:12", 1)[0]["time"] == "08:15"
    bn.get_trip(net, "T3")["stop_times"][0]["time"] = "08:13"
    bn.get_trip(net, "T3")["stop_times"][2]["time"] = "08:35"
    assert bn.punctuality_report(net, actual)["stops"]["F"]["mean_delay"] == 3.0
    assert bn.departures(net, "C", "08:12", 1)[0]["time"] == "08:13"
    assert bn.earliest_arrival(net, "A", "F", "08:00")["arrival"] == "08:35"
    assert bn.headway(net, "L2", "C")["mean"] == 32.0


def test_added_trip_and_renamed_stop(net):
    net["trips"].append(
        {"trip_id": "T6", "line_id": "L3",
         "stop_times": [{"stop_id": "B", "time": "08:36"}, {"stop_id": "E", "time": "08:41"}]}
    )
    assert bn.headway(net, "L3", "B") == {"departures": 2, "mean": 30.0, "max": 30}
    j = bn.earliest_arrival(net, "A", "E", "08:30")
    assert j["arrival"] == "08:41"
    assert j["legs"][-1]["line"] == "L3"
    assert bn.search_stops(net, "fleurs")[0]["stop_id"] == "E"
    bn.get_stop(net, "E")["name"] = "Parc Mistral"
    assert bn.search_stops(net, "fleurs") == []
    assert bn.search_stops(net, "mistral")[0]["stop_id"] == "E"
    assert "Parc Mistral" in bn.describe_journey(net, j)[-2]


def test_changed_lines_seen_by_fewest_transfers(net):
    assert bn.fewest_transfers(net, "A", "F")["lines"] == ["L1", "L2"]
    net["lines"]["L1"] = ["A", "B"]
    r = bn.fewest_transfers(net, "A", "F")
    assert r["lines"] == ["L1", "L3", "L2"]
    assert r["changes"] == ["B", "E"]
    net["lines"]["L4"] = ["A", "F"]
    assert bn.fewest_transfers(net, "A", "F")["lines"] == ["L4"]
    assert bn.lines_serving(net, "A") == ["L1", "L4"]


# ---------------------------------------------------------------- fewest transfers


def test_fewest_transfers_tie_takes_smallest_line_ids():
    lines = """line_id,stops
K9,A B
K2,B C
K5,B D
K1,C D E
K3,D E
"""
    net = bn.load_network(STOPS, lines, "trip_id,line_id,stop_id,time\n")
    r = bn.fewest_transfers(net, "A", "E")
    assert r == {"lines": ["K9", "K2", "K1"], "transfers": 2, "changes": ["B", "C"]}
    assert bn.fewest_transfers(net, "B", "C")["lines"] == ["K2"]


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_fewest_transfers_matches_reference(seed):
    net = random_network(seed, n_stops=40, n_lines=10)
    ids = [s["stop_id"] for s in net["stops"]]
    for origin in ids[:12]:
        for destination in ids:
            r = bn.fewest_transfers(net, origin, destination)
            expected = 0 if origin == destination else ref_transfers(net, origin, destination)
            if expected is None:
                assert r is None
                continue
            assert r["transfers"] == expected
            if origin != destination:
                path = r["lines"]
                assert origin in net["lines"][path[0]]
                assert destination in net["lines"][path[-1]]
                for a, b, stop in zip(path, path[1:], r["changes"]):
                    assert stop in net["lines"][a] and stop in net["lines"][b]


# ---------------------------------------------------------------- departures


def test_departures_tie_order_and_count(net):
    net["trips"].append(
        {"trip_id": "T0", "line_id": "L2",
         "stop_times": [{"stop_id": "C", "time": "08:40"}, {"stop_id": "E", "time": "08:47"}]}
    )
    board = bn.departures(net, "C", "08:40", 2)
    assert [(d["time"], d["line"], d["trip"]) for d in board] == [
        ("08:40", "L1", "T2"),
        ("08:40", "L2", "T0"),
    ]
    board[0]["time"] = "00:00"
    assert bn.departures(net, "C", "08:40", 1)[0]["time"] == "08:40"
    assert len(bn.departures(net, "C", "00:00", 100)) == 5
    assert bn.departures(net, "C", "09:00") == []


def test_departures_bad_time(net):
    with pytest.raises(ValueError):
        bn.departures(net, "C", "nine")


# ---------------------------------------------------------------- headways


def test_headway_unknown_line(net):
    with pytest.raises(KeyError):
        bn.headway(net, "L7", "A")


def test_headway_matches_reference():
    net = random_network(21, n_stops=12, n_lines=3, trips_per_line=25)
    report = bn.headway_report(net)
    for line_id, stops in net["lines"].items():
        for stop_id in stops:
            deps = sorted(
                bn.parse_time(st["time"])
                for t in net["trips"]
                if t["line_id"] == line_id
                for st in t["stop_times"][:-1]
                if st["stop_id"] == stop_id
            )
            if len(deps) < 2:
                assert stop_id not in report[line_id]
                continue
            gaps = [b - a for a, b in zip(deps, deps[1:])]
            assert report[line_id][stop_id] == {
                "departures": len(deps),
                "mean": round(sum(gaps) / len(gaps), 2),
                "max": max(gaps),
            }
            assert bn.line_departures(net, line_id, stop_id) == [bn.format_time(d) for d in deps]


def test_headway_report_sees_new_trip(net):
    assert "A" in bn.headway_report(net)["L1"]
    assert bn.headway_report(net)["L3"] == {}
    net["trips"].append(
        {"trip_id": "T7", "line_id": "L3",
         "stop_times": [{"stop_id": "B", "time": "09:06"}, {"stop_id": "E", "time": "09:12"}]}
    )
    assert bn.headway_report(net)["L3"] == {"B": {"departures": 2, "mean": 60.0, "max": 60}}


# ---------------------------------------------------------------- punctuality


def test_punctuality_tolerances(net):
    actuals = bn.load_actuals(
        "trip_id,stop_id,time\nT1,A,07:58\nT1,B,08:06\nT1,C,08:16\nT1,D,08:20\n"
    )
    strict = bn.punctuality_report(net, actuals, early=0, late=0)
    assert strict["on_time_pct"] == 25.0
    loose = bn.punctuality_report(net, actuals, early=2, late=6)
    assert loose["on_time_pct"] == 100.0
    assert loose["stops"]["A"] == {"count": 1, "mean_delay": -2.0, "max_delay": -2,
                                   "on_time_pct": 100.0}


def test_punctuality_unknown_stop_on_known_trip(net):
    report = bn.punctuality_report(net, [{"trip_id": "T3", "stop_id": "A", "time": "08:00"}])
    assert report["unmatched"] == 1
    assert report["matched"] == 0


def test_punctuality_matches_reference():
    net = random_network(33, n_stops=25, n_lines=5, trips_per_line=20)
    rng = random.Random(5)
    actuals = []
    for trip in net["trips"]:
        for st in trip["stop_times"]:
            if rng.random() < 0.7:
                t = bn.parse_time(st["time"]) + rng.randint(-3, 9)
                actuals.append({"trip_id": trip["trip_id"], "stop_id": st["stop_id"],
                                "time": bn.format_time(t)})
    actuals.append({"trip_id": "nope", "stop_id": "P00", "time": "10:00"})
    rng.shuffle(actuals)
    report = bn.punctuality_report(net, actuals)
    planned = {(t["trip_id"], st["stop_id"]): st["time"] for t in net["trips"]
               for st in t["stop_times"]}
    per_stop = {}
    for a in actuals:
        key = (a["trip_id"], a["stop_id"])
        if key in planned:
            d = bn.parse_time(a["time"]) - bn.parse_time(planned[key])
            per_stop.setdefault(a["stop_id"], []).append(d)
    assert report["unmatched"] == 1
    assert report["matched"] == len(actuals) - 1
    assert list(report["stops"]) == sorted(per_stop)
    for stop_id, values in per_stop.items():
        row = report["stops"][stop_id]
        assert row["count"] == len(values)
        assert row["mean_delay"] == round(sum(values) / len(values), 2)
        assert row["max_delay"] == max(values)


def test_worst_stops_ties_by_stop_id(net):
    actuals = bn.load_actuals("trip_id,stop_id,time\nT1,C,08:12\nT1,B,08:07\nT1,D,08:20\n")
    report = bn.punctuality_report(net, actuals)
    lines = bn.worst_stops(net, report, 5)
    assert [line.split("(")[1][0] for line in lines] == ["B", "C", "D"]


# ---------------------------------------------------------------- search


def test_normalise_variants():
    assert bn.normalise("ÉMILE—Zola") == "emile—zola"
    assert bn.normalise("Saint-Michel (Quai 2)") == "saint michel quai 2"
    assert bn.normalise("") == ""
    assert bn.normalise("Ｇａｒｅ") == "gare"


def test_search_ranking_and_ties():
    stops = """stop_id,name,zone
S3,Gare,Z1
S1,Gare Nord,Z1
S2,Gare Nord,Z1
S4,Ancienne Gare,Z1
S5,GARE!,Z1
"""
    net = bn.load_network(stops, "line_id,stops\n", "trip_id,line_id,stop_id,time\n")
    assert [s["stop_id"] for s in bn.search_stops(net, "gare")] == ["S3", "S5", "S1", "S2", "S4"]
    assert [s["stop_id"] for s in bn.search_stops(net, "gare", 2)] == ["S3", "S5"]
    assert [s["stop_id"] for s in bn.search_stops(net, "Nord gare")] == ["S1", "S2"]
    assert bn.search_stops(net, "...") == []


def test_search_accents_and_punctuation(net):
    assert [s["stop_id"] for s in bn.search_stops(net, "ILE")] == ["G", "C"]
    assert [s["stop_id"] for s in bn.search_stops(net, "st annes")] == []
    assert [s["stop_id"] for s in bn.search_stops(net, "st. anne's")] == ["F"]
    assert [s["stop_id"] for s in bn.search_stops(net, "hopital")] == ["D"]
