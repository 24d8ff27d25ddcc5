"""Suite workloads from discovery records, selection by regex, and selection by profile."""

from __future__ import annotations

import pytest

from profilers.discovery import asv_workloads, select_regex
from profilers.errors import BadWorkload
from profilers.suite_select import select_touching, touches
from profilers.workload import Workload

RECORDS = [
    {"name": "bench_a.TimeA.time_x", "type": "time", "params": [["1", "2"], ["'i'", "'f'"]]},
    {"name": "bench_a.time_y", "type": "time", "params": []},
    {"name": "bench_b.timeraw_import", "type": "timeraw", "params": []},
    {"name": "bench_b.peakmem_z", "type": "peakmem", "params": [["10"]]},
    {"name": "bench_b.track_n", "type": "track", "params": []},
    {"name": "bench_b.plugin_thing", "type": "SomePluginBenchmark", "params": []},
]


def test_every_parameter_combination_is_a_workload_in_asv_order() -> None:
    ws = asv_workloads(RECORDS, "benchmarks")
    assert [w.label for w in ws] == [
        "bench_a.TimeA.time_x(1, 'i')",
        "bench_a.TimeA.time_x(1, 'f')",
        "bench_a.TimeA.time_x(2, 'i')",
        "bench_a.TimeA.time_x(2, 'f')",
        "bench_a.time_y",
        "bench_b.timeraw_import",
        "bench_b.peakmem_z(10)",
        "bench_b.track_n",
    ]
    assert [w.param_index for w in ws[:4]] == [0, 1, 2, 3]
    assert ws[4].param_index is None and ws[0].params == "1, 'i'"
    assert {w.spec for w in ws[:4]} == {"bench_a.TimeA.time_x"}
    assert [w.metric for w in ws[4:]] == ["time", "time", "peakmem", "track"]
    assert all(w.kind == "asv" and w.root == "benchmarks" and w.role == "other" for w in ws)


def test_regex_matches_bare_names_and_names_with_parameters() -> None:
    ws = asv_workloads(RECORDS, "benchmarks")
    assert len(select_regex(ws, r"TimeA\.time_x$")) == 4  # the bare name, every combination
    assert [w.label for w in select_regex(ws, r"\(2, 'f'\)")] == ["bench_a.TimeA.time_x(2, 'f')"]
    assert len(select_regex(ws, "bench_b")) == 3
    assert select_regex(ws, None) == ws
    with pytest.raises(BadWorkload, match="invalid benchmark selection"):
        select_regex(ws, "time_(")


def test_bad_suite_workloads_are_refused() -> None:
    with pytest.raises(BadWorkload, match="benchmark directory"):
        Workload("asv", "m.time_x")
    with pytest.raises(BadWorkload, match="role"):
        Workload("command", "true", role="spare")  # type: ignore[arg-type]
    with pytest.raises(BadWorkload, match="only asv"):
        Workload("command", "true", metric="peakmem")
    with pytest.raises(BadWorkload, match="parameter index"):
        Workload("pytest-benchmark", "t.py::test_x", param_index=1)


STACKS = """\
<module> (perfagent_runner.py:1);time_find (benchmarks/bench_catalog.py:20);Catalog.find (suitepkg/catalog.py:16) 40
<module> (perfagent_runner.py:1);time_build (benchmarks/bench_catalog.py:17);Catalog.__init__ (suitepkg/catalog.py:10) 9
"""


def test_a_profile_touches_a_changed_function_by_file_and_name() -> None:
    assert touches(STACKS, [("suitepkg/catalog.py", "find")])
    assert touches(STACKS, [("suitepkg/catalog.py", "Catalog.find")])
    assert touches(STACKS, [("catalog.py", "__init__")])
    assert not touches(STACKS, [("suitepkg/text.py", "find")])
    assert not touches(STACKS, [("suitepkg/catalog.py", "__len__")])
    assert not touches("", [("suitepkg/catalog.py", "find")])


def test_selection_keeps_touching_benchmarks_targets_and_a_seeded_sample() -> None:
    ws = [Workload("command", f"run {i}", name=f"w{i}") for i in range(8)]
    ws = [Workload("command", "run t", name="t", role="target"), *ws]
    ws = [w if w.name == "t" else Workload(w.kind, w.spec, name=w.name, role="other") for w in ws]
    profiles = {"w3": STACKS, "w5": "main (x.py:1) 5\n"}
    changed = [("suitepkg/catalog.py", "find")]
    picked = select_touching(ws, profiles, changed, sample=2, seed=7)
    names = [w.label for w in picked]
    assert names[0] == "t" and "w3" in names and len(names) == 4
    assert names == sorted(names, key=[w.label for w in ws].index)
    again = select_touching(ws, profiles, changed, sample=2, seed=7)
    assert [w.label for w in again] == names
    assert [w.label for w in select_touching(ws, profiles, changed, sample=0)] == ["t", "w3"]
    assert len(select_touching(ws, profiles, changed, sample=100)) == len(ws)
