"""cache-method-by-snapshot through a property: a trip's times, rebuilt at every call from
its line's `offsets` property, are kept per trip while the departure and the fields the
property reads are the very same, and only while the line is exactly the class whose
getter was seen through. Also the values that made the case reachable: constants built by
`datetime.combine`, and naive dates and times counted as values nothing can change."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

TIMETABLE = """
from datetime import date, datetime, time, timedelta

_DAY = date(2000, 1, 1)
_MIDNIGHT = datetime.combine(_DAY, time(0))


def to_time(delta):
    if delta < timedelta(0) or delta >= timedelta(days=1):
        raise ValueError(f"offset {delta} is outside the service day")
    return (_MIDNIGHT + delta).time()


class Line:
    def __init__(self, stops, run_minutes):
        run_minutes = list(run_minutes)
        self.stops = list(stops)
        self._run_minutes = run_minutes

    @property
    def offsets(self):
        result = [timedelta(0)]
        for minutes in self._run_minutes:
            result.append(result[-1] + timedelta(minutes=minutes))
        return result


class Trip:
    def __init__(self, line, departure):
        self.line = line
        self.departure = departure

    @property
    def times(self):
        start = datetime.combine(_DAY, self.departure) - _MIDNIGHT
        return [to_time(start + offset) for offset in self.line.offsets]
"""


def _pair(source: str, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    text = helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times")
    assert text is not None
    return helpers.run_module(source, f"snapprop_{tag}_a"), helpers.run_module(
        text, f"snapprop_{tag}_b"
    )


def _trip(space: dict[str, Any]) -> Any:
    return space["Trip"](space["Line"](["A", "B", "C"], [4, 6]), time(23, 40))


def test_the_property_is_seen_through_to_the_fields_it_reads() -> None:
    text = helpers.rewrite(TIMETABLE, "cache-method-by-snapshot", "Trip.times")
    assert text is not None
    assert "(self.departure, self.line._run_minutes) if type(self.line) is Line else None" in text
    before, after = _pair(TIMETABLE, "through")
    old, new = _trip(before), _trip(after)
    for _ in range(3):
        assert new.times == old.times
    assert len(after["_trip_times_kept"]) == 1  # naive times: values nothing can change
    new.times.append("x")  # each read hands out its own list
    assert new.times == old.times


class _Shaped:
    """Not a Line, with the very fields of one: the guard, not the fields, decides."""

    def __init__(self, line: Any) -> None:
        self._run_minutes = line._run_minutes
        self.offsets = [timedelta(0), timedelta(minutes=1)]


def _odd(trip: Any, space: dict[str, Any]) -> Any:
    """A subclass of Line, made at run time, whose `offsets` answers otherwise; it holds the
    very running times the trip's line held."""
    odd = type("Odd", (space["Line"],), {"offsets": property(lambda self: [timedelta(0)])})
    line = odd(["A"], [1])
    line._run_minutes = trip.line._run_minutes
    return line


CHANGES = {
    "a running time appended": lambda t, s: t.line._run_minutes.append(3),
    "a running time replaced": lambda t, s: t.line._run_minutes.__setitem__(0, 9),
    "the running times replaced": lambda t, s: setattr(t.line, "_run_minutes", [1, 1]),
    "the line replaced": lambda t, s: setattr(t, "line", s["Line"](["A", "B"], [15])),
    "the departure set": lambda t, s: setattr(t, "departure", time(6, 0)),
    "the departure past the day": lambda t, s: setattr(t, "departure", time(23, 55)),
    "a line of another class": lambda t, s: setattr(t, "line", _Shaped(t.line)),
    "a subclass overriding the property": lambda t, s: setattr(t, "line", _odd(t, s)),
    "an aware departure": lambda t, s: setattr(
        t, "departure", time(6, 0, tzinfo=timezone(timedelta(hours=1)))
    ),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_every_change_between_reads_is_seen(case: str) -> None:
    before, after = _pair(TIMETABLE, f"change_{abs(hash(case))}")
    old, new = _trip(before), _trip(after)
    for _ in range(2):
        assert new.times == old.times
    CHANGES[case](old, before)
    CHANGES[case](new, after)
    for _ in range(3):
        assert helpers.outcome(lambda t=new: t.times) == helpers.outcome(lambda t=old: t.times)


def test_aware_values_and_other_classes_are_never_kept() -> None:
    _, after = _pair(TIMETABLE, "unkept")
    frozen = after["_memo_frozen"]
    naive = [time(6), datetime(2000, 1, 1), datetime(2000, 1, 1).date(), timedelta(1)]
    assert all(map(frozen, naive))
    aware = datetime(2000, 1, 1, tzinfo=UTC)
    assert not frozen(aware) and not frozen(aware.timetz()) and not frozen((time(6), aware))
    trip = _trip(after)
    trip.line = _Shaped(trip.line)
    assert trip.times == trip.times
    assert after["_trip_times_kept"] == {}


REFUSED = {
    "a second class defines the property": (
        "\n\nclass Bus:\n    @property\n    def offsets(self):\n        return [timedelta(0)]\n"
    ),
    "the class bound again": "\n\nLine = dict\n",
    "the property set from outside": "\n\nLine.offsets = property(lambda self: [])\n",
    "a field the getter reads set on the class": "\n\nLine._run_minutes = [1]\n",
    # found by review: each of these was seen through, and served a stale result
    "the property set through an alias": (
        "\n\ndef patch(kind):\n    kind.offsets = property(lambda self: [timedelta(0)])\n"
    ),
    "the property deleted": "\n\ndef retire():\n    del Line.offsets\n",
    "the property deleted by delattr": "\n\ndef retire(k):\n    delattr(k, 'offsets')\n",
    # found by a second review: each of these was still seen through
    "builtins.setattr": (
        "\n\nimport builtins\n\n\ndef patch(k):\n"
        "    builtins.setattr(k, 'offsets', property(lambda s: [timedelta(0)]))\n"
    ),
    "type.__setattr__": (
        "\n\ndef patch(k):\n    type.__setattr__(k, 'offsets', property(lambda s: []))\n"
    ),
    "setattr handed on": "\n\nsa = setattr\n",
    "a method of another class given the class": (
        "\n\nclass Other:\n    def set(self):\n"
        "        self.offsets = property(lambda s: [timedelta(0)])\n"
    ),
    "a loop's target": (
        "\n\ndef patch(k):\n    for k.offsets in [property(lambda s: [])]:\n        pass\n"
    ),
    "the class replaced through an alias of its module": (
        "\n\ndef put(m):\n    m.Line = type('Line', (m.Line,), {})\n"
    ),
    "the property re-made in place": (
        "\n\ndef patch():\n    Line.offsets.__init__(lambda s: [timedelta(0)])\n"
    ),
    "the class rebound through global": (
        "\n\ndef plain():\n    global Line\n    import types\n    Line = types.SimpleNamespace\n"
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_property_that_could_answer_otherwise_is_not_seen_through(case: str) -> None:
    source = TIMETABLE + REFUSED[case]
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None, case


GETTERS = {
    "prints": "        print(1)\n",
    "reads a module list": "        result.extend(EXTRA)\n",
    "reads its object whole": "        result.append(len(vars(self)))\n",
    "reads a property of its own": "        result.append(self.span)\n",
}


@pytest.mark.parametrize("case", sorted(GETTERS))
def test_a_getter_that_is_not_a_function_of_its_fields_is_not_seen_through(case: str) -> None:
    extra = "EXTRA = []\n\n\n" if case == "reads a module list" else ""
    span = (
        "    @property\n    def span(self):\n        return timedelta(minutes=sum(self._run_minutes))\n\n"
        if case == "reads a property of its own"
        else ""
    )
    source = extra + TIMETABLE.replace(
        "        return result\n", GETTERS[case] + "        return result\n"
    ).replace("    @property\n    def offsets", span + "    @property\n    def offsets")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None, case


@pytest.mark.parametrize(
    "later",
    [
        "    @property\n    def offsets(self):\n        return [timedelta(minutes=len(self.stops))]\n",
        "    offsets = property(lambda self: [timedelta(minutes=len(self.stops))])\n",
    ],
)
def test_a_property_bound_again_in_its_class_is_not_seen_through(later: str) -> None:
    """Found by review: the first getter was read, while Python keeps the last binding, so
    the result was kept by fields the running getter never reads (a stop added was
    missed)."""
    source = TIMETABLE.replace("\n\nclass Trip:", "\n" + later + "\n\nclass Trip:")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None


def test_a_private_field_of_the_getter_is_not_read_from_another_class() -> None:
    """Found by review: `self.__minutes` in Line is `_Line__minutes`; read as
    `self.line.__minutes` in Trip it named `_Trip__minutes`, another attribute."""
    source = TIMETABLE.replace("self._run_minutes", "self.__run_minutes")
    assert "self.__run_minutes = run_minutes" in source
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None


def test_a_class_decorator_is_trusted_only_from_the_standard_library() -> None:
    """Found by review: a decorator named `dataclass` of the repository's own may make
    another class, with another `offsets`."""
    own = (
        "def dataclass(cls):\n    return type('Line', (cls,), "
        "{'offsets': property(lambda self: [timedelta(minutes=len(self.stops))])})\n\n\n"
    )
    source = TIMETABLE.replace("class Line:", own + "@dataclass\nclass Line:")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None
    real = TIMETABLE.replace("class Line:", "@dataclass\nclass Line:").replace(
        "from datetime", "from dataclasses import dataclass\nfrom datetime"
    )
    assert helpers.rewrite(real, "cache-method-by-snapshot", "Trip.times") is not None


def test_a_private_property_is_not_seen_through() -> None:
    source = TIMETABLE.replace("def offsets(self)", "def __offsets(self)").replace(
        "self.line.offsets", "self.line.__offsets"
    )
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None


def test_a_method_by_the_name_read_is_not_a_property() -> None:
    """`self.line.offsets` of a method is a bound method, made anew at each read."""
    source = TIMETABLE.replace(
        "    @property\n    def offsets(self):", "    def offsets(self):"
    ).replace("in self.line.offsets]", "in self.line.offsets()]")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Trip.times") is None


@pytest.mark.parametrize(
    ("value", "constant"),
    [
        ("datetime.combine(_DAY, time(0))", True),
        ("date.fromisoformat('2000-01-01')", True),
        ("datetime.now()", False),
        ("date.today()", False),
        ("datetime.fromtimestamp(0)", False),
        ("datetime.combine(_DAY, _OPEN)", False),  # `_OPEN` is a list: not a value
    ],
)
def test_only_constructors_of_their_arguments_alone_make_constants(
    value: str, constant: bool
) -> None:
    from agent.engines.rules.constants import constant_value
    from agent.engines.rules.project import project_for

    source = (
        "from datetime import date, datetime, time\n\n_DAY = date(2000, 1, 1)\n"
        f"_OPEN = [1]\nSTART = {value}\n"
    )
    assert constant_value(project_for({"mod.py": source}), "mod.py", "START") is constant


def test_a_field_stored_from_a_local_list_holds_a_container() -> None:
    """The line's `offsets` reads `self._run_minutes`, stored from a local that `list(...)`
    made: a snapshot's case, not cache-method-by-fields' (which never keeps a list)."""
    text = helpers.rewrite(TIMETABLE, "cache-method-by-snapshot", "Line.offsets")
    assert text is not None
    before = helpers.run_module(TIMETABLE, "snapprop_offsets_a")
    after = helpers.run_module(text, "snapprop_offsets_b")
    old, new = before["Line"](["A", "B"], [5]), after["Line"](["A", "B"], [5])
    for _ in range(2):
        assert new.offsets == old.offsets
    new._run_minutes.append(2)
    old._run_minutes.append(2)
    assert new.offsets == old.offsets
    assert len(after["_line_offsets_kept"]) == 1


SAILINGS = """
from datetime import datetime


class Port:
    def __init__(self, code):
        self.code = code


class Route:
    def __init__(self, origin, destination):
        self.origin = origin
        self.destination = destination

    @property
    def code(self):
        return f"{self.origin.code}-{self.destination.code}"


class Sailing:
    def __init__(self, route, departure):
        self.route = route
        self.departure = departure

    @property
    def sailing_id(self):
        return f"{self.route.code}-{self.departure:%Y%m%d-%H%M}"
"""


def _sailing(space: dict[str, Any]) -> Any:
    route = space["Route"](space["Port"]("ABC"), space["Port"]("XYZ"))
    return space["Sailing"](route, datetime(2026, 5, 1, 9, 30))


def test_a_name_another_class_makes_a_property_is_read_behind_a_guard() -> None:
    """`code` is a property of Route and a field of Port: `self.route.origin.code` is kept
    only while the origin is no Route. Port's `__init__` storing `self.code` does not count
    as giving Route another `code`."""
    text = helpers.rewrite(SAILINGS, "cache-method-by-snapshot", "Sailing.sailing_id")
    assert text is not None
    assert "not type.__subclasscheck__(Route, type(self.route.origin))" in text
    before = helpers.run_module(SAILINGS, "snapprop_sailings_a")
    after = helpers.run_module(text, "snapprop_sailings_b")
    old, new = _sailing(before), _sailing(after)
    for _ in range(2):
        assert new.sailing_id == old.sailing_id
    assert len(after["_sailing_sailing_id_kept"]) == 1
    for sailing, space in ((old, before), (new, after)):
        inner = space["Route"](space["Port"]("DEF"), space["Port"]("GHI"))
        sailing.route.origin = inner  # a Route where a Port was: its `code` is computed
    assert new.sailing_id == old.sailing_id == "DEF-GHI-XYZ-20260501-0930"
    for sailing in (old, new):
        sailing.route.origin.origin.code = "JKL"
    assert new.sailing_id == old.sailing_id == "JKL-GHI-XYZ-20260501-0930"


def _rewrite_in(texts: dict[str, str], function: str) -> str | None:
    from agent.engines.rules.project import project_for
    from agent.engines.rules.steps import Step, StepFailed, run_step

    try:
        run_step(
            texts,
            Step("cache-method-by-snapshot", "mod.py", function),
            verify=False,
            project=project_for(texts),
        )
    except StepFailed:
        return None
    return texts["mod.py"]


def test_a_guard_needs_a_class_the_module_can_name() -> None:
    """`name` is a property of Leg, in a module Sailing's does not import: no guard can name
    Leg there, so `self.route.origin.name` is never taken for a field."""
    source = SAILINGS.replace("self.origin.code}", "self.origin.name}")
    legs = "class Leg:\n    @property\n    def name(self):\n        return 'leg'\n"
    assert _rewrite_in({"mod.py": source, "legs.py": legs}, "Sailing.sailing_id") is None
    imported = "from legs import Leg\n" + source
    text = _rewrite_in({"mod.py": imported, "legs.py": legs}, "Sailing.sailing_id")
    assert text is not None and "not type.__subclasscheck__(Leg, type(self.route.origin))" in text


# --- found by a third review: each was rewritten, and ran a getter it should not have ---

LOGGED = SAILINGS.replace(
    "from datetime import datetime\n", "from datetime import datetime\n\nLOG = []\n"
)


def _same_log(source: str, make: str, calls: int = 3) -> None:
    """The method read `calls` times gives the same values and leaves the same LOG."""
    text = helpers.rewrite(source, "cache-method-by-snapshot", "Sailing.sailing_id")
    assert text is not None
    spaces = [helpers.run_module(t, f"snapprop_log_{abs(hash((t, make)))}") for t in (source, text)]
    seen = []
    for space in spaces:
        sailing = eval(make, space)
        read = [getattr(sailing, "sailing_id") for _ in range(calls)]  # noqa: B009
        values = [v() if callable(v) else v for v in read]
        seen.append((values, list(space["LOG"])))
    assert seen[0] == seen[1]


def test_another_property_of_an_exact_holder_is_refused() -> None:
    source = (
        LOGGED.replace(
            "class Sailing:",
            "class Box:\n    def __init__(self, x):\n        self.x = x\n\n\nclass Sailing:",
        )
        .replace(
            '        return f"{self.origin.code}-{self.destination.code}"\n',
            '        return f"{self.origin.code}-{self.destination.code}"\n\n'
            "    @property\n    def box(self):\n        LOG.append(1)\n        return Box(len(LOG))\n",
        )
        .replace("{self.route.code}-", "{self.route.code}-{self.route.box.x}-")
    )
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Sailing.sailing_id") is None


def test_the_shallowest_guard_runs_first() -> None:
    """`self.route.route` is a property of Leg: its guard must fail before the exact guard
    on `self.route.route` reads it (and runs the getter) again."""
    source = LOGGED.replace(
        "class Sailing:",
        "class Leg:\n    def __init__(self, route):\n        self._route = route\n\n"
        "    @property\n    def route(self):\n        LOG.append(1)\n        return self._route\n\n\n"
        "class Sailing:",
    ).replace("{self.route.code}-", "{self.route.route.code}-")
    _same_log(source, "Sailing(Leg(Route(Port('A'), Port('B'))), datetime(2026, 1, 1))")


DUCK = """
LOG = []


class Duck(type):
    def __instancecheck__(cls, obj):
        return False


class Base(metaclass=Duck):
    pass


class Info:
    def __init__(self, parts):
        self.parts = parts


class Port:
    def __init__(self, info):
        self.info = info


class Route(Base):
    def __init__(self, code):
        self._code = code

    @property
    def info(self):
        LOG.append(1)
        return Info(self._code)


class Express(Route):
    pass


class Sailing:
    def __init__(self, origin, tags):
        self.origin = origin
        self.tags = list(tags)

    def sailing_id(self):
        return "-".join(sorted(self.origin.info.parts) + self.tags)
"""


def test_a_metaclass_cannot_answer_for_the_guard() -> None:
    """`isinstance` asks the metaclass, which may say no for an Express: the guard reads
    the class's own method resolution order instead."""
    _same_log(DUCK, "Sailing(Express(('b', 'a')), ['z'])")
    _same_log(DUCK, "Sailing(Port(Info(('b', 'a'))), ['z'])")


@pytest.mark.parametrize(
    "extra",
    [
        "\n\ndef freeze(code):\n    Port.__init__(Route, code)\n",
        "\n\ninit = Port.__init__\n",
    ],
)
def test_an_init_that_may_run_on_a_class_is_no_instance_store(extra: str) -> None:
    """`Port.__init__(Route, code)` stores `code` on the class Route, over its property."""
    source = SAILINGS + extra
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Sailing.sailing_id") is None


def test_an_init_bound_twice_or_taking_its_object_by_position_is_checked() -> None:
    twice = SAILINGS.replace(
        "        self.code = code\n",
        "        self.code = code\n\n    __init__ = staticmethod(__init__)\n",
    )
    assert helpers.rewrite(twice, "cache-method-by-snapshot", "Sailing.sailing_id") is None
    posonly = SAILINGS.replace(
        "    def __init__(self, code):\n        self.code = code\n",
        "    def __init__(self, /, target, code):\n        target.code = code\n",
    )
    assert helpers.rewrite(posonly, "cache-method-by-snapshot", "Sailing.sailing_id") is None


@pytest.mark.parametrize(
    ("body", "work"),
    [
        ('f"{self.route.code}-{self.departure:%Y%m%d-%H%M}"', True),
        ('f"{self.route.code}-{self.departure:.0%}"', False),
        ('f"{self.route.code}-{self.route.when:%Y}"', False),
    ],
)
def test_only_a_time_field_formatted_by_strftime_counts_as_work(body: str, work: bool) -> None:
    """A `%` spec on a float is cheap (kept, it measured 1.7x slower); one on an object a
    property makes may run that object's own `__format__`."""
    source = (
        SAILINGS.replace('f"{self.route.code}-{self.departure:%Y%m%d-%H%M}"', body)
        .replace(
            '        return f"{self.origin.code}-{self.destination.code}"\n',
            '        return f"{self.origin.code}-{self.destination.code}"\n\n'
            "    @property\n    def when(self):\n        return Stamp(self.origin.code)\n",
        )
        .replace(
            "class Port:",
            "class Stamp:\n    def __init__(self, n):\n        self.n = n\n\n"
            "    def __format__(self, spec):\n        return spec.replace('%Y', self.n)\n\n\nclass Port:",
        )
    )
    text = helpers.rewrite(source, "cache-method-by-snapshot", "Sailing.sailing_id")
    assert (text is not None) is work, body
