"""The PR bot's queue: optimization jobs and the webhook deliveries already seen.

The job table is the bot's queue: rows are claimed atomically by a single `UPDATE`, so
any number of worker threads or processes sharing the database never run one job twice,
and a restart loses nothing. The tables (`github_jobs`, `github_deliveries`) are defined in
`storage.models` and created by migration m002.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from storage.models import GitHubDelivery, GitHubJob, utcnow
from storage.store import Store, pid_alive

ACTIVE = ("queued", "running")
"""Job states that still have work ahead of them."""


def claim_delivery(
    store: Store, key: str, delivery_id: str, event: str, *, stale_s: float = 300.0
) -> bool:
    """Start handling the event `key` names; False when it was handled (or is being handled)
    already. A claim left unfinished for `stale_s` by a process that died is taken over."""
    try:
        with store.session() as s, s.begin():
            s.add(GitHubDelivery(key=key, delivery_id=delivery_id[:100], event=event))
        return True
    except IntegrityError:
        pass
    cutoff = utcnow() - timedelta(seconds=stale_s)
    with store.session() as s, s.begin():
        taken = s.execute(
            update(GitHubDelivery)
            .where(
                GitHubDelivery.key == key,
                GitHubDelivery.outcome == "",
                GitHubDelivery.received_at < cutoff,
            )
            .values(received_at=utcnow(), delivery_id=delivery_id[:100])
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]


def forget_delivery(store: Store, key: str) -> None:
    """Drop an unfinished claim (handling failed): a redelivery of the event is handled anew."""
    with store.session() as s, s.begin():
        s.execute(
            delete(GitHubDelivery).where(GitHubDelivery.key == key, GitHubDelivery.outcome == "")
        )


def set_delivery_outcome(store: Store, key: str, outcome: str) -> None:
    with store.session() as s, s.begin():
        s.execute(
            update(GitHubDelivery)
            .where(GitHubDelivery.key == key)
            .values(outcome=store.redact(outcome)[:2000])
        )


def delivery(store: Store, key: str) -> GitHubDelivery | None:
    with store.session() as s:
        return s.get(GitHubDelivery, key)


def deliveries(store: Store) -> list[GitHubDelivery]:
    """Every delivery kept, oldest first."""
    with store.session() as s:
        return list(s.scalars(select(GitHubDelivery).order_by(GitHubDelivery.received_at)))


def enqueue_job(store: Store, **fields: Any) -> GitHubJob | None:
    """Queue a job; None when the same pull request already has one queued or running."""
    with store.session() as s, s.begin():
        twin = s.scalars(
            select(GitHubJob).where(
                GitHubJob.repo == fields["repo"],
                GitHubJob.pr_number == fields["pr_number"],
                GitHubJob.status.in_(ACTIVE),
            )
        ).first()
        if twin is not None:
            return None
        job = GitHubJob(**fields)
        s.add(job)
        s.flush()
        return job


def claim_job(store: Store, per_repo_limit: int = 1) -> GitHubJob | None:
    """Atomically take the oldest queued job whose repository has fewer than
    `per_repo_limit` jobs running; None when there is none."""
    token = uuid.uuid4().hex
    busy = (
        select(GitHubJob.repo)
        .where(GitHubJob.status == "running")
        .group_by(GitHubJob.repo)
        .having(func.count() >= per_repo_limit)
    )
    oldest = (
        select(GitHubJob.id)
        .where(GitHubJob.status == "queued", GitHubJob.repo.not_in(busy))
        .order_by(GitHubJob.id)
        .limit(1)
        .scalar_subquery()
    )
    with store.session() as s, s.begin():
        # One statement: the check and the claim cannot be split by another worker.
        claimed = s.execute(
            update(GitHubJob)
            .where(GitHubJob.id == oldest, GitHubJob.status == "queued")
            .values(
                status="running",
                claimed_by=token,
                host=socket.gethostname(),
                pid=os.getpid(),
                started_at=utcnow(),
                attempts=GitHubJob.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            return None
    with store.session() as s:
        return s.scalars(select(GitHubJob).where(GitHubJob.claimed_by == token)).first()


def update_job(store: Store, job_id: int, **fields: Any) -> None:
    if "reason" in fields:
        fields["reason"] = store.redact(str(fields["reason"]))[:2000]
    with store.session() as s, s.begin():
        s.execute(update(GitHubJob).where(GitHubJob.id == job_id).values(**fields))


def finish_job(store: Store, job_id: int, status: str, reason: str = "", **fields: Any) -> None:
    update_job(store, job_id, status=status, reason=reason, finished_at=utcnow(), **fields)


def job(store: Store, job_id: int) -> GitHubJob | None:
    with store.session() as s:
        return s.get(GitHubJob, job_id)


def jobs(store: Store, status: Sequence[str] = ()) -> list[GitHubJob]:
    with store.session() as s:
        q = select(GitHubJob)
        if status:
            q = q.where(GitHubJob.status.in_(status))
        return list(s.scalars(q.order_by(GitHubJob.id)))


def requeue_orphans(store: Store, max_attempts: int = 2) -> list[int]:
    """Jobs left running by a process on this host that is gone: queue them again, or fail
    them once they have used up their attempts. Returns their ids."""
    host = socket.gethostname()
    with store.session() as s, s.begin():
        stale = [
            j
            for j in s.scalars(select(GitHubJob).where(GitHubJob.status == "running"))
            if j.host == host and (not pid_alive(j.pid) or j.pid == os.getpid())
        ]
        for j in stale:
            if j.attempts >= max_attempts:
                j.status, j.reason = "failed", "the bot stopped during the job too many times"
                j.finished_at = utcnow()
            else:
                j.status, j.reason, j.claimed_by = "queued", "requeued after a bot restart", ""
    return [j.id for j in stale]
