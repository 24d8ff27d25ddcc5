"""The webhook endpoint: verify, de-duplicate, recognise a request, queue it. Nothing slow
happens here (GitHub gives a delivery 10 seconds); the worker does the rest.

Order matters for safety: the signature is checked before anything is stored, so an
unsigned request can neither queue work nor burn a real delivery id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import shlex
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agent.github.config import BotConfig
from storage import Store
from storage.jobs import enqueue_job, record_delivery, set_delivery_outcome

log = logging.getLogger("perfagent.bot")


@dataclass(frozen=True)
class Reply:
    """The HTTP answer to one delivery."""

    status: int
    message: str


def sign(secret: bytes, body: bytes) -> str:
    """The `X-Hub-Signature-256` value GitHub sends for `body`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(secret: bytes, body: bytes, header: str | None) -> bool:
    """Constant-time check of an `X-Hub-Signature-256` header against `body`."""
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode())


class CommandError(ValueError):
    """A `/perfagent optimize` comment with options the bot does not take."""


def parse_command(text: str, prefix: str, max_budget: int) -> dict[str, Any] | None:
    """Options of a comment whose first line is `PREFIX [--bench CMD] [--test CMD]
    [--budget N]`; None when the comment is no request. CommandError on bad options."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if first != prefix and not first.startswith(prefix + " "):
        return None
    try:
        words = shlex.split(first[len(prefix) :])
    except ValueError as exc:
        raise CommandError(f"cannot parse options ({exc})") from None
    options: dict[str, Any] = {}
    it = iter(words)
    for word in it:
        key, _, inline = word.partition("=")
        if key not in ("--bench", "--test", "--budget"):
            raise CommandError(f"unknown option {word!r}")
        value = inline or next(it, None)
        if not value:
            raise CommandError(f"option {key} needs a value")
        if key == "--budget":
            if not value.isdigit() or not 1 <= int(value) <= max_budget:
                raise CommandError(f"--budget must be a whole number from 1 to {max_budget}")
            options["budget"] = int(value)
        else:
            options[key[2:]] = value
    return options


class WebhookHandler:
    """Turns one signed delivery into at most one queued job."""

    def __init__(self, store: Store, config: BotConfig, wake: threading.Event | None = None):
        secret = config.secret_value()
        if not secret:
            raise ValueError("no webhook secret: set PERFAGENT_WEBHOOK_SECRET")
        self._secret = secret.encode()
        self.store = store
        self.config = config
        self.wake = wake or threading.Event()

    def handle(self, headers: Mapping[str, str], body: bytes) -> Reply:
        h = {k.lower(): v for k, v in headers.items()}
        delivery = h.get("x-github-delivery", "").strip()[:100]
        event = h.get("x-github-event", "").strip()[:64]
        if not verify_signature(self._secret, body, h.get("x-hub-signature-256")):
            log.warning("bot: delivery %s rejected: bad or missing signature", delivery or "?")
            return Reply(401, "bad signature")
        if not delivery or not event:
            log.warning("bot: signed request without delivery id or event ignored")
            return Reply(400, "missing X-GitHub-Delivery or X-GitHub-Event")
        if not record_delivery(self.store, delivery, event):
            log.info("bot: delivery %s ignored: already seen (redelivery or replay)", delivery)
            return Reply(200, "duplicate delivery ignored")
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            reply = Reply(400, "body is not a JSON object")
        else:
            reply = self._route(event, delivery, payload)
        set_delivery_outcome(self.store, delivery, f"{reply.status} {reply.message}")
        log.info("bot: delivery %s (%s): %s", delivery, event, reply.message)
        return reply

    def _route(self, event: str, delivery: str, payload: dict[str, Any]) -> Reply:
        action = payload.get("action", "")
        if event == "ping":
            return Reply(200, "pong")
        if event == "issue_comment" and action == "created":
            return self._comment(delivery, payload)
        if event == "pull_request" and action == "labeled":
            return self._label(delivery, payload)
        return Reply(200, f"ignored: {event} {action}".strip())

    def _comment(self, delivery: str, payload: dict[str, Any]) -> Reply:
        issue = payload.get("issue") or {}
        comment = payload.get("comment") or {}
        user = comment.get("user") or {}
        if "pull_request" not in issue:
            return Reply(200, "ignored: comment on an issue, not a pull request")
        if user.get("type") == "Bot":
            return Reply(200, "ignored: comment by a bot")
        try:
            options = parse_command(
                str(comment.get("body") or ""), self.config.command, self.config.max_budget
            )
        except CommandError as exc:
            options = {"error": str(exc)}  # said to the requester only once they are authorized
        if options is None:
            return Reply(200, "ignored: no command")
        return self._enqueue(
            delivery, payload, int(issue["number"]), "comment", str(user.get("login")), options
        )

    def _label(self, delivery: str, payload: dict[str, Any]) -> Reply:
        label = (payload.get("label") or {}).get("name")
        if not self.config.label or label != self.config.label:
            return Reply(200, f"ignored: label {label!r}")
        pull = payload.get("pull_request") or {}
        sender = (payload.get("sender") or {}).get("login")
        return self._enqueue(
            delivery,
            payload,
            int(pull["number"]),
            "label",
            str(sender),
            {},
            head_sha=str((pull.get("head") or {}).get("sha", "")),
        )

    def _enqueue(
        self,
        delivery: str,
        payload: dict[str, Any],
        number: int,
        trigger: str,
        user: str,
        options: dict[str, Any],
        head_sha: str = "",
    ) -> Reply:
        repo = str((payload.get("repository") or {}).get("full_name") or "")
        if not repo or "/" not in repo:
            return Reply(400, "payload has no repository")
        job = enqueue_job(
            self.store,
            repo=repo,
            pr_number=number,
            trigger=trigger,
            requested_by=user,
            options=options,
            delivery_id=delivery,
            head_sha=head_sha,
        )
        if job is None:
            return Reply(200, f"ignored: {repo}#{number} already has a job queued or running")
        self.wake.set()
        return Reply(202, f"queued job {job.id} for {repo}#{number}")


def make_server(handler: WebhookHandler, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server that feeds POSTs to `handler` (any path) and answers GET /healthz."""
    limit = handler.config.max_body_bytes

    class Http(BaseHTTPRequestHandler):
        server_version = "perfagent-bot"

        def _reply(self, status: int, message: str) -> None:
            data = (json.dumps({"message": message}) + "\n").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") in ("/healthz", ""):
                self._reply(200, "ok")
            else:
                self._reply(404, "not found")

        def do_POST(self) -> None:
            try:
                length = int(self.headers.get("Content-Length") or "")
            except ValueError:
                self._reply(411, "Content-Length required")
                return
            if length > limit or length < 0:
                log.warning("bot: delivery refused: %d bytes is over the limit", length)
                self._reply(413, "payload too large")
                return
            body = self.rfile.read(length)
            try:
                reply = handler.handle(dict(self.headers.items()), body)
            except Exception:  # GitHub redelivers on 5xx (a failed delivery is not kept)
                log.exception(
                    "bot: delivery %s: internal error", self.headers.get("X-GitHub-Delivery")
                )
                reply = Reply(500, "internal error")
            self._reply(reply.status, reply.message)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("bot: http %s", format % args)

    server = ThreadingHTTPServer((host, port), Http)
    server.daemon_threads = True
    return server
