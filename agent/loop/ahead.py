"""Coding the next plan while a candidate is measured.

A model call mostly waits on the network, so while the evaluate node measures one candidate,
the next pending plan may be coded on a thread of its own. Measurement stays strictly one at
a time: only the coder's call overlaps it. The graph does not change shape: the evaluate node
starts the job, and every other node waits for it first (`join`), so no two steps ever touch
the checkout at once and each step still sees the store as the steps before it left it.

Off (`Deps.lookahead` 0) for engines, which compute on the cores the measurement uses, for
scripted replies, which are handed out in order, and for a model served on this machine.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from storage.models import Candidate, Plan
from storage.vocabulary import SPENT, WAITING, PlanStatus

Job = Callable[[int], None]
"""Code the plan with this id (writes its candidate or failure to the store)."""


@dataclass
class Ahead:
    """The one coding job that may run beside a measurement."""

    thread: threading.Thread | None = None
    plan_id: int | None = None
    error: BaseException | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, plan_id: int, job: Job) -> None:
        def work() -> None:
            try:
                job(plan_id)
            except BaseException as exc:  # re-raised on the loop's thread by `join`
                self.error = exc

        with self.lock:
            if self.thread is not None:
                return
            self.plan_id, self.error = plan_id, None
            self.thread = threading.Thread(target=work, name=f"perfagent-code-{plan_id}")
            # A daemon: an interrupted run does not wait on a model; the plan stays pending
            # and is coded again on resume.
            self.thread.daemon = True
            self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread is not None

    def settle(self) -> None:
        """Wait for the job and drop its error: the step that called this fails anyway."""
        with contextlib.suppress(Exception):  # the caller's own error is the one that counts
            self.join()

    def join(self) -> None:
        """Wait for the job, if any; its error (a budget spent, a model failure) is raised
        here, as if the code node had raised it."""
        with self.lock:
            thread, self.thread, self.plan_id = self.thread, None, None
        if thread is None:
            return
        thread.join()
        error, self.error = self.error, None
        if error is not None:
            raise error


def next_plan(plans: Sequence[Plan], candidates: Sequence[Candidate], budget: int) -> int | None:
    """The plan to code ahead of time, if the candidate budget has room for one more after
    everything spent and waiting: a repair first, as the code node would."""
    spent = sum(c.status in SPENT for c in candidates)
    waiting = sum(c.status in WAITING for c in candidates)
    if spent + waiting + 1 > budget:
        return None
    coded = {c.plan_id for c in candidates}
    pending = [p for p in plans if p.status == PlanStatus.PENDING and p.id not in coded]
    if not pending:
        return None
    row = next((p for p in pending if (p.data or {}).get("repair_of") is not None), pending[0])
    return int(row.id)
