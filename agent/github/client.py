"""A small GitHub REST client: the endpoints the PR bot uses, with rate limits honoured.

The token only ever travels in the `Authorization` header; error messages carry the
method, path and GitHub's message, never headers.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from agent.exceptions import PerfagentError
from agent.github.config import GitHubConfig

log = logging.getLogger("perfagent.github")

RETRY_STATUSES = (500, 502, 503, 504)
WRITE_PERMISSIONS = ("admin", "maintain", "write")


class GitHubError(PerfagentError):
    """GitHub refused or failed a request (the message is one line, without secrets)."""

    exit_code = 1

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class RateLimited(GitHubError):
    """GitHub asked us to wait longer than `GitHubConfig.max_wait_s`, or retries ran out."""


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if not isinstance(data, dict):
        return response.reason_phrase
    text = str(data.get("message", response.reason_phrase))
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        details = "; ".join(
            str(e.get("message") or e.get("code") or e) if isinstance(e, dict) else str(e)
            for e in errors
        )
        text = f"{text} ({details})"
    return " ".join(text.split())


class GitHubClient:
    """Typed calls over GitHub's REST API (api.github.com or an Enterprise `/api/v3` URL).

    Rate limits: when a response says `X-RateLimit-Remaining: 0`, the next request waits
    until `X-RateLimit-Reset`; a 403/429 with `Retry-After` (or an exhausted limit) is
    retried after the wait GitHub asked for; 5xx and dropped connections are retried with
    exponential back-off. Waits longer than `max_wait_s` raise `RateLimited`.
    """

    def __init__(
        self,
        config: GitHubConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        token = config.token_value()
        if not token:
            raise GitHubError("no GitHub token: set GITHUB_TOKEN or GH_TOKEN")
        self.config = config
        self._sleep = sleep
        self._clock = clock
        self._blocked_until = 0.0
        self.waited_s = 0.0
        """Seconds spent waiting on rate limits (for logs and tests)."""
        self._http = httpx.Client(
            base_url=config.api_url.rstrip("/"),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": config.user_agent,
            },
            timeout=config.timeout_s,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # transport -------------------------------------------------------------------------------
    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.config.max_wait_s:
            raise RateLimited(
                f"GitHub asks to wait {seconds:.0f}s ({why}), more than max_wait_s="
                f"{self.config.max_wait_s:.0f}",
                429,
            )
        if seconds > 0:
            log.warning("github: waiting %.1fs (%s)", seconds, why)
            self.waited_s += seconds
            self._sleep(seconds)

    def _note_limits(self, response: httpx.Response) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset = response.headers.get("X-RateLimit-Reset")
        if remaining == "0" and reset and reset.isdigit():
            self._blocked_until = float(reset)

    def _limit_wait(self, response: httpx.Response) -> float | None:
        """Seconds GitHub asks us to wait before retrying, or None if this is no rate limit."""
        if response.status_code not in (403, 429):
            return None
        retry_after = response.headers.get("Retry-After")
        if retry_after and retry_after.strip().isdigit():
            return float(retry_after)
        reset = response.headers.get("X-RateLimit-Reset")
        if response.headers.get("X-RateLimit-Remaining") == "0" and reset and reset.isdigit():
            return max(0.0, float(reset) - self._clock()) + 1
        if response.status_code == 429 or "rate limit" in _message(response).lower():
            return 60.0  # GitHub's advice for secondary limits without a header
        return None

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        allow: tuple[int, ...] = (),
    ) -> Any:
        """Send one request; return the decoded JSON (None for 204 or an allowed status)."""
        where = f"{method} {path}"
        for attempt in range(self.config.max_retries + 1):
            now = self._clock()
            if self._blocked_until > now:
                self._wait(self._blocked_until - now + 1, "rate limit exhausted")
                self._blocked_until = 0.0
            last = attempt == self.config.max_retries
            try:
                response = self._http.request(method, path, json=json, params=params)
            except httpx.TransportError as exc:
                # A write may have reached GitHub before the connection dropped: retrying
                # it could open a second PR or comment, so only unsent writes are retried.
                unsent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                if last or (method != "GET" and not unsent):
                    raise GitHubError(f"{where}: {exc.__class__.__name__}: {exc}") from None
                self._wait(2.0**attempt, f"{where} failed: {exc.__class__.__name__}")
                continue
            self._note_limits(response)
            wait = self._limit_wait(response)
            if wait is not None:
                if last:
                    raise RateLimited(f"{where}: still rate limited after {attempt + 1} tries", 429)
                self._wait(wait, f"{where}: rate limited ({response.status_code})")
                continue
            idempotent = method == "GET" or "/git/" in path  # git objects are content-addressed
            if response.status_code in RETRY_STATUSES and idempotent and not last:
                self._wait(2.0**attempt, f"{where}: {response.status_code}")
                continue
            if response.status_code in allow:
                return None
            if response.is_error:
                raise self._error(where, response)
            if response.status_code == 204 or not response.content:
                return None
            return response.json()
        raise GitHubError(f"{where}: no response")  # pragma: no cover - the loop always returns

    def _error(self, where: str, response: httpx.Response) -> GitHubError:
        status = response.status_code
        text = _message(response)
        if status == 401:
            return GitHubError(f"GitHub rejected the token ({where}: 401 {text})", status)
        if status == 404:
            return GitHubError(f"{where}: 404 not found (does the token have access?)", status)
        return GitHubError(f"{where}: {status} {text}", status)

    # repositories and pull requests ------------------------------------------------------------
    def repo(self, full: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", f"/repos/{full}")
        return result

    def pull(self, full: str, number: int) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", f"/repos/{full}/pulls/{number}")
        return result

    def pulls(self, full: str, *, head: str = "", state: str = "open") -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"state": state, "per_page": 100}
        if head:
            params["head"] = head
        result: list[dict[str, Any]] = self.request("GET", f"/repos/{full}/pulls", params=params)
        return result

    def create_pull(
        self, full: str, *, title: str, head: str, base: str, body: str, draft: bool = False
    ) -> dict[str, Any]:
        payload = {
            "title": title,
            "head": head,
            "base": base,
            "body": body,
            "draft": draft,
            "maintainer_can_modify": True,
        }
        result: dict[str, Any] = self.request("POST", f"/repos/{full}/pulls", json=payload)
        return result

    def permission(self, full: str, user: str) -> str:
        """The user's permission on the repository: admin, maintain, write, triage, read or
        none (`role_name` when GitHub sends it, as `permission` folds maintain into write)."""
        data = self.request("GET", f"/repos/{full}/collaborators/{user}/permission", allow=(404,))
        if not data:
            return "none"
        return str(data.get("role_name") or data.get("permission") or "none")

    def can_write(self, full: str, user: str) -> bool:
        return self.permission(full, user) in WRITE_PERMISSIONS

    # comments --------------------------------------------------------------------------------
    def comment(self, full: str, number: int, body: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request(
            "POST", f"/repos/{full}/issues/{number}/comments", json={"body": body}
        )
        return result

    def edit_comment(self, full: str, comment_id: int, body: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request(
            "PATCH", f"/repos/{full}/issues/comments/{comment_id}", json={"body": body}
        )
        return result

    # git data --------------------------------------------------------------------------------
    def git_commit(self, full: str, sha: str) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", f"/repos/{full}/git/commits/{sha}")
        return result

    def create_blob(self, full: str, data: bytes) -> str:
        payload = {"content": base64.b64encode(data).decode("ascii"), "encoding": "base64"}
        return str(self.request("POST", f"/repos/{full}/git/blobs", json=payload)["sha"])

    def create_tree(self, full: str, base_tree: str, entries: list[dict[str, Any]]) -> str:
        payload = {"base_tree": base_tree, "tree": entries}
        return str(self.request("POST", f"/repos/{full}/git/trees", json=payload)["sha"])

    def create_commit(self, full: str, message: str, tree: str, parents: list[str]) -> str:
        payload = {"message": message, "tree": tree, "parents": parents}
        return str(self.request("POST", f"/repos/{full}/git/commits", json=payload)["sha"])

    def branch_sha(self, full: str, branch: str) -> str | None:
        data = self.request("GET", f"/repos/{full}/git/ref/heads/{branch}", allow=(404,))
        return str(data["object"]["sha"]) if data else None

    def create_branch(self, full: str, branch: str, sha: str) -> None:
        self.request(
            "POST", f"/repos/{full}/git/refs", json={"ref": f"refs/heads/{branch}", "sha": sha}
        )

    def move_branch(self, full: str, branch: str, sha: str) -> None:
        self.request(
            "PATCH", f"/repos/{full}/git/refs/heads/{branch}", json={"sha": sha, "force": True}
        )
