"""The Store: the single source of truth for runs (SQLite with WAL by default)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.engines import masked, migration_lock, open_engine, why
from storage.migrations import migrate
from storage.models import (
    Artifact,
    BaseResult,
    Candidate,
    Event,
    LLMCall,
    Plan,
    Run,
    Trial,
    utcnow,
)
from storage.vocabulary import PlanStatus, RunStatus, Status

Redactor = Callable[[str], str]
LEASE_S = 60.0
"""How long a run stays held without a renewal (its holder renews it every quarter of this)."""


def keep(text: str) -> str:
    return text


class StoreError(Exception):
    """The database cannot be opened or written (bad URL, unwritable path, locked for too long)."""


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_gone(run: Run, now: datetime) -> tuple[str, ColumnElement[bool]] | None:
    """Why a running run's holder is gone, and the condition that must still hold to say so
    (the lease still lapsed, the same dead process), or None while it may be alive."""
    if run.lease_expires is not None and run.lease_expires < now:
        holder = run.lease_owner or f"{run.host}:{run.pid}"
        return f"lease lapsed ({holder} stopped renewing it)", Run.lease_expires < now
    host = socket.gethostname()
    if run.host == host and not pid_alive(run.pid):
        return "process ended before the run did", (Run.host == host) & (Run.pid == run.pid)
    return None


class Store:
    """Typed reads and writes over the models; every write commits at once.

    `redact` is applied to model prompts, replies and log messages before they are written;
    what counts as a secret is decided above the store (perfagent wires
    `sandbox.secrets.redact`; `agent.wiring.open_store`)."""

    def __init__(self, url: str, redact: Redactor = keep) -> None:
        self.url = url
        self.redact = redact
        try:
            self.engine: Engine = open_engine(url)
            with migration_lock(url), self.engine.begin() as conn:
                self.schema_version = migrate(conn)
        except (SQLAlchemyError, OSError, ImportError) as exc:
            raise StoreError(f"cannot open store {masked(url)}: {why(exc, url)}") from None
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._session()

    def close(self) -> None:
        self.engine.dispose()

    # runs -----------------------------------------------------------------------------------
    def create_run(self, **fields: Any) -> Run:
        """A new running run. Until its creator takes the lease it is held for `LEASE_S`, so a
        creator that dies first leaves a run that lapses, never one running forever."""
        made = {
            "id": uuid.uuid4().hex[:12],
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "lease_expires": utcnow() + timedelta(seconds=LEASE_S),
        }
        run = Run(**{**made, **fields})
        with self.session() as s, s.begin():
            s.add(run)
        return run

    def run(self, run_id: str) -> Run | None:
        with self.session() as s:
            found = s.get(Run, run_id)
            if found is None and len(run_id) >= 4:
                found = s.scalars(select(Run).where(Run.id.startswith(run_id))).first()
            return found

    def run_by_key(self, key: str) -> Run | None:
        """The run that carries `claim_key` `key`, if any."""
        with self.session() as s:
            return s.scalars(select(Run).where(Run.claim_key == key)).first()

    def runs(self, limit: int = 50) -> list[Run]:
        self.mark_interrupted()
        with self.session() as s:
            return list(s.scalars(select(Run).order_by(Run.created_at.desc()).limit(limit)))

    def update_run(self, run_id: str, **fields: Any) -> None:
        with self.session() as s, s.begin():
            s.execute(update(Run).where(Run.id == run_id).values(**fields))

    def mark_interrupted(self) -> list[str]:
        """Running runs whose holder is gone: its lease lapsed (a dead node, a killed worker),
        or its process on this host no longer exists. They become interrupted with the lease
        cleared, so a resume can take them; each change is conditional on what was seen, so a
        holder that renewed meanwhile keeps its run."""
        now = utcnow()
        with self.session() as s:
            running = list(s.scalars(select(Run).where(Run.status == RunStatus.RUNNING)))
        stale: list[str] = []
        for r in running:
            gone = holder_gone(r, now)
            if gone is None:
                continue
            why, still = gone
            with self.session() as s, s.begin():
                changed = s.execute(
                    update(Run)
                    .where(Run.id == r.id, Run.status == RunStatus.RUNNING, still)
                    .values(
                        status=RunStatus.INTERRUPTED,
                        reason=r.reason or why,
                        lease_owner="",
                        lease_expires=None,
                    )
                )
            if changed.rowcount:  # type: ignore[attr-defined]
                stale.append(r.id)
        return stale

    # leases ---------------------------------------------------------------------------------
    def take_lease(self, run_id: str, owner: str, ttl_s: float) -> bool:
        """Hold the run as `owner` for `ttl_s` and mark it running in this process; False when
        another holder's lease is still live."""
        now = utcnow()
        free = or_(
            Run.lease_owner.in_(("", owner)), Run.lease_expires.is_(None), Run.lease_expires < now
        )
        with self.session() as s, s.begin():
            taken = s.execute(
                update(Run)
                .where(Run.id == run_id, free)
                .values(
                    lease_owner=owner,
                    lease_expires=now + timedelta(seconds=ttl_s),
                    status=RunStatus.RUNNING,
                    pid=os.getpid(),
                    host=socket.gethostname(),
                )
            )
        return bool(taken.rowcount)  # type: ignore[attr-defined]

    def renew_lease(self, run_id: str, owner: str, ttl_s: float) -> bool:
        """Push the lease `ttl_s` ahead; False when `owner` no longer holds it."""
        with self.session() as s, s.begin():
            renewed = s.execute(
                update(Run)
                .where(Run.id == run_id, Run.lease_owner == owner)
                .values(lease_expires=utcnow() + timedelta(seconds=ttl_s))
            )
        return bool(renewed.rowcount)  # type: ignore[attr-defined]

    def release_lease(self, run_id: str, owner: str) -> None:
        with self.session() as s, s.begin():
            s.execute(
                update(Run)
                .where(Run.id == run_id, Run.lease_owner == owner)
                .values(lease_owner="", lease_expires=None)
            )

    # plans and candidates ---------------------------------------------------------------------
    def add_plans(self, run_id: str, round_: int, plans: Iterable[dict[str, Any]]) -> list[int]:
        rows = [Plan(run_id=run_id, round=round_, **p) for p in plans]
        with self.session() as s, s.begin():
            s.add_all(rows)
            s.flush()
            return [r.id for r in rows]

    def plans(self, run_id: str, status: PlanStatus | None = None) -> list[Plan]:
        with self.session() as s:
            q = select(Plan).where(Plan.run_id == run_id)
            if status:
                q = q.where(Plan.status == status)
            return list(s.scalars(q.order_by(Plan.id)))

    def plan(self, plan_id: int) -> Plan | None:
        with self.session() as s:
            return s.get(Plan, plan_id)

    def update_plan(self, plan_id: int, **fields: Any) -> None:
        with self.session() as s, s.begin():
            s.execute(update(Plan).where(Plan.id == plan_id).values(**fields))

    def add_candidate(self, run_id: str, **fields: Any) -> int:
        row = Candidate(run_id=run_id, **fields)
        with self.session() as s, s.begin():
            s.add(row)
            s.flush()
            return row.id

    def candidate(self, candidate_id: int) -> Candidate | None:
        with self.session() as s:
            return s.get(Candidate, candidate_id)

    def candidates(self, run_id: str, status: Iterable[Status] = ()) -> list[Candidate]:
        with self.session() as s:
            q = select(Candidate).where(Candidate.run_id == run_id)
            wanted = [str(st) for st in status]
            if wanted:
                q = q.where(Candidate.status.in_(wanted))
            return list(s.scalars(q.order_by(Candidate.id)))

    def candidate_by_hash(self, run_id: str, diff_hash: str) -> Candidate | None:
        with self.session() as s:
            q = select(Candidate).where(
                Candidate.run_id == run_id, Candidate.diff_hash == diff_hash
            )
            return s.scalars(q.order_by(Candidate.id)).first()

    def update_candidate(self, candidate_id: int, **fields: Any) -> None:
        with self.session() as s, s.begin():
            s.execute(update(Candidate).where(Candidate.id == candidate_id).values(**fields))

    # raw data -------------------------------------------------------------------------------
    def add_trials(
        self,
        run_id: str,
        candidate_id: int | None,
        phase: str,
        metric: str,
        side: str,
        values: Sequence[float],
        env: dict[str, Any] | None = None,
        *,
        workload: str = "",
    ) -> None:
        rows = [
            Trial(
                run_id=run_id,
                candidate_id=candidate_id,
                phase=phase,
                metric=metric,
                side=side,
                seq=i,
                value=float(v),
                env=env or {},
                workload=workload,
            )
            for i, v in enumerate(values)
        ]
        with self.session() as s, s.begin():
            s.add_all(rows)

    def trials(self, run_id: str, candidate_id: int | None = None) -> list[Trial]:
        with self.session() as s:
            q = select(Trial).where(Trial.run_id == run_id)
            q = q.where(
                Trial.candidate_id.is_(None)
                if candidate_id is None
                else Trial.candidate_id == candidate_id
            )
            return list(s.scalars(q.order_by(Trial.id)))

    def base_result(self, kind: str, key: str) -> dict[str, Any] | None:
        """A cached base result, or None."""
        with self.session() as s:
            row = s.get(BaseResult, (kind, key))
            return dict(row.value) if row is not None else None

    def add_base_result(self, kind: str, key: str, value: dict[str, Any], run_id: str = "") -> bool:
        """Keep a base result; False when one is already kept under (kind, key) (the first
        stays: two processes may measure the same base at once)."""
        if self.base_result(kind, key) is not None:
            return False
        try:
            with self.session() as s, s.begin():
                s.add(BaseResult(kind=kind, key=key, value=value, run_id=run_id))
        except IntegrityError:
            return False
        return True

    def base_results(self, run_id: str | None = None) -> list[BaseResult]:
        """Kept base results, oldest first (those a run measured, when `run_id` is given)."""
        with self.session() as s:
            q = select(BaseResult)
            if run_id is not None:
                q = q.where(BaseResult.run_id == run_id)
            return list(s.scalars(q.order_by(BaseResult.created_at)))

    def add_llm_call(self, run_id: str, **fields: Any) -> None:
        redact = self.redact
        fields["prompt"] = [
            {**m, "content": redact(str(m.get("content", "")))} for m in fields.get("prompt", [])
        ]
        fields["response"] = redact(str(fields.get("response", "")))
        fields["error"] = redact(str(fields.get("error", "")))
        with self.session() as s, s.begin():
            s.add(LLMCall(run_id=run_id, **fields))

    def llm_totals(self, run_id: str) -> tuple[int, float]:
        """(calls, dollars) a run has spent on models so far."""
        with self.session() as s:
            q = select(func.count(LLMCall.id), func.coalesce(func.sum(LLMCall.cost_usd), 0.0))
            calls, cost = s.execute(q.where(LLMCall.run_id == run_id)).one()
            return int(calls), float(cost)

    def llm_calls(self, run_id: str) -> list[LLMCall]:
        with self.session() as s:
            return list(s.scalars(select(LLMCall).where(LLMCall.run_id == run_id)))

    def add_artifact(
        self, run_id: str, kind: str, content: str, candidate_id: int | None = None
    ) -> None:
        with self.session() as s, s.begin():
            s.add(Artifact(run_id=run_id, candidate_id=candidate_id, kind=kind, content=content))

    def artifact(self, run_id: str, kind: str, candidate_id: int | None = None) -> str | None:
        with self.session() as s:
            q = select(Artifact.content).where(Artifact.run_id == run_id, Artifact.kind == kind)
            if candidate_id is not None:
                q = q.where(Artifact.candidate_id == candidate_id)
            return s.scalars(q.order_by(Artifact.id.desc())).first()

    def log(self, run_id: str, kind: str, message: str = "", **data: Any) -> None:
        with self.session() as s, s.begin():
            s.add(
                Event(
                    run_id=run_id, at=utcnow(), kind=kind, message=self.redact(message), data=data
                )
            )

    def events(self, run_id: str) -> list[Event]:
        with self.session() as s:
            return list(s.scalars(select(Event).where(Event.run_id == run_id).order_by(Event.id)))
