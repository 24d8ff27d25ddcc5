"""`perfagent bot serve`: signed webhook deliveries over real HTTP, jobs through the store's
queue and a worker thread, answers on a loopback GitHub. The optimize run is injected."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.github.runner import OptimizeOutcome, OptimizeRequest
from agent.github.service import BotService
from agent.github.webhook import sign
from storage import Store
from storage.jobs import ACTIVE, GitHubJob, deliveries, jobs
from tests.github.conftest import (
    FAST,
    FULL,
    SECRET,
    TOKEN,
    FakeRunner,
    Hub,
    start_bot,
)


def deliver(
    url: str,
    event: str,
    payload: dict[str, Any],
    *,
    secret: str = SECRET,
    delivery_id: str | None = None,
) -> httpx.Response:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(secret.encode(), body),
    }
    return httpx.post(url, content=body, headers=headers, timeout=30)


COMMENT_IDS = itertools.count(1000)


def comment_payload(
    body: str, user: str = "alice", number: int = 7, **extra: Any
) -> dict[str, Any]:
    """An `issue_comment` `created` payload as GitHub sends it, for a new comment each call."""
    issue: dict[str, Any] = {"number": number, "pull_request": {"url": "..."}}
    comment = {
        "id": next(COMMENT_IDS),
        "body": body,
        "user": {"login": user, "type": "User"},
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": "2026-05-01T10:00:00Z",
    }
    return {
        "action": "created",
        "issue": issue,
        "comment": comment,
        "repository": {"full_name": FULL},
        "sender": {"login": user},
        **extra,
    }


def wait_done(store: Store, count: int = 1) -> list[GitHubJob]:
    """Jobs once `count` of them have left the queue (a generous bound, not a speed test)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = jobs(store)
        if len(rows) >= count and all(j.status not in ACTIVE for j in rows):
            return rows
        time.sleep(0.05)
    raise AssertionError(f"jobs did not finish: {[(j.id, j.status) for j in jobs(store)]}")


def everything_logged_or_stored(caplog: pytest.LogCaptureFixture, store: Store) -> bytes:
    path = Path(store.url.removeprefix("sqlite:///"))
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    return data + caplog.text.encode()


def test_a_writers_comment_queues_a_job_and_opens_a_follow_up_pr(
    bot: BotService,
    bot_store: Store,
    hub: Hub,
    feature: str,
    runner: FakeRunner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Guards the main path: signed comment → queued row → worker → clone of the PR head →
    optimize → PR against the PR's branch with the evidence, one bot comment, no token leak."""
    caplog.set_level(logging.INFO)
    reply = deliver(bot.url, "issue_comment", comment_payload("/perfagent optimize --budget 2"))
    assert reply.status_code == 202, reply.text
    (job,) = wait_done(bot_store)
    assert job.status == "done", job.reason
    assert runner.heads == [feature]  # it optimized the PR's head, fetched from "GitHub"
    assert dict(runner.requests[0].options) == {"budget": 2}
    follow_up = hub.fake.pulls[8]
    assert job.result_url == follow_up["html_url"]
    assert follow_up["base"]["ref"] == "feature"
    assert hub.fake.file_at(follow_up["head"]["ref"], "calc/core.py") == FAST.strip()
    assert hub.fake.file_at(follow_up["head"]["ref"], "calc/extra.py") == "Z = 3"
    assert "| wall time, re-measured from scratch |" in follow_up["body"]
    assert "95 % CI of ratio" in follow_up["body"]
    (comment,) = hub.fake.comments.values()  # one comment, edited in place
    assert comment["issue"] == 7
    assert follow_up["html_url"] in comment["body"]
    assert len(hub.fake.calls("PATCH", r"/issues/comments/")) >= 1
    assert job.run_id and job.head_sha == feature
    assert not (bot.config.home / "work" / f"job-{job.id}").exists()
    assert TOKEN not in hub.fake.everything_sent_to_us()
    assert TOKEN.encode() not in everything_logged_or_stored(caplog, bot_store)
    assert SECRET.encode() not in everything_logged_or_stored(caplog, bot_store)


def test_a_bad_signature_is_refused_and_stores_nothing(
    bot: BotService, bot_store: Store, hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    """Guards against forged deliveries: 401, no job, no delivery id burnt, a log line."""
    caplog.set_level(logging.INFO)
    reply = deliver(
        bot.url,
        "issue_comment",
        comment_payload("/perfagent optimize"),
        secret="not-the-secret",
        delivery_id="forged-1",
    )
    assert reply.status_code == 401
    unsigned = httpx.post(
        bot.url, content=b"{}", headers={"X-GitHub-Event": "ping", "X-GitHub-Delivery": "u1"}
    )
    assert unsigned.status_code == 401
    assert jobs(bot_store) == []
    assert deliveries(bot_store) == []
    assert "forged-1 rejected: bad or missing signature" in caplog.text
    assert hub.fake.requests == []


def test_a_replayed_delivery_is_ignored(
    bot: BotService,
    bot_store: Store,
    hub: Hub,
    feature: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Guards against redeliveries and replays of a captured request running a job twice,
    under the same delivery id or a new one (the signature does not cover the header)."""
    caplog.set_level(logging.INFO)
    payload = comment_payload("/perfagent optimize")
    first = deliver(bot.url, "issue_comment", payload, delivery_id="d-1")
    again = deliver(bot.url, "issue_comment", payload, delivery_id="d-1")
    replay = deliver(bot.url, "issue_comment", payload, delivery_id="d-2-forged")
    assert first.status_code == 202
    for reply in (again, replay):
        assert reply.status_code == 200 and "duplicate" in reply.text
    wait_done(bot_store)
    assert len(jobs(bot_store)) == 1
    assert "d-2-forged ignored: already seen" in caplog.text


def test_a_commenter_without_write_permission_gets_nothing(
    bot: BotService,
    bot_store: Store,
    hub: Hub,
    feature: str,
    runner: FakeRunner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Guards against anyone who can comment spending the bot's compute or opening PRs;
    the refusal is logged, not commented (a quiet bot is not a noisy one)."""
    caplog.set_level(logging.INFO)
    hub.fake.permissions["bob"] = "read"
    for user in ("bob", "mallory"):  # read-only, and not a collaborator at all (404)
        deliver(bot.url, "issue_comment", comment_payload("/perfagent optimize", user=user))
        wait_done(bot_store, 1 if user == "bob" else 2)
    assert [j.status for j in jobs(bot_store)] == ["denied", "denied"]
    assert runner.requests == []
    assert hub.fake.comments == {}
    assert len(hub.fake.pulls) == 1
    assert "bob has no write permission on octo/calc" in caplog.text
    assert "mallory has no write permission" in caplog.text


def test_a_run_without_an_accepted_candidate_says_so_plainly(
    bot_store: Store,
    tmp_path: Path,
    hub: Hub,
    feature: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Guards the no-gain path: no PR, one plain comment, job marked no-improvement."""
    caplog.set_level(logging.INFO)
    service = start_bot(bot_store, tmp_path, FakeRunner(accepted=False))
    try:
        deliver(service.url, "issue_comment", comment_payload("/perfagent optimize"))
        (job,) = wait_done(bot_store)
    finally:
        service.stop()
    assert job.status == "no-improvement"
    assert set(hub.fake.pulls) == {7}
    (comment,) = hub.fake.comments.values()
    assert "found nothing confirmed faster" in comment["body"]
    assert "no pull request opened" in comment["body"]
    assert f"job {job.id}: no improvement" in caplog.text


def test_the_trigger_label_queues_a_job_and_other_labels_do_not(
    bot: BotService, bot_store: Store, hub: Hub, feature: str
) -> None:
    """Guards the label trigger (checked against the labeller's permission)."""
    pull = {"number": 7, "head": {"sha": feature, "ref": "feature"}}
    base = {"action": "labeled", "pull_request": pull, "repository": {"full_name": FULL}}
    other = deliver(
        bot.url, "pull_request", {**base, "label": {"name": "bug"}, "sender": {"login": "alice"}}
    )
    assert other.status_code == 200 and "ignored" in other.text
    ours = deliver(
        bot.url,
        "pull_request",
        {**base, "label": {"name": "perfagent"}, "sender": {"login": "alice"}},
    )
    assert ours.status_code == 202
    (job,) = wait_done(bot_store)
    assert (job.trigger, job.status) == ("label", "done")
    assert 8 in hub.fake.pulls


def test_bad_options_get_a_usage_reply_for_authorized_users_only(
    bot: BotService, bot_store: Store, hub: Hub, feature: str, runner: FakeRunner
) -> None:
    """Guards the reply to a malformed command: said to a writer, never run."""
    deliver(bot.url, "issue_comment", comment_payload("/perfagent optimize --model gpt-9"))
    (job,) = wait_done(bot_store)
    assert job.status == "failed"
    (comment,) = hub.fake.comments.values()
    assert "unknown option '--model'" in comment["body"]
    assert comment["body"].startswith("perfagent did not start")
    assert runner.requests == []


def test_other_events_are_acknowledged_and_ignored(
    bot: BotService, bot_store: Store, hub: Hub
) -> None:
    """Guards against reacting to pings, plain issues, bots (our own comments) or chatter."""
    assert deliver(bot.url, "ping", {"zen": "hi"}).json()["message"] == "pong"
    on_issue = comment_payload("/perfagent optimize")
    del on_issue["issue"]["pull_request"]
    by_bot = comment_payload("/perfagent optimize")
    by_bot["comment"]["user"]["type"] = "Bot"
    for payload in (on_issue, by_bot, comment_payload("nice work, /perfagent optimize later")):
        reply = deliver(bot.url, "issue_comment", payload)
        assert reply.status_code == 200 and "ignored" in reply.json()["message"]
    assert jobs(bot_store) == []
    assert httpx.get(bot.url + "/healthz").json() == {"message": "ok"}


def test_stopping_mid_job_requeues_it_and_the_next_bot_finishes_it(
    bot_store: Store, tmp_path: Path, hub: Hub, feature: str
) -> None:
    """Guards restarts: a job cancelled by `stop()` goes back to the queue, the next bot
    runs it, and the PR still gets one comment (edited), not two."""
    started = threading.Event()

    def blocking(req: OptimizeRequest, cancel: threading.Event) -> OptimizeOutcome:
        started.set()
        cancel.wait(120)
        return OptimizeOutcome(-1, None, "the bot is stopping")

    first = start_bot(bot_store, tmp_path, blocking)
    deliver(first.url, "issue_comment", comment_payload("/perfagent optimize"))
    assert started.wait(120)
    first.stop()
    (job,) = jobs(bot_store)
    assert job.status == "queued" and "requeued" in job.reason
    second = start_bot(bot_store, tmp_path, FakeRunner())
    try:
        (job,) = wait_done(bot_store)
    finally:
        second.stop()
    assert job.status == "done" and job.attempts == 2
    (comment,) = hub.fake.comments.values()
    assert "perfagent opened" in comment["body"]


def test_a_broken_base_is_reported_in_one_plain_comment(
    bot_store: Store, tmp_path: Path, hub: Hub, feature: str
) -> None:
    """Guards the exit-3 path: the job fails, the comment says why, nothing is opened."""

    def broken(req: OptimizeRequest, cancel: threading.Event) -> OptimizeOutcome:
        return OptimizeOutcome(3, None, "perfagent: the tests fail on the base")

    service = start_bot(bot_store, tmp_path, broken)
    try:
        deliver(service.url, "issue_comment", comment_payload("/perfagent optimize"))
        (job,) = wait_done(bot_store)
    finally:
        service.stop()
    assert job.status == "failed" and "base is broken" in job.reason
    (comment,) = hub.fake.comments.values()
    assert "the tests fail on the base" in comment["body"]
    assert set(hub.fake.pulls) == {7}


@pytest.mark.parametrize("log_url", ["", "https://bot.example/logs/"])
def test_an_internal_error_says_perfagent_failed_and_where_the_log_is(
    bot_store: Store, tmp_path: Path, hub: Hub, feature: str, log_url: str
) -> None:
    """Guards crashes reported as "nothing found": exit 4 (an internal error) is said as
    "perfagent failed" with the job's log, and the run's stderr is kept in that log."""

    def crashing(req: OptimizeRequest, cancel: threading.Event) -> OptimizeOutcome:
        assert req.log_path is not None
        req.log_path.parent.mkdir(parents=True, exist_ok=True)
        req.log_path.write_text("Traceback ...\nperfagent: internal error; see the log\n")
        return OptimizeOutcome(4, None, "perfagent: internal error", log_path=req.log_path)

    service = start_bot(bot_store, tmp_path, crashing, log_url=log_url)
    try:
        deliver(service.url, "issue_comment", comment_payload("/perfagent optimize"))
        (job,) = wait_done(bot_store)
    finally:
        service.stop()
    (comment,) = hub.fake.comments.values()
    where = f"{log_url}job-{job.id}.log" if log_url else f"`logs/job-{job.id}.log`"
    assert "perfagent failed (exit 4, an internal error); log: " + where in comment["body"]
    assert "nothing" not in comment["body"]
    assert job.status == "failed" and job.reason.startswith("perfagent failed")
    assert (tmp_path / "home" / "logs" / f"job-{job.id}.log").read_text().startswith("Traceback")


def test_a_fork_gets_the_evidence_and_patch_as_a_comment(
    bot: BotService, bot_store: Store, hub: Hub, feature: str
) -> None:
    """Guards PRs from forks (their branch is not writable with this token): the evidence
    and the patch are commented instead of a branch push that would fail."""
    hub.fake.pulls[7]["head"]["repo"] = {**hub.fake.repo_json(), "full_name": "someone/calc"}
    deliver(bot.url, "issue_comment", comment_payload("/perfagent optimize"))
    (job,) = wait_done(bot_store)
    assert job.status == "done" and "fork" in job.reason
    (comment,) = hub.fake.comments.values()
    assert "| wall time, re-measured from scratch |" in comment["body"]
    assert "```diff" in comment["body"] and "-    time.sleep(0.25)" in comment["body"]
    assert set(hub.fake.pulls) == {7}
    assert hub.fake.calls("POST", "/git/") == []


def test_oversized_or_malformed_bodies_are_refused(
    bot_store: Store, tmp_path: Path, hub: Hub
) -> None:
    """Guards the HTTP edge: 413 over the size limit (nothing read or stored), 400 for a
    signed body that is not a JSON object."""
    service = start_bot(bot_store, tmp_path, FakeRunner(), max_body_bytes=1024)
    try:
        big = deliver(service.url, "ping", {"pad": "x" * 2000}, delivery_id="big")
        assert big.status_code == 413
        assert deliveries(bot_store) == []
        body = b"[1, 2"
        headers = {
            "X-GitHub-Event": "ping",
            "X-GitHub-Delivery": "bad-json",
            "X-Hub-Signature-256": sign(SECRET.encode(), body),
        }
        assert httpx.post(service.url, content=body, headers=headers).status_code == 400
    finally:
        service.stop()
    assert jobs(bot_store) == []
