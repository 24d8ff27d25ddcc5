"""The workloads of a benchmark suite, found inside the sandbox, and picking some by name.

Discovery imports the suite (and so the project): it is the project's code, so it runs in a
sandbox (normally the baseline's) through the shipped runner, never in this process. asv
suites are listed by `asv_runner` (asv's own discovery), pytest-benchmark items by pytest's
collection (tests whose fixtures include `benchmark`).

Every parameter combination of an asv benchmark becomes its own workload, named as asv shows
it: `module.Class.time_x(1000, 'int')`. `time_*` and `timeraw_*` benchmarks are timed,
`peakmem_*` compare peak memory, `track_*` (and `mem_*` when pympler is installed) compare the
value they return. Benchmark types of asv plugins are left out.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from profilers.config import MeasureConfig
from profilers.errors import BadWorkload, MeasurementError
from profilers.harness import Harness, base_env, check_run, nonce, prepare, read_status
from profilers.workload import Metric, Workload, WorkloadRole
from sandbox.base import Sandbox

SuiteKind = Literal["asv", "pytest-benchmark"]
METRICS: dict[str, Metric] = {
    "time": "time",
    "timeraw": "time",
    "peakmem": "peakmem",
    "track": "track",
}
"""asv benchmark types (as the runner reports them) -> what perfagent compares."""


def run_tool(harness: Harness, kind: str, spec: str, config: MeasureConfig) -> dict[str, Any]:
    """One runner call that is not a timed workload (a discovery); its status fields.
    A failure raises WorkloadError on the "base" side (a suite that cannot be listed)."""
    name = f"status-{nonce()}.json"
    argv = [harness.python, harness.runner, "--kind", kind, "--spec", spec]
    argv += ["--status", harness.scratch_path(name)]
    res = harness.sandbox.execute(
        shlex.join(argv), timeout=config.timeout_s, env=base_env(config, config.seeds[0])
    )
    status = read_status(harness, name)
    check_run(res, "base", status, True)
    return dict(status or {})


def asv_workloads(
    entries: Iterable[Mapping[str, Any]], root: str, role: WorkloadRole = "other"
) -> list[Workload]:
    """One workload per benchmark and parameter combination, in asv's parameter order."""
    out: list[Workload] = []
    for entry in entries:
        metric = METRICS.get(str(entry.get("type")))
        name = str(entry.get("name", ""))
        if metric is None or not name:
            continue
        params = [[str(v) for v in values] for values in entry.get("params") or []]
        if not params:
            out.append(Workload("asv", name, name=name, role=role, root=root, metric=metric))
            continue
        for index, combo in enumerate(itertools.product(*params)):
            shown = ", ".join(combo)
            out.append(
                Workload(
                    "asv",
                    name,
                    name=f"{name}({shown})",
                    role=role,
                    root=root,
                    param_index=index,
                    params=shown,
                    metric=metric,
                )
            )
    return out


def _listed(
    sb: Sandbox, config: MeasureConfig, kind: str, spec: str, key: str, harness: Harness | None
) -> list[Any]:
    status = run_tool(harness or prepare(sb, config), kind, spec, config)
    found = status.get(key)
    if not isinstance(found, list):
        raise MeasurementError(f"{kind} of {spec} returned no {key} list")
    return found


def discover_asv(
    sb: Sandbox,
    config: MeasureConfig,
    root: str,
    *,
    role: WorkloadRole = "other",
    harness: Harness | None = None,
) -> list[Workload]:
    """The asv benchmarks under `root` (the benchmark directory, relative to the task dir)."""
    entries = _listed(sb, config, "asv-discover", root, "benchmarks", harness)
    return asv_workloads([e for e in entries if isinstance(e, dict)], root, role)


def discover_pytest_benchmark(
    sb: Sandbox,
    config: MeasureConfig,
    path: str,
    *,
    role: WorkloadRole = "other",
    harness: Harness | None = None,
) -> list[Workload]:
    """The tests under `path` that use the `benchmark` fixture, one workload per node id."""
    items = _listed(sb, config, "pytest-benchmark-discover", path, "items", harness)
    return [
        Workload("pytest-benchmark", item, name=item, role=role)
        for item in items
        if isinstance(item, str) and item
    ]


def select_regex(workloads: Sequence[Workload], pattern: str | None) -> list[Workload]:
    """The workloads whose name matches `pattern` anywhere (`re.search`, as asv's `--bench`):
    an asv benchmark matches by its bare name or by its name with parameters. None keeps all;
    an invalid pattern raises BadWorkload."""
    if not pattern:
        return list(workloads)
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise BadWorkload(f"invalid benchmark selection {pattern!r}: {exc}") from None
    return [w for w in workloads if regex.search(w.label) or regex.search(w.spec)]


def discover(
    sb: Sandbox,
    config: MeasureConfig,
    kind: SuiteKind,
    root: str,
    *,
    role: WorkloadRole = "other",
    select: str | None = None,
    harness: Harness | None = None,
) -> list[Workload]:
    """A suite's workloads (`kind` asv: `root` is the benchmark directory; pytest-benchmark:
    a path or node id to collect), filtered by `select` (see `select_regex`)."""
    if kind == "asv":
        found = discover_asv(sb, config, root, role=role, harness=harness)
    elif kind == "pytest-benchmark":
        found = discover_pytest_benchmark(sb, config, root, role=role, harness=harness)
    else:
        raise BadWorkload(f"unknown suite kind {kind!r} (asv or pytest-benchmark)")
    return select_regex(found, select)
