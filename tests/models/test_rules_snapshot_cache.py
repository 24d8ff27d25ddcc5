"""cache-method-by-snapshot: a method deriving its result from fields of its object and of
the objects those hold keeps the result per object while every value it reads is the very
same. Before/after over sequences of calls with every value changed in place or anew,
values that could change unseen, bodies that change what they read, objects that cannot be
weakly referenced or go away, and refusals."""

from __future__ import annotations

import gc
from decimal import Decimal, localcontext
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

SERVICE = """
class Line:
    def __init__(self, stops):
        self.stops = list(stops)


class Service:
    def __init__(self, line, departure, direction, skips=()):
        self.line = line
        self.departure = departure
        self.direction = direction
        self.skips = list(skips)

    def calls(self):
        codes = [code for code, _ in self.line.stops]
        runs = [run for _, run in self.line.stops]
        if self.direction == "down":
            codes.reverse()
            runs = [0] + runs[:0:-1]
        result = []
        clock = self.departure
        for i, code in enumerate(codes):
            clock += runs[i]
            if code in self.skips:
                continue
            result.append((code, clock))
        return result
"""


def _pair(source: str, qualname: str, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    text = helpers.rewrite(source, "cache-method-by-snapshot", qualname)
    assert text is not None
    compile(text, "snapshot", "exec")
    return helpers.run_module(source, f"snap_{tag}_a"), helpers.run_module(text, f"snap_{tag}_b")


def _outcome(fn: Any) -> tuple[str, str]:
    try:
        return ("ok", repr(fn()))
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def _services(space: dict[str, Any]) -> Any:
    line = space["Line"]([("A", 0), ("B", 4), ("C", 6)])
    return space["Service"](line, 360, "up", ["B"])


def test_the_method_reads_its_values_first_and_keeps_its_result() -> None:
    text = helpers.rewrite(SERVICE, "cache-method-by-snapshot", "Service.calls")
    assert text is not None
    assert "(self.line.stops, self.direction, self.departure, self.skips)" in text
    assert "return _snapshot_keep(_service_calls_kept, self, _seen, _before, result, True)" in text
    before, after = _pair(SERVICE, "Service.calls", "kept")
    old, new = _services(before), _services(after)
    for _ in range(3):
        assert new.calls() == old.calls()
    assert len(after["_service_calls_kept"]) == 1
    got = new.calls()
    got.append("x")  # each call hands out its own list
    assert new.calls() == old.calls()


CHANGES = {
    "a stop appended": lambda s: s.line.stops.append(("D", 3)),
    "a stop replaced": lambda s: s.line.stops.__setitem__(1, ("B", 5)),
    "the line replaced": lambda s: setattr(s, "line", type(s.line)([("A", 0), ("C", 2)])),
    "the direction set": lambda s: setattr(s, "direction", "down"),
    "the departure set anew": lambda s: setattr(s, "departure", int("360")),
    "a skip added": lambda s: s.skips.append("C"),
    "the skips replaced": lambda s: setattr(s, "skips", []),
    "a stop that can change": lambda s: s.line.stops.append(["D", 1]),
    "a departure of another kind": lambda s: setattr(s, "departure", 360.0),
    "a departure that is a Decimal": lambda s: setattr(s, "departure", Decimal("360.5")),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_every_change_between_calls_is_seen(case: str) -> None:
    before, after = _pair(SERVICE, "Service.calls", f"change_{abs(hash(case))}")
    old, new = _services(before), _services(after)
    for _ in range(2):
        assert new.calls() == old.calls()
    CHANGES[case](old)
    CHANGES[case](new)
    for _ in range(3):
        assert _outcome(new.calls) == _outcome(old.calls), case
    if case == "a stop that can change":
        old.line.stops[-1][1] = 9
        new.line.stops[-1][1] = 9
        assert new.calls() == old.calls()


def test_values_that_could_change_unseen_are_never_kept() -> None:
    _, after = _pair(SERVICE, "Service.calls", "unseen")
    new = _services(after)
    new.line.stops.append(["D", 1])  # a list item: it could change in place
    new.calls()
    new.calls()
    assert after["_service_calls_kept"] == {}
    new.departure = Decimal("1")  # its arithmetic reads the decimal context
    new.line.stops.pop()
    with localcontext() as ctx:
        ctx.prec = 1
        new.calls()
    assert after["_service_calls_kept"] == {}


def test_the_entry_goes_with_its_object_and_slots_are_left_alone() -> None:
    _, after = _pair(SERVICE, "Service.calls", "weak")
    service = _services(after)
    service.calls()
    assert len(after["_service_calls_kept"]) == 1
    del service
    gc.collect()
    assert after["_service_calls_kept"] == {}
    slotted = SERVICE.replace(
        "class Service:\n",
        "class Service:\n    __slots__ = ('line', 'departure', 'direction', 'skips')\n",
    )
    before, after = _pair(slotted, "Service.calls", "slots")
    old, new = _services(before), _services(after)
    for _ in range(3):
        assert new.calls() == old.calls()
    assert after["_service_calls_kept"] == {}


CHANGING = """
class Box:
    def __init__(self, items):
        self.items = list(items)

    def tail(self):
        self.items.sort()
        return [i * 2 for i in self.items]

    def grow(self):
        total = [0]
        seen = self.items
        seen.append(len(seen))
        for i in seen:
            total.append(i)
        return total

    def padded(self):
        seen = self.items
        seen += [0]  # in place, when the field holds a list
        return [i * 2 for i in seen]
"""


@pytest.mark.parametrize("method", ["tail", "grow", "padded"])
def test_a_body_that_changes_what_it_read_is_never_served_from_the_cell(method: str) -> None:
    text = helpers.rewrite(CHANGING, "cache-method-by-snapshot", f"Box.{method}")
    if method != "padded":
        assert text is None  # a mutating method of what it read: refused outright
        return
    assert text is not None  # `+=` of a value read: seen only at run time
    before = helpers.run_module(CHANGING, f"snap_changing_{method}_a")
    after = helpers.run_module(text, f"snap_changing_{method}_b")
    old, new = before["Box"]([3, 1, 2]), after["Box"]([3, 1, 2])
    for _ in range(4):
        assert getattr(new, method)() == getattr(old, method)()
        assert new.items == old.items
    assert after["_box_padded_kept"] == {}


RAISING = """
class Meter:
    def __init__(self, reads):
        self.reads = list(reads)

    def deltas(self):
        out = []
        for a, b in zip(self.reads, self.reads[1:]):
            if b < a:
                raise ValueError("meter went back")
            out.append(b - a)
        return out
"""


def test_an_exception_is_never_kept() -> None:
    before, after = _pair(RAISING, "Meter.deltas", "raising")
    old, new = before["Meter"]([1, 3, 2]), after["Meter"]([1, 3, 2])
    for _ in range(3):
        assert _outcome(new.deltas) == _outcome(old.deltas)
    new.reads[2] = old.reads[2] = 7
    for _ in range(3):
        assert new.deltas() == old.deltas()


REFUSED = {
    "a parameter": "    def calls(self, extra):\n        return [s for s in self.line.stops]\n",
    "self passed on": "    def calls(self):\n        return [s for s in helper(self)]\n",
    "a method of self": "    def calls(self):\n        return [s for s in self.stops_of()]\n",
    "self and a field of it": (
        "    def calls(self):\n        x = self.line\n        return [s for s in self.line.stops]\n"
    ),
    "prints": "    def calls(self):\n        print(1)\n        return [s for s in self.line.stops]\n",
    "stores a field": (
        "    def calls(self):\n        self.n = 1\n        return [s for s in self.line.stops]\n"
    ),
    "scalars only": "    def calls(self):\n        return [c for c in self.direction.upper()]\n",
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refusals(case: str) -> None:
    head = SERVICE.split("    def calls(self):")[0]
    source = "def helper(x):\n    return []\n\n" + head + REFUSED[case]
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Service.calls") is None, case


def test_a_property_or_method_by_a_name_read_is_refused() -> None:
    prop = SERVICE.replace(
        "class Line:\n", "class Line:\n    @property\n    def stops(self):\n        return []\n"
    )
    assert helpers.rewrite(prop, "cache-method-by-snapshot", "Service.calls") is None
    sub = SERVICE + (
        "\n\nclass Express(Service):\n    @property\n    def skips(self):\n        return []\n"
    )
    assert helpers.rewrite(sub, "cache-method-by-snapshot", "Service.calls") is None
    foreign = SERVICE.replace("class Service:", "class Service(Base):").replace(
        "class Line:", "from elsewhere import Base\n\n\nclass Line:"
    )
    assert helpers.rewrite(foreign, "cache-method-by-snapshot", "Service.calls") is None
    # a method `line` of another class does not make `self.line` run code on a Service
    other = SERVICE + "\n\nclass Network:\n    def line(self, code):\n        return code\n"
    assert helpers.rewrite(other, "cache-method-by-snapshot", "Service.calls") is not None


# --- found by review: each case was rewritten, and behaved differently, before its guard ---

BOX = """
class Box:
    RATE = 2

    def __init__(self, items):
        self.items = list(items)

    @classmethod
    def configure(cls, rate):
        cls.RATE = rate

    def scaled(self):
        return [x * Box.RATE for x in self.items]
"""


def test_a_class_attribute_read_by_the_class_name_is_state() -> None:
    """`Box.RATE` read through the class counted as a constant (the class is one), so the
    kept result survived `Box.configure(5)`. It holds for cache-pure-function too."""
    assert helpers.rewrite(BOX, "cache-method-by-snapshot", "Box.scaled") is None
    fixed = BOX.replace("        cls.RATE = rate", "        return rate")
    before, after = _pair(fixed, "Box.scaled", "class_constant")  # a literal never set again
    old, new = before["Box"]([1, 2]), after["Box"]([1, 2])
    for _ in range(3):
        assert new.scaled() == old.scaled()
    function = "class Box:\n    RATES = [1]\n\ndef rate(x):\n    return x * Box.RATES[-1]\n"
    assert helpers.rewrite(function, "cache-pure-function-guarded", "rate") is None


@pytest.mark.parametrize(
    "wrap",
    [
        "        try:\n            return out\n        finally:\n            out.append(-1)\n",
        "        with open('/dev/null') as f:\n            return out\n",
    ],
)
@pytest.mark.parametrize("rule", ["cache-method-by-snapshot", "cache-method-by-fields"])
def test_a_return_with_code_after_it_is_left_alone(wrap: str, rule: str) -> None:
    """A value kept at `return` inside `try/finally` was kept before the `finally` changed
    it (or raised), so later calls returned what no call had."""
    source = (
        "class Box:\n    def __init__(self, items, spec):\n"
        "        self.items = list(items)\n        self.spec = spec\n\n"
        "    def total(self):\n"
        "        out = [x * 2 for x in self.items] + [len(self.spec.split(';'))]\n" + wrap
    )
    assert helpers.rewrite(source, rule, "Box.total") is None


@pytest.mark.parametrize(
    "source",
    [
        "        for id, name in self.rows:\n            out.append(name.upper())\n",
        "        for type, name in self.rows:\n            out.append(name.upper())\n",
    ],
)
def test_a_method_binding_a_builtin_the_new_lines_use_is_left_alone(source: str) -> None:
    text = (
        "class Box:\n    def __init__(self, rows):\n        self.rows = list(rows)\n\n"
        "    def names(self):\n        out = []\n" + source + "        return out\n"
    )
    assert helpers.rewrite(text, "cache-method-by-snapshot", "Box.names") is None


@pytest.mark.parametrize("name", ["map", "tuple", "len", "enumerate", "type"])
def test_a_module_binding_a_builtin_the_helpers_use_is_left_alone(name: str) -> None:
    source = f"{name} = None\n\n" + SERVICE
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Service.calls") is None
    assert helpers.rewrite(
        source.replace(f"{name} = None", "x = None"), "cache-method-by-snapshot", "Service.calls"
    )


def test_a_decimal_made_through_the_module_reads_the_context() -> None:
    source = (
        "import decimal\n\n\nclass Box:\n    def __init__(self, items):\n"
        "        self.items = list(items)\n\n    def thirds(self):\n"
        "        return [str(decimal.Decimal(x) / 3) for x in self.items]\n"
    )
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Box.thirds") is None


HIDDEN = {
    "a subclass made in a function": (
        "def make():\n    class Logged(Service):\n        @property\n"
        "        def skips(self):\n            return []\n    return Logged\n"
    ),
    "a property set on a subclass later": (
        "class Sub(Service):\n    pass\n\n\nSub.skips = property(lambda self: [])\n"
    ),
    "setattr": "def patch(cls):\n    setattr(cls, 'skips', property(lambda self: []))\n",
    "a class decorator": "def deco(c):\n    return c\n\n\n@deco\nclass Sub(Service):\n    pass\n",
    "a metaclass": "class Meta(type):\n    pass\n\n\nclass Sub(Service, metaclass=Meta):\n    pass\n",
    "a nested __getattr__": (
        "def make():\n    class Odd(Service):\n        def __getattr__(self, name):\n"
        "            return []\n    return Odd\n"
    ),
}


@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_a_field_read_that_could_run_code_out_of_sight_is_left_alone(case: str) -> None:
    source = SERVICE + "\n\n" + HIDDEN[case]
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Service.calls") is None, case


def _closed(source: str, function: str) -> bool:
    from agent.engines.rules.closedness import reads_only_constants
    from agent.engines.rules.project import project_for
    from agent.engines.rules.rewrite import function_context

    ctx = function_context("mod.py", source, function, project_for({"mod.py": source}))
    return reads_only_constants(ctx.scope)


def test_a_method_of_a_class_handed_on_or_the_class_compared_is_no_state() -> None:
    """Guards against the class-attribute guard refusing what cannot change: a method
    handed on by the class's name (`key=Bet.stake`) and the class compared by identity."""
    source = (
        "class Bet:\n    LIMIT = 3\n\n    def __init__(self, stake):\n"
        "        self.stake_ = stake\n\n"
        "    def stake(self):\n        return self.stake_\n\n\n"
        "def order(bets):\n    return [type(b) is Bet for b in sorted(bets, key=Bet.stake)]\n"
    )
    assert _closed(source, "order")
    assert not _closed(source + "\n\nBet.stake = lambda self: 0\n", "order")
    assert _closed(source.replace("type(b) is Bet", "b.stake() > Bet.LIMIT"), "order")
    assert not _closed(
        source.replace("type(b) is Bet", "b.stake() > Bet.LIMIT") + "\nBet.LIMIT = 4\n", "order"
    )
    assert not _closed(source.replace("type(b) is Bet", "vars(Bet)"), "order")
    assert not _closed(source.replace("type(b) is Bet", "Bet.stake.__defaults__"), "order")
    raising = source.replace(
        "    return [type(b)",
        "    if not bets:\n        raise ValueError(Bet.LIMIT)\n    return [type(b)",
    )
    assert _closed(raising, "order")  # a literal never set again
    assert not _closed(raising + "\nBet.LIMIT = 4\n", "order")  # read in what is raised


def test_a_bare_tuple_returned_stays_one_value() -> None:
    """`return lo, hi` wrapped without parentheses became two arguments of the keep."""
    source = (
        "class Span:\n    def __init__(self, points):\n        self.points = list(points)\n\n"
        "    def bounds(self):\n        xs = [str(p) for p in self.points]\n"
        "        return len(xs), ','.join(xs)\n"
    )
    before, after = _pair(source, "Span.bounds", "bare_tuple")
    old, new = before["Span"]([3, 1, 2]), after["Span"]([3, 1, 2])
    for _ in range(3):
        assert new.bounds() == old.bounds() == (3, "3,1,2")
    new.points.append(9)
    old.points.append(9)
    assert new.bounds() == old.bounds()
