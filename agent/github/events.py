"""Reading a webhook payload: what it asks for, and the key that says which event it is.

Both read only the signed body. A payload missing a field its event must have raises
`PayloadError` (a 400 with one line naming the field), never a KeyError and a 500.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class PayloadError(ValueError):
    """A signed payload without a field its event must have (one line, names the field)."""


@dataclass(frozen=True)
class JobRequest:
    """A pull request someone asked the bot to optimize."""

    repo: str
    number: int
    trigger: str
    user: str
    options: dict[str, Any] = field(default_factory=dict)
    head_sha: str = ""


def need(payload: Mapping[str, Any], path: str, kind: type, event: str) -> Any:
    """The value at dotted `path`, which must be a `kind`; PayloadError names it otherwise."""
    value: Any = payload
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, kind) or value in ("", None):
        raise PayloadError(f"{event} payload has no {path}")
    return value


def repository(payload: Mapping[str, Any], event: str) -> str:
    full = str(need(payload, "repository.full_name", str, event))
    if "/" not in full:
        raise PayloadError(f"{event} payload has no repository.full_name of the form OWNER/NAME")
    return full


def comment_request(payload: Mapping[str, Any], event: str = "issue_comment") -> JobRequest:
    """The job an `issue_comment` `created` event could ask for (options still unparsed)."""
    number = int(need(payload, "issue.number", int, event))
    need(payload, "comment.id", int, event)
    need(payload, "comment.updated_at", str, event)
    user = str(need(payload, "comment.user.login", str, event))
    return JobRequest(repository(payload, event), number, "comment", user)


def label_request(payload: Mapping[str, Any], event: str = "pull_request") -> JobRequest:
    """The job a `pull_request` `labeled` event could ask for."""
    number = int(need(payload, "pull_request.number", int, event))
    head = str(need(payload, "pull_request.head.sha", str, event))
    user = str(need(payload, "sender.login", str, event))
    need(payload, "label.name", str, event)
    return JobRequest(repository(payload, event), number, "label", user, head_sha=head)


def event_key(event: str, payload: Mapping[str, Any], body: bytes) -> str:
    """Which event this is, from the signed body alone: a comment event is its comment id,
    the comment's `updated_at` and the action; a pull request event its id or number,
    `updated_at`, action and label; anything else the hash of the body."""
    action = str(payload.get("action") or "")
    comment = payload.get("comment")
    pull = payload.get("pull_request")
    parts: list[Any] | None = None
    if event == "issue_comment" and isinstance(comment, Mapping) and comment.get("id"):
        parts = [comment.get("id"), comment.get("updated_at")]
    elif event == "pull_request" and isinstance(pull, Mapping) and pull.get("updated_at"):
        label = payload.get("label")
        name = label.get("name") if isinstance(label, Mapping) else None
        parts = [pull.get("id") or pull.get("number"), pull.get("updated_at"), name]
    if parts is None:
        return f"{event}:{action}:sha256:{hashlib.sha256(body).hexdigest()[:40]}"
    key = ":".join([event, action, *(str(p) for p in parts)])
    if len(key) > 200:
        key = f"{event}:{action}:sha256:{hashlib.sha256(json.dumps(parts).encode()).hexdigest()}"
    return key
