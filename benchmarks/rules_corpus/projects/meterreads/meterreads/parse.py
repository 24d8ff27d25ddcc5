"""Parsing meter export lines such as ``MR1042,2024-03-01T13:15:00,0.734``."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from meterreads.model import Reading

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
METER_ID = r"[A-Z]{2}\d{3,8}"


class ParseError(ValueError):
    """A line that could not be turned into a reading."""

    def __init__(self, lineno: int, line: str, reason: str) -> None:
        super().__init__(f"line {lineno}: {reason}: {line.strip()!r}")
        self.lineno = lineno
        self.line = line
        self.reason = reason


def clean_meter_id(raw: str) -> str:
    """Normalise a meter id: ``' mr 1042'`` -> ``'MR1042'``."""
    meter_id = raw.strip().strip('"').upper().replace(" ", "")
    if not re.fullmatch(METER_ID, meter_id):
        raise ValueError(f"bad meter id {raw.strip()!r}")
    return meter_id


def parse_timestamp(raw: str) -> datetime:
    """Parse ``2024-03-01T13:15:00`` (a space instead of ``T`` and a trailing ``Z`` are fine)."""
    text = raw.strip().strip('"')
    if text.endswith("Z"):
        text = text[:-1]
    return datetime.strptime(text.replace(" ", "T", 1), TIME_FORMAT)


def parse_kwh(raw: str) -> float:
    text = raw.strip().strip('"')
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"bad kWh value {text!r}")
    return value


def parse_line(line: str, lineno: int = 1) -> Reading:
    parts = line.split(",")
    if len(parts) != 3:
        raise ParseError(lineno, line, f"expected 3 fields, got {len(parts)}")
    try:
        return Reading(clean_meter_id(parts[0]), parse_timestamp(parts[1]), parse_kwh(parts[2]))
    except ValueError as exc:
        raise ParseError(lineno, line, str(exc)) from None


@dataclass
class ParseResult:
    readings: list[Reading] = field(default_factory=list)
    problems: list[ParseError] = field(default_factory=list)


def parse_lines(lines: Iterable[str], *, strict: bool = True) -> ParseResult:
    """Parse an export; blank lines, ``#`` comments and a leading header are skipped.

    With ``strict`` the first bad line raises :class:`ParseError`; otherwise bad lines
    are collected in ``problems`` and parsing carries on.
    """
    result = ParseResult()
    for lineno, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if not result.readings and not result.problems and text.lower().startswith("meter"):
            continue
        try:
            result.readings.append(parse_line(line, lineno))
        except ParseError as exc:
            if strict:
                raise
            result.problems.append(exc)
    return result
