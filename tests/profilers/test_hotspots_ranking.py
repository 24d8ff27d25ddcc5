"""Hotspots ranked by inclusive time as well as self time, each with its call path."""

from __future__ import annotations

import pytest

from profilers.hotspots import parse_collapsed

ROOT = "main (/w/bench.py:1);run (/w/pkg/api.py:3);solve (/w/pkg/solve.py:10)"
ZERO = "Mul._eval_is_zero (/w/pkg/mul.py:400)"


def profile_text() -> str:
    lines = [f"{ROOT};leaf{i} (/w/pkg/leaves.py:{i + 1}) 3" for i in range(25)]
    lines += [f"{ROOT};{ZERO};leaf{i} (/w/pkg/leaves.py:{i + 1}) 8" for i in range(3)]
    lines.append(f"{ROOT};{ZERO} 1")
    return "\n".join(lines) + "\n"


def test_a_function_with_little_self_time_but_a_large_total_is_kept() -> None:
    """Guards the sympy task: `Mul._eval_is_zero`, with 24 % of total samples but little
    self time, was cut from a top-20-by-self profile and the planner never saw it."""
    prof = parse_collapsed(profile_text(), roots=("/w",), top=20)
    assert prof.samples == 100
    by_name = {h.function: h for h in prof.hotspots}
    zero = by_name["Mul._eval_is_zero"]
    assert zero.total_share == pytest.approx(0.25) and zero.self_share == pytest.approx(0.01)
    assert zero.path == (
        "main (bench.py:1)",
        "run (pkg/api.py:3)",
        "solve (pkg/solve.py:10)",
        "Mul._eval_is_zero (pkg/mul.py:400)",
    )
    assert "solve" in by_name  # many callees: it says where the time divides
    assert "main" not in by_name and "run" not in by_name  # pass-throughs add nothing
    assert len(prof.hotspots) <= 2 * 20
    assert prof.hotspots[0].function.startswith("leaf")  # still self time first


def test_the_heaviest_path_is_kept_for_a_function_reached_two_ways() -> None:
    text = (
        "main (/w/b.py:1);a (/w/p.py:1);f (/w/p.py:9) 7\n"
        "main (/w/b.py:1);b (/w/p.py:5);f (/w/p.py:9);f (/w/p.py:9) 3\n"
    )
    prof = parse_collapsed(text, roots=("/w",))
    f = next(h for h in prof.hotspots if h.function == "f")
    assert f.total_share == pytest.approx(1.0)
    assert f.path == ("main (b.py:1)", "a (p.py:1)", "f (p.py:9)")
