"""join-index-call through a helper that passes its records on: `pay(emp, entries)` calls
`entries_for(emp, entries)` and uses `entries` for nothing else, so a caller's loop may hand
it only the matching group too. Before/after on mixed keys, records that raise, probes that
differ, and refusals where the records or the probe reach anything but the scan."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from tests.models.rules_corpus import helpers

PAYROLL = """
def entries_for(employee, entries):
    return [e for e in entries if e.emp_id == employee.emp_id]


def pay(employee, entries, rate=2):
    mine = entries_for(employee, entries)
    if employee.salaried:
        return employee.salary
    return sum(e.hours for e in mine) * rate


def run(employees, entries):
    out = []
    for employee in employees:
        gross = pay(employee, entries)
        mine = entries_for(employee, entries)
        out.append((employee.emp_id, gross, len(mine)))
    return out
"""


def _outcome(fn: object, *args: object) -> tuple[str, str]:
    try:
        return ("ok", repr(fn(*args)))  # type: ignore[operator]
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def _people(rng: random.Random, ids: list[object]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(emp_id=i, salaried=rng.random() < 0.3, salary=rng.randint(1, 9))
        for i in ids
    ]


def test_both_calls_in_the_loop_get_only_the_matching_group() -> None:
    text = helpers.rewrite(PAYROLL, "join-index-call", "run")
    assert text is not None
    body = helpers.body_of(text, "run")
    assert body.count("_candidates(entries_groups, entries,") == 2
    assert "pay(employee, _candidates(" in body
    assert helpers.body_of(text, "pay") == helpers.body_of(PAYROLL, "pay")  # callees unchanged
    before = helpers.run_module(PAYROLL, "forwarded_a")["run"]
    after = helpers.run_module(text, "forwarded_b")["run"]
    rng = random.Random(11)
    for _ in range(60):
        ids = rng.sample(["a", "b", 1, 2, True, 1.0, "1", None], k=rng.randint(0, 6))
        people = _people(rng, ids)
        entries = [
            SimpleNamespace(emp_id=rng.choice(ids or ["z"]), hours=rng.randint(0, 8))
            for _ in range(rng.randint(0, 15))
        ]
        for records in (entries, tuple(entries)):
            assert _outcome(after, people, records) == _outcome(before, people, records)


@pytest.mark.parametrize(
    "entries",
    [
        [SimpleNamespace(emp_id="a", hours=1), SimpleNamespace(hours=2)],  # no key: AttributeError
        [SimpleNamespace(emp_id="a", hours=1), SimpleNamespace(emp_id="a")],  # no hours
        [SimpleNamespace(emp_id=["x"], hours=1)],  # an unhashable key
        [{"emp_id": "a", "hours": 1}],  # dicts have no attribute
    ],
    ids=["no-key", "no-hours", "unhashable", "dict"],
)
def test_the_same_errors_where_the_scan_raised(entries: list[object]) -> None:
    text = helpers.rewrite(PAYROLL, "join-index-call", "run")
    assert text is not None
    before = helpers.run_module(PAYROLL, "forwarded_c")["run"]
    after = helpers.run_module(text, "forwarded_d")["run"]
    people = _people(random.Random(3), ["a", "b"])
    assert _outcome(after, people, entries) == _outcome(before, people, entries)


def test_the_probe_follows_the_argument_the_helper_passes_on() -> None:
    """`pay` passes its second parameter as the employee: the caller's probe is that one."""
    source = PAYROLL.replace(
        "def pay(employee, entries, rate=2):", "def pay(x, employee, entries):"
    )
    source = source.replace(
        "    return sum(e.hours for e in mine) * rate\n", "    return len(mine)\n"
    )
    source = source.replace("pay(employee, entries)", "pay(0, boss, entries)")
    source = source.replace("def run(employees, entries):", "def run(employees, entries, boss):")
    text = helpers.rewrite(source, "join-index-call", "run")
    assert text is not None and "boss.emp_id if type(entries_groups)" in text
    before = helpers.run_module(source, "forwarded_e")["run"]
    after = helpers.run_module(text, "forwarded_f")["run"]
    rng = random.Random(5)
    people = _people(rng, ["a", "b", "c"])
    entries = [SimpleNamespace(emp_id=rng.choice("abcd"), hours=1) for _ in range(20)]
    for boss in people:
        assert after(people, entries, boss) == before(people, entries, boss)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    if employee.salaried:\n", "    if employee.salaried or not entries:\n"),
        (
            "    mine = entries_for(employee, entries)\n",
            "    mine = entries_for(employee, entries[1:])\n",
        ),
        (
            "    mine = entries_for(employee, entries)\n",
            "    mine = entries_for(employee, list(entries))\n",
        ),
        (
            "    mine = entries_for(employee, entries)\n",
            "    employee = employee\n    mine = entries_for(employee, entries)\n",
        ),
        (
            "    mine = entries_for(employee, entries)\n",
            "    mine = entries_for(employee.boss, entries)\n",
        ),
        ("    mine = entries_for(employee, entries)\n", "    mine = sorted(entries)\n"),
        (
            "def pay(employee, entries, rate=2):",
            "def pay(employee, entries, rate=2, *, _=entries_for):",
        ),
    ],
    ids=[
        "records-read-elsewhere",
        "records-sliced",
        "records-copied",
        "probe-rebound",
        "probe-not-a-parameter",
        "not-a-lookup",
        "keyword-only",
    ],
)
def test_refusals(old: str, new: str) -> None:
    """Only the direct `entries_for` call in `run` may be indexed: `pay`'s is refused."""
    source = PAYROLL.replace(old, new, 1)
    assert source != PAYROLL
    compile(source, "mod.py", "exec")
    text = helpers.rewrite(source, "join-index-call", "run")
    assert text is not None and "gross = pay(employee, entries)" in helpers.body_of(text, "run")


def test_a_helper_that_changes_the_probe_is_not_handed_a_group() -> None:
    """Guards the forwarded probe: `pay` renames the employee before its lookup, so the
    caller's group (for the old id) would miss its entries."""
    source = PAYROLL.replace(
        "    mine = entries_for(employee, entries)\n",
        "    employee.emp_id = 'b'\n    mine = entries_for(employee, entries)\n",
    )
    text = helpers.rewrite(source, "join-index-call", "run")
    assert text is None or "gross = pay(employee, entries)" in helpers.body_of(text, "run")


def test_a_subscript_probe_is_not_read_for_a_helper_that_may_never_read_it() -> None:
    """Guards the forwarded probe: `total` returns before its lookup for an employee without
    an "id"; the caller reading `emp["id"]` for it would raise KeyError where nothing did."""
    source = """
def entries_for(emp, entries):
    return [e for e in entries if e["emp"] == emp["id"]]


def total(emp, entries):
    if "id" not in emp:
        return 0
    return len(entries_for(emp, entries))


def report(emps, entries):
    out = []
    for emp in emps:
        out.append(total(emp, entries))
    return out
"""
    text = helpers.rewrite(source, "join-index-call", "report")
    assert text is None or "total(emp, entries)" in helpers.body_of(text, "report")
    if text is not None:
        after = helpers.run_module(text, "forwarded_g")["report"]
        assert after([{"id": "a"}, {}], [{"emp": "a"}, {"emp": "b"}]) == [1, 0]
