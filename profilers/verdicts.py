"""The verdicts a measurement can reach, defined once (the store's statuses share their spelling)."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    FASTER = "faster"
    SLOWER = "slower"
    SAME = "same"
    BROKEN = "broken"
    """The head fails a check or its workload: no speed verdict is possible."""


class Rejection(StrEnum):
    """Why a check rejects a head, whatever its speed (spelled as the store's statuses)."""

    TESTS_FAILED = "tests-failed"
    BROKEN = "broken"
    """Outputs, or the behaviour of a function it changed, differ from the base's."""
    OVERFIT = "overfit"
    """Faster on the workload's own inputs only: not on perturbed inputs or held-out workloads."""
    STATEFUL = "stateful"
    """Writes outside its work tree, or keeps state between runs."""
    INPUT_SPECIFIC = "input-specific"
    """Special-cases the benchmark's inputs."""


OUTRUN = "outrun"
"""The stage that ends a head the wall time found faster but clearly slower than a candidate
already checked: its trust checks are deferred (the loop stores it as `dominated`)."""
