"""The webhook endpoint: verify, read the event, de-duplicate, queue. Nothing slow happens
here (GitHub gives a delivery 10 seconds); the worker does the rest.

Order matters for safety. The signature is checked before anything is stored, so an unsigned
request can neither queue work nor mark an event seen. De-duplication keys on what the
signed body proves (`event_key`): a captured delivery replayed under a new
`X-GitHub-Delivery` header is still the same event. A payload missing a field its event must
have is a 400 before anything is stored, and an event counts as seen only once it was handled:
when handling fails (a 5xx), the claim is dropped so GitHub's redelivery is handled anew.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import shlex
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from agent.github.config import BotConfig
from agent.github.events import JobRequest, PayloadError, comment_request, event_key, label_request
from storage import Store
from storage.jobs import claim_delivery, enqueue_job, forget_delivery, set_delivery_outcome

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
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise PayloadError("body is not a JSON object")
            wanted = self.read(event, payload)
        except ValueError as exc:  # PayloadError, or JSON that does not parse
            reason = str(exc) if isinstance(exc, PayloadError) else "body is not a JSON object"
            log.warning("bot: delivery %s (%s) refused: %s", delivery, event, reason)
            return Reply(400, reason)
        key = event_key(event, payload, body)
        if not claim_delivery(self.store, key, delivery, event):
            log.info("bot: delivery %s ignored: already seen (redelivery or replay of %s)",
                     delivery, key)  # fmt: skip
            return Reply(200, "duplicate delivery ignored")
        try:
            reply = wanted if isinstance(wanted, Reply) else self._enqueue(delivery, wanted)
        except BaseException:
            forget_delivery(self.store, key)  # not handled: GitHub's redelivery must get through
            raise
        set_delivery_outcome(self.store, key, f"{reply.status} {reply.message}")
        log.info("bot: delivery %s (%s): %s", delivery, event, reply.message)
        return reply

    def read(self, event: str, payload: dict[str, Any]) -> Reply | JobRequest:
        """What the event asks for: a job, or the answer to give (PayloadError if malformed)."""
        action = payload.get("action", "")
        if event == "ping":
            return Reply(200, "pong")
        if event == "issue_comment" and action == "created":
            return self._comment(payload)
        if event == "pull_request" and action == "labeled":
            request = label_request(payload)
            label = payload["label"]["name"]
            if not self.config.label or label != self.config.label:
                return Reply(200, f"ignored: label {label!r}")
            return request
        return Reply(200, f"ignored: {event} {action}".strip())

    def _comment(self, payload: dict[str, Any]) -> Reply | JobRequest:
        request = comment_request(payload)
        comment = payload["comment"]
        if "pull_request" not in payload["issue"]:
            return Reply(200, "ignored: comment on an issue, not a pull request")
        if comment["user"].get("type") == "Bot":
            return Reply(200, "ignored: comment by a bot")
        try:
            options = parse_command(
                str(comment.get("body") or ""), self.config.command, self.config.max_budget
            )
        except CommandError as exc:
            options = {"error": str(exc)}  # said to the requester only once they are authorized
        if options is None:
            return Reply(200, "ignored: no command")
        return replace(request, options=options)

    def _enqueue(self, delivery: str, request: JobRequest) -> Reply:
        job = enqueue_job(
            self.store,
            repo=request.repo,
            pr_number=request.number,
            trigger=request.trigger,
            requested_by=request.user,
            options=request.options,
            delivery_id=delivery,
            head_sha=request.head_sha,
        )
        where = f"{request.repo}#{request.number}"
        if job is None:
            return Reply(200, f"ignored: {where} already has a job queued or running")
        self.wake.set()
        return Reply(202, f"queued job {job.id} for {where}")
