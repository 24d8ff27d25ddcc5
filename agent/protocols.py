"""The interfaces the parts of perfagent meet at.

The loop (`agent/loop/`) imports only these; concrete models, engines, profilers, checkouts
and sandboxes are wired together in entry points (`agent/wiring.py`, the run service).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from profilers.results import (
    BaselineReport,
    Hotspot,
    HotspotProfile,
    InstructionComparison,
    Measurement,
    MemoryComparison,
    Outrun,
    WallTimeComparison,
)
from profilers.verdicts import OUTRUN, Verdict
from sandbox.base import ExecResult, Limits, Sandbox, SandboxFactory, WorkspaceSpec
from storage.vocabulary import Status
from tasks.task import Task

__all__ = [
    "OUTRUN",
    "BaselineReport",
    "Checkout",
    "CodeRequest",
    "Coder",
    "Drafting",
    "Drafts",
    "Edit",
    "ExecResult",
    "Hotspot",
    "HotspotProfile",
    "InstructionComparison",
    "Limits",
    "Measurement",
    "MemoryComparison",
    "Message",
    "Model",
    "Outcome",
    "OutputSchema",
    "Outrun",
    "Plan",
    "PlanRequest",
    "Planner",
    "Profiler",
    "Progress",
    "RepairRequest",
    "Repairer",
    "Reply",
    "Reviewer",
    "Sandbox",
    "SandboxFactory",
    "Status",
    "StructuredModel",
    "Task",
    "Verdict",
    "WallTimeComparison",
    "WorkspaceSpec",
]


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str
    cache: bool = False
    """The stable prompt prefix ends here: providers with explicit prompt caching (Anthropic)
    put a cache breakpoint after this message. Stable messages come first, volatile last."""


@dataclass(frozen=True)
class Reply:
    """A model's answer and what it cost."""

    content: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached_input_tokens: int = 0
    """Prompt tokens read from the provider's cache (included in `input_tokens`)."""
    cache_write_tokens: int = 0
    """Prompt tokens written to the provider's cache (included in `input_tokens`)."""


@runtime_checkable
class Model(Protocol):
    """A chat model: the only thing the LLM planner and coder need from a provider."""

    name: str

    def query(self, messages: Sequence[Message]) -> Reply: ...


@dataclass(frozen=True)
class OutputSchema:
    """A JSON schema the reply must follow (asked through the provider's structured output)."""

    name: str
    """A short identifier (a tool or schema name: letters, digits, `_`)."""
    description: str
    schema: Mapping[str, Any]
    """A JSON schema of an object; every property required, no additional properties."""


@runtime_checkable
class StructuredModel(Model, Protocol):
    """A model that can be asked for a reply that follows a JSON schema.

    `Reply.content` is then the JSON text of the object. A provider that cannot honour the
    schema answers in free text instead; callers still validate what they get.
    """

    def query_structured(self, messages: Sequence[Message], schema: OutputSchema) -> Reply: ...


@dataclass(frozen=True)
class Outcome:
    """What happened to an evaluated candidate, fed back into planning."""

    plan_title: str
    status: Status
    runtime_ratio: float | None = None
    ci: tuple[float, float] | None = None
    detail: str = ""
    """One or two lines: how the tests failed, how the outputs differed, the noise seen."""
    verdict: Verdict | None = None
    """The measurement's verdict, when the candidate got as far as a measurement."""


@dataclass(frozen=True)
class PlanRequest:
    """Everything a planner may ground its plans in."""

    task: Task
    profile: HotspotProfile
    sources: Mapping[str, str]
    """Editable files (task-relative path -> text), hot files first."""
    baseline: Mapping[str, Any]
    """Baseline figures: wall time, instructions, peak memory."""
    history: Sequence[Outcome] = ()
    n_plans: int = 4
    round: int = 0
    parent_id: int | None = None
    """The candidate this round builds on (None: the base). The profile is the base's."""
    parent_diff: str = ""
    """That candidate's diff against the base: `sources` hold its code, so the functions it
    changed are not what the profile measured."""


@dataclass(frozen=True)
class Plan:
    """A natural-language optimization plan."""

    title: str
    text: str
    """The plan in plain words, grounded in the profile ("41 % of samples ...")."""
    source: str
    """Who wrote it: "rules", a model name, "replay"."""
    targets: tuple[str, ...] = ()
    """file:function locations the plan changes."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """Machine-readable details for the coder that wrote the plan (e.g. rule ids)."""


@dataclass(frozen=True)
class CodeRequest:
    task: Task
    plan: Plan
    sources: Mapping[str, str]
    """Editable files (task-relative path -> text)."""


@dataclass(frozen=True)
class Edit:
    """A coder's answer: whole-file replacements, or the reason there are none."""

    files: Mapping[str, str] = field(default_factory=dict)
    """Task-relative path -> new full text."""
    error: str = ""
    """Set when no usable edit could be made (malformed reply, no match, refused path)."""
    attempts: int = 1


@dataclass(frozen=True)
class RepairRequest:
    """A candidate that failed a check, to be fixed once more by the coder that wrote it."""

    task: Task
    plan: Plan
    """The plan the failed candidate implemented."""
    sources: Mapping[str, str]
    """Editable files with the failed candidate's change applied."""
    diff: str
    """The failed candidate's diff against the base."""
    failure: str
    """What failed: the check, its reason and evidence (test output, the first differing call)."""


class Planner(Protocol):
    def plan(self, request: PlanRequest) -> list[Plan]: ...


Drafts = Callable[[Sequence[Plan]], None]
"""Told a round's plans as drafts, before the planner's last step reviews them."""


@runtime_checkable
class Drafting(Protocol):
    """A planner whose last step reviews plans it has already written (a critique): it tells
    them as drafts the moment they exist, so they can be coded while the review runs. A plan
    the review leaves as it was (title, text, targets) keeps the edit coded from its draft."""

    def plan_drafts(self, request: PlanRequest, drafts: Drafts) -> list[Plan]: ...


class Coder(Protocol):
    def code(self, request: CodeRequest) -> Edit: ...


@runtime_checkable
class Repairer(Protocol):
    """A coder that can fix its own failed candidate from the failure (the loop repairs only
    with coders that can)."""

    def repair(self, request: RepairRequest) -> Edit: ...


Progress = Callable[[str], None]
"""Where a step says what it is doing (stderr for the CLI, a comment for the bot)."""


class Profiler(Protocol):
    """Measures one task: the baseline, a candidate patch against it, and a re-measurement.

    Bound to a task when it is wired; the loop never opens a sandbox to measure. A broken
    baseline raises `profilers.errors.BaselineFailed`; a sandbox failure raises
    `sandbox.base.SandboxError`; anything the candidate does wrong is in the `Measurement`.
    """

    def baseline(self, progress: Progress) -> BaselineReport: ...

    def evaluate(
        self,
        patch: str,
        progress: Progress,
        *,
        count_now: bool = True,
        on_timed: Callable[[Measurement], None] | None = None,
        outrun: Outrun | None = None,
        count_beside: bool = False,
    ) -> Measurement:
        """The cascade over a patch; `count_now=False` leaves instruction counts under
        instructions = "auto" to `count` (the loop counts only the front, at its finish);
        `on_timed` is told of a head the wall time finds faster, before its trust checks;
        a faster head `outrun` says is clearly dominated ends before them (stage `OUTRUN`,
        the reason in its measurement); with `count_beside`, a profiler with a spare core
        may count a faster head beside its untimed trust checks (in `instructions`; nothing
        is timed while it counts)."""
        ...

    def count(self, patch: str, progress: Progress) -> tuple[InstructionComparison | None, str]:
        """Instruction counts of a patch against the base, or None and the reason why not."""
        ...

    def confirm(self, patch: str, progress: Progress) -> Measurement:
        """The winner re-measured from scratch; accepted only if the verdict is faster and
        no check rejects it (with several workloads, every one is re-measured)."""
        ...


class Reviewer(Protocol):
    """A second opinion on a candidate the checks would accept (a model reading the patch).

    It may only add a check to the measurement: one that rejects ends the candidate, one that
    passes changes nothing; a candidate already rejected or not faster is returned as is."""

    def review(self, diff: str, m: Measurement) -> Measurement: ...


class Checkout(Protocol):
    """The task's files at the base plus a patch, read on the host: no candidate code runs."""

    def sources(self, patch: str = "") -> dict[str, str]:
        """Editable files (task-relative path -> text) of base + `patch`."""
        ...

    def diff(self, patch: str, files: Mapping[str, str]) -> str:
        """The repo diff of base + `patch` with `files` (task-relative) written over it.
        Raises `sandbox.base.ProtectedPathError` for a protected or escaping path."""
        ...
