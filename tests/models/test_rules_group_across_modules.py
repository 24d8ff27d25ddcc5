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
    assert "    usage_for_totals = usage_for_groups(readings, month)\n    for c in" in reports
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
    assert "billing.monthly_bill_via(usage_for_totals, c, readings, month)" in reports
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
