"""Predictions in each benchmark's own format, so the official harnesses can grade our output.

All four benchmarks (and perfagent's native format) take JSONL lines of
`{"instance_id", "model_patch", "model_name_or_path"}`; GSO's Opt@K takes K such files.
FormulaCode grades an edited container rather than a file; its harness captures the edit as a
`git diff` against the base and applies a patch to reproduce it, so its predictions are the
same SWE-bench-style lines with the FormulaCode `task_id` as `instance_id`.
The schemas ship as package data (`tasks/schemas/<format>_prediction.schema.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from tasks.native import TaskError


def schema(fmt: str) -> dict[str, Any]:
    """The JSON schema of one prediction line of format `fmt`."""
    name = f"{fmt}_prediction.schema.json"
    try:
        text = resources.files("tasks.schemas").joinpath(name).read_text()
    except FileNotFoundError:
        raise TaskError(f"no prediction schema for format {fmt!r}") from None
    data: dict[str, Any] = json.loads(text)
    return data


def prediction(instance_id: str, patch: str | None, model: str) -> dict[str, Any]:
    """One prediction line; an empty patch stays an empty string (a no-op submission)."""
    return {"instance_id": instance_id, "model_patch": patch, "model_name_or_path": model}


def validation_errors(rows: Iterable[Mapping[str, Any]], fmt: str) -> list[str]:
    """Every schema violation, as `line N: message`; empty when all rows are valid."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema(fmt))
    errors: list[str] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        errors.extend(f"line {n}: {e.message}" for e in validator.iter_errors(dict(row)))
        iid = row.get("instance_id")
        if isinstance(iid, str):
            if iid in seen:
                errors.append(f"line {n}: duplicate instance_id {iid!r}")
            seen.add(iid)
    return errors


def write_predictions(path: Path, rows: Iterable[Mapping[str, Any]], fmt: str) -> int:
    """Validate then write JSONL atomically; returns the number of lines. TaskError if invalid."""
    items = [dict(r) for r in rows]
    errors = validation_errors(items, fmt)
    if errors:
        raise TaskError(f"predictions do not match the {fmt} schema: {errors[0]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(json.dumps(r) + "\n" for r in items))
    tmp.replace(path)
    return len(items)


def read_predictions(path: Path) -> list[dict[str, Any]]:
    """The lines of a predictions file (TaskError on unreadable or non-JSON lines)."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise TaskError(f"cannot read {path}: {exc.strerror or exc}") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise TaskError(f"{path} line {n}: not valid JSON ({exc.msg})") from exc
    return out
