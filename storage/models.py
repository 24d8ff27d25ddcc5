"""SQLAlchemy models: everything a run produced, kept raw.

A run owns plans, candidates, raw trials, LLM calls, artifacts and an event log. The
baseline's trials are those with `candidate_id` NULL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Dialect, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.vocabulary import PlanStatus, RunStatus, Status


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class SafeText(TypeDecorator[str]):
    """Text that survives a NUL byte on every backend.

    PostgreSQL's text type rejects NUL, which test output and model replies can contain;
    there it becomes U+FFFD so the run goes on. SQLite keeps the byte as is.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None and dialect.name == "postgresql" and "\x00" in value:
            return value.replace("\x00", "\ufffd")
        return value


class Word(TypeDecorator[StrEnum]):
    """A vocabulary word (`storage.vocabulary`): stored as its string, read back as the member."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(self.enum(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class SchemaVersion(Base):
    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    status: Mapped[RunStatus] = mapped_column(
        Word(RunStatus), default=RunStatus.RUNNING, index=True
    )
    reason: Mapped[str] = mapped_column(SafeText, default="")
    repo: Mapped[str] = mapped_column(SafeText)
    subdir: Mapped[str] = mapped_column(SafeText, default="")
    base_commit: Mapped[str] = mapped_column(String(64))
    task: Mapped[dict[str, Any]] = mapped_column(JSON)
    model: Mapped[str] = mapped_column(String(200))
    sandbox: Mapped[str] = mapped_column(String(32))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Baseline summary: wall time, instructions, peak memory, hotspots, test status."""
    best_candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    spent_s: Mapped[float] = mapped_column(Float, default=0.0)
    """Wall-clock seconds worked on this run so far, over every process that ran it."""
    pid: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str] = mapped_column(String(200), default="")
    lease_owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """The process holding the run while it executes (`host:pid`); empty when none does."""
    lease_expires: Mapped[datetime | None] = mapped_column(nullable=True)
    """When the run stops being held unless its holder renews it (UTC): a running run whose
    lease lapsed is interrupted and may be taken over (a worker on a dead node)."""
    claim_key: Mapped[str | None] = mapped_column(
        String(300), nullable=True, unique=True, index=True
    )
    """A key at most one run carries (a batch instance), so two workers never both start it."""


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(SafeText)
    text: Mapped[str] = mapped_column(SafeText)
    source: Mapped[str] = mapped_column(String(200))
    targets: Mapped[list[Any]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[PlanStatus] = mapped_column(Word(PlanStatus), default=PlanStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Candidate(Base):
    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    model: Mapped[str] = mapped_column(String(200), default="")
    diff: Mapped[str] = mapped_column(SafeText, default="")
    diff_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    status: Mapped[Status] = mapped_column(Word(Status), default=Status.CODED)
    verdict: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(SafeText, default="")
    tests_passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    equivalent: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    runtime_ratio: Mapped[float | None] = mapped_column(Float, nullable=True)
    ci_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    ci_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    p_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    instructions_ratio: Mapped[float | None] = mapped_column(Float, nullable=True)
    memory_ratio: Mapped[float | None] = mapped_column(Float, nullable=True)
    measurement: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    confirmation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The winner's re-measurement from scratch (empty until confirmed)."""
    on_front: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Trial(Base):
    """One raw measured value, with the environment that produced it."""

    __tablename__ = "trials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    phase: Mapped[str] = mapped_column(String(32))
    """baseline, evaluate, confirm."""
    metric: Mapped[str] = mapped_column(String(32))
    """walltime_s, instructions, peak_rss_bytes."""
    side: Mapped[str] = mapped_column(String(8))
    """base or head."""
    workload: Mapped[str] = mapped_column(SafeText, default="", server_default="")
    """The workload's name when a run measures several (m007); empty for the only one."""
    seq: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    env: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BaseResult(Base):
    """An untimed result of a base (outputs, instruction counts, peak memory, a profile, a
    capture), kept under a key that names everything it depends on, so later candidates,
    runs and resumes reuse it (`profilers.cache`)."""

    __tablename__ = "base_results"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The raw values, as the profiler produced them."""
    run_id: Mapped[str] = mapped_column(String(32), default="")
    """The run that measured it."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LLMCall(Base):
    __tablename__ = "llm_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    model: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(64), default="")
    prompt: Mapped[list[Any]] = mapped_column(JSON, default=list)
    response: Mapped[str] = mapped_column(SafeText, default="")
    error: Mapped[str] = mapped_column(SafeText, default="")
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    """Every prompt token, cached ones included."""
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cached_input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Prompt tokens read from the provider's cache (m003)."""
    cache_write_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Prompt tokens written to the provider's cache (m003)."""
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_s: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Artifact(Base):
    __tablename__ = "artifacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(64))
    """e.g. baseline-profile (collapsed stacks), test-output."""
    content: Mapped[str] = mapped_column(SafeText)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(SafeText, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class GitHubJob(Base):
    """One `/perfagent optimize` request (or label) on one pull request."""

    __tablename__ = "github_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    status: Mapped[str] = mapped_column(String(32), default="queued", index=True)
    """queued, running, done (PR opened), no-improvement, denied, skipped, failed."""
    repo: Mapped[str] = mapped_column(String(200), index=True)
    """owner/name of the repository the pull request belongs to."""
    pr_number: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(16))
    """comment or label."""
    requested_by: Mapped[str] = mapped_column(String(200))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Options parsed from the comment (bench, test, budget)."""
    delivery_id: Mapped[str] = mapped_column(String(100), default="")
    head_sha: Mapped[str] = mapped_column(String(64), default="")
    comment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The bot's progress comment, edited in place as the job moves on."""
    run_id: Mapped[str] = mapped_column(String(32), default="")
    result_url: Mapped[str] = mapped_column(SafeText, default="")
    reason: Mapped[str] = mapped_column(SafeText, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class GitHubDelivery(Base):
    """A webhook event the bot has handled (or is handling), keyed by what its signed body
    proves (e.g. the comment id, its `updated_at` and the action), not by the
    `X-GitHub-Delivery` header, which the signature does not cover."""

    __tablename__ = "github_deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(100), default="")
    """The `X-GitHub-Delivery` it last came with (for the logs only)."""
    event: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(SafeText, default="")
    """The answer given ("202 queued job 3 ..."); empty while it is being handled."""


BOT_TABLES = (GitHubJob.__tablename__, GitHubDelivery.__tablename__)
