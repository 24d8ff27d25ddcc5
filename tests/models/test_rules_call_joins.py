"""join-index-call: a lookup helper called in a loop gets only the records whose key can
equal its probe (a group of an index built at the first call, used when the keys are str or
int). Before/after, behaviour on mixed keys, across modules, and refusals."""

from __future__ import annotations

import textwrap

import pytest

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

LOOKUP = """
def customer_of(ticket, customers):
    for customer in customers:
        if customer.ident == ticket.customer_id:
            return customer
    raise KeyError(f"ticket {ticket.ident}: unknown customer {ticket.customer_id}")


def names(tickets, customers):
    out = []
    for ticket in tickets:
        customer = customer_of(ticket, customers)
        out.append((ticket.ident, customer.name))
    return out
"""


class _Rec:
    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


def test_a_lookup_helper_gets_only_the_matching_group() -> None:
    text = helpers.rewrite(LOOKUP, "join-index-call", "names")
    assert text is not None
    assert helpers.body_of(text, "names") == textwrap.dedent(
        """\
        def names(tickets, customers):
            out = []
            _ran_code = [False]
            customers_groups = 0
            for ticket in _note_iterated(tickets, _ran_code):
                if type(customers_groups) is int:
                    customers_groups = customers_groups + 1 if customers_groups < 0 else _group_by_key(customers, lambda record: record.ident, 'ident')
                customer = customer_of(ticket, _candidates(customers_groups, customers, (ticket.customer_id if type(customers_groups) is dict and customers and _plain_key(ticket, 'customer_id') else None), _ran_code))
                out.append((ticket.ident, customer.name))
            return out
        """
    )
    assert "def customer_of(ticket, customers):" in text  # the callee is left as it was


@pytest.mark.parametrize(
    "idents",
    [[1, 2, 3], [1, 1.0, True, "1"], ["a", float("nan"), None, "a"], [], [(1,), 2]],
)
def test_same_answers_and_errors_on_mixed_keys(idents: list[object]) -> None:
    """Guards the run-time check: 1 == 1.0 == True, NaN and None keys must not be indexed."""
    text = helpers.rewrite(LOOKUP, "join-index-call", "names")
    assert text is not None
    before = helpers.run_module(LOOKUP, "call_join_before")["names"]
    after = helpers.run_module(text, "call_join_after")["names"]
    customers = [_Rec(ident=i, name=f"c{n}") for n, i in enumerate(idents)]
    for probes in ([1, "a", 2], [True, 1.0], [float("nan")], [(1,)], [99]):
        tickets = [_Rec(ident=n, customer_id=p) for n, p in enumerate(probes)]
        outcomes = []
        for fn in (before, after):
            try:
                outcomes.append(("ok", repr(fn(tickets, customers))))
            except Exception as exc:
                outcomes.append(("raised", f"{type(exc).__name__}: {exc}"))
        assert outcomes[0] == outcomes[1]


def test_a_tuple_of_records_and_a_missing_probe_attribute() -> None:
    """Guards the probe read: with no records the callee never reads it, so neither may we
    (the error, if any, is the callee's own)."""
    text = helpers.rewrite(LOOKUP, "join-index-call", "names")
    assert text is not None
    before = helpers.run_module(LOOKUP, "call_join_probe_a")["names"]
    after = helpers.run_module(text, "call_join_probe_b")["names"]
    cases = [
        ([_Rec(ident=1, customer_id=5)], ()),
        ([_Rec(ident=1)], ()),
        ([_Rec(ident=1)], (_Rec(ident=5, name="x"),)),
        ([_Rec(ident=1, customer_id=5)], (_Rec(ident=5, name="x"),)),
    ]
    for tickets, customers in cases:
        outcomes = []
        for fn in (before, after):
            try:
                outcomes.append(("ok", repr(fn(tickets, customers))))
            except Exception as exc:
                outcomes.append(("raised", f"{type(exc).__name__}: {exc}"))
        assert outcomes[0] == outcomes[1]


def test_the_callee_may_live_in_another_module() -> None:
    texts = {
        "shop/find.py": textwrap.dedent(LOOKUP.split("\n\n\ndef names")[0]),
        "shop/report.py": textwrap.dedent(
            """\
            from shop.find import customer_of


            def names(tickets, customers):
                return [customer_of(t, customers).name for t in tickets if t.open] or None


            def totals(tickets, customers):
                out = []
                for t in tickets:
                    out.append(customer_of(t, customers).name)
                return out
            """
        ),
    }
    project = project_for(texts)
    run_step(
        texts, Step("join-index-call", "shop/report.py", "totals"), verify=False, project=project
    )
    assert "customer_of(t, _candidates(customers_groups, customers," in texts["shop/report.py"]
    with pytest.raises(StepFailed):  # a comprehension's element is not a statement of a loop
        run_step(
            dict(texts),
            Step("join-index-call", "shop/report.py", "names"),
            verify=False,
            project=project,
        )


TOTAL = """
def total_for(rows, key):
    total = 0
    for row in rows:
        if row["id"] == key:
            total += row["n"]
    return total


def totals(keys, rows):
    out = []
    for key in keys:
        out.append(total_for(rows, key))
    return out
"""


def test_a_total_over_the_matches_with_a_fresh_local() -> None:
    text = helpers.rewrite(TOTAL, "join-index-call", "totals")
    assert text is not None
    assert "out.append(total_for(_candidates(rows_groups, rows, key, _ran_code), key))" in text
    before = helpers.run_module(TOTAL, "call_join_total_a")["totals"]
    after = helpers.run_module(text, "call_join_total_b")["totals"]
    rows = [{"id": 1, "n": 2}, {"id": "1", "n": 3}, {"id": 1.0, "n": 4}, {"id": True, "n": 5}]
    assert after([1, "1", 2, 1.0], rows) == before([1, "1", 2, 1.0], rows)
    for fn in (before, after):  # a record without the key: the scan's own KeyError
        with pytest.raises(KeyError):
            fn([1], [*rows, {"n": 1}])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("            return customer\n", "            return customers.index(customer)\n"),
        ("            return customer\n", "            ticket = customer\n"),
        ('    raise KeyError(f"ticket', '    raise KeyError(f"{customer} ticket'),
        ("customer.ident == ticket", "customer.ident < ticket"),
        ("customer.ident == ticket.customer_id", "customer.ident.lower() == ticket.customer_id"),
        (
            "def customer_of(ticket, customers):\n",
            "def customer_of(ticket, customers):\n    customers = list(customers)\n",
        ),
        (
            "def customer_of(ticket, customers):\n",
            "def customer_of(ticket, customers):\n    seen = len(customers)\n",
        ),
        (
            "            return customer\n",
            "            return customer\n        else:\n            pass\n",
        ),
        (
            "customer = customer_of(ticket, customers)",
            "customer = ticket.ok and customer_of(ticket, customers)",
        ),
        (
            "customer = customer_of(ticket, customers)",
            "customer = customer_of(ticket, customers=customers)",
        ),
        (
            "customer = customer_of(ticket, customers)",
            "customer = customer_of(ticket, customers[1:])",
        ),
        (
            "        out.append((ticket.ident, customer.name))\n",
            "        out.append((ticket.ident, customer.name))\n        customers = customers[1:]\n",
        ),
        ("        out.append((ticket.ident, customer.name))\n", "        customer.ident = 0\n"),
    ],
    ids=[
        "records-used-twice",
        "probe-rebound",
        "loop-variable-after-the-loop",
        "not-equality",
        "key-is-a-call",
        "records-rebound-in-callee",
        "statement-before-the-loop",
        "if-with-else",
        "conditional-call",
        "keyword-argument",
        "records-not-a-name",
        "records-rebound-in-caller",
        "caller-changes-a-key",
    ],
)
def test_refusals(old: str, new: str) -> None:
    source = LOOKUP.replace(old, new, 1)
    assert source != LOOKUP
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "join-index-call", "names") is None


def test_a_callee_that_changes_what_it_finds_is_never_indexed() -> None:
    """Guards purity: a helper that rebinds a record's key would leave the index stale."""
    source = TOTAL.replace('            total += row["n"]\n', '            row["id"] = None\n')
    assert helpers.rewrite(source, "join-index-call", "totals") is None


NEXT = """
def region_of(site, regions):
    return next((r["name"] for r in regions if r["code"] == site.region), "unknown")


def names(sites, regions):
    out = []
    for site in sites:
        out.append(region_of(site, regions))
    return out
"""


def test_a_lookup_written_as_next_over_a_generator() -> None:
    text = helpers.rewrite(NEXT, "join-index-call", "names")
    assert text is not None
    assert 'else _group_by_key(regions, lambda record: record["code"], None)' in text
    assert "out.append(region_of(site, _candidates(regions_groups, regions, (site.region" in text
    before = helpers.run_module(NEXT, "call_join_next_a")["names"]
    after = helpers.run_module(text, "call_join_next_b")["names"]
    regions = [{"code": 1, "name": "a"}, {"code": "1", "name": "b"}, {"code": 1.0, "name": "c"}]
    sites = [_Rec(region=p) for p in (1, "1", 1.0, True, 2, float("nan"))]
    assert after(sites, regions) == before(sites, regions)
    broken = (*regions, {"name": "x"})  # no key: the original scan raises past the match
    assert after(sites[:3], broken) == before(sites[:3], broken)
    for fn in (before, after):
        with pytest.raises(KeyError):
            fn(sites, broken)


@pytest.mark.parametrize(
    "source",
    [
        "def next(it, default):\n    return default\n" + NEXT,
        NEXT.replace('"unknown")', "regions)"),
        NEXT.replace("for r in regions if", "for r in regions for s in r if"),
    ],
    ids=["next-shadowed", "records-used-twice", "nested-generator"],
)
def test_next_refusals(source: str) -> None:
    assert helpers.rewrite(source, "join-index-call", "names") is None


def test_a_callee_that_changes_its_probe_is_never_indexed() -> None:
    """Guards the probe: a helper that moves the probe on to the next key would, with an
    index, only ever see the first key's group."""
    source = LOOKUP.replace(
        "            return customer\n", "            ticket.customer_id = customer.parent\n"
    )
    assert helpers.rewrite(source, "join-index-call", "names") is None


DICTS = """
def active_owner(order, people, fallback=None):
    for person in people:
        if person["id"] == order["owner"] and person["active"]:
            return person["name"]
    return fallback


def owners(orders, people):
    out = []
    for order in orders:
        out.append(active_owner(order, people))
    return out
"""


def test_dict_records_a_subscript_probe_a_default_and_more_conditions() -> None:
    text = helpers.rewrite(DICTS, "join-index-call", "owners")
    assert text is not None
    assert (
        "out.append(active_owner(order, _candidates(people_groups, people, "
        '(order["owner"] if type(people_groups) is dict and people and _plain_key(order, None) else None), _ran_code)))'
    ) in text
    before = helpers.run_module(DICTS, "call_join_dicts_a")["owners"]
    after = helpers.run_module(text, "call_join_dicts_b")["owners"]
    people = [
        {"id": 1, "active": False, "name": "a"},
        {"id": 1, "active": True, "name": "b"},
        {"id": "1", "active": True, "name": "c"},
        {"id": True, "active": True, "name": "d"},
    ]
    orders = [{"owner": 1}, {"owner": "1"}, {"owner": 1.0}, {"owner": 7}]
    assert after(orders, people) == before(orders, people) == ["b", "c", "b", None]
    for fn in (before, after):  # no "owner": the callee's own KeyError, records or not
        with pytest.raises(KeyError):
            fn([{}], people)
        assert fn([{}], []) == [None]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            'person["id"] == order["owner"] and person["active"]',
            'person["active"] and person["id"] == order["owner"]',
        ),
        ('person["id"] == order["owner"] and', 'person["id"] == order["owner"] or'),
        (
            "def active_owner(order, people, fallback=None):",
            "def active_owner(order, fallback=None, people=()):",
        ),
        ('order["owner"]', "order[0:1]"),
    ],
    ids=["key-test-not-first", "or", "records-omitted", "probe-slice"],
)
def test_dict_refusals(old: str, new: str) -> None:
    source = DICTS.replace(old, new, 1)
    assert source != DICTS
    assert helpers.rewrite(source, "join-index-call", "owners") is None


# --- join-index-guarded with a dict probe (`o["cid"]`) ----------------------------------------

BREAK_JOIN = """
def owners(orders, customers):
    out = []
    for o in orders:
        found = None
        for c in customers:
            if c["id"] == o["cid"]:
                found = c["name"]
                break
        out.append(found)
    return out
"""


def test_a_guarded_join_takes_a_dict_probe() -> None:
    text = helpers.rewrite(BREAK_JOIN, "join-index-guarded", "owners")
    assert text is not None
    assert (
        "for c in _candidates(customers_groups, customers, "
        '(o["cid"] if type(customers_groups) is dict and customers and _plain_key(o, None) else None), _ran_code):'
    ) in text
    before = helpers.run_module(BREAK_JOIN, "guarded_dict_probe_a")["owners"]
    after = helpers.run_module(text, "guarded_dict_probe_b")["owners"]
    customers = [{"id": 1, "name": "a"}, {"id": "1", "name": "b"}, {"id": 1.0, "name": "c"}]
    orders = [{"cid": 1}, {"cid": "1"}, {"cid": True}, {"cid": 2}, {"cid": None}]
    assert after(orders, customers) == before(orders, customers) == ["a", "b", "a", None, None]
    for fn in (before, after):  # the probe's own KeyError, only when there are records
        assert fn([{}], []) == [None]
        with pytest.raises(KeyError):
            fn([{}], customers)


@pytest.mark.parametrize(
    "probe", ["o[0:1]", 'o["cid"]["x"]', "o[k]", 'f(o)["cid"]'], ids=["slice", "two", "var", "call"]
)
def test_a_guarded_join_refuses_other_subscript_probes(probe: str) -> None:
    source = BREAK_JOIN.replace('o["cid"]', probe).replace(
        "(orders, customers)", "(orders, customers, k=0)"
    )
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "join-index-guarded", "owners") is None


def test_a_local_named_like_the_helper_is_not_the_helper() -> None:
    source = LOOKUP.replace(
        "    out = []\n    for ticket in tickets:\n",
        "    out = []\n    customer_of = dict.get\n    for ticket in tickets:\n",
    )
    assert source != LOOKUP
    assert helpers.rewrite(source, "join-index-call", "names") is None


def test_a_local_next_in_the_callee_is_not_the_builtin() -> None:
    source = NEXT.replace(
        "def region_of(site, regions):\n",
        "def region_of(site, regions):\n    next = min\n",
    )
    assert source != NEXT
    assert helpers.rewrite(source, "join-index-call", "names") is None


ANY_JOIN = """
def known(orders, customers):
    out = []
    for o in orders:
        if any(c["id"] == o["cid"] and c["active"] for c in customers):
            out.append(o["n"])
    return out
"""


def test_a_guarded_join_takes_any_over_a_key_test() -> None:
    text = helpers.rewrite(ANY_JOIN, "join-index-guarded", "known")
    assert text is not None
    assert (
        'if any(c["id"] == o["cid"] and c["active"] for c in _candidates(customers_groups, '
        'customers, (o["cid"] if type(customers_groups) is dict and customers and _plain_key(o, None) else None), _ran_code)):'
    ) in text
    before = helpers.run_module(ANY_JOIN, "guarded_any_a")["known"]
    after = helpers.run_module(text, "guarded_any_b")["known"]
    customers = [
        {"id": 1, "active": False},
        {"id": True, "active": True},
        {"id": "2", "active": True},
    ]
    orders = [{"cid": 1, "n": 0}, {"cid": "2", "n": 1}, {"cid": 2, "n": 2}, {"cid": 1.0, "n": 3}]
    assert after(orders, customers) == before(orders, customers) == [0, 1, 3]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("if any(", "if all("),
        ("if any(", "if max("),
    ],
    ids=["all", "max"],
)
def test_a_guarded_join_takes_only_any(old: str, new: str) -> None:
    source = ANY_JOIN.replace(old, new)
    assert source != ANY_JOIN
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "join-index-guarded", "known") is None
