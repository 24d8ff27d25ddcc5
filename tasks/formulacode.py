"""FormulaCode instances (`formula-code/datasmith`, ICML 2026: 957 tasks from scientific
Python repositories, each measured on the repository's own asv suite).

Sources (public, read with the search tool): the dataset card `DATASET_CARD.md` (key columns
`task_id, repo_name, container_name, image_name, difficulty, classification, patch, final_md,
pr_merged_at, pr_merge_commit_sha, pr_base_sha, pr_number`), the publish design
`docs/design/components/datasmith.publish.md` (`FormulaCodeRecord`: `task_id, container_name,
patch, gt_hash, base_commit, date, instructions, classification, difficulty, image_name`), the
harbor adapter (`src/datasmith/harbor_adapter/adapter.py`), the reward parser
(`harbor_adapter/template/tests/parser.py`) and `formula-code/lsv` (`measure_impacted`: only
the asv benchmarks whose coverage touches the changed methods are run). No schema file of the
published Hugging Face dataset was found, so both spellings above are accepted. The rows name
no benchmarks: the workloads are the repository's asv suite, found from its asv.conf.json.

Mapping onto perfagent's preparation (as GSO and SWE-fficiency): the repo at the base commit
in a hygienic workspace; the asv suite as "other" workloads (a candidate must speed up one and
slow down none); `patch` (the merged PR) is the expert patch `validate` measures; the merge
commit (`gt_hash`, `pr_merge_commit_sha`) is never shown. `final_md`/`instructions` (the task
text FormulaCode gives its agents) is kept in metadata. perfagent extensions, all optional:
`benchmark_dir`, `benchmarks` (asv names to measure), `bench_select` (a regex), `test_cmd`,
`expert_speedup`, `regress_tolerance`.

Metric (parser.py): per benchmark, speedup = baseline time / patched time and advantage over
the expert = (expert time - agent time) / agent time; both aggregate by asv's name hierarchy
(benchmark, class, module, overall) with the geometric mean (the arithmetic mean when a value
is not positive).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from tasks.records import Format, Instance, InstanceError, opt_float, opt_str, str_list
from tasks.suites import DEFAULT_TOLERANCE, check_select, parse_tolerance
from tasks.task import SuiteSpec

SAFE_FIELDS = ("classification", "difficulty", "pr_number", "pr_merged_at", "date")
"""Row fields a coder may see (never the merge commit, which is the expert's solution)."""


def _first(record: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = opt_str(record, key).strip()
        if value:
            return value
    raise InstanceError(f"field {keys[0]!r} (or {', '.join(keys[1:])}) is missing")


def _select(record: Mapping[str, Any]) -> str | None:
    names = str_list(record, "benchmarks")
    try:
        pattern = check_select(record.get("bench_select"), "bench_select")
    except ValueError as exc:
        raise InstanceError(str(exc)) from None
    if names and pattern:
        raise InstanceError("give benchmarks or bench_select, not both")
    if names:  # a bare asv name also selects all its parameter combinations
        return "^(?:" + "|".join(re.escape(n) for n in names) + r")(?:\(|$)"
    return pattern


def _tolerance(record: Mapping[str, Any]) -> float:
    try:
        return parse_tolerance(record.get("regress_tolerance", DEFAULT_TOLERANCE))
    except ValueError as exc:
        raise InstanceError(str(exc)) from None


def parse(record: Mapping[str, Any]) -> Instance:
    """A FormulaCode row as an `Instance`; InstanceError names the first bad field."""
    repo = _first(record, "repo_name", "repo")
    if "/" not in repo:
        raise InstanceError(f"field 'repo_name' must be OWNER/NAME, not {repo!r}")
    root = opt_str(record, "benchmark_dir").strip().strip("/")
    metadata = {k: record[k] for k in SAFE_FIELDS if isinstance(record.get(k), str | int)}
    instructions = opt_str(record, "final_md") or opt_str(record, "instructions")
    if instructions:
        metadata["instructions"] = instructions
    test = opt_str(record, "test_cmd").strip() or None
    return Instance(
        instance_id=_first(record, "task_id", "instance_id"),
        format="formulacode",
        repo=repo,
        base_commit=_first(record, "pr_base_sha", "base_commit"),
        bench="",
        bench_kind="command",
        test=test,
        expert_patch=opt_str(record, "patch"),
        expert_speedup=opt_float(record, "expert_speedup"),
        image=opt_str(record, "image_name") or opt_str(record, "container_name") or None,
        metadata=metadata,
        raw=dict(record),
        suites=(SuiteSpec("asv", root, select=_select(record)),),
        regress_tolerance=_tolerance(record),
    )


FORMAT = Format(
    "formulacode", parse, "FormulaCode: the repo's asv suite, expert PR patch, speedup vs expert"
)


# metric ---------------------------------------------------------------------------------------
def _mean(values: list[float]) -> float:
    """parser.py's `geometric_mean`: geometric when all values are positive, else arithmetic."""
    if not values:
        return 0.0
    if any(v <= 0 for v in values):
        return math.fsum(values) / len(values)
    return math.exp(math.fsum(math.log(v) for v in values) / len(values))


def speedups(baseline: Mapping[str, float], current: Mapping[str, float]) -> dict[str, float]:
    """baseline / current per benchmark measured on both sides with positive times."""
    return {
        name: baseline[name] / t
        for name, t in current.items()
        if t > 0 and baseline.get(name, 0) > 0
    }


def advantages(agent: Mapping[str, float], expert: Mapping[str, float]) -> dict[str, float]:
    """(expert time - agent time) / agent time per benchmark: above 0 beats the expert."""
    return {name: (expert[name] - t) / t for name, t in agent.items() if t > 0 and name in expert}


def hierarchy(per_benchmark: Mapping[str, float]) -> dict[str, Any]:
    """FormulaCode's levels: level1 per benchmark, level2 per `module.Class`, level3 per
    module, level4 overall (parameters, shown as "(...)", are not part of the hierarchy)."""
    if not per_benchmark:
        return {"level1": {}, "level2": {}, "level3": {}, "level4": 0.0}
    by_class: dict[str, list[float]] = {}
    by_module: dict[str, list[float]] = {}
    for name, value in per_benchmark.items():
        parts = name.split("(", 1)[0].split(".")
        by_class.setdefault(".".join(parts[:2]), []).append(value)
        by_module.setdefault(parts[0], []).append(value)
    return {
        "level1": dict(per_benchmark),
        "level2": {k: _mean(v) for k, v in by_class.items()},
        "level3": {k: _mean(v) for k, v in by_module.items()},
        "level4": _mean(list(per_benchmark.values())),
    }
