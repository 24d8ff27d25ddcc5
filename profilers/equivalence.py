"""Output equivalence: the head must produce what the base produces, whatever its speed.

GSO-style perf scripts with `store_result`/`load_result`/`check_equivalence` (or `run_test`'s
reference/eqcheck) are checked the GSO way: the base stores its result in scratch, the file is
copied to the head's scratch, and the head's run checks against it. Everything else is
compared by its captured stdout (plus the repr of `experiment`'s result): exactly when the
base's repeated runs agree, with numbers masked when only numbers vary, and not at all (None,
unknown) when even that varies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from profilers.config import MeasureConfig
from profilers.errors import WorkloadError
from profilers.harness import Harness, nonce, prepare, run_workload
from profilers.workload import Workload
from sandbox.base import Sandbox

_NUMBER = re.compile(r"0x[0-9a-fA-F]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def normalize(text: str) -> str:
    """Mask numbers and addresses (timings, ids) so only the shape of the output is compared."""
    return _NUMBER.sub("#", text)


@dataclass(frozen=True)
class Outputs:
    """What one side's workload produced."""

    kind: Literal["gso-check", "stdout", "none"]
    """How outputs compare: the script's own check, captured stdout, or not at all (pytest and
    pytest-benchmark items: pass/fail only)."""
    stdout: tuple[str, ...] = ()
    """Captured stdout per run (with "[result] repr" appended for perf scripts)."""
    mode: Literal["exact", "normalized", "unstable"] = "exact"
    """On the base: whether repeated runs agreed exactly, only with numbers masked, or not."""
    reference: tuple[tuple[str, bytes], ...] = ()
    """Result files the base's `store_result` wrote (scratch file name, content)."""
    ref_id: str = ""
    """Identifies the base reference a head was checked against."""
    checked_against: str = ""
    check: bool | None = None
    """The head's `check_equivalence` verdict against `checked_against`."""
    detail: str = ""
    durations: tuple[float, ...] = ()
    """Host wall time of each capture run (loops = 1), untimed for verdicts."""


def _mode(stdout: tuple[str, ...]) -> Literal["exact", "normalized", "unstable"]:
    if len(set(stdout)) <= 1:
        return "exact"
    if len({normalize(s) for s in stdout}) == 1:
        return "normalized"
    return "unstable"


def _text(stdout: str, status: dict[str, object] | None) -> str:
    if status and isinstance(status.get("result_repr"), str):
        return f"{stdout}\n[result] {status['result_repr']}"
    return stdout


def capture_outputs(
    sb: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    *,
    reference: Outputs | None = None,
    harness: Harness | None = None,
) -> Outputs:
    """Run the workload once per capture (`output_runs` times on the base, once on a head,
    i.e. when `reference` is the base's Outputs). A failing run raises WorkloadError, except
    a failed equivalence check, which is returned as `check=False`."""
    side = "base" if reference is None else "head"
    harness = harness or prepare(sb, config)
    seed = config.seeds[0]
    if workload.kind in ("pytest", "pytest-benchmark"):
        res, _ = run_workload(harness, workload, 1, side, config, seed=seed, quiet=True)
        return Outputs(kind="none", durations=(res.duration_s,))
    if workload.kind == "command":
        runs = config.output_runs if reference is None else 1
        outs, took = [], []
        for _ in range(max(1, runs)):
            res, _ = run_workload(harness, workload, 1, side, config, seed=seed)
            outs.append(res.stdout)
            took.append(res.duration_s)
        stdout = tuple(outs)
        return Outputs(kind="stdout", stdout=stdout, mode=_mode(stdout), durations=tuple(took))
    if reference is None:
        return _capture_base(harness, workload, config)
    return _capture_head(harness, workload, config, reference)


def _capture_base(harness: Harness, workload: Workload, config: MeasureConfig) -> Outputs:
    tag = f"ref-{nonce()}"
    seed = config.seeds[0]
    res, status = run_workload(
        harness,
        workload,
        1,
        "base",
        config,
        seed=seed,
        extra=("--store", harness.scratch_path(tag), "--capture"),
    )
    outs, took = [_text(res.stdout, status)], [res.duration_s]
    for _ in range(max(0, config.output_runs - 1)):
        more, st = run_workload(
            harness, workload, 1, "base", config, seed=seed, extra=("--capture",)
        )
        outs.append(_text(more.stdout, st))
        took.append(more.duration_s)
    files = tuple(
        (p.name, p.read_bytes())
        for p in sorted(harness.sandbox.host_scratch.iterdir())
        if p.name.startswith(tag) and p.is_file()
    )
    stdout = tuple(outs)
    stored = bool(status and status.get("stored")) and bool(files)
    return Outputs(
        kind="gso-check" if stored else "stdout",
        stdout=stdout,
        mode=_mode(stdout),
        reference=files,
        ref_id=tag if stored else "",
        durations=tuple(took),
    )


def _capture_head(
    harness: Harness, workload: Workload, config: MeasureConfig, reference: Outputs
) -> Outputs:
    seed = config.seeds[0]
    if reference.kind != "gso-check":
        res, status = run_workload(
            harness, workload, 1, "head", config, seed=seed, extra=("--capture",)
        )
        return Outputs(
            kind="stdout", stdout=(_text(res.stdout, status),), durations=(res.duration_s,)
        )
    for name, content in reference.reference:
        (harness.sandbox.host_scratch / name).write_bytes(content)
    extra = ("--check", harness.scratch_path(reference.ref_id), "--capture")
    try:
        res, status = run_workload(harness, workload, 1, "head", config, seed=seed, extra=extra)
    except WorkloadError as exc:
        if exc.status != "output-differs":
            raise
        return Outputs(
            kind="gso-check", checked_against=reference.ref_id, check=False, detail=exc.detail
        )
    finally:
        for name, _ in reference.reference:
            (harness.sandbox.host_scratch / name).unlink(missing_ok=True)
    ok = bool(status and status.get("equivalent") is True)
    return Outputs(
        kind="gso-check",
        stdout=(_text(res.stdout, status),),
        checked_against=reference.ref_id,
        check=ok,
        detail="" if ok else "the runner did not confirm the check",
        durations=(res.duration_s,),
    )


def equivalent(a: Outputs, b: Outputs) -> bool | None:
    """Whether head outputs `b` match base outputs `a`; None when nothing comparable exists
    (pytest workloads, no output at all, or base output that varies run to run)."""
    if b.checked_against:
        return b.check if b.checked_against == a.ref_id else None
    if a.kind == "none" or b.kind == "none" or not a.stdout or not b.stdout:
        return None
    if a.mode == "unstable":
        return None
    if not any(s.strip() for s in (*a.stdout, *b.stdout)):
        return None
    if a.mode == "normalized":
        want = normalize(a.stdout[0])
        return all(normalize(s) == want for s in b.stdout)
    return all(s == a.stdout[0] for s in b.stdout)


def describe_difference(a: Outputs, b: Outputs) -> str:
    """One line on how head outputs differ from the base's."""
    if b.checked_against:
        return f"check_equivalence failed: {b.detail}" if b.detail else "check_equivalence failed"
    want = a.stdout[0] if a.stdout else ""
    got = b.stdout[0] if b.stdout else ""
    if a.mode == "normalized":
        want, got = normalize(want), normalize(got)
    for i, (x, y) in enumerate(zip(want.splitlines(), got.splitlines(), strict=False)):
        if x != y:
            return f"stdout line {i + 1} differs: {x[:60]!r} vs {y[:60]!r}"
    return f"stdout differs ({len(want.splitlines())} vs {len(got.splitlines())} lines)"
