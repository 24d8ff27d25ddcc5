"""growing-positions: a list that only grows and is searched as it grows keeps a map of first
positions beside it. Before/after on keys of every kind (equal across types, NaN, dates,
values whose `==` is their own), and refusals where the list could change another way."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from tests.models.rules_corpus import helpers

BUCKETS = """
def totals_by_key(pairs):
    keys = []
    totals = []
    for key, amount in pairs:
        if key in keys:
            totals[keys.index(key)] += amount
        else:
            keys.append(key)
            totals.append(amount)
    return sorted(zip(keys, totals), key=repr), len(keys)
"""


class Loose:
    """Equal to anything with the same text, hashed by identity: a dict would miss it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return str(getattr(other, "text", other)) == self.text

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"Loose({self.text})"


class Text(str):
    """A str subclass that ignores case when compared: not exactly a str."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.lower() == other.lower()

    __hash__ = str.__hash__


def _outcome(fn: object, *args: object) -> tuple[str, str]:
    try:
        return ("ok", repr(fn(*args)))  # type: ignore[operator]
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def test_the_search_asks_the_map_and_the_appends_keep_it() -> None:
    text = helpers.rewrite(BUCKETS, "growing-positions", "totals_by_key")
    assert text is not None
    body = helpers.body_of(text, "totals_by_key")
    assert "keys_at = {}" in body
    assert "if _contains_at(keys, keys_at, key):" in body
    assert "totals[_index_at(keys, keys_at, key)] += amount" in body
    assert "keys_at = _append_at(keys, keys_at, key)" in body
    assert "totals.append(amount)" in body  # not searched: left alone


NAN = float("nan")
KEYS = ["a", "b", 1, 1.0, True, 0, -0.0, False, None, b"a", NAN, dt.date(2024, 1, 1),
        dt.datetime(2024, 1, 1), dt.timedelta(1), (1, 2)]  # fmt: skip


def test_same_totals_for_keys_of_every_kind() -> None:
    text = helpers.rewrite(BUCKETS, "growing-positions", "totals_by_key")
    assert text is not None
    before = helpers.run_module(BUCKETS, "positions_a")["totals_by_key"]
    after = helpers.run_module(text, "positions_b")["totals_by_key"]
    rng = random.Random(4)
    for _ in range(300):
        pairs = [(rng.choice(KEYS), rng.randint(1, 9)) for _ in range(rng.randint(0, 12))]
        assert _outcome(after, pairs) == _outcome(before, pairs)


@pytest.mark.parametrize(
    "odd",
    [Loose("a"), Text("A"), float("nan"), [1], {"a": 1}],
    ids=["eq-by-text", "str-subclass", "another-nan", "unhashable-list", "unhashable-dict"],
)
def test_a_value_of_another_kind_falls_back_to_the_list(odd: object) -> None:
    """Guards the map against values whose `==` and hash disagree, and unhashable ones:
    after such a value the list itself answers; before it, a probe of that kind asks it."""
    text = helpers.rewrite(BUCKETS, "growing-positions", "totals_by_key")
    assert text is not None
    before = helpers.run_module(BUCKETS, "positions_c")["totals_by_key"]
    after = helpers.run_module(text, "positions_d")["totals_by_key"]
    for pairs in (
        [("a", 1), (odd, 2), ("a", 3), (odd, 4)],
        [(odd, 1), ("a", 2), (odd, 3)],
        [("a", 1), ("b", 2), (odd, 3), ("b", 4), ("A", 5)],
    ):
        assert _outcome(after, pairs) == _outcome(before, pairs)


def test_the_same_nan_is_found_and_another_is_not() -> None:
    text = helpers.rewrite(BUCKETS, "growing-positions", "totals_by_key")
    assert text is not None
    after = helpers.run_module(text, "positions_e")["totals_by_key"]
    (pairs, n) = after([(NAN, 1), (NAN, 2), (float("nan"), 3)])
    assert n == 2 and sorted(t for _, t in pairs) == [3, 3]
    assert all(math.isnan(k) for k, _ in pairs)


def test_not_in_and_index_of_a_missing_value() -> None:
    source = """
def firsts(values, probes):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return [seen.index(p) for p in probes]
"""
    text = helpers.rewrite(source, "growing-positions", "firsts")
    assert text is not None and "if not _contains_at(seen, seen_at, v):" in text
    before = helpers.run_module(source, "positions_f")["firsts"]
    after = helpers.run_module(text, "positions_g")["firsts"]
    for values, probes in ((["a", 1, True, "a"], [1, True, 1.0, "a"]), ([1, 2], [3]), ([], [0])):
        assert _outcome(after, values, probes) == _outcome(before, values, probes)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    return sorted(", "    keys.sort()\n    return sorted("),
        ("    return sorted(", "    keys.pop()\n    return sorted("),
        ("    return sorted(", "    keys[0] = None\n    return sorted("),
        ("    return sorted(", "    other = keys\n    return sorted("),
        ("    return sorted(", "    keys.extend(totals)\n    return sorted("),
        ("    return sorted(", "    print_all(keys)\n    return sorted("),
        ("            keys.append(key)\n", "            (lambda: keys.append(key))()\n"),
        ("keys.index(key)", "keys.index(key, 0)"),
        ("    keys = []\n", "    keys = list(pairs[:0])\n"),
        ("            keys.append(key)\n", "            keys.append(key); n = 1\n"),
    ],
    ids=[
        "sorted-in-place",
        "popped",
        "item-set",
        "aliased",
        "extended",
        "handed-on",
        "appended-in-a-lambda",
        "index-from",
        "not-an-empty-list",
        "two-statements-on-a-line",
    ],
)
def test_refusals(old: str, new: str) -> None:
    source = BUCKETS.replace(old, new, 1)
    assert source != BUCKETS
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "growing-positions", "totals_by_key") is None


def test_a_list_searched_only_outside_a_loop_is_left_alone() -> None:
    source = """
def once(a, b):
    xs = []
    xs.append(a)
    return b in xs
"""
    assert helpers.rewrite(source, "growing-positions", "once") is None


@pytest.mark.parametrize(
    ("rule", "source"),
    [
        (
            "growing-positions",
            BUCKETS.replace("    return sorted(", "    keys[0], n = 'z', 1\n    return sorted("),
        ),
        (
            "membership-list-set",
            "def f(xs: list[int]) -> list[int]:\n    seen = []\n    for x in xs:\n"
            "        if x not in seen:\n            seen.append(x)\n    [seen[0], n] = 9, 1\n"
            "    return [x for x in xs if x in seen]\n",
        ),
        (
            "sorted-insert",
            "def f(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n"
            "        out.append(x)\n        out.sort()\n        out[0], n = 99, 1\n    return out\n",
        ),
    ],
    ids=["growing-positions", "membership-list-set", "sorted-insert"],
)
def test_an_item_assigned_through_a_tuple_target_is_a_change(rule: str, source: str) -> None:
    """Guards `purity._unsafe_use`: `xs[0], n = ...` assigns an item of `xs` as surely as
    `xs[0] = ...` does; it was taken for a read, so a list changed that way was rewritten."""
    compile(source, "mod.py", "exec")
    function = "totals_by_key" if rule == "growing-positions" else "f"
    assert helpers.rewrite(source, rule, function) is None


def test_a_list_handed_on_by_or_is_an_alias() -> None:
    """Guards `purity._unsafe_use`: `None or xs` is `xs` itself, so the alias can clear it
    behind the map; an `and`/`or` is a read only where its value is merely tested."""
    source = """
def f(vals):
    xs = []
    alias = None or xs
    out = []
    for v in vals:
        if v in xs:
            out.append(xs.index(v))
        else:
            xs.append(v)
        if len(xs) > 1:
            alias.clear()
    return out
"""
    assert helpers.rewrite(source, "growing-positions", "f") is None
    tested = source.replace("    alias = None or xs\n", "    alias = []\n").replace(
        "        if len(xs) > 1:", "        if vals and xs:"
    )
    assert helpers.rewrite(tested, "growing-positions", "f") is not None


def test_a_parameter_of_the_same_name_is_not_a_fresh_list() -> None:
    """Guards `_list_init`: the parameter is searched (or changed) before `xs = []`, where
    no map exists yet."""
    source = """
def f(xs, vals):
    out = []
    for v in vals:
        if v in xs:
            out.append(v)
    xs = []
    for v in vals:
        if v not in xs:
            xs.append(v)
    return out, xs
"""
    for rule in ("growing-positions", "membership-list-set"):
        assert helpers.rewrite(source, rule, "f") is None


def test_a_generator_appended_keeps_its_parentheses() -> None:
    source = """
def f(vals):
    xs = []
    for v in vals:
        if v not in xs:
            xs.append(x for x in v)
    return len(xs)
"""
    text = helpers.rewrite(source, "growing-positions", "f")
    assert text is not None and "xs_at, (x for x in v))" in text
    assert helpers.run_module(text, "positions_h")["f"](["ab", "c"]) == 2
