"""Instruction counts under valgrind (no cache simulation): the deterministic screen.

Method, chosen once for both sides:
- "region": GSO scripts and pytest ids through the runner, collection switched on by client
  requests around exactly the measured calls (start-up and `setup()` excluded); callgrind,
  the tool whose collection client requests can switch (valgrind before 3.22);
- "n-vs-2n": the same without a compiled helper, or a command that honours `loop_env`:
  count(2 loops) - count(1 loop), so start-up cancels out;
- "whole": any other command, every process of its tree counted from start.
The last two run under cachegrind: the same Ir count as callgrind (within 0.02 % on the
bundled examples) at about a sixth of its cost, since it keeps no call graph.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from profilers.cache import BaseKey
from profilers.config import MeasureConfig
from profilers.env import fingerprint
from profilers.errors import MeasurementError, ToolMissing, WorkloadError
from profilers.harness import (
    Harness,
    base_env,
    check_run,
    compile_helper,
    has_tool,
    nonce,
    prepare,
    prepare_pair,
    read_status,
    run_workload,
)
from profilers.results import InstructionComparison
from profilers.workload import Workload
from sandbox.base import Sandbox

COUNTS_OFF = "instruction counts off"
"""Why a head has no counts under instructions = "never"."""


class ValgrindSkipped(MeasurementError):
    """Valgrind ran out of time or wrote no usable profile: counts are skipped, not wrong."""


@dataclass(frozen=True)
class CountPlan:
    method: str
    helper: str | None = None

    @property
    def tool(self) -> str:
        return "callgrind" if self.method == "region" else "cachegrind"


def parse_counts(text: str) -> int:
    """Instructions (Ir) in one callgrind or cachegrind out file: its `totals:` line, else
    `summary:`."""
    events: list[str] = []
    totals: list[int] | None = None
    summary: list[int] | None = None
    for line in text.splitlines():
        if line.startswith("events:"):
            events = line.split(":", 1)[1].split()
        elif line.startswith("totals:"):
            totals = [int(x) for x in line.split(":", 1)[1].split()]
        elif line.startswith("summary:"):
            summary = [int(x) for x in line.split(":", 1)[1].split()]
    values = totals if totals is not None else summary
    if values is None or not events or "Ir" not in events:
        raise ValueError("no totals/summary line with an Ir event")
    index = events.index("Ir")
    return values[index] if index < len(values) else 0


def _valgrind_prefix(out_file: str, *, tool: str, from_start: bool, children: bool) -> str:
    flags = ["valgrind", "-q", f"--tool={tool}", "--cache-sim=no", f"--{tool}-out-file={out_file}"]
    if tool == "cachegrind":
        flags.append("--branch-sim=no")
    if children:
        flags.append("--trace-children=yes")
    if not from_start:
        # Instrumentation off until the client request is what makes region runs cheap.
        flags += ["--instr-atstart=no", "--collect-atstart=no"]
    return shlex.join(flags)


def count_plan(harnesses: list[Harness], workload: Workload, config: MeasureConfig) -> CountPlan:
    if workload.kind == "command":
        return CountPlan("n-vs-2n" if config.loop_env else "whole")
    helpers = [compile_helper(h) for h in harnesses]
    if all(helpers):
        return CountPlan("region", helper="ok")
    return CountPlan("n-vs-2n")


def _one_count(
    harness: Harness,
    workload: Workload,
    side: str,
    config: MeasureConfig,
    seed: int,
    plan: CountPlan,
    loops: int,
) -> int:
    tag = nonce()
    out_file = harness.scratch_path(f"{plan.tool}-{tag}.%p")
    env = base_env(config, seed)
    status_name = f"status-{tag}.json"
    if workload.kind == "command":
        if config.loop_env:
            env[config.loop_env] = str(loops)
        inner = f"bash -c {shlex.quote(workload.spec)}"
        prefix = _valgrind_prefix(out_file, tool=plan.tool, from_start=True, children=True)
    else:
        region = harness.scratch_path("perfagent_cgtoggle.so") if plan.method == "region" else None
        inner = harness.command(workload, loops, status=status_name, region=region)
        prefix = _valgrind_prefix(
            out_file, tool=plan.tool, from_start=region is None, children=False
        )
    res = harness.sandbox.execute(
        f"{prefix} {inner} >/dev/null", timeout=config.valgrind_timeout_s, env=env
    )
    files = sorted(harness.sandbox.host_scratch.glob(f"{plan.tool}-{tag}.*"))
    try:
        if res.timed_out:
            raise ValgrindSkipped(
                f"valgrind timed out after {config.valgrind_timeout_s:g} s on {side}"
            )
        status = read_status(harness, status_name) if workload.uses_runner else None
        try:
            check_run(res, side, status, workload.uses_runner)
        except WorkloadError as exc:
            if exc.status == "tampered":
                raise
            # Valgrind needs more memory and time; the native runs judge crashes.
            raise ValgrindSkipped(
                f"the workload failed under valgrind on {side}: {exc.detail}"
            ) from None
        if not files:
            raise ValgrindSkipped(f"valgrind wrote no profile on {side}: {res.tail(1)}")
        try:
            return sum(parse_counts(f.read_text(errors="replace")) for f in files)
        except ValueError as exc:
            raise ValgrindSkipped(f"unreadable {plan.tool} output on {side}: {exc}") from None
    finally:
        for f in files:
            f.unlink(missing_ok=True)


def side_counts(
    harness: Harness,
    workload: Workload,
    side: str,
    seeds: tuple[int, ...],
    config: MeasureConfig,
    plan: CountPlan,
) -> dict[int, int]:
    out: dict[int, int] = {}
    for seed in seeds:
        if plan.method == "n-vs-2n":
            one = _one_count(harness, workload, side, config, seed, plan, 1)
            two = _one_count(harness, workload, side, config, seed, plan, 2)
            out[seed] = max(two - one, 0)
        else:
            out[seed] = _one_count(harness, workload, side, config, seed, plan, 1)
    return out


def count_instructions(
    sb: Sandbox, workload: Workload, seeds: tuple[int, ...], config: MeasureConfig
) -> dict[int, int]:
    """Instructions of one workload run per hash seed (deterministic for a seed). Raises
    ToolMissing without valgrind, ValgrindSkipped on a valgrind timeout, WorkloadError if the
    workload fails."""
    if not has_tool(sb, "valgrind"):
        raise ToolMissing(f"valgrind is not installed in the {sb.kind} sandbox")
    harness = prepare(sb, config)
    plan = count_plan([harness], workload, config)
    return side_counts(harness, workload, "base", seeds, config, plan)


def instruction_screen(
    base_sb: Sandbox,
    head_sb: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    *,
    native_s: float | None = None,
    base: BaseKey | None = None,
) -> tuple[InstructionComparison | None, str]:
    """Counts on both sides with the same method, interpreter, env and argv; returns the
    comparison, or None and the one-line reason it was skipped. The base's counts come from
    `base` (a cache) when it holds them for this method."""
    if config.instructions == "never":
        return None, COUNTS_OFF
    if not (has_tool(base_sb, "valgrind") and has_tool(head_sb, "valgrind")):
        if config.instructions == "always":
            raise ToolMissing(f"valgrind is not installed in the {base_sb.kind} sandbox")
        return None, "instruction counts skipped: valgrind not installed in the sandbox"
    hb, hh = prepare_pair(base_sb, head_sb, config)
    if config.instructions == "auto":
        if native_s is None:
            res, _ = run_workload(hb, workload, 1, "base", config, seed=config.seeds[0], quiet=True)
            native_s = res.duration_s
        if native_s > config.instructions_max_native_s:
            return None, (
                f"instruction counts skipped: a native run takes {native_s:.1f} s "
                f"(> {config.instructions_max_native_s:g} s)"
            )
    plan = count_plan([hb, hh], workload, config)
    try:
        base_counts, head = _both_counts(hb, hh, workload, config, plan, base)
    except ValgrindSkipped as exc:
        return None, f"instruction counts skipped: {exc}"
    per_seed = tuple((s, base_counts[s], head[s]) for s in config.seeds)
    total_b = sum(base_counts[s] for s in config.seeds)
    total_h = sum(head.values())
    env = fingerprint(head_sb.kind, config.seeds[0], hb.python_version, {"interpreter": hb.python})
    return (
        InstructionComparison(
            base=total_b,
            head=total_h,
            ratio=total_h / total_b if total_b else 1.0,
            per_seed=per_seed,
            method=plan.method,
            env=env,
        ),
        "",
    )


def _both_counts(
    hb: Harness,
    hh: Harness,
    workload: Workload,
    config: MeasureConfig,
    plan: CountPlan,
    base: BaseKey | None,
) -> tuple[dict[int, int], dict[int, int]]:
    """Each side's count per seed. The base's comes from the cache (kept per method and tool)
    or is counted beside the head's: two sandboxes, and counts are deterministic, so running
    them at once changes no number (callers never time anything meanwhile). A base count
    that succeeded is kept even when the head's fails."""
    key = base.ready(hb.sandbox, config) if base else None
    found = (
        key.get("instructions", workload, config, method=plan.method, tool=plan.tool)
        if key
        else None
    )
    if found is not None:
        cached = {int(seed): int(n) for seed, n in found["counts"].items()}
        return cached, side_counts(hh, workload, "head", config.seeds, config, plan)
    if not _apart(hb.sandbox, hh.sandbox):
        counts = side_counts(hb, workload, "base", config.seeds, config, plan)
        keep_base_counts(key, workload, config, plan, counts)
        return counts, side_counts(hh, workload, "head", config.seeds, config, plan)
    with ThreadPoolExecutor(1, thread_name_prefix="perfagent-count") as pool:
        job = pool.submit(side_counts, hb, workload, "base", config.seeds, config, plan)
        try:
            head = side_counts(hh, workload, "head", config.seeds, config, plan)
        finally:
            if job.exception() is None:
                keep_base_counts(key, workload, config, plan, job.result())
    return job.result(), head


def _apart(a: Sandbox, b: Sandbox) -> bool:
    """Whether two sandboxes may run commands at once: one sandbox runs one command at a
    time, and an engine connection (a Docker client) is not safe to share across threads."""
    client = getattr(a, "client", None)
    return a is not b and (client is None or client is not getattr(b, "client", None))


def keep_base_counts(
    key: BaseKey | None,
    workload: Workload,
    config: MeasureConfig,
    plan: CountPlan,
    counts: dict[int, int],
) -> None:
    if key is not None:
        value = {"method": plan.method, "counts": {str(s): n for s, n in counts.items()}}
        key.put("instructions", workload, config, value, method=plan.method, tool=plan.tool)


def compare_instructions(
    base_sb: Sandbox,
    head_sb: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    *,
    native_s: float | None = None,
) -> InstructionComparison | None:
    """Instruction counts of base and head, or None when skipped ("auto" on a long workload,
    valgrind missing under "auto", valgrind timed out)."""
    result, _ = instruction_screen(base_sb, head_sb, workload, config, native_s=native_s)
    return result


def seed_ratios(comp: InstructionComparison) -> Mapping[int, float]:
    """Head/base instruction ratio per seed."""
    return {s: (h / b if b else 1.0) for s, b, h in comp.per_seed}
