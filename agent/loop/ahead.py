"""Model calls beside a measurement: coding the next plan, planning the next round, and
reviewing a faster candidate while its trust checks run.

A model call mostly waits on the network, so while the evaluate node measures one candidate
the coder may be asked for the next pending plan, and, once no plan is left to code, the
planner for the next round. Measurement stays strictly one at a time, and only the model
calls overlap it: what a call is shown is read before it starts, and what it returns is
written down on the loop's thread, by `select`: at once for a call that has ended, and with a
wait only when the loop has nothing left to measure. So the graph does not change shape, no
two steps touch the checkout at once, and a call's result is written by the loop alone (the
model calls themselves are recorded where they are made). A plan made ahead has not seen the
outcome of the candidates measured while it was made: the price of not waiting for it.

Off (`Deps.lookahead` 0) for engines, which compute on the cores the measurement uses, for
scripted replies, which are handed out in order, and for a model served on this machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.loop.pace import Pace
from agent.protocols import OUTRUN, Measurement, Reviewer
from profilers.verdicts import Verdict
from storage.models import Candidate, Plan
from storage.vocabulary import SPENT, WAITING, PlanStatus, Status

Then = Callable[[Any], Mapping[str, Any] | None]
"""Writes a call's result down on the loop's thread; may return a graph-state update."""


class Call:
    """One model call on a daemon thread of its own: an interrupted run does not wait on a
    model, and nothing is written for a call whose run has ended (a plan it was coding stays
    pending and is coded again on resume). Its end is told to `ended`, if given."""

    def __init__(
        self, fn: Callable[[], Any], name: str, ended: threading.Condition | None = None
    ) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        told = ended or threading.Condition()

        def work() -> None:
            try:
                self.result = fn()
            except BaseException as exc:  # re-raised on the loop's thread by `wait`
                self.error = exc
            finally:
                with told:
                    self.done = True
                    told.notify_all()

        self.thread = threading.Thread(target=work, name=name, daemon=True)
        self.thread.start()

    def wait(self) -> Any:
        """The call's result, or its error raised here, on the caller's thread."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result


@dataclass
class Ahead:
    """The model calls running beside the loop, at most one of each kind: "plan", "review",
    and "code <plan id>" for each plan being coded."""

    calls: dict[str, tuple[Call, Then]] = field(default_factory=dict)
    ended: threading.Condition = field(default_factory=threading.Condition)
    pace: Pace = field(default_factory=Pace)
    """How long measurements and rounds take: when a round is planned ahead early."""

    def start(self, kind: str, call: Callable[[], Any], then: Then) -> None:
        if kind not in self.calls:
            self.calls[kind] = (Call(call, f"perfagent-{kind}-ahead", self.ended), then)

    def adopt(self, kind: str, call: Call, then: Then) -> None:
        """Take over a call started elsewhere with this `ended` (a review): written down like
        the others."""
        self.calls[kind] = (call, then)

    @property
    def running(self) -> bool:
        return bool(self.calls)

    def busy(self, kind: str) -> bool:
        return kind in self.calls

    def coding(self) -> set[int]:
        """The plans the coder is being asked for ahead (kinds "code <plan id>")."""
        return {int(k.split()[1]) for k in self.calls if k.startswith("code ")}

    def settle(self) -> None:
        """Wait for the calls and drop them: the step that called this fails anyway."""
        for call, _then in self.calls.values():
            call.thread.join()
        self.calls.clear()

    def collect(self) -> dict[str, Any]:
        """Write down the calls that have ended, without waiting for the others; each error
        (a budget spent, a model failure) is raised after all are written, as if the node
        that would have made the call had raised it."""
        return self._write([k for k, (call, _t) in self.calls.items() if call.done])

    def first(self) -> dict[str, Any]:
        """Wait until a call ends and write down every call that has."""
        with self.ended:
            self.ended.wait_for(lambda: any(call.done for call, _t in self.calls.values()))
        return self.collect()

    def _write(self, kinds: list[str]) -> dict[str, Any]:
        update: dict[str, Any] = {}
        failed: BaseException | None = None
        for kind in kinds:
            call, then = self.calls.pop(kind)
            try:
                update.update(then(call.wait()) or {})
            except BaseException as exc:
                failed = failed or exc
        if failed is not None:
            raise failed
        return update


class Review:
    """The reviewer's call for a candidate, started once the wall time finds it faster, so
    it runs beside the candidate's trust checks; its check counts only if they all pass.
    Without that start (a suite whose other workloads decide), or for a model computing on
    this machine (`beside` False: the checks time the changed functions), it runs after them."""

    def __init__(
        self,
        reviewer: Reviewer | None,
        diff: str,
        *,
        beside: bool,
        ended: threading.Condition | None = None,
    ) -> None:
        self.reviewer, self.diff, self.beside = reviewer, diff, beside
        self.ended = ended
        """Told when the call ends: the loop's `Ahead.ended`, so `select` wakes for it."""
        self.call: Call | None = None
        self.shown: Measurement | None = None

    def start(self, timed: Measurement) -> None:
        if self.reviewer is not None and self.beside and self.call is None:
            reviewer, diff = self.reviewer, self.diff
            self.shown = timed
            self.call = Call(lambda: reviewer.review(diff, timed), "perfagent-review", self.ended)

    def finish(self, m: Measurement) -> Measurement:
        if self.reviewer is None or not _reviewable(m):
            return m  # a call still running is dropped: its verdict could change nothing
        if self.call is None or self.shown is None:
            return self.reviewer.review(self.diff, m)
        return self.merged(m, self.call.wait())

    def later(self, m: Measurement) -> Call | None:
        """The call still to be heard for a candidate every automatic check passed, when it
        runs beside the loop: the loop measures on, and writes its verdict down when it ends."""
        if self.reviewer is None or self.call is None or self.shown is None:
            return None
        return self.call if _reviewable(m) else None

    def merged(self, m: Measurement, reviewed: Measurement) -> Measurement:
        """`m` with the checks the review added to what it was shown."""
        assert self.shown is not None
        for check in reviewed.checks[len(self.shown.checks) :]:
            m = m.with_check(check)
        return m


def _reviewable(m: Measurement) -> bool:
    """Faster, no check rejects it, and not outrun (an outrun head is checked, and reviewed,
    only if what outran it is turned away)."""
    return m.rejected is None and m.verdict == Verdict.FASTER and m.stage != OUTRUN


def first_pending(plans: Sequence[Plan], candidates: Sequence[Candidate]) -> Plan | None:
    """The pending plan the loop codes next: one with no candidate yet, a repair first (its
    failure is fresh, and it was owed before the plans waiting)."""
    coded = {c.plan_id for c in candidates}
    pending = [p for p in plans if p.status == PlanStatus.PENDING and p.id not in coded]
    return next((p for p in pending if (p.data or {}).get("repair_of") is not None), None) or (
        pending[0] if pending else None
    )


def next_plan(
    plans: Sequence[Plan],
    candidates: Sequence[Candidate],
    budget: int,
    coding: Collection[int] = (),
) -> int | None:
    """The plan to code ahead of time, if the candidate budget has room for one more after
    everything spent, waiting and being `coding` (plan ids whose coder calls are running)."""
    spent = sum(c.status in SPENT for c in candidates)
    waiting = sum(c.status in WAITING for c in candidates)
    if spent + waiting + len(coding) + 1 > budget:
        return None
    free = [p for p in plans if p.id not in coding]
    row = first_pending(free, candidates)
    return None if row is None else int(row.id)


def uncoded(plans: Sequence[Plan], candidates: Sequence[Candidate]) -> int:
    """Pending plans with no candidate yet."""
    coded = {c.plan_id for c in candidates}
    return sum(p.status == PlanStatus.PENDING and p.id not in coded for p in plans)


def stock(plans: Sequence[Plan], candidates: Sequence[Candidate]) -> int:
    """Candidates the loop can still measure after the one it is measuring, without a new
    round: those coded and waiting, and the pending plans not coded yet."""
    return uncoded(plans, candidates) + sum(c.status == Status.CODED for c in candidates)


def room_to_plan(
    plans: Sequence[Plan],
    candidates: Sequence[Candidate],
    budget: int,
    coding: int,
    early: bool = False,
) -> int:
    """How many candidates a round planned ahead may still become (0: plan no round ahead):
    every pending plan must be being coded (`coding` of them; or none left) unless the round
    starts `early` (`agent.loop.pace`), and the candidate budget have room beyond everything
    spent, waiting and pending."""
    pending = uncoded(plans, candidates)
    if pending > coding and not early:
        return 0
    taken = sum(c.status in SPENT or c.status in WAITING for c in candidates)
    return max(0, budget - taken - pending)
