"""The verdicts a measurement can reach, defined once (the store's statuses share their spelling)."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    FASTER = "faster"
    SLOWER = "slower"
    SAME = "same"
    BROKEN = "broken"
    """The head fails a check or its workload: no speed verdict is possible."""
