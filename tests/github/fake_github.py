"""A loopback GitHub: the REST endpoints the PR bot uses, backed by a real bare git repo.

Git Data calls really create objects (`hash-object`, a temporary index, `commit-tree`,
`update-ref`), so a test can check out the branch the client built and read its files.
Every request is recorded (method, path, headers, JSON body) for assertions.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

GIT_ENV = {
    "GIT_AUTHOR_NAME": "fake-github",
    "GIT_AUTHOR_EMAIL": "fake@github.invalid",
    "GIT_COMMITTER_NAME": "fake-github",
    "GIT_COMMITTER_EMAIL": "fake@github.invalid",
}


def git(
    repo: Path, *args: str, data: bytes | None = None, env: dict[str, str] | None = None
) -> str:
    proc = subprocess.run(
        ["git", *args],
        cwd=repo,
        input=data,
        capture_output=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr.decode())
    return proc.stdout.decode().strip()


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeGitHub:
    """State of the fake: one repository `full`, its bare git repo, pulls, comments, users."""

    full: str
    bare: Path
    token: str
    permissions: dict[str, str] = field(default_factory=dict)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    default_branch: str = "main"
    faults: list[Callable[[str, str], tuple[int, dict[str, str], Any] | None]] = field(
        default_factory=list
    )
    """Each fault sees (method, path) and may answer instead of the fake (rate limits...)."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    # helpers for tests ------------------------------------------------------------------------
    def add_pull(self, number: int, head_ref: str, base_ref: str = "main") -> dict[str, Any]:
        sha = git(self.bare, "rev-parse", f"refs/heads/{head_ref}")
        pull = {
            "number": number,
            "state": "open",
            "title": f"PR {number}",
            "html_url": f"https://github.invalid/{self.full}/pull/{number}",
            "body": "",
            "draft": False,
            "head": {"ref": head_ref, "sha": sha, "repo": self.repo_json()},
            "base": {"ref": base_ref, "repo": self.repo_json()},
        }
        self.pulls[number] = pull
        return pull

    def repo_json(self) -> dict[str, Any]:
        return {
            "full_name": self.full,
            "clone_url": str(self.bare),
            "default_branch": self.default_branch,
        }

    def file_at(self, ref: str, path: str) -> str:
        return git(self.bare, "show", f"{ref}:{path}")

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def everything_sent_to_us(self) -> str:
        """All bodies the client sent (PR bodies, comments, commits), as one text."""
        return "\n".join(json.dumps(r.body) for r in self.requests)

    # routing ----------------------------------------------------------------------------------
    def handle(self, method: str, path: str, body: Any) -> tuple[int, dict[str, str], Any]:
        for fault in list(self.faults):
            answer = fault(method, path)
            if answer is not None:
                return answer
        route = path.split("?")[0]
        prefix = f"/repos/{self.full}"
        if not route.startswith(prefix):
            return 404, {}, {"message": "Not Found"}
        rest = route[len(prefix) :]
        with self.lock:
            return self._route(method, rest, path, body)

    def _route(
        self, method: str, rest: str, path: str, body: Any
    ) -> tuple[int, dict[str, str], Any]:
        ok: dict[str, str] = {"X-RateLimit-Remaining": "4999"}
        if method == "GET" and rest == "":
            return 200, ok, self.repo_json()
        if m := re.fullmatch(r"/collaborators/([^/]+)/permission", rest):
            perm = self.permissions.get(m.group(1))
            if perm is None:
                return 404, ok, {"message": "Not Found"}
            legacy = "write" if perm == "maintain" else perm
            return 200, ok, {"permission": legacy, "role_name": perm}
        if method == "GET" and (m := re.fullmatch(r"/pulls/(\d+)", rest)):
            pull = self.pulls.get(int(m.group(1)))
            return (200, ok, pull) if pull else (404, ok, {"message": "Not Found"})
        if method == "GET" and rest == "/pulls":
            head = re.search(r"head=([^&]+)", path)
            found = [
                p
                for p in self.pulls.values()
                if p["state"] == "open"
                and (
                    head is None
                    or f"{self.full.split('/')[0]}:{p['head']['ref']}"
                    == head.group(1).replace("%3A", ":").replace("%2F", "/")
                )
            ]
            return 200, ok, found
        if method == "POST" and rest == "/pulls":
            return self._create_pull(body, ok)
        if method == "POST" and (m := re.fullmatch(r"/issues/(\d+)/comments", rest)):
            cid = 1000 + len(self.comments)
            self.comments[cid] = {"id": cid, "issue": int(m.group(1)), "body": body["body"]}
            return 201, ok, self.comments[cid]
        if method == "PATCH" and (m := re.fullmatch(r"/issues/comments/(\d+)", rest)):
            comment = self.comments[int(m.group(1))]
            comment["body"] = body["body"]
            return 200, ok, comment
        return self._git_data(method, rest, body, ok)

    def _create_pull(self, body: Any, ok: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        try:
            sha = git(self.bare, "rev-parse", f"refs/heads/{body['head']}")
        except RuntimeError:
            return 422, ok, {"message": "Validation Failed", "errors": [{"field": "head"}]}
        number = max(self.pulls, default=0) + 1
        pull = {
            "number": number,
            "state": "open",
            "title": body["title"],
            "body": body["body"],
            "draft": body.get("draft", False),
            "html_url": f"https://github.invalid/{self.full}/pull/{number}",
            "head": {"ref": body["head"], "sha": sha, "repo": self.repo_json()},
            "base": {"ref": body["base"], "repo": self.repo_json()},
        }
        self.pulls[number] = pull
        return 201, ok, pull

    def _git_data(
        self, method: str, rest: str, body: Any, ok: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        if method == "GET" and (m := re.fullmatch(r"/git/commits/([0-9a-f]{40})", rest)):
            try:
                tree = git(self.bare, "rev-parse", f"{m.group(1)}^{{tree}}")
            except RuntimeError:
                return 404, ok, {"message": "Not Found"}
            return 200, ok, {"sha": m.group(1), "tree": {"sha": tree}}
        if method == "POST" and rest == "/git/blobs":
            data = base64.b64decode(body["content"])
            sha = git(self.bare, "hash-object", "-w", "--stdin", data=data)
            return 201, ok, {"sha": sha}
        if method == "POST" and rest == "/git/trees":
            with tempfile.TemporaryDirectory() as tmp:
                env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
                git(self.bare, "read-tree", body["base_tree"], env=env)
                info = "".join(
                    f"0 {'0' * 40}\t{e['path']}\n"
                    if e["sha"] is None
                    else f"{e['mode']} {e['sha']}\t{e['path']}\n"
                    for e in body["tree"]
                )
                git(self.bare, "update-index", "--index-info", data=info.encode(), env=env)
                tree = git(self.bare, "write-tree", env=env)
            return 201, ok, {"sha": tree}
        if method == "POST" and rest == "/git/commits":
            args = ["commit-tree", body["tree"], "-m", body["message"]]
            for parent in body["parents"]:
                args += ["-p", parent]
            return 201, ok, {"sha": git(self.bare, *args)}
        if method == "GET" and (m := re.fullmatch(r"/git/ref/heads/(.+)", rest)):
            try:
                sha = git(self.bare, "rev-parse", "--verify", f"refs/heads/{m.group(1)}")
            except RuntimeError:
                return 404, ok, {"message": "Not Found"}
            return 200, ok, {"ref": f"refs/heads/{m.group(1)}", "object": {"sha": sha}}
        if method == "POST" and rest == "/git/refs":
            git(self.bare, "update-ref", body["ref"], body["sha"])
            return 201, ok, {"ref": body["ref"], "object": {"sha": body["sha"]}}
        if method == "PATCH" and (m := re.fullmatch(r"/git/refs/heads/(.+)", rest)):
            git(self.bare, "update-ref", f"refs/heads/{m.group(1)}", body["sha"])
            return 200, ok, {"ref": f"refs/heads/{m.group(1)}", "object": {"sha": body["sha"]}}
        return 404, ok, {"message": f"fake has no route for {method} {rest}"}


def serve(fake: FakeGitHub) -> ThreadingHTTPServer:
    """Serve `fake` on 127.0.0.1 in a daemon thread; sets `fake.url` (the API base URL)."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            fake.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
            headers: dict[str, str]
            payload: Any
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                status, headers, payload = 401, {}, {"message": "Bad credentials"}
            else:
                try:
                    status, headers, payload = fake.handle(self.command, self.path, body)
                except Exception as exc:  # a fake bug shows as a 500 with its message
                    status, headers, payload = 500, {}, {"message": f"fake error: {exc}"}
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server
