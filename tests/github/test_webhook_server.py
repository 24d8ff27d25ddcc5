"""The webhook server against hostile and unlucky clients, over real sockets on loopback:
replays under new delivery ids, payloads missing fields, failures GitHub must be able to
redeliver, slow-loris clients, oversized bodies and concurrent deliveries."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from agent.github import webhook
from agent.github.service import BotService
from agent.github.webhook import sign
from storage import Store
from storage.jobs import deliveries, jobs
from tests.github.conftest import SECRET, FakeRunner, Hub, start_bot
from tests.github.test_bot import comment_payload, deliver, wait_done


@pytest.fixture
def strict_bot(bot_store: Store, tmp_path: Path, hub: Hub) -> Iterator[BotService]:
    """A bot with a 1 s read deadline, a 4 KiB body limit and three connections at most."""
    service = start_bot(
        bot_store,
        tmp_path,
        FakeRunner(),
        read_timeout_s=1.0,
        max_body_bytes=4096,
        max_connections=3,
    )
    yield service
    service.stop()


def connect(url: str) -> socket.socket:
    parsed = urlparse(url)
    sock = socket.create_connection((parsed.hostname, parsed.port), timeout=30)
    return sock


def closed_by_server(sock: socket.socket, within_s: float = 30.0) -> bool:
    """Whether the server closes `sock` (EOF or reset) while we wait, reading what it sends."""
    sock.settimeout(within_s)
    try:
        while sock.recv(4096):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


def signed_headers(body: bytes, event: str = "ping", delivery_id: str = "x") -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id,
        "X-Hub-Signature-256": sign(SECRET.encode(), body),
    }


def test_a_replay_under_a_new_delivery_id_queues_nothing(
    bot: BotService, bot_store: Store, feature: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Guards the replay hole: the same signed comment event under a fresh X-GitHub-Delivery
    is recognised by its comment id, updated_at and action; an edited comment (a new
    updated_at) is a different event, but an `edited` action never queues a job."""
    caplog.set_level(logging.INFO)
    payload = comment_payload("/perfagent optimize")
    assert deliver(bot.url, "issue_comment", payload, delivery_id="a-1").status_code == 202
    replay = deliver(bot.url, "issue_comment", payload, delivery_id="a-2")
    assert replay.status_code == 200 and replay.json()["message"] == "duplicate delivery ignored"
    edited = {**payload, "action": "edited"}
    edited["comment"] = {**payload["comment"], "updated_at": "2026-05-01T11:00:00Z"}
    assert "ignored" in deliver(bot.url, "issue_comment", edited).json()["message"]
    wait_done(bot_store)
    assert len(jobs(bot_store)) == 1
    kept = {d.key: d.outcome for d in deliveries(bot_store)}
    comment_id = payload["comment"]["id"]
    assert kept[f"issue_comment:created:{comment_id}:2026-05-01T10:00:00Z"].startswith("202")


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        (("issue", "number"), "issue_comment payload has no issue.number"),
        (("comment", "id"), "issue_comment payload has no comment.id"),
        (("repository", "full_name"), "issue_comment payload has no repository.full_name"),
    ],
)
def test_a_payload_missing_a_required_field_is_a_400_naming_it(
    bot: BotService,
    bot_store: Store,
    caplog: pytest.LogCaptureFixture,
    drop: tuple[str, str],
    message: str,
) -> None:
    """Guards the 500-and-traceback on a comment without an issue number: a 4xx with one
    line, nothing stored, no traceback logged."""
    caplog.set_level(logging.INFO)
    payload = comment_payload("/perfagent optimize")
    del payload[drop[0]][drop[1]]
    reply = deliver(bot.url, "issue_comment", payload)
    assert reply.status_code == 400
    assert reply.json() == {"message": message}
    assert deliveries(bot_store) == [] and jobs(bot_store) == []
    assert "Traceback" not in caplog.text and message in caplog.text


def test_a_delivery_that_fails_is_not_kept_so_its_redelivery_is_handled(
    bot: BotService, bot_store: Store, feature: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards lost requests: the delivery id used to be stored before handling, so GitHub's
    redelivery of a delivery answered 500 was ignored as a duplicate."""
    real = webhook.enqueue_job
    calls: list[int] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the store went away for a moment")
        return real(*args, **kwargs)

    monkeypatch.setattr(webhook, "enqueue_job", flaky)
    payload = comment_payload("/perfagent optimize")
    failed = deliver(bot.url, "issue_comment", payload, delivery_id="r-1")
    assert failed.status_code == 500 and failed.json() == {"message": "internal error"}
    assert deliveries(bot_store) == []
    redelivered = deliver(bot.url, "issue_comment", payload, delivery_id="r-1")
    assert redelivered.status_code == 202, redelivered.text
    assert [j.status for j in wait_done(bot_store)] == ["done"]


@pytest.mark.parametrize("stage", ["headers", "body"])
def test_a_slow_loris_client_is_cut_off_and_blocks_no_one(
    strict_bot: BotService, bot_store: Store, stage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Guards the unbounded, timeout-less server: a client dribbling its headers (or its
    body) is disconnected after the read deadline, and others are answered meanwhile."""
    caplog.set_level(logging.INFO)
    sock = connect(strict_bot.url)
    body = json.dumps({"zen": "slow"}).encode()
    head = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n".encode()
    sock.sendall(head if stage == "headers" else head + b"\r\n" + body[:3])
    stop = threading.Event()

    def dribble() -> None:
        for byte in (b"X-Slow: 1\r\n" if stage == "headers" else body[3:]) * 50:
            if stop.wait(0.2):
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    try:
        others = [deliver(strict_bot.url, "ping", {"n": n}) for n in range(3)]
        assert [r.json()["message"] for r in others] == ["pong"] * 3
        assert closed_by_server(sock)
    finally:
        stop.set()
        thread.join()
        sock.close()
    assert len(deliveries(bot_store)) == 3
    assert "request not received within 1 s" in caplog.text


def test_slow_clients_cannot_hold_the_connections_for_long(strict_bot: BotService) -> None:
    """Guards exhaustion: over `max_connections` the server answers 503 at once, and the
    slots held by silent clients come back once their read deadline closes them."""
    idle = [connect(strict_bot.url) for _ in range(3)]
    try:
        time.sleep(0.2)  # let the server accept them
        assert deliver(strict_bot.url, "ping", {"n": "busy"}).status_code == 503
        assert all(closed_by_server(s) for s in idle)
        assert deliver(strict_bot.url, "ping", {"n": "free"}).json() == {"message": "pong"}
    finally:
        for s in idle:
            s.close()


def test_oversized_bodies_are_413_declared_or_chunked(
    strict_bot: BotService, bot_store: Store
) -> None:
    """Guards memory: a declared length over the limit is refused before reading, and a
    chunked body without a length is cut off once it passes the limit."""
    body = json.dumps({"pad": "x" * 10_000}).encode()
    declared = httpx.post(strict_bot.url, content=body, headers=signed_headers(body), timeout=30)
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    chunked = httpx.post(strict_bot.url, content=chunks(), headers=signed_headers(body),
                         timeout=30)  # fmt: skip
    assert chunked.status_code == 413
    assert deliveries(bot_store) == []


def test_concurrent_deliveries_are_each_answered_and_one_event_queues_one_job(
    bot: BotService, bot_store: Store, feature: str
) -> None:
    """Guards concurrency: many deliveries at once are all answered; the same comment event
    arriving at once under different delivery ids queues exactly one job."""
    payload = comment_payload("/perfagent optimize")
    with ThreadPoolExecutor(max_workers=12) as pool:
        pings = [pool.submit(deliver, bot.url, "ping", {"n": n}) for n in range(16)]
        same = [
            pool.submit(deliver, bot.url, "issue_comment", payload, delivery_id=f"c-{n}")
            for n in range(8)
        ]
        answers = [f.result().json()["message"] for f in pings]
        codes = sorted(f.result().status_code for f in same)
    assert answers == ["pong"] * 16
    assert codes == [200] * 7 + [202]
    assert len(wait_done(bot_store)) == 1
    assert len(deliveries(bot_store)) == 17
