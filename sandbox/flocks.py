"""Exclusive `flock`s that a frozen holder cannot keep forever.

A process stopped by a signal (a hung node's worker frozen with SIGSTOP, one held in a
debugger) keeps its locks for as long as it is stopped: nothing on the machine that waits on
them moves again. A waiter here polls, and once every process holding the file's lock has
been seen stopped for `STOPPED_S`, it goes on without the lock. A holder that merely runs
long (a checkout of a large repository, another instance's timing) is waited for, however
long. The holders are read from `/proc/locks`; where it says nothing (another kernel, a
file system that does not list its locks), the wait is the plain blocking one.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

from sandbox.procs import stopped

STOPPED_S = 5.0
"""How long every holder must stay stopped before a waiter goes on: a profiler's sampling
stops a process for microseconds, a frozen one stays stopped."""
POLL_S = (0.01, 0.5)
"""A waiter's first and longest pause between tries."""


def hold(fd: int, on_wait: Callable[[], None] = lambda: None) -> list[int]:
    """Lock `fd` exclusively, waiting while its holders run. [] once locked; the holders'
    pids when all of them stayed stopped and the caller goes on without the lock."""
    if _try(fd):
        return []
    on_wait()
    if not _listed():
        fcntl.flock(fd, fcntl.LOCK_EX)
        return []
    pause, since = POLL_S[0], None
    while True:
        time.sleep(pause)
        pause = min(pause * 2, POLL_S[1])
        if _try(fd):
            return []
        holders = holders_of(fd)
        frozen = bool(holders) and all(stopped(pid) for pid in holders)
        if not frozen:
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since >= STOPPED_S:
            return holders


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _listed() -> bool:
    return Path("/proc/locks").is_file()


def holders_of(fd: int) -> list[int]:
    """The pids holding (not waiting for) a `flock` on the file open as `fd`."""
    st = os.fstat(fd)
    key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    pids = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == key:
            pids.append(int(fields[4]))
    return pids
