"""sorted-attribute-guarded: a private list attribute re-sorted before reads, whose elements
come from callers (their kind known only from an annotation), stays the very same list while
each sort only puts the elements added since into place. Before/after on random operation
sequences (ties between distinct objects, elements of another kind, a callback that pushes
while the queue is being read), and refusals where a precondition fails."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite
RULE = "sorted-attribute-guarded"

QUEUE = """
import enum


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Ticket:
    def __init__(self, ident: int, level: int, opened: int) -> None:
        self.ident = ident
        self.level = Level(level)
        self.opened = opened
        self.status = "open"

    def key(self) -> tuple[int, int]:
        return (-int(self.level), self.opened)

    def __lt__(self, other: "Ticket") -> bool:
        return self.key() < other.key()


class Queue:
    def __init__(self) -> None:
        self._items: list[Ticket] = []

    def push(self, ticket: Ticket) -> None:
        self._items.append(ticket)

    def size(self) -> int:
        return len(self._items)

    def pop_next(self) -> Ticket:
        if not self._items:
            raise IndexError("empty")
        self._items.sort()
        return self._items.pop(0)

    def pop_for(self, agent):
        self._items.sort()
        for i, ticket in enumerate(self._items):
            if agent.can_take(ticket):
                return self._items.pop(i)
        return None

    def peek(self):
        if not self._items:
            return None
        return min(self._items)

    def worst(self):
        return max(self._items)

    def drop(self, ticket) -> None:
        self._items.remove(ticket)

    def drop_last(self) -> None:
        del self._items[-1]

    def order(self) -> list:
        self._items.sort()
        return list(self._items)

    def raw(self) -> list:
        return [t for t in self._items]

    def reset(self) -> None:
        self._items.clear()
"""


def test_the_queue_becomes_a_kept_sorted_list() -> None:
    text = rewrite(QUEUE, RULE, "Queue.pop_next")
    assert text is not None
    for line in (
        "self._items: list[Ticket] = _KeptSorted()",
        "self._items.add(ticket)",
        "self._items.sort_now()",
        "return self._items.take(0)",
        "return self._items.take(i)",
        "return self._items.least()",
        "return self._items.greatest()",
        "self._items.take_equal(ticket)",
        "self._items.forget(-1)",
        "self._items.clear_all()",
        "if self.kept and not (type(value) is Ticket):",
    ):
        assert line in text
    assert "self._items.sort()" not in text.split("class Queue")[1]
    assert rewrite(text, RULE, "Queue.pop_next") is None
    assert rewrite(QUEUE, "sorted-attribute", "Queue.pop_next") is None  # it needs the check


class Agent:
    """Takes tickets whose ident has its parity; `pushing` makes it push one more ticket
    into the queue while the queue is being read (a callback the rule cannot see into)."""

    def __init__(self, parity: int, ns: dict[str, object], queue: object, pushing: bool):
        self.parity, self.ns, self.queue, self.pushing = parity, ns, queue, pushing
        self.seen: list[int] = []

    def can_take(self, ticket: object) -> bool:
        self.seen.append(getattr(ticket, "ident", -1))
        if self.pushing and len(self.seen) % 3 == 1:
            self.queue.push(self.ns["Ticket"](1000 + len(self.seen), 2, 0))  # type: ignore[attr-defined,operator]
        return getattr(ticket, "ident", 0) % 2 == self.parity


class Odd:
    """An element of another kind: no `__lt__` of its own (comparing it raises)."""

    ident = -7


def _replay(ns: dict[str, object], ops: list[tuple[str, int, int]]) -> list[object]:
    """Run `ops` against a `Queue`; tickets are reported by ident, errors by type and
    message, and every agent's calls are recorded (so the order it saw them in counts)."""
    queue = ns["Queue"]()  # type: ignore[operator]
    out: list[object] = []
    made: list[object] = []
    agents = [Agent(p, ns, queue, pushing) for p in (0, 1) for pushing in (False, True)]

    def name(t: object) -> object:
        return None if t is None else getattr(t, "ident", repr(t))

    for step, (op, level, opened) in enumerate(ops):
        try:
            if op == "p":
                made.append(ns["Ticket"](step, level, opened))  # type: ignore[operator]
                queue.push(made[-1])
            elif op == "o":
                queue.push(Odd() if level == 1 else 3)
            elif op == "n":
                out.append(name(queue.pop_next()))
            elif op == "f":
                out.append(name(queue.pop_for(agents[(level + opened) % 4])))
            elif op == "k":
                out.append(name(queue.peek()))
            elif op == "w":
                out.append(name(queue.worst()))
            elif op == "d":
                queue.drop(made[opened % len(made)] if made else None)
            elif op == "l":
                queue.drop_last()
            elif op == "c":
                queue.reset()
            else:
                out.append([name(t) for t in queue.order()])
            out.append([name(t) for t in queue.raw()])
        except (IndexError, ValueError, TypeError, AttributeError) as exc:
            out.append(f"{type(exc).__name__}: {exc}")
    out.append([a.seen for a in agents])
    return out


@functools.cache
def _queue_modules() -> tuple[dict[str, object], dict[str, object]]:
    text = rewrite(QUEUE, RULE, "Queue.pop_next")
    assert text is not None
    return helpers.run_module(QUEUE, "queue_before"), helpers.run_module(text, "queue_after")


def test_the_kept_list_answers_as_the_original_on_a_long_run() -> None:
    before, after = _queue_modules()
    ops = [("p", 1 + i % 2, (i * 7) % 5) for i in range(40)]
    ops += [op for i in range(30) for op in (("f", i % 2, i), ("p", 2, i % 3), ("n", 1, 0))]
    ops += [("d", 1, 3), ("l", 1, 1), ("k", 1, 1), ("w", 1, 1), ("s", 1, 1)]
    assert _replay(after, ops) == _replay(before, ops)


_OPS = st.lists(
    st.tuples(st.sampled_from("pppppnfkwdlcso"), st.integers(1, 2), st.integers(0, 3)),
    max_size=70,
)


@settings(max_examples=150, deadline=None)
@given(ops=_OPS)
def test_the_kept_list_answers_as_the_original_on_any_operations(
    ops: list[tuple[str, int, int]],
) -> None:
    """Any interleaving of pushes (many of equal key; some of another kind), takes, takes
    by an agent that may push while the queue is read, min/max reads, removals, `del`,
    clears and ordered reads: the same tickets come out in the same order, the list holds
    the same elements in the same order after every step, the agents saw the same tickets,
    and the same errors are raised."""
    before, after = _queue_modules()
    assert _replay(after, ops) == _replay(before, ops)


SCORES = """
class Scores:
    def __init__(self) -> None:
        self._seen = []

    def add(self, score: int) -> None:
        self._seen.append(score)

    def median(self):
        self._seen.sort()
        return self._seen[len(self._seen) // 2]

    def best(self):
        return max(self._seen)
"""


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.integers(-3, 3),
            st.booleans(),
            st.sampled_from([1.0, float("nan"), 2.5, "x"]),
        ),
        min_size=1,
        max_size=30,
    ),
    reads=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_ints_promised_by_an_annotation_are_checked_as_they_arrive(
    values: list[object], reads: list[bool]
) -> None:
    """The parameter says `int`; callers pass ints, bools, floats, NaN and strings. Until
    something other than an exact int or bool arrives the sorts are merges; after that
    they are the original sorts, on the very list the original holds."""
    text = rewrite(SCORES, RULE, "Scores.median")
    assert text is not None and "type(value) is int or type(value) is bool" in text
    results = []
    for source, name in ((SCORES, "scores_before"), (text, "scores_after")):
        scores = helpers.run_module(source, name)["Scores"]()  # type: ignore[operator]
        seen: list[object] = []
        for value, read in zip(values, reads[: len(values)], strict=True):
            scores.add(value)
            try:
                seen.append(repr(scores.median() if read else scores.best()))
            except TypeError as exc:
                seen.append(str(exc))
            seen.append(repr(scores._seen))
        results.append(seen)
    assert results[1] == results[0]


STATIC = SCORES.replace("self._seen.append(score)", "self._seen.append(int(score))")
NO_HINT = SCORES.replace("score: int", "score")


@pytest.mark.parametrize(
    "source, function",
    [
        (STATIC, "Scores.median"),  # sorted-attribute serves it without a check
        (NO_HINT, "Scores.median"),  # nothing says what the elements are
        (SCORES.replace("score: int", "score: float"), "Scores.median"),  # NaN has no order
        (SCORES.replace("_seen", "seen"), "Scores.median"),  # public: others may change it
        (SCORES + "\n    def raw(self):\n        return self._seen\n", "Scores.median"),
        (SCORES + "\n\nclass Sub(Scores):\n    pass\n", "Scores.median"),  # subclassed
        (
            SCORES.replace("self._seen.append(score)", "self._seen.insert(0, score)"),
            "Scores.median",
        ),
        (
            QUEUE + "\n\ndef delay(ticket):\n    ticket.opened += 1\n",
            "Queue.pop_next",
        ),  # key changes
        (
            QUEUE.replace(
                "    def drop_last(self) -> None:\n        del self._items[-1]\n", ""
            ).replace(
                "    def reset",
                "    def drop_two(self) -> None:\n        del self._items[0], self._items[0]\n\n    def reset",
            ),
            "Queue.pop_next",
        ),  # a `del` of more than one element
    ],
    ids=[
        "static-applies",
        "no-annotation",
        "floats",
        "public",
        "escapes",
        "subclassed",
        "insert",
        "key-changes",
        "del-two",
    ],
)
def test_sorted_attribute_guarded_refuses(source: str, function: str) -> None:
    assert rewrite(source, RULE, function) is None


MODEL, _, QUEUE_ONLY = QUEUE.partition("class Queue:")


@pytest.mark.parametrize("guarded", [False, True])
def test_the_check_names_the_class_only_where_it_means_it_at_run_time(guarded: bool) -> None:
    """Guards the emitted `type(value) is Ticket`: with the class imported only for type
    checkers, the name is unbound when the check runs, so the rule must not fire."""
    from agent.engines.rules import Step, StepFailed, run_step
    from agent.engines.rules.project import project_for

    imports = "from pkg.model import Ticket\n"
    if guarded:
        imports = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    " + imports
    texts = {"pkg/model.py": MODEL, "pkg/queue.py": imports + "\n\nclass Queue:" + QUEUE_ONLY}
    step = Step(RULE, "pkg/queue.py", "Queue.pop_next")
    if guarded:
        with pytest.raises(StepFailed):
            run_step(texts, step, verify=False, project=project_for(texts))
    else:
        run_step(texts, step, verify=False, project=project_for(texts))
        assert "type(value) is Ticket" in texts["pkg/queue.py"]


def test_a_comparison_that_raises_during_a_sort_leaves_the_list_as_the_original_sort_does() -> None:
    """Regression (review): the merge took the new elements out before inserting them, so a
    comparison that raised (a ticket whose key holds None, where the annotation promised an
    int) lost the ones not yet put back; now the list is restored and sorted as before."""
    text = rewrite(QUEUE, RULE, "Queue.pop_next")
    assert text is not None
    outcomes = []
    for source, name in ((QUEUE, "raise_before"), (text, "raise_after")):
        ns = helpers.run_module(source, name)
        queue = ns["Queue"]()  # type: ignore[operator]
        for ident, opened in ((1, 5), (2, 7), (3, None), (4, 1)):
            queue.push(ns["Ticket"](ident, 1, opened))  # type: ignore[operator]
        try:
            queue.pop_next()
            outcomes.append("no error")
        except TypeError as exc:
            outcomes.append(str(exc))
        outcomes.append(sorted(t.ident for t in queue.raw()))
        outcomes.append(queue.size())
    assert outcomes[3:] == outcomes[:3]
