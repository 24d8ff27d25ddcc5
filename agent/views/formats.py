"""How numbers read in reports and pull requests: ratios, p-values, times, sizes, diffs."""

from __future__ import annotations

from typing import Any


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.3f}"


def fmt_p(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "not measured"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.3f} s"


def fmt_bytes(n: float | None) -> str:
    if not n:
        return "not measured"
    return f"{n / 2**20:.1f} MiB"


def fmt_count(n: Any) -> str:
    if isinstance(n, dict):
        n = n.get("count", n.get("base"))
    return f"{int(n):,}".replace(",", " ") if isinstance(n, int | float) else "not measured"


def fmt_change(r: float | None) -> str:
    """A ratio of times in words: 0.8 -> "20.0 % less time"."""
    if r is None:
        return ""
    if abs(r - 1) < 0.0005:
        return "no change"
    return f"{abs(1 - r) * 100:.1f} % {'less' if r < 1 else 'more'} time"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fmt_tests(passed: bool | None) -> str:
    return {True: "passed", False: "failed", None: "—"}[passed]


def diff_lines(diff: str, limit: int) -> tuple[list[tuple[str, str]], int]:
    """The diff's lines with a CSS class each, and how many lines were cut."""
    lines = diff.splitlines()
    shown, cut = lines[:limit], max(len(lines) - limit, 0)

    def kind(line: str) -> str:
        if line.startswith(("+++", "---", "diff ", "index ")):
            return "file"
        if line.startswith("@@"):
            return "hunk"
        return {"+": "add", "-": "del"}.get(line[:1], "ctx")

    return [(kind(line), line) for line in shown], cut
