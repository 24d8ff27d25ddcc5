"""What the trust stages of one cascade hand to each other (the capture, the replays, the
perturbed inputs), kept beside the cascade for as long as it lives."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from profilers.checks.capture import Recording
from profilers.checks.changes import FileChange, Targets
from profilers.checks.compare import Path
from profilers.checks.perturb import Sites
from profilers.harness import Harness

_ALL: dict[int, Shared] = {}


@dataclass
class Shared:
    changes: list[FileChange] | None = None
    targets: Targets | None = None
    recording: Recording | None = None
    harnesses: tuple[Harness, Harness] | None = None
    base: dict[str, Any] | None = None
    """The base's replay answer (normal forms of arguments, recorded and replayed outcomes)."""
    comparable: list[int] = field(default_factory=list)
    """Calls that replayed the same way twice on the base and loaded on the head."""
    margins: dict[int, dict[Path, float]] = field(default_factory=dict)
    variants: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)
    """Perturbed inputs that are valid for the base (call index -> operation lists)."""
    sites: dict[str, Sites] = field(default_factory=dict)
    """Where each perturbed call's arguments can change (walked once)."""
    drawn: dict[tuple[str, int], list[list[dict[str, Any]]]] = field(default_factory=dict)
    """Nearby inputs drawn per (call index, seed): the sizing run and the first pair share
    theirs."""
    capture_ratio: float | None = None
    left_out: int = 0
    """Generalization samples left out: a nearby input on which the base raised (an error
    path says nothing of a fast path)."""


def shared(owner: object) -> Shared:
    """The state of `owner` (a cascade), created on first use and dropped with it."""
    key = id(owner)
    if key not in _ALL:
        _ALL[key] = Shared()
        weakref.finalize(owner, _ALL.pop, key, None)
    return _ALL[key]
