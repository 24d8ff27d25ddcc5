"""join-index-call on a lookup method of the records' holder: `feed.get_trip(t)` in a loop,
where `Feed.get_trip` scans `self.trips`, is served through a copy of the method that takes
the records, only while the receiver is exactly `Feed`, holds its records plainly and would
run `Feed`'s own method. Before/after, the receivers that must fall back, and refusals."""

from __future__ import annotations

import textwrap
from types import SimpleNamespace
from unittest import mock

import libcst as cst
import pytest

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.attr_stores import plain_field
from agent.engines.rules.project import project_for
from agent.engines.rules.rewrite import function_context
from agent.engines.rules.syntax import walk
from tests.models.rules_corpus import helpers

FEED = """
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Trip:
    trip_id: object
    route: str


@dataclass
class Feed:
    trips: list = field(default_factory=list)

    def get_trip(self, trip_id):
        for trip in self.trips:
            if trip.trip_id == trip_id:
                return trip
        raise KeyError(f"unknown trip {trip_id!r}")


def routes(feed: Feed, ids):
    out = []
    for i in ids:
        out.append(feed.get_trip(i).route)
    return out
"""


def _both(source: str = FEED) -> tuple[dict[str, object], dict[str, object]]:
    text = helpers.rewrite(source, "join-index-call", "routes")
    assert text is not None
    return helpers.run_module(source, "method_join_before"), helpers.run_module(
        text, "method_join_after"
    )


def _outcome(fn, *args):  # type: ignore[no-untyped-def]
    try:
        return ("ok", repr(fn(*args)))
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def test_the_method_call_is_served_through_a_copy_that_takes_the_records() -> None:
    text = helpers.rewrite(FEED, "join-index-call", "routes")
    assert text is not None
    body = helpers.body_of(text, "routes")
    assert "_own_method(feed, Feed, 'get_trip', 'trips') else None" in body
    assert (
        "(_get_trip_over(_candidates(trips_groups, feed.trips, i, _ran_code), i) "
        "if type(trips_groups) is dict else feed.get_trip(i))" in body
    )
    assert "def _get_trip_over(records, trip_id):" in text
    assert "    def get_trip(self, trip_id):" in text  # the method is left as it was


@pytest.mark.parametrize(
    "idents", [["a", "b", "c"], [1, 1.0, True, "1"], ["a", float("nan"), None, "a"], []]
)
def test_same_answers_and_errors_on_mixed_keys(idents: list[object]) -> None:
    before, after = _both()
    for module in (before, after):
        module["feed"] = module["Feed"]([module["Trip"](i, f"r{n}") for n, i in enumerate(idents)])
    for probes in (["a", "c"], [1, True], [1.0], [float("nan")], ["zz"], []):
        assert _outcome(before["routes"], before["feed"], probes) == _outcome(
            after["routes"], after["feed"], probes
        )


def _receivers(module: dict[str, object]) -> dict[str, object]:
    """Receivers that are not a plain `Feed` running its own method: each must be called."""
    feed_cls, trip = module["Feed"], module["Trip"]
    trips = [trip("a", "plain"), trip("b", "plain")]  # type: ignore[operator]

    class Sub(feed_cls):  # type: ignore[misc, valid-type]
        def get_trip(self, trip_id):  # type: ignore[no-untyped-def]
            return trip(trip_id, "sub")  # type: ignore[operator]

    class Kept(feed_cls):  # type: ignore[misc, valid-type]
        pass

    shadowed = feed_cls(list(trips))  # type: ignore[operator]
    shadowed.get_trip = lambda trip_id: trip(trip_id, "instance")  # type: ignore[attr-defined, operator]

    class Fake:
        def __init__(self) -> None:
            self.trips = list(trips)

        def get_trip(self, trip_id):  # type: ignore[no-untyped-def]
            return trip(trip_id, "fake")  # type: ignore[operator]

    class Lazy(feed_cls):  # type: ignore[misc, valid-type]
        @property
        def trips(self):  # type: ignore[no-untyped-def, override]
            return [trip("a", "lazy"), trip("b", "lazy")]  # type: ignore[operator]

        @trips.setter
        def trips(self, value):  # type: ignore[no-untyped-def]
            pass

    return {
        "subclass": Sub(list(trips)),
        "subclass-keeping-the-method": Kept(list(trips)),
        "method-on-the-instance": shadowed,
        "duck-typed": Fake(),
        "namespace": SimpleNamespace(
            trips=trips,
            get_trip=lambda trip_id: trip(trip_id, "ns"),  # type: ignore[operator]
        ),
        "property": Lazy(),
    }


def test_receivers_that_are_not_exactly_the_class_run_their_own_method() -> None:
    before, after = _both()
    for name in _receivers(before):
        got = [_outcome(m["routes"], _receivers(m)[name], ["a", "b"]) for m in (before, after)]
        assert got[0] == got[1], name


def test_a_method_patched_on_the_class_is_the_one_called() -> None:
    """Guards the method check: mock.patch.object replaces the function the copy was made of."""
    before, after = _both()
    outcomes = []
    for module in (before, after):
        feed = module["Feed"]([module["Trip"]("a", "plain")])  # type: ignore[operator]
        fake = module["Trip"]("a", "patched")  # type: ignore[operator]
        with mock.patch.object(module["Feed"], "get_trip", lambda self, trip_id, fake=fake: fake):
            outcomes.append(_outcome(module["routes"], feed, ["a", "a"]))
    assert outcomes[0] == outcomes[1] == ("ok", "['patched', 'patched']")


def test_a_wrapper_that_copies_the_methods_names_is_the_one_called() -> None:
    """Guards the method check: `functools.wraps` copies `__qualname__` and `__module__`."""
    source = FEED.replace(
        "\n\ndef routes",
        "\n\nimport functools\n\n\ndef counted(f):\n    @functools.wraps(f)\n"
        "    def inner(*args):\n        CALLS.append(args[1])\n        return f(*args)\n"
        "    return inner\n\n\nCALLS = []\nFeed.get_trip = counted(Feed.get_trip)\n\n\ndef routes",
    )
    before, after = _both(source)
    for module in (before, after):
        feed = module["Feed"]([module["Trip"]("a", "x")])  # type: ignore[operator]
        assert module["routes"](feed, ["a", "a"]) == ["x", "x"]  # type: ignore[operator]
    assert before["CALLS"] == after["CALLS"] == ["a", "a"]


REFUSED = {
    "self-read-twice": FEED.replace(
        'raise KeyError(f"unknown trip {trip_id!r}")',
        'raise KeyError(f"unknown trip {trip_id!r} of {len(self.trips)}")',
    ),
    "static-method": FEED.replace(
        "    def get_trip(self, trip_id):", "    @staticmethod\n    def get_trip(self, trip_id):"
    ),
    "list-default": FEED.replace(
        "def get_trip(self, trip_id):", "def get_trip(self, trip_id, seen=[]):"
    ),
    "class-rebound": FEED + "\n\nFeed = Feed\n",
    "a-subclass-overrides-it": FEED
    + "\n\nclass Other(Feed):\n    def get_trip(self, trip_id):\n        return None\n",
    "dunder-name": FEED.replace(
        'raise KeyError(f"unknown trip {trip_id!r}")', "raise KeyError(__name__)"
    ),
    "class-cell": FEED.replace(
        'raise KeyError(f"unknown trip {trip_id!r}")', "raise KeyError(__class__)"
    ),
    "rebound-in-the-class": FEED.replace(
        "\n\n\ndef routes", "\n\n    get_trip = get_trip\n\n\ndef routes"
    ),
    "builtin-shadowed": FEED.replace(
        "from dataclasses import dataclass, field",
        "from dataclasses import dataclass, field\n\nKeyError = LookupError",
    ),
}


@pytest.mark.parametrize("source", REFUSED.values(), ids=REFUSED.keys())
def test_refusals(source: str) -> None:
    assert helpers.rewrite(source, "join-index-call", "routes") is None


def test_the_class_must_be_bound_in_the_callers_module_at_run_time() -> None:
    """Guards the guard's class name: an import under TYPE_CHECKING binds nothing."""
    texts = {
        "pkg/model.py": FEED.split("\n\ndef routes")[0],
        "pkg/boards.py": (
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from pkg.model import Feed\n\n\n"
            "def routes(feed: 'Feed', ids):\n    out = []\n    for i in ids:\n"
            "        out.append(feed.get_trip(i).route)\n    return out\n"
        ),
    }
    with pytest.raises(StepFailed):
        step = Step("join-index-call", "pkg/boards.py", "routes")
        run_step(texts, step, verify=False, project=project_for(texts))


def _scope(source: str, function: str):  # type: ignore[no-untyped-def]
    text = textwrap.dedent(source)
    ctx = function_context("mod.py", text, function, project_for({"mod.py": text}))
    assert ctx is not None
    return ctx.scope


SLICED = """
def board(rows, limit, other):
    found = []
    for row in rows:
        found.append(row)
    found = found[:limit]
    copy = other[:limit]
    mixed = other
    mixed = mixed[:limit]
    return found, copy, mixed
"""


def test_a_slice_of_a_list_of_its_own_is_a_list_of_its_own() -> None:
    """`found = found[:limit]` left `found` foreign, so appending to it made the loop that
    fills it impure; a slice of a parameter, or of a local that may hold one, stays foreign."""
    fresh = _scope(SLICED, "board").fresh
    assert fresh.get("found") == 1
    assert "copy" not in fresh and "mixed" not in fresh


HOLDER = """
class Holder:
    def __init__(self, items):
        self.items = items

    def first(self):
        return self.items[0]


def firsts(holder: Holder, n):
    out = []
    for _ in range(n):
        out.append(holder.first())
    return out


def grows(holder: Holder, n):
    for _ in range(n):
        holder.first().append(1)
"""


def test_a_pure_method_may_return_part_of_its_receiver() -> None:
    """Guards the relaxed method reading: the call is pure, and what it returns is still the
    receiver's (changing it is an effect on the caller's object)."""
    loop = lambda fn: next(n for n in walk(fn.fn) if isinstance(n, cst.For))  # noqa: E731
    for function, pure in (("firsts", True), ("grows", False)):
        text = textwrap.dedent(HOLDER)
        ctx = function_context("mod.py", text, function, project_for({"mod.py": text}))
        assert ctx is not None and ctx.scope.pure(loop(ctx)) is pure, function


FIELDS = """
from dataclasses import dataclass, field

class Lazy:
    def __get__(self, obj, cls):
        return []

@dataclass
class Feed:
    trips: list = field(default_factory=list)
    stops: list = field(default=Lazy())
    name: str = field(default="x", repr=False)
"""


@pytest.mark.parametrize(("attr", "plain"), [("trips", True), ("name", True), ("stops", False)])
def test_a_dataclass_field_without_a_class_value_is_plain(attr: str, plain: bool) -> None:
    text = textwrap.dedent(FIELDS)
    assert plain_field(project_for({"mod.py": text}), "Feed", attr) is plain


SHARED = """
class Box:
    def __init__(self, data):
        self.data = data

    def contents(self):
        return self.data


def make_box(n):
    return Box([n])


def contents_of(b: Box):
    return b.contents()


def collect(qs, n):
    out = []
    for q in qs:
        out.append(contents_of(make_box(n)))
    return out
"""


def test_a_helper_returning_part_of_its_argument_through_a_method_keeps_it() -> None:
    """Guards the relaxed method reading: `contents_of` hands back `b`'s list, so a call
    making its argument afresh each time cannot be hoisted (one list would be shared)."""
    assert helpers.rewrite(SHARED, "hoist-pure-call", "collect") is None


SCANNER = """
UNREACHED = 10**9


class Scanner:
    def __init__(self, links):
        self.links = list(links)

    def _walk_from(self, stop, time, best):
        for link in self.links:
            if link[0] != stop:
                continue
            when = time + link[2]
            if when < best.get(link[1], UNREACHED):
                best[link[1]] = when

    def reach(self, starts):
        best = {}
        for stop, time in starts:
            self._walk_from(stop, time, best)
        return best
"""


def test_a_method_of_the_same_class_filling_the_callers_dict() -> None:
    """The copy sits in the method's own module, so it may read its globals (`UNREACHED`);
    the helper only changes `best`, a dict of the caller's own."""
    text = helpers.rewrite(SCANNER, "join-index-call", "Scanner.reach")
    assert text is not None
    assert "def _walk_from_over(records, stop, time, best):" in text
    before = helpers.run_module(SCANNER, "scanner_before")["Scanner"]
    after = helpers.run_module(text, "scanner_after")["Scanner"]
    links = [("a", "b", 5), ("b", "c", 2), (1, "d", 1), ("a", "c", 9), (True, "e", 3)]
    starts = [("a", 0), ("b", 1), (1.0, 2), ("zz", 0), (1, 4)]
    for cls in (before, after):
        assert cls(links).reach(starts) == before(links).reach(starts)  # type: ignore[operator]


def test_private_names_and_another_modules_globals_are_refused() -> None:
    mangled = SCANNER.replace("self.links", "self.__links")
    assert helpers.rewrite(mangled, "join-index-call", "Scanner.reach") is None
    texts = {
        "pkg/scan.py": SCANNER.split("    def reach")[0],
        "pkg/use.py": (
            "from pkg.scan import Scanner\n\n\n"
            "def reach(scanner: Scanner, starts):\n    best = {}\n"
            "    for stop, time in starts:\n        scanner._walk_from(stop, time, best)\n"
            "    return best\n"
        ),
    }
    with pytest.raises(StepFailed):  # `UNREACHED` is not a name of pkg/use.py
        step = Step("join-index-call", "pkg/use.py", "reach")
        run_step(texts, step, verify=False, project=project_for(texts))


def test_a_receiver_handed_back_through_another_method_is_kept_too() -> None:
    """Second review: `contents` returns `self.inner()`, which returns `self.data`."""
    source = SHARED.replace(
        "    def contents(self):\n        return self.data\n",
        "    def contents(self):\n        return self.inner()\n\n"
        "    def inner(self):\n        return self.data\n",
    )
    assert source != SHARED
    assert helpers.rewrite(source, "hoist-pure-call", "collect") is None
