"""Each check of a candidate as a report row: its outcome in a word, its one-line reason, and
the one figure or example that backs it (the generalization ratio beside the workload's, the
first differing call, the literal found elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.secrets import redact

OUTCOMES = {True: ("passed", "ok"), False: ("failed", "ko"), None: ("not applicable", "")}


def _ratio(value: Any) -> str:
    return f"×{value:.3f}" if isinstance(value, int | float) else "—"


def _generalization(ev: Mapping[str, Any]) -> str:
    if "ratio" not in ev:
        return ""
    ci = f" [{ev['ci_low']:.3f}, {ev['ci_high']:.3f}]" if ev.get("ci_low") is not None else ""
    text = f"nearby inputs {_ratio(ev['ratio'])}{ci} beside the workload's {_ratio(ev.get('workload_ratio'))}"
    return text + f" (captured calls {_ratio(ev.get('captured_ratio'))})"


def _first_difference(ev: Mapping[str, Any]) -> str:
    first = ev.get("first_difference")
    if not isinstance(first, Mapping):
        return ""
    near = f" on a nearby input ({first['perturbation']})" if first.get("perturbation") else ""
    return (
        f"first differing call{near}: {first.get('function', '')}{first.get('args', '')} — "
        f"{first.get('where', '')}: base {first.get('base', '')}, head {first.get('head', '')}"
    )


def _findings(ev: Mapping[str, Any]) -> str:
    found = ev.get("findings")
    if not isinstance(found, list):
        return ""
    return "; ".join(
        f"{f.get('file')}:{f.get('line')} {f.get('literal')} ({f.get('also_in')})"
        for f in found[:3]
        if isinstance(f, Mapping)
    )


def _capture(ev: Mapping[str, Any]) -> str:
    if "compared" not in ev:
        return ""
    cost = ev.get("capture_ratio")
    spent = (
        f"; recording cost {cost:.2f}× one workload run" if isinstance(cost, int | float) else ""
    )
    return f"{ev['compared']} call(s) compared{spent}"


def detail(check: Mapping[str, Any]) -> str:
    """The figure or example behind a check's outcome ("" when it has none)."""
    ev = check.get("evidence") or {}
    if not isinstance(ev, Mapping):
        return ""
    if check.get("name") == "generalization":
        return _generalization(ev)
    return _first_difference(ev) or _findings(ev) or _capture(ev)


def check_rows(measurement: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The checks of one stored measurement, in the order they ran, secrets redacted."""
    rows = []
    for ch in (measurement or {}).get("checks") or []:
        if not isinstance(ch, Mapping):
            continue
        outcome, klass = OUTCOMES.get(ch.get("passed"), ("—", ""))
        rows.append(
            {
                "name": str(ch.get("name", "")),
                "outcome": outcome,
                "klass": klass,
                "reason": redact(str(ch.get("reason", ""))),
                "detail": redact(detail(ch)),
            }
        )
    return rows
