"""valgrind instruction counts, py-spy hotspots and peak memory on real workloads."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from profilers.config import MeasureConfig
from profilers.errors import ToolMissing
from profilers.evaluate import measure
from profilers.hotspots import profile_hotspots
from profilers.instructions import compare_instructions, count_instructions, instruction_screen
from profilers.memory import peak_memory
from profilers.workload import Workload
from tests.profilers.conftest import BENCH, PERF_SCRIPT, OpenPair, loop_script

SCRIPT = Workload("gso-script", "perf.py")
COMMAND = Workload("command", "python3 bench.py")
CFG = MeasureConfig(seeds=(0, 1))


def link_tools(bin_dir: Path, tools: tuple[str, ...]) -> None:
    """A PATH holding only `tools` and the real interpreter (not a pyenv shim) as python3."""
    for tool in tools:
        found = shutil.which(tool)
        assert found, tool
        # A wrapper, not a symlink: valgrind finds its helpers relative to its own path.
        (bin_dir / tool).write_text(f'#!/bin/sh\nexec {found} "$@"\n')
        (bin_dir / tool).chmod(0o755)
    os.symlink(os.path.realpath(sys.executable), bin_dir / "python3")


def files(n: int) -> dict[str, str]:
    return {"lib.py": loop_script(n), "perf.py": PERF_SCRIPT, "bench.py": BENCH}


@pytest.mark.valgrind
@pytest.mark.slow
def test_instruction_counts_are_deterministic_per_seed(open_pair: OpenPair) -> None:
    """Guards determinism: the same seed gives the very same count, run after run."""
    base, _ = open_pair(files(50_000))
    for workload in (SCRIPT, COMMAND):
        first = count_instructions(base, workload, (0, 1), CFG)
        second = count_instructions(base, workload, (0, 1), CFG)
        assert first == second
        assert all(v > 0 for v in first.values())


@pytest.mark.valgrind
@pytest.mark.slow
def test_region_counts_exclude_startup(open_pair: OpenPair) -> None:
    """Guards against start-up dilution: a 10x loop shows a ~10x region ratio, while the
    whole-process ratio of the same change is diluted by interpreter start-up."""
    base, head = open_pair(files(200_000), {"lib.py": loop_script(20_000)})
    cfg = MeasureConfig(instructions="always")
    region = compare_instructions(base, head, SCRIPT, cfg)
    whole = compare_instructions(base, head, COMMAND, cfg)
    assert region is not None and whole is not None
    assert region.method == "region" and whole.method == "whole"
    assert region.ratio < 0.2 and whole.ratio > region.ratio
    assert region.env is not None and region.per_seed[0][0] == 0


@pytest.mark.valgrind
@pytest.mark.slow
def test_n_vs_2n_without_the_helper(open_pair: OpenPair, tmp_path: Path) -> None:
    """Without `cc` (no client-request helper) counts fall back to N-vs-2N differencing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    link_tools(bin_dir, ("bash", "valgrind", "seq", "git"))
    base, head = open_pair(files(100_000), {"lib.py": loop_script(10_000)}, path=str(bin_dir))
    comp, why = instruction_screen(base, head, SCRIPT, MeasureConfig(instructions="always"))
    assert comp is not None, why
    assert comp.method == "n-vs-2n"
    assert comp.ratio < 0.2


def test_missing_valgrind_is_a_clear_skip(open_pair: OpenPair, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    link_tools(bin_dir, ("bash", "seq"))
    base, head = open_pair(files(1000), path=str(bin_dir))
    with pytest.raises(ToolMissing, match="valgrind is not installed"):
        count_instructions(base, SCRIPT, (0,), CFG)
    result, why = instruction_screen(base, head, SCRIPT, MeasureConfig())
    assert result is None and "valgrind not installed" in why
    with pytest.raises(ToolMissing):
        instruction_screen(base, head, SCRIPT, MeasureConfig(instructions="always"))
    with pytest.raises(ToolMissing, match="py-spy is not installed"):
        profile_hotspots(base, SCRIPT, CFG)


@pytest.mark.valgrind
def test_valgrind_timeout_is_skipped_not_an_error(open_pair: OpenPair) -> None:
    base, head = open_pair(files(2_000_000))
    cfg = MeasureConfig(instructions="always", valgrind_timeout_s=1)
    result, why = instruction_screen(base, head, SCRIPT, cfg)
    assert result is None and "timed out" in why


@pytest.mark.valgrind
@pytest.mark.slow
def test_screen_rejects_much_more_work_without_timing(open_pair: OpenPair) -> None:
    base, head = open_pair(files(20_000), {"lib.py": loop_script(400_000)})
    m = measure(base, head, SCRIPT, None, MeasureConfig(instructions="always", memory=False))
    assert (m.verdict, m.stage, m.runtime) == ("slower", "instructions", None)
    assert m.instructions is not None and m.instructions.ratio > 5


@pytest.mark.pyspy
@pytest.mark.slow
def test_hotspots_name_the_hot_function(open_pair: OpenPair) -> None:
    """Guards against empty profiles of commands: py-spy must be rooted at a Python process,
    or it misses the short-lived children of a shell."""
    base, _ = open_pair(files(3_000_000))
    compound = Workload("command", "cd . && python3 bench.py | cat")
    for workload in (SCRIPT, COMMAND, compound):
        prof = profile_hotspots(base, workload, MeasureConfig(profile_min_s=1.0))
        assert prof.samples >= 5 and prof.collapsed
        ours = [h for h in prof.hotspots if not h.file.startswith(("/", "<"))]
        top = ours[0]
        assert (top.function, top.file, top.line) == ("work", "lib.py", 4), prof.hotspots[:3]
        # Of the program's own samples, most are in `work`. (Not a share of all samples:
        # when the run that sizes the profile is slow, start-up holds most of them; a CI
        # rehearsal saw 2 of 17.)
        own = sum(h.self_share for h in ours)
        assert top.self_share >= 0.5 * own and top.total_share >= top.self_share


ALLOC = "def work():\n    data = bytearray({n})\n    data[::4096] = b'x' * len(data[::4096])\n    return True\n"


@pytest.mark.parametrize("double", [False, True])
def test_peak_memory_sees_a_big_allocation(open_pair: OpenPair, double: bool) -> None:
    """Peak RSS from the sandbox or, when it cannot tell, from the runner's getrusage."""
    base, head = open_pair(
        {"lib.py": ALLOC.format(n=10 * 2**20), "perf.py": PERF_SCRIPT, "bench.py": BENCH},
        {"lib.py": ALLOC.format(n=300 * 2**20)},
        double=double,
    )
    for workload in (SCRIPT, COMMAND):
        small = peak_memory(base, workload, CFG)
        big = peak_memory(head, workload, CFG, side="head")
        assert small is not None and big is not None
        assert big > 300 * 2**20 > 5 * small
