"""perfagent's own batch records (`--format native`): a repo, a bench command, tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tasks.records import (
    Format,
    Instance,
    InstanceError,
    install_script,
    need_str,
    opt_float,
    opt_str,
    str_list,
)


def parse_native(record: Mapping[str, Any]) -> Instance:
    """A native batch record: `instance_id`, `repo` (a local path or OWNER/NAME), optional
    `base_commit` (default HEAD), `bench`, `bench_kind`, `test`, `include`, `install`, `image`,
    `patch` (a reference patch for `validate`), `expert_speedup`."""
    include = str_list(record, "include") or ("**/*.py",)
    kind = opt_str(record, "bench_kind") or "command"
    if kind not in ("command", "gso-script", "pytest", "pytest-benchmark"):
        raise InstanceError(
            "field 'bench_kind' must be command, gso-script, pytest or pytest-benchmark,"
            f" not {kind!r}"
        )
    return Instance(
        instance_id=need_str(record, "instance_id"),
        format="native",
        repo=need_str(record, "repo"),
        base_commit=opt_str(record, "base_commit") or "HEAD",
        bench=need_str(record, "bench"),
        bench_kind=kind,  # type: ignore[arg-type]
        test=opt_str(record, "test") or None,
        expert_patch=opt_str(record, "patch"),
        expert_speedup=opt_float(record, "expert_speedup"),
        install=install_script(str_list(record, "install")),
        image=opt_str(record, "image") or None,
        include=include,
        raw=dict(record),
    )


NATIVE = Format("native", parse_native, "perfagent's own records: a repo, a bench command, tests")
