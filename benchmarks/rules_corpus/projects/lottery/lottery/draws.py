"""Draw records: parsing, validating and formatting a history of draws."""

from __future__ import annotations

import re
from typing import NamedTuple

LINE = r"^\s*(\d+)\s+(\d{4}-\d{2}-\d{2})\s*:\s*([\d ,]+?)\s*(?:\+\s*(\d+))?\s*$"


class Draw(NamedTuple):
    number: int
    day: str
    balls: tuple[int, ...]
    bonus: int | None


def validate(balls, bonus, n: int, k: int) -> None:
    if len(balls) != k:
        raise ValueError(f"expected {k} balls, got {len(balls)}")
    if len(set(balls)) != len(balls):
        raise ValueError(f"repeated ball in {balls}")
    for ball in balls:
        if not 1 <= ball <= n:
            raise ValueError(f"ball {ball} outside 1..{n}")
    if bonus is not None and (bonus in balls or not 1 <= bonus <= n):
        raise ValueError(f"bad bonus ball {bonus}")


def make_draw(number: int, day: str, balls, bonus: int | None, n: int, k: int) -> Draw:
    validate(tuple(balls), bonus, n, k)
    return Draw(number, day, tuple(sorted(balls)), bonus)


def parse_draw(line: str, n: int, k: int) -> Draw:
    """Parse '12 2024-03-02: 4 9 17 23 31 40 + 8' (bonus part optional)."""
    m = re.match(LINE, line)
    if not m:
        raise ValueError(f"bad draw line: {line!r}")
    balls = [int(x) for x in re.split(r"[ ,]+", m.group(3).strip())]
    bonus = int(m.group(4)) if m.group(4) else None
    return make_draw(int(m.group(1)), m.group(2), balls, bonus, n, k)


def parse_history(text: str, n: int, k: int) -> list[Draw]:
    """All draws in the text, in draw-number order; blank and '#' lines are skipped."""
    draws = [
        parse_draw(line, n, k)
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    numbers = [d.number for d in draws]
    for num in numbers:
        if numbers.count(num) > 1:
            raise ValueError(f"draw {num} appears twice")
    return sorted(draws, key=lambda d: d.number)


def format_draw(draw: Draw) -> str:
    text = f"{draw.number} {draw.day}: " + " ".join(f"{b:02d}" for b in draw.balls)
    if draw.bonus is not None:
        text += f" + {draw.bonus:02d}"
    return text


def draws_between(draws, first_day: str, last_day: str) -> list[Draw]:
    return [d for d in draws if first_day <= d.day <= last_day]
