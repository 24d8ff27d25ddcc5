"""The base side of the trust checks, cached by content (issue 13, item 1).

What the unedited code does under the checks (the capture of its calls, its answers to a
replay plan, what one clean run of its workload prints and leaves behind) depends only on
the base (`BaseKey`: commit, environment, workload, settings) and on what is asked of it: the
changed functions, the tests, the plan. Candidates that change the same functions therefore
share it, within a run, across runs and on resume. Only results the base produced without
failing are kept, and a replay's answer is keyed on the very records it replayed, so an
answer is never paired with another capture.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from profilers.cache import BaseKey
from profilers.checks.capture import Recording, ReplayRun, record, replay
from profilers.checks.changes import Targets
from profilers.config import MeasureConfig
from profilers.harness import Harness, run_workload
from profilers.workload import Workload
from sandbox.base import ExecResult

MAX_KEPT_BYTES = 16 * 1024**2
"""Larger captures (and outputs) are measured again rather than kept in the store."""


def _ready(harness: Harness, config: MeasureConfig, key: BaseKey | None) -> BaseKey | None:
    return key.ready(harness.sandbox, config) if key is not None else None


def recording_digest(rec: Recording) -> str:
    """Names a capture by its content (what a replay of it answers depends on)."""
    h = hashlib.sha256()
    for stream in rec.streams:
        h.update(hashlib.sha256(stream).digest())
    h.update(json.dumps(rec.notes, sort_keys=True, default=str).encode())
    return h.hexdigest()


def base_recording(
    harness: Harness,
    workload: Workload,
    tests: str | None,
    targets: Targets,
    config: MeasureConfig,
    key: BaseKey | None,
) -> tuple[Recording, bool]:
    """The base's capture of the changed functions' calls, and whether it came from the
    cache. A failing base workload raises WorkloadError, as `record` does."""
    ready = _ready(harness, config, key)
    shape = {"targets": targets.as_json(), "tests": tests}
    found = ready.get("recording", workload, config, **shape) if ready else None
    if found is not None:
        rec = Recording(
            streams=[base64.b64decode(s) for s in found["streams"]],
            notes=list(found["notes"]),
            workload_s=float(found["workload_s"]),
            tests_s=float(found["tests_s"]),
        )
        return rec, True
    rec = record(harness, workload, tests, targets, config)
    if ready is not None and sum(map(len, rec.streams)) <= MAX_KEPT_BYTES:
        value = {
            "streams": [base64.b64encode(s).decode() for s in rec.streams],
            "notes": rec.notes,
            "workload_s": rec.workload_s,
            "tests_s": rec.tests_s,
        }
        ready.put("recording", workload, config, value, **shape)
    return rec, False


def base_replay(
    harness: Harness,
    workload: Workload,
    rec: Recording,
    targets: Targets,
    config: MeasureConfig,
    plan: dict[str, Any],
    key: BaseKey | None,
) -> ReplayRun:
    """The base's replay of `rec` under `plan` (from the cache when it was answered before)."""
    ready = _ready(harness, config, key)
    shape = _replay_shape(rec, targets, plan)
    found = ready.get("replay", workload, config, **shape) if ready else None
    if found is not None:
        result = ExecResult("(cached base replay)", 0, "", "", float(found["duration_s"]))
        return ReplayRun(found["answer"], result)
    run = replay(harness, rec, targets, config, plan)
    if ready is not None and run.answer is not None and _small(run.answer):
        value = {"answer": run.answer, "duration_s": run.result.duration_s}
        ready.put("replay", workload, config, value, **shape)
    return run


def base_sample_loops(
    harness: Harness,
    workload: Workload,
    rec: Recording,
    targets: Targets,
    config: MeasureConfig,
    plan: dict[str, Any],
    key: BaseKey | None,
    size: Callable[[], int],
) -> int:
    """How many times a timed replay of `rec` under `plan` repeats its calls: `size()` (one
    base run) the first time, kept since. It only sizes samples; no verdict comes from it."""
    ready = _ready(harness, config, key)
    shape = _replay_shape(rec, targets, plan)
    found = ready.get("sample-loops", workload, config, **shape) if ready else None
    if found is not None:
        return int(found["loops"])
    loops = size()
    if ready is not None:
        ready.put("sample-loops", workload, config, {"loops": loops}, **shape)
    return loops


def base_clean_run(
    harness: Harness, workload: Workload, config: MeasureConfig, seed: int, key: BaseKey | None
) -> ExecResult:
    """One run of the base's workload from a clean state: what it printed and where it wrote
    (cached). A failing base raises WorkloadError, as `run_workload` does."""
    ready = _ready(harness, config, key)
    found = ready.get("clean-run", workload, config, seed=seed) if ready else None
    if found is not None:
        return ExecResult(
            "(cached base run)",
            0,
            str(found["stdout"]),
            "",
            float(found["duration_s"]),
            writes=tuple(found["writes"]),
        )
    res, _ = run_workload(harness, workload, 1, "base", config, seed=seed)
    value = {"stdout": res.stdout, "writes": list(res.writes), "duration_s": res.duration_s}
    if ready is not None and _small(value):
        ready.put("clean-run", workload, config, value, seed=seed)
    return res


def _replay_shape(rec: Recording, targets: Targets, plan: dict[str, Any]) -> dict[str, Any]:
    """What a base replay's result depends on beyond the base itself."""
    return {"recording": recording_digest(rec), "targets": targets.as_json(), "plan": plan}


def _small(value: Any) -> bool:
    return len(json.dumps(value, default=str)) <= MAX_KEPT_BYTES
