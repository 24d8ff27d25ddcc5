"""SWE-Perf instances (`SWE-Perf/SWE-Perf`, `data_collection/harness/upload_to_huggingface.py`).

Fields: `repo, instance_id, patch, test_patch, base_commit, head_commit, created_at, version,
duration_changes, efficiency_test, patch_functions, problem_statement_oracle, test_functions,
problem_statement_realistic, human_performance`. The workload is the repository's own pytest
tests named in `efficiency_test` (they exist at the base commit); `patch` is the expert's.
`duration_changes` (a JSON string in the HF export) is kept raw.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from tasks.records import Format, Instance, InstanceError, need_str, opt_str, str_list

PYTEST = "python -m pytest -q -p no:cacheprovider"


def image_name(instance_id: str) -> str:
    """The official image (`docker.io/betty1202/sweb.eval.x86_64.<id, "__"->"_s_", lower>`)."""
    return f"docker.io/betty1202/sweb.eval.x86_64.{instance_id.replace('__', '_s_').lower()}"


def parse(record: Mapping[str, Any]) -> Instance:
    """A SWE-Perf record as an `Instance`; InstanceError names the first bad field."""
    tests = str_list(record, "efficiency_test")
    if not tests:
        raise InstanceError("field 'efficiency_test' is missing or empty")
    human = record.get("human_performance")
    if human is not None and (isinstance(human, bool) or not isinstance(human, int | float)):
        raise InstanceError("field 'human_performance' must be a number")
    command = f"{PYTEST} " + " ".join(shlex.quote(t) for t in tests)
    return Instance(
        instance_id=need_str(record, "instance_id"),
        format="sweperf",
        repo=need_str(record, "repo"),
        base_commit=need_str(record, "base_commit"),
        bench=command,
        bench_kind="command",
        test=command,
        efficiency_tests=tests,
        expert_patch=opt_str(record, "patch"),
        install=opt_str(record, "install") or None,
        image=opt_str(record, "image") or None,
        metadata={
            "human_performance": float(human) if human is not None else None,
            **{k: record[k] for k in ("version", "created_at") if isinstance(record.get(k), str)},
        },
        raw=dict(record),
    )


FORMAT = Format("sweperf", parse, "SWE-Perf: repo pytest tests timed, Mann-Whitney delta grading")
