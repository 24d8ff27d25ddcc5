"""Coding the next plan while a candidate is measured.

A model call mostly waits on the network, so while the evaluate node measures one candidate,
the coder may already be asked for the next pending plan. Measurement stays strictly one at a
time, and only the model call overlaps it: what the coder is shown is read before the
measurement starts, and its edit becomes a diff and a candidate on the loop's thread, when
`select` joins the call. So the graph does not change shape, no two steps touch the checkout
at once, and nothing is written to the store from another thread.

Off (`Deps.lookahead` 0) for engines, which compute on the cores the measurement uses, for
scripted replies, which are handed out in order, and for a model served on this machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from storage.models import Candidate, Plan
from storage.vocabulary import SPENT, WAITING, PlanStatus

T = TypeVar("T")


@dataclass
class Ahead:
    """The one model call that may run beside a measurement. Only the call runs on the
    thread: what it returns is written down on the loop's thread, in `join`."""

    thread: threading.Thread | None = None
    result: Any = None
    error: BaseException | None = None
    then: Callable[[Any], None] | None = None

    def start(self, call: Callable[[], T], then: Callable[[T], None]) -> None:
        if self.thread is not None:
            return

        def work() -> None:
            try:
                self.result = call()
            except BaseException as exc:  # re-raised on the loop's thread by `join`
                self.error = exc

        self.result, self.error, self.then = None, None, then
        # A daemon: an interrupted run does not wait on a model, and nothing is written for
        # a call whose run has ended (its plan stays pending and is coded again on resume).
        self.thread = threading.Thread(target=work, name="perfagent-code-ahead", daemon=True)
        self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread is not None

    def settle(self) -> None:
        """Wait for the call and drop it: the step that called this fails anyway."""
        if self.thread is not None:
            self.thread.join()
        self.thread, self.then, self.result, self.error = None, None, None, None

    def join(self) -> None:
        """Wait for the call, if any, and write its result down; its error (a budget spent, a
        model failure) is raised here, as if the code node had raised it."""
        thread, then = self.thread, self.then
        if thread is None or then is None:
            return
        thread.join()
        result, error = self.result, self.error
        self.thread, self.then, self.result, self.error = None, None, None, None
        if error is not None:
            raise error
        then(result)


def first_pending(plans: Sequence[Plan], candidates: Sequence[Candidate]) -> Plan | None:
    """The pending plan the loop codes next: one with no candidate yet, a repair first (its
    failure is fresh, and it was owed before the plans waiting)."""
    coded = {c.plan_id for c in candidates}
    pending = [p for p in plans if p.status == PlanStatus.PENDING and p.id not in coded]
    return next((p for p in pending if (p.data or {}).get("repair_of") is not None), None) or (
        pending[0] if pending else None
    )


def next_plan(plans: Sequence[Plan], candidates: Sequence[Candidate], budget: int) -> int | None:
    """The plan to code ahead of time, if the candidate budget has room for one more after
    everything spent and waiting."""
    spent = sum(c.status in SPENT for c in candidates)
    waiting = sum(c.status in WAITING for c in candidates)
    if spent + waiting + 1 > budget:
        return None
    row = first_pending(plans, candidates)
    return None if row is None else int(row.id)
