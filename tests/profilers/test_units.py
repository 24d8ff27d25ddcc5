"""Parsers and pure helpers: workload validation, callgrind files, py-spy stacks, outputs."""

from __future__ import annotations

import pytest

from profilers.equivalence import Outputs, equivalent, normalize
from profilers.errors import BadWorkload
from profilers.harness import RUNNER_NAME
from profilers.hotspots import parse_collapsed
from profilers.instructions import parse_counts
from profilers.workload import Workload


def test_workload_rejects_bad_input() -> None:
    with pytest.raises(BadWorkload, match="unknown workload kind"):
        Workload("shell", "echo")  # type: ignore[arg-type]
    with pytest.raises(BadWorkload, match="empty"):
        Workload("command", "  ")


def test_parse_counts_prefers_totals() -> None:
    text = "version: 1\nevents: Ir\nsummary: 0\nfn=x\n1 5\ntotals: 68136324\n"
    assert parse_counts(text) == 68136324
    assert parse_counts("events: Ir Dr\nsummary: 10 4\n") == 10
    with pytest.raises(ValueError):
        parse_counts("I   refs: 12\n")


def test_parse_collapsed_shares_and_paths() -> None:
    """Guards the profile reading: runner frames dropped, self/total shares, target-relative files."""
    runner = f"/s/{RUNNER_NAME}"
    text = (
        f"<module> ({runner}:1);main ({runner}:9);experiment (/w/perf.py:4);work (/w/pkg/lib.py:2) 30\n"
        f"<module> ({runner}:1);main ({runner}:9);experiment (/w/perf.py:4) 10\n"
        'process 12:"bash";helper (/usr/lib/python3.11/json/__init__.py:3) 10\n'
    )
    prof = parse_collapsed(text, roots=("/w",))
    assert prof.samples == 50
    top = prof.hotspots[0]
    assert (top.function, top.file, top.line) == ("work", "pkg/lib.py", 2)
    assert top.self_share == pytest.approx(0.6)
    exp = next(h for h in prof.hotspots if h.function == "experiment")
    assert exp.total_share == pytest.approx(0.8) and exp.self_share == pytest.approx(0.2)
    assert RUNNER_NAME not in prof.collapsed
    assert parse_collapsed("garbage\n").samples == 0


def test_outputs_compare_by_stability_of_the_base() -> None:
    exact = Outputs(kind="stdout", stdout=("a 1\n", "a 1\n"), mode="exact")
    assert equivalent(exact, Outputs(kind="stdout", stdout=("a 1\n",))) is True
    assert equivalent(exact, Outputs(kind="stdout", stdout=("a 2\n",))) is False
    timed = Outputs(kind="stdout", stdout=("took 0.1 s\n", "took 0.2 s\n"), mode="normalized")
    assert equivalent(timed, Outputs(kind="stdout", stdout=("took 9 s\n",))) is True
    assert equivalent(timed, Outputs(kind="stdout", stdout=("oops\n",))) is False
    unstable = Outputs(kind="stdout", stdout=("x\n", "y\n"), mode="unstable")
    assert equivalent(unstable, Outputs(kind="stdout", stdout=("z\n",))) is None
    silent = Outputs(kind="stdout", stdout=("", ""), mode="exact")
    assert equivalent(silent, Outputs(kind="stdout", stdout=("",))) is None
    assert normalize("0x7f3a at 12.5e-3") == "# at #"


def test_gso_check_result_wins_over_stdout() -> None:
    base = Outputs(kind="gso-check", stdout=("same\n",), ref_id="ref-1")
    bad = Outputs(kind="gso-check", stdout=("same\n",), checked_against="ref-1", check=False)
    assert equivalent(base, bad) is False
    other = Outputs(kind="gso-check", checked_against="ref-2", check=True)
    assert equivalent(base, other) is None
