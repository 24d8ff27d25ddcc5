"""GSO instances (`gso-bench/gso`, `src/gso/data/dataset.py:GSOInstance`).

Fields: `instance_id, repo, base_commit, opt_commit, api, prob_script, tests, hints_text,
setup_commands, install_commands, created_at, gt_commit_message, gt_diff, arch,
instance_image_tag`. `base_commit` may be written `"<opt sha>^"` (git resolves it).

Hygiene (GSO issue #18, PR #21): the coder sees only `prob_script`, committed as
`.perfagent/bench/gso_prob.py`; the hidden `tests` and the expert `gt_diff` stay on the
`Instance` and are injected only at evaluation. `hints_text` (the commit message) is never
shown: GSO runs are "no-hint". `expert_speedup` is a perfagent extension (GSO rows carry none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tasks.records import (
    BENCH_DIR,
    Format,
    Instance,
    InstanceError,
    install_script,
    need_str,
    opt_float,
    opt_str,
    str_list,
)

PROB_SCRIPT = f"{BENCH_DIR}/gso_prob.py"
PERF_FUNCTIONS = ("setup", "experiment", "run_test")
"""Functions every GSO perf script defines (`store_result`, `load_result` and
`check_equivalence` are there too in generated scripts, but only these are needed to time)."""


def image_name(instance_id: str, arch: str = "x86_64") -> str:
    """The official prebuilt image (`slimshetty/gso:gso.eval.<arch>.<id lower>`)."""
    return f"slimshetty/gso:gso.eval.{arch}.{instance_id.lower()}"


def parse(record: Mapping[str, Any]) -> Instance:
    """A GSO record as an `Instance`; InstanceError names the first bad field."""
    instance_id = need_str(record, "instance_id")
    prob = need_str(record, "prob_script")
    missing = [f for f in PERF_FUNCTIONS if f"def {f}(" not in prob]
    if missing:
        raise InstanceError(f"prob_script defines no {', '.join(missing)}()")
    tests = str_list(record, "tests")
    for n, script in enumerate(tests):
        if "def run_test(" not in script:
            raise InstanceError(f"tests[{n}] defines no run_test()")
    install = install_script(str_list(record, "install_commands"))
    return Instance(
        instance_id=instance_id,
        format="gso",
        repo=need_str(record, "repo"),
        base_commit=need_str(record, "base_commit"),
        bench=PROB_SCRIPT,
        bench_kind="gso-script",
        test=None,
        visible_files={PROB_SCRIPT: prob},
        hidden_tests=tests,
        expert_patch=opt_str(record, "gt_diff"),
        expert_speedup=opt_float(record, "expert_speedup"),
        install=install,
        image=opt_str(record, "image") or None,
        metadata={
            k: record[k] for k in ("api", "created_at", "arch") if isinstance(record.get(k), str)
        },
        raw=dict(record),
    )


FORMAT = Format("gso", parse, "GSO: prob_script visible, hidden perf tests, Opt@K grading")
