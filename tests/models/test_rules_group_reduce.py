"""group-by-call on a scan that is one comprehension (`sum(r.kwh for r in rows if r.cid == key)`,
`[m for m in marks if m["sid"] == key]`) and on a first-match scan whose test has more parts
than the key's comparison: one pass puts every key's values in lists, in the scan's order, and
each call reduces its own list. Before/after, and refusals."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

METER = """
class Meter:
    def __init__(self, readings):
        self.readings = readings

    def used(self, customer):
        return sum(r["kwh"] for r in self.readings if r["customer"] == customer)

    def usage(self, customers):
        return {c: self.used(c) for c in customers}


def rows_for(rows, customer):
    kept = [r for r in rows if r["kwh"] > 0 and r["customer"] == customer]
    return sorted(kept, key=lambda r: r["kwh"])


def report(customers, rows):
    out = []
    for c in customers:
        mine = rows_for(rows, c)
        out.append((c, len(mine), mine))
    return out


def peak(rows, customer):
    return max(r["kwh"] for r in rows if customer == r["customer"])


def peaks(customers, rows):
    return [peak(rows, c) for c in customers]
"""

READINGS = [
    {"customer": "a", "kwh": 0.1},
    {"customer": "b", "kwh": 1e16},
    {"customer": "a", "kwh": 0.2},
    {"customer": 2, "kwh": 3},
    {"customer": "b", "kwh": 1.0},
    {"customer": "a", "kwh": 0.3},
    {"customer": "b", "kwh": -1e16},
]


def _both(source: str, function: str, name: str) -> tuple[object, object, str]:
    text = rewrite(source, "group-by-call", function)
    assert text is not None
    before = helpers.run_module(source, f"group_reduce_{name}_a")
    after = helpers.run_module(text, f"group_reduce_{name}_b")
    return before, after, text


def test_a_sum_over_a_generator_is_added_up_from_each_keys_list() -> None:
    before, after, text = _both(METER, "Meter.usage", "sum")
    assert "        used_items = self.used_groups()\n" in text
    assert (
        "return {c: self.used_from(None if _ran_code[0] else used_items, c) for c in _note_iterated(customers, _ran_code)}"
        in text
    )
    assert "            return sum(groups_2.get(customer, ()))\n" in text
    keys = ["a", "b", "c", 2, 2.0, True, None]
    got = after["Meter"](READINGS).usage(keys)  # type: ignore[index]
    assert got == before["Meter"](READINGS).usage(keys)  # type: ignore[index]
    assert got["a"] == 0.1 + 0.2 + 0.3 and got["b"] == 0.0 and got["c"] == 0


def test_a_filtered_list_keeps_its_items_their_order_and_is_fresh_per_call() -> None:
    before, after, text = _both(METER, "report", "list")
    assert "    rows_for_items = rows_for_groups(rows)\n" in text
    assert "        kept = list(groups_2.get(customer, ()))\n" in text
    keys = ["a", "b", "zz", 2]
    old, new = before["report"](keys, READINGS), after["report"](keys, READINGS)  # type: ignore[operator]
    assert new == old
    pairs = [zip(a[2], b[2], strict=True) for a, b in zip(new, old, strict=True)]
    assert all(x is y for pair in pairs for x, y in pair)
    first, again = after["report"](["a", "a"], READINGS)  # type: ignore[operator]
    assert first[2] == again[2] and first[2] is not again[2]


def test_max_over_no_match_still_raises_as_the_scan_did() -> None:
    before, after, text = _both(METER, "peaks", "max")
    assert "groups_2 is not None and (type(customer) is str or type(customer) is int)" in text
    assert "and customer in groups_2" in text
    assert after["peaks"](["a", "b", 2], READINGS) == before["peaks"](["a", "b", 2], READINGS)  # type: ignore[operator]
    for mod in (before, after):
        with pytest.raises(ValueError):
            mod["peaks"](["a", "nobody"], READINGS)  # type: ignore[operator]


def test_the_pass_steps_aside_where_it_cannot_serve() -> None:
    """A key that is not exactly a str or an int, or a row the pass cannot read, leaves every
    call to its own scan, which raises (or not) exactly where it did."""
    _, after, _ = _both(METER, "Meter.usage", "aside")
    meter = after["Meter"]
    assert meter([{"customer": 1.5, "kwh": 1}]).used_groups() is None  # type: ignore[operator]
    assert meter([{"customer": "a"}]).used_groups() is None  # type: ignore[operator]
    mixed = [{"customer": 1.0, "kwh": 2}, {"customer": "a", "kwh": 1}]
    assert meter(mixed).usage([1, "a"]) == {1: 2, "a": 1}  # type: ignore[operator]
    broken = [{"customer": "b"}, {"customer": "a", "kwh": 1}]
    with pytest.raises(KeyError):
        meter(broken).usage(["b"])  # type: ignore[operator]


MARKS = """
def find_mark(marks, student, item):
    for m in marks:
        if m["student"] == student and m["item"] == item:
            return m
    return None


def transcript(marks, student, items):
    return [find_mark(marks, student, i) for i in items]
"""


def test_a_first_match_on_two_keys_is_indexed_by_the_one_that_varies() -> None:
    before, after, text = _both(MARKS, "transcript", "pair")
    assert "find_mark_firsts = find_mark_index(marks, student)" in text
    assert '            if not (m["student"] == student):\n                continue\n' in text
    marks = [
        {"student": "s1", "item": "q1", "n": 1},
        {"student": "s2", "item": "q1", "n": 2},
        {"student": "s1", "item": "q2", "n": 3},
        {"student": "s1", "item": "q1", "n": 4},
        {"student": "s1", "item": 7, "n": 5},
    ]
    items = ["q1", "q2", "q3", 7, 7.0, True]
    for student in ("s1", "s2", "s9"):
        old = before["transcript"](marks, student, items)  # type: ignore[operator]
        new = after["transcript"](marks, student, items)  # type: ignore[operator]
        assert new == old and all(a is b for a, b in zip(new, old, strict=True))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('if r["customer"] == customer)', 'if r["customer"] == customer or r["kwh"] > 9)'),
        ('if r["customer"] == customer)', 'if r["customer"] != customer)'),
        ('sum(r["kwh"] for r in', 'sum((r["kwh"], customer) for r in'),
        ('sum(r["kwh"] for r in', 'sum(r["kwh"] for r in self.readings for x in r'),
        ('sum(r["kwh"] for r in', "sum(print(r) for r in"),
        ('sum(r["kwh"] for r in', 'sum((k := r["kwh"]) for r in'),
        (
            '        return sum(r["kwh"] for r in self.readings',
            '        rows = self.readings\n        return sum(r["kwh"] for r in rows',
        ),
        ('sum(r["kwh"] for r in', 'sum(r["kwh"], 0.0) + sum(r["kwh"] for r in'),
    ],
    ids=["or", "not-equal", "elt-reads-key", "two-fors", "impure", "walrus", "local", "nested"],
)
def test_group_by_call_refuses_these_comprehensions(old: str, new: str) -> None:
    source = METER.replace(old, new, 1)
    assert source != METER
    assert rewrite(source, "group-by-call", "Meter.usage") is None


def test_a_first_match_whose_other_part_reads_a_local_is_refused() -> None:
    source = MARKS.replace(
        "    for m in marks:\n", "    who = student.strip()\n    for m in marks:\n"
    ).replace('m["student"] == student and', 'm["student"] == who and')
    assert rewrite(source, "group-by-call", "transcript") is None


COURSE = """
POLICIES = ("zero", "skip")


def marks_for(marks, sid):
    return [m for m in marks if m["sid"] == sid]


def course_items(items, course):
    return [i for i in items if i["course"] == course]


def weighted(student, items, marks, policy="zero"):
    if policy not in POLICIES:
        raise ValueError(policy)
    own = marks_for(marks, student["sid"])
    total = 0.0
    for item in course_items(items, student["course"]):
        got = [m["mark"] for m in own if m["item"] == item["id"]]
        if got:
            total += got[0] * item["weight"]
        elif policy == "skip":
            continue
    return round(total, 2)


def totals(students, items, marks, policy="zero"):
    out = {}
    for s in students:
        out[s["sid"]] = weighted(s, items, marks, policy)
    return out
"""

STUDENTS = [
    {"sid": "s1", "course": "m"},
    {"sid": "s2", "course": "m"},
    {"sid": 3, "course": "p"},
    {"sid": "s9", "course": "m"},
]
ITEMS = [
    {"id": "q", "course": "m", "weight": 0.25},
    {"id": "x", "course": "m", "weight": 0.75},
    {"id": "l", "course": "p", "weight": 1.0},
]
COURSE_MARKS = [
    {"sid": "s1", "item": "q", "mark": 7.5},
    {"sid": "s2", "item": "x", "mark": 9.0},
    {"sid": 3, "item": "l", "mark": 4.0},
    {"sid": "s1", "item": "x", "mark": 3.1},
]


def test_the_scan_a_helper_makes_per_item_is_made_once_for_the_loop() -> None:
    before, after, text = _both(COURSE, "totals", "via")
    assert (
        "        marks_for_items = marks_for_groups(marks)\n    except Exception:\n        marks_for_items = None\n    _ran_code = [False]\n    for s in _note_iterated(students, _ran_code):"
        in text
    )
    assert (
        'out[s["sid"]] = weighted_via(None if _ran_code[0] else marks_for_items, s, items, marks, policy)'
        in text
    )
    assert "def weighted_via(groups_3, student, items, marks, policy=" in text
    assert '    own = marks_for_from(groups_3, marks, student["sid"])\n' in text
    assert "course_items(items, student[" in text  # the second scan is left as it was
    for policy in ("zero", "skip"):
        old = before["totals"](STUDENTS, ITEMS, COURSE_MARKS, policy)  # type: ignore[operator]
        assert after["totals"](STUDENTS, ITEMS, COURSE_MARKS, policy) == old  # type: ignore[operator]
    for mod in (before, after):
        with pytest.raises(ValueError):
            mod["totals"](STUDENTS, ITEMS, COURSE_MARKS, "curve")  # type: ignore[operator]
    floaty = [*COURSE_MARKS, {"sid": 3.0, "item": "l", "mark": 1.0}]
    old = before["totals"](STUDENTS, ITEMS, floaty)  # type: ignore[operator]
    assert after["totals"](STUDENTS, ITEMS, floaty) == old  # type: ignore[operator]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("weighted(s, items, marks, policy)", "weighted(s, items, s['marks'], policy)"),
        ("    own = marks_for(marks, ", "    marks = list(marks)\n    own = marks_for(marks, "),
        ('marks_for(marks, student["sid"])', 'marks_for(marks[1:], student["sid"])'),
        ("        out[s[", "        marks.append(s)\n        out[s["),
        ("            continue\n", "            print(item)\n"),
        (
            'marks_for(marks, student["sid"])',
            'marks_for(marks, student["sid"]) + marks_for(items, student["sid"])',
        ),
    ],
    ids=["varying-collection", "rebound", "expression", "mutates", "impure-helper", "two-shapes"],
)
def test_group_by_call_through_a_helper_refuses(old: str, new: str) -> None:
    source = COURSE.replace(old, new, 1)
    assert source != COURSE
    text = rewrite(source, "group-by-call", "totals")
    assert text is None or "marks_for_groups" not in text  # course_items may still be served


USAGE = """
def usage_for(customer, readings, month):
    total = 0
    for r in readings:
        if r["customer"] == customer and r["day"][:7] == month:
            total += r["kwh"]
    return total


def usage(customers, readings, month):
    return {c: usage_for(c, readings, month) for c in customers}
"""


def test_an_added_up_scan_whose_test_has_more_parts_keeps_them_in_their_order() -> None:
    before, after, text = _both(USAGE, "usage", "and")
    assert "usage_for_totals = usage_for_groups(readings, month)" in text
    body = text[text.index("def usage_for_groups") :]
    assert body.index('item_key = r["customer"]') < body.index('if not (r["day"][:7] == month)')
    rows = [
        {"customer": "a", "day": "2024-01-03", "kwh": 0.1},
        {"customer": "b", "day": "2024-02-01", "kwh": 5},
        {"customer": "a", "day": "2024-01-09", "kwh": 0.2},
        {"customer": "a", "day": "2024-02-09", "kwh": 7},
    ]
    for month in ("2024-01", "2024-02", "2023-12"):
        keys = ["a", "b", "c"]
        assert after["usage"](keys, rows, month) == before["usage"](keys, rows, month)  # type: ignore[operator]
    odd = [*rows, {"customer": "b", "day": None, "kwh": 1}]
    for mod in (before, after):
        assert mod["usage"](["a"], odd, "2024-01") == {"a": 0.1 + 0.2}  # type: ignore[operator]
        with pytest.raises(TypeError):
            mod["usage"](["b"], odd, "2024-01")  # type: ignore[operator]


DESK = """
class Desk:
    def __init__(self, tickets):
        self.tickets = list(tickets)

    def open_for(self, agent):
        return [t for t in self.tickets if t["agent"] == agent and not t["closed"]]

    def load(self, agent, weight=2):
        mine = self.open_for(agent)
        return len(mine) * weight + sum(t["size"] for t in mine)

    def loads(self, agents):
        out = {}
        for a in agents:
            out[a] = self.load(a)
        return out
"""

TICKETS = [
    {"agent": "ann", "closed": False, "size": 3},
    {"agent": "bob", "closed": True, "size": 1},
    {"agent": "ann", "closed": False, "size": 0.5},
    {"agent": 4, "closed": False, "size": 2},
    {"agent": "bob", "closed": False, "size": 7},
]


def test_a_method_helper_hands_the_objects_pass_to_its_method_scan() -> None:
    before, after, text = _both(DESK, "Desk.loads", "method")
    assert (
        "            open_for_items = self.open_for_groups()\n        except Exception:\n            open_for_items = None\n        _ran_code = [False]\n        for a in _note_iterated(agents, _ran_code):"
        in text
    )
    assert "out[a] = self.load_via(None if _ran_code[0] else open_for_items, a)" in text
    assert "    def load_via(self, groups_3, agent, weight=2):" in text
    assert "        mine = self.open_for_from(groups_3, agent)\n" in text
    agents = ["ann", "bob", 4, 4.0, "zed"]
    old = before["Desk"](TICKETS).loads(agents)  # type: ignore[index]
    assert after["Desk"](TICKETS).loads(agents) == old  # type: ignore[index]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("            out[a] = self.load(a)", "            out[a] = other.load(a)"),
        ("        mine = self.open_for(agent)", "        mine = Desk([]).open_for(agent)"),
        (
            "        mine = self.open_for(agent)",
            "        self = Desk([])\n        mine = self.open_for(agent)",
        ),
        (
            "            out[a] = self.load(a)",
            "            self.tickets.append(a)\n            out[a] = self.load(a)",
        ),
    ],
    ids=["other-object", "another-objects-scan", "self-rebound", "mutates"],
)
def test_a_method_helper_refuses(old: str, new: str) -> None:
    source = DESK.replace(old, new, 1)
    assert source != DESK
    if "other.load" in new:
        source = source.replace("def loads(self, agents):", "def loads(self, agents, other=None):")
    assert rewrite(source, "group-by-call", "Desk.loads") is None
