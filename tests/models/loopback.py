"""Loopback HTTP servers that speak the OpenAI chat-completions and Anthropic Messages APIs.

Each server answers completion requests from a script of `Step`s (status, headers, body,
delay) and records every request it saw, so tests drive the real `openai` and `anthropic`
SDKs through normal exchanges, rate limits, server errors, garbled bodies, timeouts and
rejected keys. Fixed `routes` answer a local server's probes (`/props`, `/v1/models`,
`/api/show`) without using the script. A step's body may be a function of the request (the
prompt-cache simulators below use that). For every request the server notes how many other
requests were in progress with their client still connected, and a delayed step watches its
connection, so tests see cancelled requests and overlapping ones.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMPLETION_PATHS = ("/chat/completions", "/messages")


@dataclass
class Step:
    """One scripted answer."""

    status: int = 200
    body: Any = None
    """A dict is sent as JSON; a str is sent verbatim (for malformed bodies); a callable gets
    the request's JSON and returns the body."""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    """Lower-cased names."""
    body: Any
    method: str = "POST"
    overlapping: int = 0
    """Other requests in progress, their client still connected, when this one arrived."""
    cancelled: bool = False
    """The client hung up while this request was being answered (a delayed step)."""


def openai_body(text: str, model: str = "gpt-4o-mini", tokens: tuple[int, int] = (12, 5)) -> dict:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": tokens[0],
            "completion_tokens": tokens[1],
            "total_tokens": sum(tokens),
        },
    }


def anthropic_body(
    text: str, model: str = "claude-haiku-4-5", tokens: tuple[int, int] = (12, 5)
) -> dict:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": tokens[0], "output_tokens": tokens[1]},
    }


def error_body(kind: str, message: str) -> dict:
    return {"type": "error", "error": {"type": kind, "message": message, "code": kind}}


def _peer_closed(sock: socket.socket) -> bool:
    """True when the client has closed its end (EOF or reset waiting on the socket)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class ScriptedServer:
    """A threaded HTTP server on 127.0.0.1 answering completions from a script."""

    def __init__(self) -> None:
        self.script: list[Step] = []
        self.routes: dict[str, Step] = {}
        self.seen: list[Seen] = []
        self._busy: dict[int, tuple[socket.socket, Seen]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    @property
    def completions(self) -> list[Seen]:
        """The completion requests seen (probes left out)."""
        return [s for s in self.seen if s.path.endswith(COMPLETION_PATHS)]

    def _arrive(self, handler: BaseHTTPRequestHandler, method: str) -> tuple[Seen, Step]:
        length = int(handler.headers.get("content-length", "0"))
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        seen = Seen(handler.path, {k.lower(): v for k, v in handler.headers.items()}, body, method)
        path = handler.path.split("?", 1)[0]
        with self._lock:
            seen.overlapping = sum(not _peer_closed(sock) for sock, _ in self._busy.values())
            self.seen.append(seen)
            if path in self.routes:
                step = self.routes[path]
            elif method == "POST" and path.endswith(COMPLETION_PATHS):
                step = self.script.pop(0) if self.script else Step(500, {"error": "empty"})
            else:
                step = Step(404, {"error": "not found"})
            self._busy[id(handler)] = (handler.connection, seen)
        return seen, step

    def _wait(self, handler: BaseHTTPRequestHandler, seen: Seen, delay_s: float) -> None:
        """Sleep in slices, watching the client's connection and the test's end."""
        end = time.monotonic() + delay_s
        while time.monotonic() < end and not self._stop.is_set():
            if _peer_closed(handler.connection):
                seen.cancelled = True
                return
            time.sleep(0.01)

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        seen, step = self._arrive(handler, method)
        try:
            # Answered on arrival, sent after the delay: a slow model decides what it
            # would decide at once, so concurrent requests get their answers in arrival
            # order whatever the delay (the threads waking from it race).
            body = step.body(seen.body) if callable(step.body) else step.body
            if step.delay_s:
                self._wait(handler, seen, step.delay_s)
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            if seen.cancelled:
                return
            handler.send_response(step.status)
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(data)))
            for k, v in step.headers.items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            seen.cancelled = True  # the client timed out and hung up, as the test intended
        finally:
            with self._lock:
                self._busy.pop(id(handler), None)

    def close(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# prompt-cache simulators -----------------------------------------------------------------------
def _tokens(text: str) -> int:
    return len(text) // 4


def _shared_prefix(a: str, b: str) -> int:
    """Characters `a` and `b` share at their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _block_texts(content: Any) -> list[tuple[str, bool]]:
    """(text, has a cache breakpoint) for a message's content, string or blocks."""
    if isinstance(content, str):
        return [(content, False)]
    return [(str(b.get("text", "")), "cache_control" in b) for b in content]


class PromptCache:
    """The prompt cache of one provider, simulated over the requests a server sees.

    `openai`: automatic; a request reads the longest prefix (in 128-token steps, from 1024
    tokens on) it shares with an earlier request. `anthropic`: explicit; each block with
    `cache_control` writes the prefix that ends with it (from `min_tokens` on), and a request
    reads the longest such prefix written before. Tokens are four characters.
    """

    def __init__(self, kind: str, min_tokens: int = 1024) -> None:
        self.kind, self.min_tokens = kind, min_tokens
        self.prompts: list[str] = []
        self.written: set[str] = set()
        self._lock = threading.Lock()

    def _segments(self, request: dict[str, Any]) -> list[tuple[str, bool]]:
        segs: list[tuple[str, bool]] = []
        if self.kind == "anthropic":
            segs.append((json.dumps(request.get("tools", [])), False))
            segs += _block_texts(request.get("system", []))
        for m in request.get("messages", []):
            segs.append((f"<{m['role']}>", False))
            segs += _block_texts(m["content"])
        return segs

    def usage(self, request: dict[str, Any]) -> tuple[int, int, int]:
        """(prompt tokens, cache-read tokens, cache-write tokens) of one request."""
        segs = self._segments(request)
        full = "".join(t for t, _ in segs)
        with self._lock:
            if self.kind == "openai":
                return self._openai(full)
            return self._anthropic(segs, full)

    def _openai(self, full: str) -> tuple[int, int, int]:
        shared = max((_shared_prefix(p, full) for p in self.prompts), default=0)
        self.prompts.append(full)
        tokens = shared // 4
        cached = tokens // 128 * 128 if tokens >= 1024 else 0
        return _tokens(full), cached, 0

    def _anthropic(self, segs: list[tuple[str, bool]], full: str) -> tuple[int, int, int]:
        ends, at = [], 0
        for text, marked in segs:
            at += len(text)
            if marked and _tokens(full[:at]) >= self.min_tokens:
                ends.append(at)
        read = max((e for e in ends if full[:e] in self.written), default=0)
        last = max(ends, default=0)
        write = last - read if last > read else 0
        self.written.update(full[:e] for e in ends)
        return (
            _tokens(full),
            _tokens(full[:read]),
            _tokens(full[: read + write]) - _tokens(full[:read]),
        )

    def body(self, text: str | Callable[[Any], str], model: str = "") -> Callable[[Any], dict]:
        """A step body answering `text` with this cache's usage (a tool call when the request
        forces a tool)."""

        def answer(request: Any) -> dict:
            reply = text(request) if callable(text) else text
            prompt, read, write = self.usage(request)
            if self.kind == "openai":
                body = openai_body(reply, model=model or "gpt-4o-mini", tokens=(prompt, 40))
                body["usage"]["prompt_tokens_details"] = {"cached_tokens": read}
                return body
            body = anthropic_body(reply, model=model or "claude-haiku-4-5")
            body["usage"] = {
                "input_tokens": prompt - read - write,
                "output_tokens": 40,
                "cache_read_input_tokens": read,
                "cache_creation_input_tokens": write,
            }
            choice = request.get("tool_choice") or {}
            if choice.get("type") == "tool":
                body["content"] = [
                    {
                        "type": "tool_use",
                        "id": "toolu_1",
                        "name": choice["name"],
                        "input": json.loads(reply),
                    }
                ]
                body["stop_reason"] = "tool_use"
            return body

        return answer
