"""Base results cached by content: the unedited code gives the same answers for every candidate.

What the base side yields apart from timing (its workload outputs, instruction counts, peak
memory, hotspot profile, and whatever later checks capture) depends only on the commit, the
task directory, the workload, the sandbox's environment and the settings that shape the run.
`BaseKey` names all of these; a result is stored under (kind, key) once and reused by every
later candidate, run and resume. Wall-time samples are never cached: they are only meaningful
interleaved with the head's.

The profilers define the seam (`BaseCache`); the agent implements it over the store, so every
cached value is kept like any other measurement.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

from profilers.config import MeasureConfig
from profilers.env import cpu_model
from profilers.workload import Workload
from sandbox.base import Sandbox

CACHE_VERSION = 1
"""Bumped whenever what a cached kind holds, or how it is produced, changes."""
SHAPING = ("seeds", "env", "python", "loop_env", "output_runs", "check_outputs")
"""MeasureConfig fields that can change a base result (the rest only shape verdicts)."""
_SHIPPED = ("runner.py", "runner_suites.py", "cgtoggle.c")
_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


class BaseCache(Protocol):
    """Where base results are kept: JSON-able values under (kind, key)."""

    def get(self, kind: str, key: str) -> dict[str, Any] | None: ...

    def put(self, kind: str, key: str, value: Mapping[str, Any]) -> None:
        """Keep `value`; a second put under the same (kind, key) leaves the first."""


class NoCache:
    """Keeps nothing: every base result is measured again."""

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return None

    def put(self, kind: str, key: str, value: Mapping[str, Any]) -> None:
        return None


@dataclass
class MemoryCache:
    """Keeps results for the life of the object (one process)."""

    values: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        found = self.values.get((kind, key))
        return json.loads(json.dumps(found)) if found is not None else None

    def put(self, kind: str, key: str, value: Mapping[str, Any]) -> None:
        self.values.setdefault((kind, key), json.loads(json.dumps(dict(value))))


def is_commit(ref: str) -> bool:
    """Whether `ref` is a full commit id (a branch name or HEAD would move under the cache)."""
    return bool(_COMMIT.fullmatch(ref))


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def shipped_digest() -> str:
    """What perfagent runs inside the sandbox: a new runner gives new keys."""
    files = resources.files("profilers")
    return _digest([files.joinpath(name).read_text() for name in _SHIPPED])


_ENV_PROBE = (
    "import sys, platform, importlib.metadata as m; "
    "print(sys.executable, sys.version); print(platform.platform()); "
    "print(sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions()))"
)


def environment(sb: Sandbox, config: MeasureConfig) -> str:
    """A digest of the sandbox's environment as the workload sees it: interpreter, platform,
    installed distributions, valgrind, the host CPU (instruction counts follow the library
    code a CPU selects). Upgrading a package gives new keys."""
    probe = sb.execute(
        f"{shlex.quote(config.python)} -c {shlex.quote(_ENV_PROBE)}; valgrind --version",
        timeout=120,
        env=dict(config.env),
    )
    return _digest([sb.kind, getattr(sb, "image", ""), probe.stdout, cpu_model()])


@dataclass
class BaseKey:
    """The base side of one comparison, as far as a cache can tell it apart."""

    cache: BaseCache
    commit: str
    subdir: str = ""
    env: str = ""
    """`environment(...)` of the sandbox the base runs in (filled on first use)."""

    def key(self, kind: str, workload: Workload, config: MeasureConfig, **more: Any) -> str:
        shaping = {name: getattr(config, name) for name in SHAPING}
        return _digest(
            {
                "version": CACHE_VERSION,
                "kind": kind,
                "commit": self.commit,
                "subdir": self.subdir,
                "env": self.env,
                "shipped": shipped_digest(),
                "workload": workload,
                "config": shaping,
                "more": more,
            }
        )

    def ready(self, sb: Sandbox, config: MeasureConfig) -> BaseKey:
        """This key with the environment of `sb` (probed once)."""
        if not self.env:
            self.env = environment(sb, config)
        return self

    def get(
        self, kind: str, workload: Workload, config: MeasureConfig, **more: Any
    ) -> dict[str, Any] | None:
        return self.cache.get(kind, self.key(kind, workload, config, **more))

    def put(
        self,
        kind: str,
        workload: Workload,
        config: MeasureConfig,
        value: Mapping[str, Any],
        **more: Any,
    ) -> None:
        self.cache.put(kind, self.key(kind, workload, config, **more), value)


def base_key(cache: BaseCache | None, commit: str, subdir: str = "") -> BaseKey | None:
    """A BaseKey when results can be cached: a cache and a full commit id (None otherwise)."""
    if cache is None or isinstance(cache, NoCache) or not is_commit(commit):
        return None
    return BaseKey(cache, commit, subdir)
