"""group-by-call: a per-key scan called once per key in a loop becomes one pass adding up every
key's total (in the same order) and a lookup per key. Before/after, and refusals."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

BOOK = """
from datetime import date
from decimal import Decimal


class UnknownAccount(KeyError):
    pass


class Book:
    def __init__(self, codes, entries):
        self.codes = list(codes)
        self.entries = list(entries)

    def check(self, code):
        if code not in self.codes:
            raise UnknownAccount(code)
        return code

    def balance(self, code, as_of=None):
        self.check(code)
        total = Decimal("0")
        for day, postings in self.entries:
            if as_of is not None and date.fromisoformat(day) > as_of:
                continue
            for account, amount in postings:
                if account == code:
                    total += amount
        return -total if code.startswith("4") else total

    def trial(self, as_of=None):
        rows = []
        for code in self.codes:
            rows.append((code, self.balance(code, as_of)))
        return rows
"""

ENTRIES = [
    ("2023-01-02", [("1000", Decimal("10.10")), ("4000", Decimal("-10.10"))]),
    ("2023-02-03", [("1000", Decimal("0.333")), ("4000", Decimal("-0.333"))]),
    ("2023-03-04", [("1200", Decimal("5")), ("1000", Decimal("-5"))]),
]


def test_group_by_call_adds_every_key_up_in_one_pass() -> None:
    text = rewrite(BOOK, "group-by-call", "Book.trial")
    assert text is not None
    assert (
        "            balance_totals = self.balance_groups(as_of)\n        except Exception:\n            balance_totals = None\n        _ran_code = [False]\n        for code in"
        in text
    )
    assert (
        "rows.append((code, self.balance_from(None if _ran_code[0] else balance_totals, code, as_of)))"
        in text
    )
    assert "    def balance_groups(self, as_of=None):" in text
    assert "    def balance_from(self, groups_2, code, as_of=None):" in text
    before = helpers.run_module(BOOK, "group_by_before")["Book"]
    after = helpers.run_module(text, "group_by_after")["Book"]
    codes = ["1000", "1200", "4000", "9999"]
    for as_of in (None, date(2023, 2, 28)):
        assert after(codes, ENTRIES).trial(as_of) == before(codes, ENTRIES).trial(as_of)
    assert after(codes, ENTRIES).balance_groups(None) == {
        "1000": Decimal("5.433"),
        "4000": Decimal("-10.433"),
        "1200": Decimal("5"),
    }


def test_group_by_call_falls_back_where_the_pass_cannot_serve() -> None:
    """Guards the run-time checks: a bad date in the pass, a key that is not exactly a str or
    an int, or a value a total cannot take each leave every call to its own scan, which
    raises (or not) exactly where it did."""
    text = rewrite(BOOK, "group-by-call", "Book.trial")
    assert text is not None
    before = helpers.run_module(BOOK, "group_by_fb_before")["Book"]
    after = helpers.run_module(text, "group_by_fb_after")["Book"]
    bad_day = [*ENTRIES, ("not a day", [("1200", Decimal("1"))])]
    for mod in (before, after):
        assert mod(["1000"], bad_day).trial(None)[0] == ("1000", Decimal("5.433"))
        with pytest.raises(ValueError):
            mod(["1000"], bad_day).trial(date(2023, 1, 1))
    assert after([], bad_day).balance_groups(date(2023, 1, 1)) is None
    floaty = [("2023-01-01", [(1.0, Decimal("1")), ("1000", Decimal("2"))])]
    assert after([], floaty).balance_groups(None) is None
    listy = [("2023-01-01", [("1000", [1])])]
    assert after([], listy).balance_groups(None) is None


FLOATS = """
def owed(name, entries):
    total = 0
    for who, amount in entries:
        if who == name:
            total += amount
    return total


def owed_all(names, entries):
    return [owed(n, entries) for n in names]
"""


def test_group_by_call_keeps_the_order_of_float_additions() -> None:
    text = rewrite(FLOATS, "group-by-call", "owed_all")
    assert text is not None
    assert (
        "owed_totals = owed_groups(entries)\n    except Exception:\n        owed_totals = None\n    _ran_code = [False]\n    return [owed_from(None if _ran_code[0] else owed_totals, n, entries)"
        in (text)
    )
    entries = [("a", 0.1), ("b", 1e16), ("a", 0.2), ("b", 1.0), ("a", 0.3), ("b", -1e16)]
    names = ["a", "b", "c", 1, 1.0, True]
    before = helpers.run_module(FLOATS, "group_by_floats_a")["owed_all"](names, entries)
    after = helpers.run_module(text, "group_by_floats_b")["owed_all"](names, entries)
    assert after == before
    assert after[0] == 0.1 + 0.2 + 0.3 and after[1] == 0.0


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "        rows.append(",
            "        self.entries.append(('2023-01-01', []))\n        rows.append(",
        ),
        ("self.balance(code, as_of)", "self.balance(code, code)"),
        ("self.balance(code, as_of)", "self.balance(code, as_of[code])"),
        ("                if account == code:", "                if account != code:"),
        ("                    total += amount", "                    total -= amount"),
        (
            "            for account, amount in postings:",
            "            if code in day:\n                continue\n            for account, amount in postings:",
        ),
        ('        total = Decimal("0")\n', '        total = Decimal("0")\n        print(code)\n'),
        (
            "                    total += amount",
            "                    total += amount\n                    break",
        ),
        ("        self.check(code)\n", "        cutoff = as_of\n"),
    ],
    ids=[
        "mutates",
        "key-twice",
        "varying-other",
        "not-equal",
        "subtracts",
        "filter-on-key",
        "impure",
        "break",
        "reads-local",
    ],
)
def test_group_by_call_refuses(old: str, new: str) -> None:
    source = BOOK.replace(old, new)
    assert source != BOOK
    if new == "        cutoff = as_of\n":
        source = source.replace("as_of is not None and date", "cutoff is not None and date")
    assert rewrite(source, "group-by-call", "Book.trial") is None


def test_group_by_call_serves_a_callee_of_another_module_and_refuses_an_overridden_one(
    tmp_path: Path,
) -> None:
    """The scan may live in another module the loop imports it from (its copies go there);
    a method a subclass overrides may not be answered by the base class's copy."""
    texts = {
        "scan.py": "def owed(name, entries):\n    total = 0\n    for who, amount in entries:\n"
        "        if who == name:\n            total += amount\n    return total\n",
        "use.py": "from scan import owed\n\n\ndef owed_all(names, entries):\n"
        "    return [owed(n, entries) for n in names]\n",
    }
    from agent.engines.rules import Step, run_step
    from agent.engines.rules.project import project_for

    new = dict(texts)
    run_step(
        new, Step("group-by-call", "use.py", "owed_all"), verify=False, project=project_for(texts)
    )
    assert "from scan import owed, owed_groups, owed_from" in new["use.py"]
    assert "def owed_groups(entries):" in new["scan.py"]
    entries = [("a", 1), ("b", 2.5), ("a", 3), (1, 4), (True, 5)]
    answers = []
    for name, version in (("before", texts), ("after", new)):
        for path, text in version.items():
            (tmp_path / name).mkdir(exist_ok=True)
            (tmp_path / name / path).write_text(text)
        ns: dict[str, object] = {}
        code = f"import sys; sys.path.insert(0, {str(tmp_path / name)!r})\n" + version["use.py"]
        exec(compile(code, f"<{name}>", "exec"), ns)
        answers.append(ns["owed_all"](["a", "b", "c", 1, 1.0], entries))  # type: ignore[operator]
        sys.path.remove(str(tmp_path / name))
        sys.modules.pop("scan", None)
    assert answers[1] == answers[0]
    sub = (
        BOOK + "\n\nclass Sub(Book):\n    def balance(self, code, as_of=None):\n        return 0\n"
    )
    assert rewrite(sub, "group-by-call", "Book.trial") is None


FIND = """
class Missing(KeyError):
    pass


def customer_of(order, customers):
    for c in customers:
        if c["id"] == order["customer"]:
            return c
    raise Missing(order["customer"])


def names(orders, customers):
    out = []
    for order in orders:
        out.append(customer_of(order, customers)["name"])
    return out
"""

CUSTOMERS = [{"id": 1, "name": "ann"}, {"id": "b", "name": "bo"}, {"id": 1, "name": "dup"}]


def test_group_by_call_indexes_a_first_match_lookup() -> None:
    text = rewrite(FIND, "group-by-call", "names")
    assert text is not None
    assert "customer_of_firsts = customer_of_index(customers)\n" in text
    assert (
        'out.append(customer_of_from(None if _ran_code[0] else customer_of_firsts, order, customers)["name"])'
        in text
    )
    assert "            if item_key not in groups:\n                groups[item_key] = c\n" in text
    before = helpers.run_module(FIND, "group_by_find_a")
    after = helpers.run_module(text, "group_by_find_b")
    orders = [{"customer": 1}, {"customer": "b"}, {"customer": 1.0}, {"customer": True}]
    assert after["names"](orders, CUSTOMERS) == before["names"](orders, CUSTOMERS)
    assert after["names"](orders, CUSTOMERS) == ["ann", "bo", "ann", "ann"]
    for mod in (before, after):
        with pytest.raises(mod["Missing"]):
            mod["names"]([{"customer": 2}], CUSTOMERS)
        with pytest.raises(KeyError):
            mod["names"]([{"client": 1}], CUSTOMERS)
        assert mod["names"]([], [{"name": "no id"}]) == []
        with pytest.raises(KeyError):
            mod["names"]([{"customer": 1}], [{"name": "no id"}])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("            return c\n", "            return dict(c)\n"),  # a new object per call
        ('        if c["id"] == order["customer"]:', '        if c["id"] != order["customer"]:'),
        ('        if c["id"] == order["customer"]:', '        if c["id"] == c["name"]:'),
        (
            "    for c in customers:\n",
            "    for c in customers:\n        if order in c:\n            continue\n",
        ),
        ("        out.append(", "        customers.pop()\n        out.append("),
    ],
    ids=["fresh-result", "not-equal", "no-key", "filter-on-key", "mutates"],
)
def test_group_by_call_lookup_refuses(old: str, new: str) -> None:
    source = FIND.replace(old, new)
    assert source != FIND
    assert rewrite(source, "group-by-call", "names") is None


ONE_SHOT = """
def total_for(rows, key):
    t = 0
    for r in rows:
        if r[0] == key:
            t += r[1]
    return t


def first_for(rows, key):
    for r in rows:
        if r[0] == key:
            return r
    return None


def items_for(rows, key):
    return [r for r in rows if r[0] == key]


def totals(rows, keys):
    return [total_for(rows, k) for k in keys]


def firsts(rows, keys):
    return [first_for(rows, k) for k in keys]


def items(rows, keys):
    return [items_for(rows, k) for k in keys]
"""


@pytest.mark.parametrize("fn", ["totals", "firsts", "items"])
def test_group_by_call_leaves_an_iterator_to_the_scans_that_consume_it(fn: str) -> None:
    """Guards against a pass that read an iterator: the original's first scan consumes it and
    later keys find nothing, but every key found its items in the pass (totals [5, 7] where the
    original gave [5, 0])."""
    new = rewrite(ONE_SHOT, "group-by-call", fn)
    assert new is not None
    before, after = (
        helpers.run_module(ONE_SHOT, "one_shot_a"),
        helpers.run_module(new, "one_shot_b"),
    )
    rows = [(2, 7), (1, 5), (2, 1)]
    for keys in ([1, 2], [2, 1], [2, 2], []):
        assert after[fn](iter(rows), keys) == before[fn](iter(rows), keys)
        assert after[fn](rows, keys) == before[fn](rows, keys)
        assert after[fn](tuple(rows), keys) == before[fn](tuple(rows), keys)
        assert after[fn](dict(rows).items(), keys) == before[fn](dict(rows).items(), keys)


OWN = """
def pick(rows, key):
    out = []
    for s in rows:
        if s[0] == key:
            out.append(s[1])
    return out


def total(rows, key):
    t = 0
    for s in rows:
        if s[0] == key:
            t += s[1]
    return t


def report(data, keys):
    rows = list(data)
    res = []
    for k in keys:
        got = pick(rows, k)
        rows.append((k, len(got)))
        res.append(got)
    return res
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("        rows.append(", "        more.append("),
        ("got = pick(rows, k)", "got = total(rows, k)"),
        (
            "        rows.append((k, len(got)))\n",
            "        first = rows[0]\n        first.append(k)\n",
        ),
    ],
    ids=["appended", "through-an-alias", "totals", "through-an-item"],
)
def test_group_by_call_refuses_a_collection_the_loop_changes(old: str, new: str) -> None:
    """Guards against a pass over a list the loop itself grows (a review found it): the pass
    is taken once before the loop, where each original call saw what the loop had appended
    ([[1], [1, 1], [], [0]] from the original, [[1], [1], [], []] from the rewrite)."""
    source = OWN.replace(old, new, 1).replace("    res = []\n", "    more = rows\n    res = []\n")
    if "first = rows[0]" in source:
        source = source.replace("rows = list(data)", "rows = [[x] for x in data]")
    assert rewrite(source, "group-by-call", "report") is None
    reads = source.replace("        rows.append((k, len(got)))\n", "").replace(
        "        more.append((k, len(got)))\n", ""
    )
    if "first" not in reads:
        assert rewrite(reads, "group-by-call", "report") is not None
