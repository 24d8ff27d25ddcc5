"""group-by-call when the loop and the helper it calls per item are in different modules: the
pass and the helper's copy are added to the helper's module and imported beside the helper, in
one step that edits both files. Behaviour is checked by importing both versions as packages."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.project import project_for

BILLING = """
class Bill:
    def __init__(self, customer, usage):
        self.customer = customer
        self.usage = usage


def usage_for(customer_id, readings, month):
    total = 0
    for r in readings:
        if r["customer"] == customer_id and r["day"][:7] == month:
            total += r["kwh"]
    return total


def monthly_bill(customer, readings, month):
    if len(month) != 7:
        raise ValueError(month)
    return Bill(customer["id"], usage_for(customer["id"], readings, month))
"""

REPORTS = """
from .billing import (
    Bill,
    monthly_bill,
)


def statements(customers, readings, month):
    out = []
    for c in customers:
        b = monthly_bill(c, readings, month)
        out.append((b.customer, b.usage))
    return out
"""

ALIASED = """
from . import billing


def statements(customers, readings, month):
    return [billing.monthly_bill(c, readings, month).usage for c in customers]
"""


def _texts(reports: str = REPORTS) -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/billing.py": textwrap.dedent(BILLING),
        "pkg/reports.py": textwrap.dedent(reports),
    }


def _step(texts: dict[str, str]) -> None:
    step = Step("group-by-call", "pkg/reports.py", "statements")
    run_step(texts, step, verify=False, project=project_for(texts))


def _load(texts: dict[str, str], root: Path, name: str) -> object:
    for path, text in texts.items():
        target = root / name / path.removeprefix("pkg/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(f"{name}.reports")
    finally:
        sys.path.remove(str(root))


CUSTOMERS = [{"id": "a"}, {"id": "b"}, {"id": 7}, {"id": "zz"}]
READINGS = [
    {"customer": "a", "day": "2024-01-02", "kwh": 0.1},
    {"customer": "b", "day": "2024-01-05", "kwh": 3},
    {"customer": "a", "day": "2024-01-09", "kwh": 0.2},
    {"customer": 7, "day": "2024-02-01", "kwh": 4},
    {"customer": "a", "day": "2024-02-11", "kwh": 9},
]


def test_the_pass_goes_to_the_helpers_module_and_is_imported_beside_it(tmp_path: Path) -> None:
    texts = _texts()
    _step(texts)
    billing, reports = texts["pkg/billing.py"], texts["pkg/reports.py"]
    assert "def usage_for_groups(readings, month):" in billing
    assert "def monthly_bill_via(groups_3, customer, readings, month):" in billing
    assert (
        "    Bill,\n    monthly_bill,\n    usage_for_groups,\n    monthly_bill_via,\n)" in reports
    )
    assert (
        "        usage_for_totals = usage_for_groups(readings, month)\n    except Exception:\n        usage_for_totals = None\n    _ran_code = [False]\n    for c in"
        in reports
    )
    before = _load(_texts(), tmp_path / "a", "across_before")
    after = _load(texts, tmp_path / "b", "across_after")
    for month in ("2024-01", "2024-02", "2023-12"):
        old = before.statements(CUSTOMERS, READINGS, month)  # type: ignore[attr-defined]
        assert after.statements(CUSTOMERS, READINGS, month) == old  # type: ignore[attr-defined]
    for mod in (before, after):
        with pytest.raises(ValueError):
            mod.statements(CUSTOMERS, READINGS, "2024")  # type: ignore[attr-defined]


def test_a_helper_reached_through_its_modules_name_needs_no_import(tmp_path: Path) -> None:
    texts = _texts(ALIASED)
    _step(texts)
    reports = texts["pkg/reports.py"]
    assert "usage_for_totals = billing.usage_for_groups(readings, month)" in reports
    assert (
        "billing.monthly_bill_via(None if _ran_code[0] else usage_for_totals, c, readings, month)"
        in reports
    )
    before = _load(_texts(ALIASED), tmp_path / "a", "aliased_before")
    after = _load(texts, tmp_path / "b", "aliased_after")
    old = before.statements(CUSTOMERS, READINGS, "2024-01")  # type: ignore[attr-defined]
    assert after.statements(CUSTOMERS, READINGS, "2024-01") == old  # type: ignore[attr-defined]


def test_a_helpers_module_an_earlier_step_rewrote_is_read_again() -> None:
    """Guards the two-file step against a stale project: the helper's module changed after
    the project was read (an earlier step of a combined plan), so its nodes are read again
    and the earlier change is kept, not overwritten."""
    texts = _texts()
    project = project_for(texts)
    texts["pkg/billing.py"] += "\n\nEARLIER = 1\n"
    run_step(
        texts, Step("group-by-call", "pkg/reports.py", "statements"), verify=False, project=project
    )
    assert "EARLIER = 1" in texts["pkg/billing.py"]
    assert "def usage_for_groups(" in texts["pkg/billing.py"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    monthly_bill,\n)", "    monthly_bill as mb,\n)"),
        (
            "        b = monthly_bill(c, readings, month)",
            "        b = monthly_bill(c, c['rows'], month)",
        ),
        ("        out.append(", "        readings.append(c)\n        out.append("),
    ],
    ids=["aliased-import", "varying-collection", "mutates"],
)
def test_group_by_call_across_modules_refuses(old: str, new: str) -> None:
    reports = REPORTS.replace(old, new, 1)
    assert reports != REPORTS
    if "as mb" in new:
        reports = reports.replace("b = monthly_bill(", "b = mb(")
    texts = _texts(reports)
    with pytest.raises(StepFailed):
        _step(texts)
    assert texts == _texts(reports)


LOOKUPS = """
def find_mark(marks, student_id, assessment_id):
    for m in marks:
        if m["student_id"] == student_id and m["assessment_id"] == assessment_id:
            return m
    return None
"""

TRANSCRIPT = """
from .lookups import find_mark


def transcript(marks, sid, assessments):
    lines = []
    for a in assessments:
        m = find_mark(marks, sid, a)
        lines.append("-" if m is None else m["mark"])
    return lines
"""


def _lookup_texts(transcript: str = TRANSCRIPT) -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/lookups.py": textwrap.dedent(LOOKUPS),
        "pkg/reports.py": textwrap.dedent(transcript),
    }


def _lookup_step(texts: dict[str, str]) -> None:
    step = Step("group-by-call", "pkg/reports.py", "transcript")
    run_step(texts, step, verify=False, project=project_for(texts))


MARKS = [
    {"student_id": "s1", "assessment_id": "q1", "mark": 4},
    {"student_id": "s2", "assessment_id": "q1", "mark": 5},
    {"student_id": "s1", "assessment_id": "q2", "mark": 6},
    {"student_id": "s1", "assessment_id": "q1", "mark": 9},  # a later duplicate: not the first
    {"student_id": "s1", "assessment_id": 3, "mark": 1},
    {"student_id": 2, "assessment_id": "q2", "mark": 8},
]


@pytest.mark.parametrize(
    "transcript",
    [
        TRANSCRIPT,
        TRANSCRIPT.replace("from .lookups import find_mark", "from . import lookups").replace(
            "m = find_mark(", "m = lookups.find_mark("
        ),
    ],
    ids=["imported-by-name", "through-the-module"],
)
def test_a_scan_the_loop_calls_in_another_module_gets_its_pass_there(
    tmp_path: Path, transcript: str
) -> None:
    """Guards direct calls across modules (before this, `group-by-call` served only scans of
    the loop's own module): the pass and the answering copy go to the scan's module, and the
    loop's module imports them beside the scan, or reaches them through the module's name."""
    texts = _lookup_texts(transcript)
    _lookup_step(texts)
    lookups, reports = texts["pkg/lookups.py"], texts["pkg/reports.py"]
    assert "def find_mark_index(marks, student_id):" in lookups
    if "import lookups" in transcript:
        assert "find_mark_firsts = lookups.find_mark_index(marks, sid)" in reports
    else:
        assert "from .lookups import find_mark, find_mark_index, find_mark_from" in reports
        assert "find_mark_firsts = find_mark_index(marks, sid)" in reports
    name = "direct_" + ("module" if "import lookups" in transcript else "named")
    before = _load(_lookup_texts(transcript), tmp_path / "a", f"{name}_before")
    after = _load(texts, tmp_path / "b", f"{name}_after")
    for sid, wanted in [("s1", ["q1", "q2", 3, "q9", 3.0]), ("s2", ["q1", "q2"]), (2, ["q2"])]:
        old = before.transcript(MARKS, sid, wanted)  # type: ignore[attr-defined]
        assert after.transcript(MARKS, sid, wanted) == old  # type: ignore[attr-defined]
    broken = [*MARKS, {"student_id": "s1"}]  # the scan raises only where it reaches this row
    for mod in (before, after):
        assert mod.transcript(broken, "s1", ["q1"]) == [4]  # type: ignore[attr-defined]
        with pytest.raises(KeyError):
            mod.transcript(broken, "s1", ["zz"])  # type: ignore[attr-defined]


def test_a_direct_scan_imported_under_another_name_is_left_alone() -> None:
    transcript = TRANSCRIPT.replace("import find_mark", "import find_mark as fm").replace(
        "m = find_mark(", "m = fm("
    )
    texts = _lookup_texts(transcript)
    with pytest.raises(StepFailed):
        _lookup_step(texts)
    assert texts == _lookup_texts(transcript)


def test_a_scan_module_that_rebinds_a_builtin_the_copies_call_is_left_alone() -> None:
    """Regression (review): the copies call `type`, `str` and `int` in the scan's module,
    which `find` checked only in the loop's module."""
    texts = _lookup_texts()
    texts["pkg/lookups.py"] += "\n\ndef int(value):\n    return value\n"
    before = dict(texts)
    with pytest.raises(StepFailed):
        _lookup_step(texts)
    assert texts == before
