"""sorted-attribute: a private list attribute appended to in one method and re-sorted (or
scanned for its min/max) in others is kept sorted with `bisect.insort`. Before/after, the
same answers on random operation sequences (ties between distinct objects included), and
refusals where a precondition fails."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

JOBS = """
import enum


class Kind(enum.IntEnum):
    BATCH = 1
    LIVE = 2


class Job:
    def __init__(self, name: str, kind: Kind, due: int) -> None:
        self.name = name
        self.kind = Kind(kind)
        self.due = due
        self.done = False

    def rank(self) -> tuple[int, int]:
        return (-int(self.kind), self.due)

    def __lt__(self, other: "Job") -> bool:
        return self.rank() < other.rank()


class Worker:
    def __init__(self, tags: set[str]) -> None:
        self.tags = set(tags)

    def fits(self, job: Job) -> bool:
        return job.name[:1] in self.tags


class Board:
    def __init__(self) -> None:
        self._jobs: list[Job] = []
        self.log = []

    def add(self, name: str, kind: int, due: int) -> Job:
        job = Job(name, kind, due)
        self._jobs.append(job)
        return job

    def size(self) -> int:
        return len(self._jobs)

    def first(self):
        if not self._jobs:
            return None
        return min(self._jobs)

    def last(self):
        return max(self._jobs)

    def take(self) -> Job:
        if not self._jobs:
            raise IndexError("empty")
        self._jobs.sort()
        return self._jobs.pop(0)

    def take_for(self, worker: Worker):
        self._jobs.sort()
        for i, job in enumerate(self._jobs):
            if worker.fits(job):
                return self._jobs.pop(i)
        return None

    def names(self) -> list[str]:
        self._jobs.sort()
        return [j.name for j in self._jobs]

    def tidy(self) -> None:
        if self._jobs:
            self._jobs.sort()

    def drop(self, job: Job) -> None:
        self._jobs.sort()
        self._jobs.remove(job)
"""

SCORES = """
class Scores:
    def __init__(self) -> None:
        self._seen: list[int] = []

    def add(self, score: int) -> None:
        self._seen.append(int(score))

    def median(self) -> int:
        self._seen.sort()
        return self._seen[len(self._seen) // 2]

    def best(self) -> int:
        return max(self._seen)
"""


def test_sorted_attribute_keeps_the_list_sorted_and_drops_the_sorts() -> None:
    text = rewrite(JOBS, "sorted-attribute", "Board.take_for")
    assert text is not None
    assert "import bisect" in text
    assert "bisect.insort(self._jobs, job)" in text
    assert "self._jobs.sort()" not in text
    assert "return self._jobs[0]" in text  # after `if not self._jobs: return None`
    last = "self._jobs[bisect.bisect_left(self._jobs, self._jobs[-1])]"
    assert f"return ({last} if self._jobs else max(self._jobs))" in text
    assert "        if self._jobs:\n            pass\n" in text  # a block the sort emptied
    assert rewrite(text, "sorted-attribute", "Board.take_for") is None


def _ops(seed: int) -> list[tuple[str, int, int]]:
    rng = random.Random(seed)
    return [(rng.choice("aaattflnd"), rng.randint(1, 2), rng.randint(0, 4)) for _ in range(120)]


def _replay(ns: dict[str, object], ops: list[tuple[str, int, int]]) -> list[object]:
    """Run `ops` against a `Board`; objects are reported by identity (their creation number),
    so which of two equal-key jobs comes out is compared too."""
    board = ns["Board"]()  # type: ignore[operator]
    worker = ns["Worker"]({"a", "c"})  # type: ignore[operator]
    out: list[object] = []
    made: dict[int, int] = {}
    jobs: list[object] = []
    for step, (op, kind, due) in enumerate(ops):
        try:
            if op == "a":
                job = board.add(f"{'abc'[due % 3]}{step}", kind, due)
                made[id(job)] = step
                jobs.append(job)
            elif op == "t":
                out.append(made[id(board.take())])
            elif op == "f":
                got = board.take_for(worker)
                out.append(None if got is None else made[id(got)])
            elif op == "l":
                out.append(made[id(board.last())])
            elif op == "d":
                board.drop(jobs[due % len(jobs)])
            else:
                got = board.first()
                out.append(None if got is None else made[id(got)])
            out.append(board.size())
        except (IndexError, ValueError, ZeroDivisionError) as exc:
            out.append(type(exc).__name__)
    out.append(board.names())
    return out


@pytest.mark.parametrize("seed", range(4))
def test_sorted_attribute_answers_as_the_original(seed: int) -> None:
    text = rewrite(JOBS, "sorted-attribute", "Board.take")
    assert text is not None
    before = helpers.run_module(JOBS, f"sorted_attr_before_{seed}")
    after = helpers.run_module(text, f"sorted_attr_after_{seed}")
    ops = _ops(seed)
    assert _replay(after, ops) == _replay(before, ops)


_OPS = st.lists(
    st.tuples(st.sampled_from("aattflnd"), st.integers(1, 2), st.integers(0, 3)), max_size=60
)


@settings(max_examples=80, deadline=None)
@given(ops=_OPS)
def test_sorted_attribute_answers_as_the_original_on_any_operations(
    ops: list[tuple[str, int, int]],
) -> None:
    """Any interleaving of adds, takes, takes for a worker and min/max reads, with many
    jobs of equal key: the same jobs come out in the same order, and the same errors."""
    before, after = _board_modules()
    assert _replay(after, ops) == _replay(before, ops)


@functools.cache
def _board_modules() -> tuple[dict[str, object], dict[str, object]]:
    text = rewrite(JOBS, "sorted-attribute", "Board.take")
    assert text is not None
    return helpers.run_module(JOBS, "board_before"), helpers.run_module(text, "board_after")


def test_sorted_attribute_on_ints_with_an_unguarded_max() -> None:
    text = rewrite(SCORES, "sorted-attribute", "Scores.median")
    assert text is not None
    assert "bisect.insort(self._seen, int(score))" in text
    before = helpers.run_module(SCORES, "scores_before")["Scores"]()
    after = helpers.run_module(text, "scores_after")["Scores"]()
    for s in (5, 3, 9, 3, 1, 9, 7):
        before.add(s)
        after.add(s)
        assert (after.median(), after.best()) == (before.median(), before.best())
    empty = helpers.run_module(text, "scores_empty")["Scores"]()
    with pytest.raises(ValueError):
        empty.best()  # max() of nothing still raises what it raised


UNKNOWN_CALL = SCORES.replace(
    "        self._seen.sort()\n        return",
    "        self._seen.sort()\n        notify(self)\n        return",
)
UNKNOWN_CALL = UNKNOWN_CALL.replace(
    "class Scores:", "def notify(s):\n    s.add(0)\n\n\nclass Scores:"
)


@pytest.mark.parametrize(
    "source, function",
    [
        (SCORES.replace("_seen", "seen"), "Scores.median"),  # public: others may read its order
        (SCORES + "\n\ndef peek(s):\n    return s._seen[0]\n", "Scores.median"),  # read outside
        (SCORES.replace("        self._seen.sort()\n", ""), "Scores.median"),  # unsorted read
        (UNKNOWN_CALL, "Scores.median"),  # a call between sort and read may append
        (SCORES.replace("int(score)", "float(score)"), "Scores.median"),  # NaN breaks the order
        (SCORES.replace("int(score)", "score"), "Scores.median"),  # typed by annotation only
        (SCORES + "\n    def raw(self):\n        return self._seen\n", "Scores.median"),  # escapes
        (SCORES + "\n\nclass Sub(Scores):\n    pass\n", "Scores.median"),  # subclassed
        (
            SCORES.replace("self._seen.append(int(score))", "self._seen.insert(0, score)"),
            "Scores.median",
        ),
        (SCORES + "\n\ndef name():\n    return '_seen'\n", "Scores.median"),  # spelled in a string
        (SCORES + "\n\ndef field(s, name):\n    return getattr(s, name)\n", "Scores.median"),
        (JOBS + "\n\ndef delay(job):\n    job.due += 1\n", "Board.take"),  # the key changes
        (
            JOBS.replace(
                "        self._jobs.sort()\n        self._jobs.remove", "        self._jobs.remove"
            ),
            "Board.take",
        ),  # `remove(job)` unsorted: `==` of a job (or of what a caller passes) may be anything
        (
            JOBS.replace("self.rank() < other.rank()", "self.rank() < other.rank()[:1]"),
            "Board.take",
        ),
        (JOBS.replace("        self.due = due\n", "        self.due = [due]\n"), "Board.take"),
        (
            JOBS.replace(
                "        return job.name[:1] in self.tags",
                "        self.tags.add(job.name)\n        return True",
            ),
            "Board.take_for",
        ),  # the only `fits` of the repository has effects
    ],
    ids=[
        "public",
        "read-outside",
        "unsorted-read",
        "call-may-append",
        "floats",
        "unknown-values",
        "escapes",
        "subclassed",
        "insert",
        "spelled",
        "getattr",
        "key-changes",
        "unsorted-object-removal",
        "not-one-key",
        "mutable-key",
        "impure-duck-call",
    ],
)
def test_sorted_attribute_refuses(source: str, function: str) -> None:
    assert rewrite(source, "sorted-attribute", function) is None


def test_sorted_attribute_refuses_an_attribute_named_in_another_module() -> None:
    """Guards the repository-wide part of the precondition: code in another file that
    reads the private list would see it in a different order."""
    texts = {"pkg/scores.py": SCORES, "pkg/report.py": "def show(s):\n    return s._seen\n"}
    from agent.engines.rules import Step, StepFailed, run_step
    from agent.engines.rules.project import project_for

    step = Step("sorted-attribute", "pkg/scores.py", "Scores.median")
    with pytest.raises(StepFailed):
        run_step(dict(texts), step, verify=False, project=project_for(texts))
    alone = {"pkg/scores.py": SCORES}
    run_step(dict(alone), step, verify=False, project=project_for(alone))


def test_the_engine_proposes_the_class_rewrite_once_and_codes_it() -> None:
    """Guards the planning side: the rewrite is found from each hot method of the class,
    yet it is one edit, so it is proposed (and measured) once, and its plan codes it."""
    from agent.engines.rules import RulesEngine
    from agent.protocols import CodeRequest, Hotspot, HotspotProfile, PlanRequest, Task

    sources = {"jobs/board.py": JOBS.lstrip("\n")}
    lines = sources["jobs/board.py"].splitlines()
    at = {
        name: 2 + next(i for i, line in enumerate(lines) if line.startswith(f"    def {name}("))
        for name in ("take", "take_for")
    }
    profile = HotspotProfile(
        hotspots=(
            Hotspot("Board.take_for", "jobs/board.py", at["take_for"], 0.5, 0.6),
            Hotspot("Board.take", "jobs/board.py", at["take"], 0.2, 0.3),
        ),
        samples=1000,
    )
    task = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")
    engine = RulesEngine()
    plans = engine.plan(PlanRequest(task, profile, sources, {}, n_plans=20))
    singles = [p for p in plans if p.title.startswith("rules: sorted-attribute in")]
    assert len(singles) == 1
    edit = engine.code(CodeRequest(task=task, plan=singles[0], sources=sources))
    assert edit.error in (None, "")
    assert "bisect.insort(self._jobs, job)" in edit.files["jobs/board.py"]


POOL = """
class Pool:
    def __init__(self) -> None:
        self._free: list[int] = []

    def give(self, n: int) -> None:
        self._free.append(int(n))

    def take(self) -> int:
        best = min(self._free)
        self._free.remove(best)
        return best
"""


def test_sorted_attribute_takes_the_smallest_and_removes_it_without_any_sort() -> None:
    """A min-scan and `remove` (no sort anywhere): `min` reads the front, and `remove`
    finds the same element in both lists (equal ints are ties)."""
    text = rewrite(POOL, "sorted-attribute", "Pool.take")
    assert text is not None
    assert "best = (self._free[0] if self._free else min(self._free))" in text
    before = helpers.run_module(POOL, "pool_before")["Pool"]()
    after = helpers.run_module(text, "pool_after")["Pool"]()
    for n in (4, 1, 4, 3, 1):
        before.give(n)
        after.give(n)
    assert [after.take() for _ in range(5)] == [before.take() for _ in range(5)]
    with pytest.raises(ValueError):
        after.take()


EVENTS = """
from dataclasses import dataclass


@dataclass(order=True)
class Event:
    when: int
    name: str
    seq: int = 0


class Calendar:
    def __init__(self) -> None:
        self._events: list[Event] = []

    def add(self, when: int, name: str) -> Event:
        event = Event(when, name)
        self._events.append(event)
        return event

    def next(self):
        if not self._events:
            return None
        self._events.sort()
        return self._events.pop(0)

    def latest(self):
        return max(self._events) if self._events else None
"""


def _calendar(ns: dict[str, object], ops: list[tuple[int, str]]) -> list[object]:
    cal = ns["Calendar"]()  # type: ignore[operator]
    made: list[object] = []
    out: list[object] = []
    for when, name in ops:
        if when < 0:
            got = cal.next() if name == "a" else cal.latest()
            out.append(None if got is None else next(i for i, e in enumerate(made) if e is got))
        else:
            made.append(cal.add(when, name))
    return out


@settings(max_examples=60, deadline=None)
@given(ops=st.lists(st.tuples(st.integers(-1, 2), st.sampled_from("ab")), max_size=40))
def test_sorted_attribute_orders_dataclasses_by_their_fields(ops: list[tuple[int, str]]) -> None:
    """`@dataclass(order=True)` of int and str fields never changed: the same events come out
    (equal events are distinct objects; which one comes out is compared)."""
    text = rewrite(EVENTS, "sorted-attribute", "Calendar.next")
    assert text is not None
    assert "bisect.insort(self._events, event)" in text
    before = helpers.run_module(EVENTS, "events_before")
    after = helpers.run_module(text, "events_after")
    assert _calendar(after, ops) == _calendar(before, ops)


@pytest.mark.parametrize(
    "source",
    [
        EVENTS.replace("@dataclass(order=True)", "@dataclass"),  # no order at all
        EVENTS + "\n\ndef postpone(e):\n    e.when += 5\n",  # a field changes in the list
        EVENTS.replace("    seq: int = 0", "    seq: float = 0"),  # a float field (NaN)
        EVENTS.replace("    seq: int = 0", "    seq: int = field(default=0, compare=False)"),
        EVENTS + "\n\ndef force(e):\n    object.__setattr__(e, 'when', 1)\n",
    ],
    ids=["unordered", "mutated-field", "float-field", "field-call", "object-setattr"],
)
def test_sorted_attribute_refuses_dataclasses_without_a_fixed_order(source: str) -> None:
    assert rewrite(source, "sorted-attribute", "Calendar.next") is None


def test_sorted_attribute_takes_a_frozen_dataclass_even_where_code_tries_to_change_it() -> None:
    """A frozen field cannot change (the store raises), so stores elsewhere do not count."""
    source = EVENTS.replace("@dataclass(order=True)", "@dataclass(order=True, frozen=True)")
    assert rewrite(
        source + "\n\ndef postpone(e):\n    e.when += 5\n", "sorted-attribute", "Calendar.next"
    )


BASE = """
class Q:
    def __init__(self) -> None:
        self._x: list[int] = []

    def add(self, v) -> None:
        self._x.append(int(v))

    def low(self) -> int:
        return min(self._x)

    def items(self) -> list[int]:
        self._x.sort()
        return [v for v in self._x]
"""


def _q_replay(ns: dict[str, object], values: list[object]) -> list[object]:
    q = ns["Q"]()  # type: ignore[operator]
    out: list[object] = []
    for v in values:
        for step in (functools.partial(q.add, v), q.low, q.items):
            try:
                out.append(step())
            except (TypeError, ValueError, OverflowError) as exc:
                out.append(type(exc).__name__)
    return out


def test_sorted_attribute_fires_on_the_base_of_the_regression_cases() -> None:
    """The regression cases below each break one precondition of this class, which passes
    them all: a refusal there is that precondition's doing."""
    text = rewrite(BASE, "sorted-attribute", "Q.low")
    assert text is not None and "bisect.insort(self._x, int(v))" in text


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.integers(-3, 3),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([None, True, "1", "x", -0.0, b"2"]),
        ),
        max_size=20,
    )
)
def test_sorted_attribute_values_built_by_int_behave_as_before(values: list[object]) -> None:
    """Guards element types trusted from annotations: values are kept sorted only when how
    they are built says their type (`int(v)`), so NaN, None, floats, strs and mixed inputs
    raise or answer exactly as the original did."""
    text = rewrite(BASE, "sorted-attribute", "Q.low")
    assert text is not None
    before = helpers.run_module(BASE, "q_before")
    after = helpers.run_module(text, "q_after")
    assert _q_replay(after, values) == _q_replay(before, values)


_TWICE = "        w = int(v)\n        if v is None:\n            w = v\n        self._x.append(w)"


@pytest.mark.parametrize(
    "source",
    [
        BASE.replace("int(v)", "v").replace("(self, v)", "(self, v: int)"),
        BASE.replace("int(v)", "float(v)"),
        BASE.replace("int(v)", "str(v)"),  # str() may return a subclass of str
        BASE.replace("        self._x.append(int(v))", _TWICE),
    ],
    ids=["annotation-only", "float", "str-call", "local-bound-twice"],
)
def test_sorted_attribute_refuses_values_of_unknown_build(source: str) -> None:
    """Guards element types trusted from annotations (`v: int` lets a NaN or None in, and the
    kept-sorted list then answers `min` differently): values must be built as known types."""
    assert rewrite(source, "sorted-attribute", "Q.low") is None


def test_sorted_attribute_refuses_name_mangled_attributes() -> None:
    """Guards `self.__x`: it is reachable from anywhere as `obj._Q__x`, a name no search for
    `__x` finds, so code outside the class could read the list's order."""
    source = BASE.replace("_x", "__x") + "\n\ndef first_added(q):\n    return q._Q__x[0]\n"
    assert rewrite(source, "sorted-attribute", "Q.low") is None
    assert rewrite(BASE.replace("_x", "__x"), "sorted-attribute", "Q.low") is None


_ITEMS = "        return [v for v in self._x]"


@pytest.mark.parametrize(
    "replacement",
    [
        "        return (v for v in self._x)",
        "        return iter(v for v in self._x)",
        "        return ([v for v in self._x] for _ in range(2))",
        "        return sum((v for v in self._x), 0)",
    ],
    ids=["returned", "wrapped", "list-inside-generator", "not-the-only-argument"],
)
def test_sorted_attribute_refuses_generators_that_may_outlive_the_method(replacement: str) -> None:
    """Guards a lazy generator over the list: it can run after the method returned and an
    append moved the elements (the kept-sorted list shifts where the original did not)."""
    source = BASE.replace(_ITEMS, replacement)
    assert rewrite(source, "sorted-attribute", "Q.low") is None


def test_sorted_attribute_takes_a_generator_a_builtin_uses_up() -> None:
    """A generator that is the only argument of `sum`/`any`/`tuple`... is used up at once."""
    for consumer in ("sum", "any", "tuple", "max"):
        source = BASE.replace(_ITEMS, f"        return {consumer}(v for v in self._x)")
        assert rewrite(source, "sorted-attribute", "Q.low") is not None, consumer


_PROPERTY = """
    @property
    def _x(self):
        return self._items

    @_x.setter
    def _x(self, value):
        self._items = value
"""


@pytest.mark.parametrize(
    "source",
    [
        BASE.replace(
            "        self._x: list[int] = []\n", "        self._items = []\n        self._x = []\n"
        )
        + _PROPERTY,
        BASE + "\n\nclass Other:\n    def _x(self):\n        return []\n",
        BASE + "\n\ndef _x():\n    return []\n",
        "class Base:\n    def _x(self):\n        return []\n\n\n"
        + BASE.replace("class Q:", "class Q(Base):"),
    ],
    ids=["property-in-class", "method-of-another-class", "module-function", "method-of-base"],
)
def test_sorted_attribute_refuses_functions_of_the_attribute_name(source: str) -> None:
    """Guards a property (or any function) named like the attribute: `self._x` may then be
    another list (the property's), read in insertion order elsewhere."""
    assert rewrite(source, "sorted-attribute", "Q.low") is None


_HIGH = "\n    def high(self) -> int:\n        bisect = 1\n        return max(self._x)\n"


@pytest.mark.parametrize(
    "source",
    [
        BASE.replace("def add(self, v)", "def add(self, v, bisect=False)"),
        BASE + _HIGH,
        BASE.replace(
            "        return min(self._x)",
            "        return min(self._x) + len([bisect for bisect in ()])",
        ),
        "import bisect\n" + BASE + "\n\nbisect = None\n",
        "from heapq import merge as bisect\n" + BASE,
        BASE + "\n\ndef reset():\n    global bisect\n    bisect = None\n",
    ],
    ids=[
        "parameter-of-append-method",
        "local-of-max-method",
        "comprehension",
        "module-rebinds",
        "imports-another-thing",
        "global-elsewhere",
    ],
)
def test_sorted_attribute_refuses_when_bisect_is_taken(source: str) -> None:
    """Guards the emitted `bisect.insort`/`bisect.bisect_left`: in every method that receives
    emitted code and in the module, `bisect` must name the module, not a parameter, local,
    comprehension variable or another global."""
    assert rewrite(source, "sorted-attribute", "Q.low") is None


def test_sorted_attribute_refuses_calls_on_objects_of_unknown_type() -> None:
    """Guards duck-typed calls between the sort and the ordered read: `worker.fits` on an
    object a caller (a test, a benchmark) passed may add a job, and the original then reads a
    list with it appended unsorted where the rewrite reads it sorted in."""
    source = JOBS.replace("def take_for(self, worker: Worker)", "def take_for(self, worker)")
    assert rewrite(source, "sorted-attribute", "Board.take_for") is None
    hook = BASE.replace("        self._x.sort()\n", "        self._x.sort()\n        hook.ping()\n")
    assert (
        rewrite(
            hook.replace("def items(self)", "def items(self, hook)"), "sorted-attribute", "Q.low"
        )
        is None
    )


@pytest.mark.parametrize(
    "method",
    [
        "    def head(self, other) -> int:\n        self._x.sort()\n        self = other\n        return self._x[0]\n",
        "    def swap(self, other) -> None:\n        self = other\n",
        "    def each(self, others) -> None:\n        for self in others:\n            pass\n",
    ],
    ids=["in-a-reading-method", "in-any-method", "loop-target"],
)
def test_sorted_attribute_refuses_when_self_is_rebound(method: str) -> None:
    """Guards `self = other` in a method: `self._x` after it is another object's list,
    read after sorting only this one's."""
    assert rewrite(BASE + "\n" + method, "sorted-attribute", "Q.low") is None


_DROP = "\n    def drop(self, v) -> None:\n        self._x.remove({})\n"


def test_sorted_attribute_removes_unsorted_only_plain_scalars() -> None:
    """Guards `remove(v)` before any sort: a caller's object whose `__eq__` answers True
    would take the first element of the insertion order in the original and the smallest
    in the rewrite; a value built as an int compares as ints do."""
    assert rewrite(BASE + _DROP.format("v"), "sorted-attribute", "Q.low") is None
    assert rewrite(BASE + _DROP.format("int(v)"), "sorted-attribute", "Q.low") is not None
