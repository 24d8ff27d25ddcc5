"""grown-list-index: get-or-create over a list the function builds (`for t in trips: if
t["trip_id"] == wanted: trip = t; break`, then a new record appended) answered by a dict of
each key's first record kept beside the list. Before/after on any rows (keys of mixed types:
1, 1.0, True, None, NaN, strs), and refusals wherever a record's key could change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite
RULE = "grown-list-index"

TRIPS = """
def load(rows):
    trips = []
    for trip_id, stop, time in rows:
        trip = None
        for t in trips:
            if t["trip_id"] == trip_id:
                trip = t
                break
        if trip is None:
            trip = {"trip_id": trip_id, "stops": []}
            trips.append(trip)
        if trip["stops"] and time < trip["stops"][-1][1]:
            raise ValueError(f"trip {trip_id} goes back in time")
        trip["stops"].append((stop, time))
    return trips


def first_of(rows, wanted):
    seen = []
    for key, value in rows:
        found = None
        for t in seen:
            if wanted == t["key"]:
                return t
        record = {"key": key, "value": value}
        seen.append(record)
    return len(seen)


def pick(rows, wanted):
    out = []
    for key, value in rows:
        record = {"key": key, "value": value}
        out.append(record)
    found = None
    for t in out:
        if t["key"] == wanted:
            found = t
            break
    return found
"""


class Anything:
    """A key equal to everything, with a hash of its own: a dict would not find it by the
    probes the scan matches it with."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 7

    def __repr__(self) -> str:
        return "Anything()"


def test_the_search_is_answered_by_a_dict_kept_beside_the_list() -> None:
    text = rewrite(TRIPS, RULE, "load")
    assert text is not None
    body = helpers.body_of(text, "load")
    assert "    trips_index = {}\n" in body
    assert 'trips_index = _index_first(trips_index, trip["trip_id"], trip)' in body
    assert "        elif trip_id in trips_index:\n            trip = trips_index[trip_id]" in body
    assert rewrite(text, RULE, "load") is None


_KEYS = st.one_of(
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 3),
    st.sampled_from([1.0, True, None, float("nan"), (1,)]),
    st.builds(Anything),
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(_KEYS, st.integers(0, 4), st.integers(0, 9)), max_size=25),
)
def test_get_or_create_answers_as_the_scan(rows: list[tuple[object, int, int]]) -> None:
    """The same records, grouped the same way (1, 1.0 and True are one key to the scan;
    NaN is a new trip each time), and the same error at the same row."""
    text = rewrite(TRIPS, RULE, "load")
    assert text is not None
    results = []
    for source, name in ((TRIPS, "trips_before"), (text, "trips_after")):
        load = helpers.run_module(source, name)["load"]
        try:
            results.append(repr(load(rows)))  # type: ignore[operator]
        except ValueError as exc:
            results.append(f"ValueError: {exc}")
    assert results[1] == results[0]


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(_KEYS, st.integers(0, 9)), max_size=12), wanted=_KEYS)
def test_a_returning_search_answers_as_the_scan(
    rows: list[tuple[object, int]], wanted: object
) -> None:
    text = rewrite(TRIPS, RULE, "first_of")
    assert text is not None and "return seen_index[wanted]" in text
    before = helpers.run_module(TRIPS, "first_before")["first_of"]
    after = helpers.run_module(text, "first_after")["first_of"]
    assert repr(after(rows, wanted)) == repr(before(rows, wanted))  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(_KEYS, st.integers(0, 9)), max_size=12), wanted=_KEYS)
def test_the_first_of_equal_keys_is_found(rows: list[tuple[object, int]], wanted: object) -> None:
    """Records of equal keys appended before the search: the first of them is found."""
    text = rewrite(TRIPS, RULE, "pick")
    assert text is not None
    before = helpers.run_module(TRIPS, "pick_before")["pick"]
    after = helpers.run_module(text, "pick_after")["pick"]
    assert repr(after(rows, wanted)) == repr(before(rows, wanted))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            '        trip["stops"].append',
            '        trip["trip_id"] = stop\n        trip["stops"].append',
        ),
        (
            '        trip["stops"].append',
            '        trip.update(stops=[])\n        trip["stops"].append',
        ),
        ('        trip["stops"].append', '        touch(trip)\n        trip["stops"].append'),
        ('        trip["stops"].append', '        other = trip\n        trip["stops"].append'),
        (
            '        trip["stops"].append',
            '        trips[0]["trip_id"] = 1\n        trip["stops"].append',
        ),
        (
            '            trip = {"trip_id": trip_id, "stops": []}',
            '            trip = {"stops": []}',
        ),
        (
            '            trip = {"trip_id": trip_id, "stops": []}',
            "            trip = dict(trip_id=trip_id)",
        ),
        (
            '            trip = {"trip_id": trip_id, "stops": []}',
            '            trip = {**base, "trip_id": trip_id}',
        ),
        ("    return trips\n", "    return trips, t\n"),
        ("    return trips\n", "    trips.sort(key=len)\n    return trips\n"),
        ("    return trips\n", "    keep(trips)\n    return trips\n"),
        ("                break\n", "                break\n        else:\n            pass\n"),
        (
            '            if t["trip_id"] == trip_id:',
            '            if t["trip_id"] == trip_id and t["stops"]:',
        ),
        (
            '            if t["trip_id"] == trip_id:',
            '            if t["trip_id"] == row_key(trip_id):',
        ),
        (
            '        trip["stops"].append',
            '        trip["stops"].append(0)\n        trip["trip_id"] += ""\n        trip["stops"].append',
        ),
    ],
    ids=[
        "key-stored",
        "record-updated",
        "record-passed-on",
        "record-aliased",
        "key-stored-through-the-list",
        "record-without-the-key",
        "record-not-a-display",
        "record-with-a-splat",
        "loop-variable-read-after",
        "list-sorted",
        "list-passed-on",
        "for-else",
        "test-with-more",
        "probe-a-call",
        "key-augmented",
    ],
)
def test_grown_list_index_refuses(old: str, new: str) -> None:
    source = TRIPS.replace(old, new, 1)
    assert source != TRIPS
    assert rewrite(source, RULE, "load") is None


OBJECTS = """
from dataclasses import dataclass


class Stop:
    def __init__(self, ident, name):
        self.ident = ident
        self.name = name
        self.calls = []


@dataclass
class Line:
    code: str
    size: int = 0


def load_stops(rows):
    stops = []
    for ident, name, time in rows:
        stop = None
        for s in stops:
            if s.ident == ident:
                stop = s
                break
        if stop is None:
            stop = Stop(ident, name)
            stops.append(stop)
        stop.calls.append(time)
    return [(s.ident, s.name, s.calls) for s in stops]


def load_lines(rows):
    lines = []
    for code, _name, _time in rows:
        line = None
        for candidate in lines:
            if code == candidate.code:
                line = candidate
                break
        if line is None:
            lines.append(Line(code))
            line = lines[-1]
        line.size += 1
    return [(x.code, x.size) for x in lines]
"""


@pytest.mark.parametrize("function", ["load_stops", "load_lines"])
def test_records_of_a_class_that_keeps_its_key_are_indexed_too(function: str) -> None:
    text = rewrite(OBJECTS, RULE, function)
    assert text is not None
    body = helpers.body_of(text, function)
    if function == "load_stops":
        assert "stops_index = _index_first(stops_index, stops[-1].ident, stops[-1])" in body
    else:
        assert "lines_index = _index_first(lines_index, lines[-1].code, lines[-1])" in body
    before = helpers.run_module(OBJECTS, f"{function}_before")[function]
    after = helpers.run_module(text, f"{function}_after")[function]
    rows = [(k, f"n{i}", i) for i, k in enumerate(["a", 1, "b", "a", 1.0, True, None, 2, "b"])]
    nan = float("nan")
    rows += [(nan, "x", 0), (nan, "y", 1), (float("nan"), "z", 2)]
    assert repr(after(rows)) == repr(before(rows))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("old", "new", "function"),
    [
        ("        stop.calls.append(time)", "        stop.ident = name", "load_stops"),
        (
            "        self.name = name\n",
            "        self.name = name\n        self.ident = name\n",
            "load_stops",
        ),
        ("class Stop:", "class Stop(Base):", "load_stops"),
        (
            "        self.calls = []\n",
            "        self.calls = []\n\n    def __setattr__(self, k, v):\n        object.__setattr__(self, k, v)\n",
            "load_stops",
        ),
        ("        stop.calls.append(time)", "        setattr(stop, name, time)", "load_stops"),
        ("class Stop:", "class Stop:\n    ident = property(lambda self: 1)\n", "load_stops"),
        (
            "    size: int = 0\n",
            "    size: int = 0\n\n    def __post_init__(self):\n        self.code = self.code.strip()\n",
            "load_lines",
        ),
        ("@dataclass\nclass Line:", "@decorated\nclass Line:", "load_lines"),
    ],
    ids=[
        "key-stored-elsewhere",
        "key-stored-twice",
        "a-base",
        "setattr-hook",
        "set-by-name",
        "a-descriptor",
        "post-init-stores",
        "another-decorator",
    ],
)
def test_object_records_are_refused_where_the_key_could_change(
    old: str, new: str, function: str
) -> None:
    source = OBJECTS.replace(old, new, 1)
    assert source != OBJECTS
    assert rewrite(source, RULE, function) is None


def test_a_record_appended_to_a_second_list_is_refused() -> None:
    """Regression (review): `log.append(e)` handed the record to a list through which a
    later loop changed its key (`r.update(...)`), and the index kept the old key."""
    source = """
def build(events):
    xs = []
    log = []
    for ev in events:
        found = None
        for t in xs:
            if t["id"] == ev:
                found = t
                break
        if found is None:
            e = {"id": ev}
            xs.append(e)
            log.append(e)
        for r in log:
            r.update(id=r["id"].lower())
    return xs
"""
    assert rewrite(source, RULE, "build") is None


def test_an_init_that_may_return_early_is_refused() -> None:
    """An object whose `__init__` can return before setting the key would raise at the
    index's read right after the append, where the original raised later or never."""
    source = OBJECTS.replace(
        "        self.ident = ident\n",
        "        if name is None:\n            return\n        self.ident = ident\n",
    )
    assert source != OBJECTS
    assert rewrite(source, RULE, "load_stops") is None
