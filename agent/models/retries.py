"""Bounded retries for transient provider failures, and the errors they sort.

Why our own loop and not the SDKs' `max_retries` (which both SDKs have, with backoff that reads
`Retry-After`): the SDKs honour a `Retry-After` only up to 60 s and otherwise fall back to their
own short backoff, so against a server that asks for an hour they retry uselessly; they have no
bound on the total wait of one query; they cannot be told to give the slot of a one-slot local
server back between attempts (`agent.models.local`); and their sleeps cannot be injected, so
tests would wait for real. Here a `Retry-After` above `RetryPolicy.max_delay_s` ends the query
with a `ModelError` at once, the total wait is bounded, and tests record the waits instead of
sleeping. The SDK clients are built with `max_retries=0` so this is the only retry layer.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from agent.exceptions import ModelAuthError, ModelError

T = TypeVar("T")


# retries -------------------------------------------------------------------------------------
class TransientModelError(ModelError):
    """A failure worth retrying (429, 5xx, timeout, connection reset, garbled reply)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for transient provider failures."""

    max_attempts: int = 5
    """Calls at most for one query, the first included."""
    base_delay_s: float = 1.0
    """Wait before the first retry; doubled each retry (with ±25 % jitter)."""
    max_delay_s: float = 60.0
    """Longest single wait. A Retry-After above this ends the query instead of sleeping."""
    max_total_wait_s: float = 180.0
    """Longest total wait across retries of one query."""
    jitter: float = 0.25


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    if not headers:
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    raw_ms = lower.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = lower.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    """Run `call`, retrying only `TransientModelError`s, within `policy`'s bounds.

    Any other exception (auth, bad request, budget) passes through at once. When retries are
    spent the last transient error is raised as a plain `ModelError` saying how often it tried.
    """
    rng = rng or random.Random()
    waited = 0.0
    for attempt in range(1, policy.max_attempts + 1):
        try:
            return call()
        except TransientModelError as exc:
            if attempt >= policy.max_attempts:
                raise ModelError(f"{exc} (gave up after {attempt} attempts)") from exc
            if exc.retry_after is not None:
                delay = exc.retry_after
                if delay > policy.max_delay_s:
                    raise ModelError(
                        f"{exc} (server asks to wait {delay:.0f} s, more than the "
                        f"{policy.max_delay_s:.0f} s limit)"
                    ) from exc
            else:
                delay = min(policy.max_delay_s, policy.base_delay_s * 2 ** (attempt - 1))
                delay *= 1 + rng.uniform(-policy.jitter, policy.jitter)
            if waited + delay > policy.max_total_wait_s:
                raise ModelError(
                    f"{exc} (gave up after {attempt} attempts and {waited:.0f} s of waiting)"
                ) from exc
            sleep(delay)
            waited += delay
    raise AssertionError("unreachable")  # pragma: no cover


def status_error(
    provider: str, status: int, headers: Mapping[str, str] | None, key_env: str
) -> ModelError:
    """The error for an HTTP status from a provider, in one line and without the body."""
    if status in (401, 403):
        return ModelAuthError(
            f"{provider}: the API key was rejected (HTTP {status}); check {key_env}"
            if key_env
            else f"{provider}: the server refused the request (HTTP {status}); check its API key"
        )
    if status in (408, 409, 425, 429) or status >= 500:
        what = "rate limited" if status == 429 else f"server error HTTP {status}"
        return TransientModelError(f"{provider}: {what}", parse_retry_after(headers))
    return ModelError(f"{provider}: request rejected (HTTP {status})")
