"""Sandboxes opened ahead: one background thread checks a spec out (and starts its container)
while the current candidate is measured, and the next `open` of the same spec takes it.

Opening never runs a command in the sandbox; a prewarmed sandbox nobody takes is closed when
it is pushed out, discarded, or at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, Protocol, TypeVar

from sandbox.base import Limits, WorkspaceSpec


class _Closable(Protocol):
    def close(self) -> None: ...


S = TypeVar("S", bound=_Closable)


def spec_key(spec: WorkspaceSpec, limits: Limits | None) -> str:
    return json.dumps(
        [str(spec.repo), spec.ref, spec.patch, sorted(spec.files.items()), spec.subdir,
         list(spec.protected), spec.name, repr(limits or Limits())]
    )  # fmt: skip


class Prewarmed(Generic[S]):
    """At most `most` sandboxes opened ahead, the oldest closed first when more are asked:
    the next candidate's base and head, and the two of a count beside a candidate's checks
    (`profilers.count_beside`), which must not push those out."""

    def __init__(self, most: int = 4) -> None:
        self.most = most
        self.warm: dict[str, Future[S]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def take(self, spec: WorkspaceSpec, limits: Limits | None) -> S | None:
        """The sandbox opened ahead for `spec` (waiting for it to be ready), or None."""
        with self._lock:
            warm = self.warm.pop(spec_key(spec, limits), None)
        return None if warm is None else warm.result()

    def start(self, spec: WorkspaceSpec, limits: Limits | None, opener: Callable[[], S]) -> None:
        """Open `spec` with `opener` in the background, unless it already is."""
        key = spec_key(spec, limits)
        with self._lock:
            if key in self.warm:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="perfagent-warm")
                atexit.register(self.discard)
            while len(self.warm) >= self.most:
                _discard(self.warm.pop(next(iter(self.warm))))
            self.warm[key] = self._pool.submit(opener)

    def discard(self) -> None:
        """Close every sandbox opened ahead that nobody took."""
        with self._lock:
            while self.warm:
                _discard(self.warm.popitem()[1])


def _discard(warm: Future[S]) -> None:
    """Close a prewarmed sandbox nobody took, once it is open (or forget its failure)."""

    def close(done: Future[S]) -> None:
        with contextlib.suppress(Exception):
            done.result().close()

    warm.add_done_callback(close)
