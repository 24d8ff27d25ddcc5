"""What the loop's nodes share: the graph state (ids and counters) and their dependencies."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from langgraph.runtime import Runtime

from agent.config import RunConfig
from agent.exceptions import LoopEnded
from agent.loop.ahead import Ahead
from agent.protocols import Checkout, Coder, Planner, Profiler, Progress, Reviewer, Task
from storage import Store


class State(TypedDict, total=False):
    run_id: str
    round: int
    next: str
    stop: str
    ending: str
    """Why the loop ends once the candidates already coded are measured (a call made ahead
    ended it)."""


@dataclass
class Deps:
    """What the nodes run on; wired in the entry points (`agent.wiring.loop_deps`)."""

    store: Store
    task: Task
    checkout: Checkout
    profiler: Profiler
    planner: Planner
    coder: Coder
    config: RunConfig = field(default_factory=RunConfig)
    reviewer: Reviewer | None = None
    """A model's second opinion on candidates the checks accept (LLM runs only)."""
    progress: Progress = lambda _msg: None
    started: float = field(default_factory=time.monotonic)
    """When this process took the run over (wall time before it is in the store)."""
    lookahead: int = 0
    """Whether model calls may run beside a measurement (`agent.loop.ahead`; 0: every step in
    turn)."""
    ahead: Ahead = field(default_factory=Ahead)
    opening: bool = False
    """Whether the first candidate comes from a plan written from the profile, measured
    while the planner's first round runs (`agent.loop.opening`; with `lookahead` only)."""


Node = Callable[..., State]


STOP = "stop"
"""The event kind recording why the loop stopped: its reason, and its message."""


def recorded_stop(store: Store, run_id: str) -> str:
    """Why an earlier process of the run stopped its loop ("" when none did): a run killed
    between that decision and its end finishes on resume, and plans nothing more."""
    for e in store.events(run_id):
        if e.kind == STOP:
            reason = str(e.data.get("reason") or "")
            said = e.message
            return said if not reason or said.startswith(f"{reason}:") else f"{reason}: {said}"
    return ""


def stops_loop(fn: Node) -> Node:
    """Turn a LoopEnded raised inside a node into a routing decision to finish."""

    def node(state: State, *, runtime: Runtime[Deps]) -> State:
        try:
            return fn(state, runtime=runtime)
        except LoopEnded as exc:
            runtime.context.store.log(state["run_id"], STOP, str(exc), reason=exc.reason)
            return {"stop": f"{exc.reason}: {exc}"}

    node.__name__ = fn.__name__
    return node


def plan_fields(row: Any) -> dict[str, Any]:
    return {"title": row.title, "text": row.text, "source": row.source}
