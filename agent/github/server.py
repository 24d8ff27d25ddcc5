"""The webhook's HTTP server: a Starlette app on uvicorn, in a thread of the bot's process.

Bounds a public endpoint needs, each set in `BotConfig`:
- body size: a declared `Content-Length` over `max_body_bytes` is a 413 before any of the
  body is read; a chunked body is counted as it arrives and cut off at the limit;
- read deadline: a client gets `read_timeout_s` to send a request's headers and body, then
  its connection is closed (slow-loris); waiting clients cost a coroutine, not a thread, so
  they never hold up others;
- concurrency: at most `max_connections` connections (more are answered 503 at once) and at
  most `max_concurrency` deliveries handled (store writes) at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time

import anyio
import h11
import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from agent.github.webhook import Reply, WebhookHandler

log = logging.getLogger("perfagent.bot")


class BodyTooLarge(Exception):
    pass


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on reading each request (headers and body):
    uvicorn itself only times out idle keep-alive connections."""

    read_timeout_s = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # the next request on a kept-alive connection gets a deadline of its own

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.read_timeout_s, self._expire)

    def _expire(self) -> None:
        reading = self.conn.their_state in (h11.IDLE, h11.SEND_BODY)
        if reading and not self.transport.is_closing():
            log.warning(
                "bot: connection from %s closed: request not received within %g s",
                self.client[0] if self.client else "?",
                self.read_timeout_s,
            )
            self.transport.close()


def _answer(reply: Reply) -> JSONResponse:
    return JSONResponse({"message": reply.message}, status_code=reply.status)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def make_app(handler: WebhookHandler) -> Starlette:
    """POST (any path) feeds `handler`; GET /healthz (or /) answers ok."""
    limit = handler.config.max_body_bytes
    limiter = anyio.CapacityLimiter(handler.config.max_concurrency)

    async def health(request: Request) -> Response:
        if request.url.path.rstrip("/") in ("/healthz", ""):
            return _answer(Reply(200, "ok"))
        return _answer(Reply(404, "not found"))

    async def deliver(request: Request) -> Response:
        try:
            body = await _read_body(request, limit)
        except BodyTooLarge:
            log.warning("bot: delivery refused: body over the %d-byte limit", limit)
            return _answer(Reply(413, "payload too large"))
        except ClientDisconnect:
            return Response(status_code=400)
        headers = dict(request.headers.items())
        try:
            reply = await anyio.to_thread.run_sync(handler.handle, headers, body, limiter=limiter)
        except Exception:  # GitHub redelivers on 5xx; the handler kept nothing of this one
            log.exception("bot: delivery %s: internal error", headers.get("x-github-delivery"))
            reply = Reply(500, "internal error")
        return _answer(reply)

    routes = [
        Route("/{path:path}", deliver, methods=["POST"]),
        Route("/{path:path}", health, methods=["GET"]),
    ]
    return Starlette(routes=routes)


class WebhookServer:
    """`make_app(handler)` served by uvicorn on (host, port) in a background thread."""

    def __init__(self, handler: WebhookHandler, host: str, port: int) -> None:
        config = handler.config
        protocol = type(
            "BotProtocol", (DeadlineProtocol,), {"read_timeout_s": config.read_timeout_s}
        )
        self._config = uvicorn.Config(
            make_app(handler),
            http=protocol,
            lifespan="off",
            log_config=None,
            access_log=False,
            limit_concurrency=config.max_connections,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=5,
            h11_max_incomplete_event_size=16 * 1024,
        )
        self._server = uvicorn.Server(self._config)
        self._socket = socket.create_server((host, port), backlog=128)
        self.address: tuple[str, int] = self._socket.getsockname()[:2]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def start(self, timeout: float = 30.0) -> None:
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="bot-http"
        )
        self._thread.daemon = True
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started and self._thread.is_alive():
            if time.monotonic() > deadline:
                raise OSError(f"the webhook server did not start within {timeout:g} s")
            time.sleep(0.02)
        if not self._server.started:
            raise OSError("the webhook server stopped while starting")

    def stop(self, timeout: float = 30.0) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self._socket.close()
