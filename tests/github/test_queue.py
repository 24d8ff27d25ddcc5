"""The job queue in the store: atomic claims, the per-repository limit, restarts."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from storage import Store
from storage.jobs import (
    claim_delivery,
    claim_job,
    delivery,
    enqueue_job,
    finish_job,
    forget_delivery,
    job,
    jobs,
    requeue_orphans,
    set_delivery_outcome,
    update_job,
)
from tests.github.conftest import store_at


def add(store: Store, repo: str, number: int) -> int:
    row = enqueue_job(
        store, repo=repo, pr_number=number, trigger="comment", requested_by="alice", options={}
    )
    assert row is not None
    return row.id


def test_claims_respect_the_per_repository_limit(tmp_path: Path) -> None:
    """Guards "one job per repository at a time": a second job of a busy repo waits while
    another repository's job goes ahead."""
    store = store_at(tmp_path / "q.db")
    a1, a2, b1 = add(store, "o/a", 1), add(store, "o/a", 2), add(store, "o/b", 1)
    first = claim_job(store)
    assert first is not None and first.id == a1 and first.status == "running"
    second = claim_job(store)
    assert second is not None and second.id == b1
    assert claim_job(store) is None
    finish_job(store, a1, "done")
    third = claim_job(store)
    assert third is not None and third.id == a2
    assert claim_job(store, per_repo_limit=2) is None
    assert add(store, "o/a", 3) and claim_job(store, per_repo_limit=2) is not None


def test_concurrent_claims_never_share_a_job(tmp_path: Path) -> None:
    """Guards the atomic claim: many threads (own connections) claiming at once get each
    queued job exactly once."""
    store = store_at(tmp_path / "q.db")
    ids = {add(store, f"o/r{i}", 1) for i in range(12)}
    claimed: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def worker() -> None:
        mine = Store(store.url)
        start.wait()
        while (row := claim_job(mine)) is not None:
            with lock:
                claimed.append(row.id)
        mine.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(ids)


def test_a_pull_request_with_an_active_job_gets_no_second_one(tmp_path: Path) -> None:
    """Guards against a burst of comments queueing the same work repeatedly."""
    store = store_at(tmp_path / "q.db")
    add(store, "o/a", 1)
    again = enqueue_job(
        store, repo="o/a", pr_number=1, trigger="label", requested_by="bob", options={}
    )
    assert again is None
    assert len(jobs(store)) == 1


def test_jobs_left_running_by_a_dead_bot_are_requeued_then_failed(tmp_path: Path) -> None:
    """Guards restarts: a job whose bot process died runs again, but not forever."""
    store = store_at(tmp_path / "q.db")
    jid = add(store, "o/a", 1)
    assert claim_job(store) is not None
    update_job(store, jid, pid=2**22 + 12345)  # no such process
    assert requeue_orphans(store, max_attempts=2) == [jid]
    row = job(store, jid)
    assert row is not None and row.status == "queued"
    assert claim_job(store) is not None  # attempt 2
    update_job(store, jid, pid=os.getpid())
    assert requeue_orphans(store, max_attempts=2) == [jid]
    row = job(store, jid)
    assert row is not None and row.status == "failed" and "too many times" in row.reason


def test_a_delivery_is_claimed_once_and_a_failed_one_can_come_again(tmp_path: Path) -> None:
    """Guards the redelivery check at the storage level (primary key, not a read-then-write),
    and that only a handled delivery counts as seen: a forgotten claim (the handler failed,
    the answer was a 5xx) lets GitHub's redelivery through, a finished one does not."""
    store = store_at(tmp_path / "q.db")
    assert claim_delivery(store, "issue_comment:created:1:t", "d-1", "issue_comment")
    assert not claim_delivery(store, "issue_comment:created:1:t", "d-2", "issue_comment")
    forget_delivery(store, "issue_comment:created:1:t")
    assert claim_delivery(store, "issue_comment:created:1:t", "d-3", "issue_comment")
    set_delivery_outcome(store, "issue_comment:created:1:t", "202 queued job 1")
    forget_delivery(store, "issue_comment:created:1:t")  # a finished delivery stays
    assert not claim_delivery(store, "issue_comment:created:1:t", "d-4", "issue_comment")
    row = delivery(store, "issue_comment:created:1:t")
    assert row is not None and (row.delivery_id, row.outcome) == ("d-3", "202 queued job 1")


def test_an_unfinished_claim_of_a_dead_handler_is_taken_over(tmp_path: Path) -> None:
    """Guards a crash between claiming and answering: after `stale_s` the claim is free."""
    store = store_at(tmp_path / "q.db")
    assert claim_delivery(store, "k", "d-1", "ping")
    assert not claim_delivery(store, "k", "d-2", "ping", stale_s=300)
    assert claim_delivery(store, "k", "d-2", "ping", stale_s=-1)
    assert not claim_delivery(store, "k", "d-3", "ping", stale_s=300)
