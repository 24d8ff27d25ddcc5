"""SWE-fficiency instances (`swefficiency/swefficiency`, `harness/constants.py`).

Fields: SWE-bench's (`repo, instance_id, base_commit, patch, test_patch, problem_statement,
hints_text, created_at, version, PASS_TO_PASS, FAIL_TO_PASS, environment_setup_commit`) plus
`workload` (a script printing `Mean:` / `Std Dev:`), `speedup` (the expert's), `covering_tests`,
`test_cmd`, `rebuild_cmd`, `image_name`. The workload is visible to the coder (SWE-fficiency
shows it); correctness is the covering `PASS_TO_PASS` tests.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

from tasks.records import (
    BENCH_DIR,
    Format,
    Instance,
    InstanceError,
    need_str,
    opt_float,
    opt_str,
    str_list,
)

WORKLOAD = f"{BENCH_DIR}/workload.py"
MEAN = re.compile(r"^\s*Mean:\s*(\S+)", re.MULTILINE)
"""The harness's own parse (`parse_perf_output`: `(?:Mean|Std\\s*Dev):\\s*(\\S+)`)."""


def image_name(instance_id: str) -> str:
    return f"ghcr.io/swefficiency/swefficiency:{instance_id}"


def parse_mean(stdout: str) -> float | None:
    """The workload's reported mean seconds, or None when it printed none."""
    found = MEAN.findall(stdout)
    try:
        return float(found[-1]) if found else None
    except ValueError:
        return None


def parse(record: Mapping[str, Any]) -> Instance:
    """A SWE-fficiency record as an `Instance`; InstanceError names the first bad field."""
    workload = need_str(record, "workload")
    if "Mean:" not in workload and "Mean" not in workload:
        raise InstanceError("workload prints no 'Mean:' line")
    tests = str_list(record, "covering_tests") or str_list(record, "PASS_TO_PASS")
    test_cmd = opt_str(record, "test_cmd").strip() or "python -m pytest -q -p no:cacheprovider"
    test = f"{test_cmd} " + " ".join(shlex.quote(t) for t in tests) if tests else None
    return Instance(
        instance_id=need_str(record, "instance_id"),
        format="swefficiency",
        repo=need_str(record, "repo"),
        base_commit=need_str(record, "base_commit"),
        # The harness runs the workload against the installed repo; the work tree first on the
        # path is the same code without depending on an install.
        bench=f"PYTHONPATH=.${{PYTHONPATH:+:$PYTHONPATH}} python {WORKLOAD}",
        bench_kind="command",
        test=test,
        visible_files={WORKLOAD: workload},
        expert_patch=opt_str(record, "patch"),
        expert_speedup=opt_float(record, "speedup"),
        install=opt_str(record, "rebuild_cmd") or None,
        image=opt_str(record, "image") or None,
        metadata={
            k: record[k] for k in ("version", "created_at") if isinstance(record.get(k), str)
        },
        raw=dict(record),
    )


FORMAT = Format("swefficiency", parse, "SWE-fficiency: workload script, speedup ratio vs expert")
