"""A faster head's instruction count on a spare core, beside its untimed trust checks.

Under instructions = "auto" the loop counts the front at its finish, and a head the wall
time found faster is the one likely to enter it. Its trust checks (replays, clean-state
runs) hold one core and time nothing, so on a machine with two usable cores or more the
count runs beside them on another and the run does not wait for it at the finish.
Everything timed waits for it (`SandboxProfiler._joined`): no timing ever runs beside a
count. A head turned away before its count ends leaves the count running beside the next
candidate's untimed tests; what it found is dropped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from profilers.results import InstructionComparison


def spare_core() -> bool:
    """Whether a count beside the checks has a core of its own."""
    return len(os.sched_getaffinity(0)) >= 2


class CountBeside:
    """One head's count on a thread of its own; `start` is idempotent, `join` waits.

    Not a daemon: a run ended while it counts waits for the count to close its sandboxes,
    as the finish's counts do."""

    def __init__(self, count: Callable[[], InstructionComparison | None]) -> None:
        """`count` never raises: it says why it found nothing (the finish counts again)."""
        self._count = count
        self._thread: threading.Thread | None = None
        self._found: list[InstructionComparison | None] = []

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="perfagent-count-beside")
            self._thread.start()

    def _run(self) -> None:
        self._found.append(self._count())

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def found(self) -> InstructionComparison | None:
        """The count, once it has ended with one (None while it runs, or without one)."""
        if self._thread is None or self._thread.is_alive() or not self._found:
            return None
        return self._found[0]
