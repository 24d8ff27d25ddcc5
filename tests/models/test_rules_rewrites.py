"""The rewrites of issue 18, before and after, and the cases where a precondition fails and
the rewrite must not fire. Sources are whole modules: the effect analysis sees all of them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.rules_corpus import helpers

rewrite, body_of = helpers.rewrite, helpers.body_of


def after(source: str, rule: str, function: str = "f") -> str:
    text = rewrite(source, rule, function)
    assert text is not None, f"{rule} did not fire"
    compile(text, "mod.py", "exec")
    return text


def fires(source: str, rule: str, function: str = "f") -> bool:
    return rewrite(source, rule, function) is not None


# --- cache-pure-function --------------------------------------------------------------------

NORMALIZE = """
import re

PREFIXES = ("mr ", "ms ")


def f(raw: str, keep: bool = False) -> str:
    text = re.sub(r"\\s+", " ", raw.strip().lower())
    for p in PREFIXES:
        if text.startswith(p) and not keep:
            text = text[len(p):]
    return text
"""


def test_cache_pure_function_decorates_a_pure_function_of_strings() -> None:
    text = after(NORMALIZE, "cache-pure-function")
    assert "import functools\n" in text
    assert "@functools.lru_cache(maxsize=65536, typed=True)\ndef f(raw: str" in text


@pytest.mark.parametrize(
    "source",
    [
        NORMALIZE.replace("raw: str, keep", "raw: float, keep"),  # 0.0 == -0.0, printed apart
        NORMALIZE.replace("raw: str, keep", "raw, keep"),  # unannotated: maybe unhashable
        NORMALIZE.replace(") -> str:", ") -> list[str]:"),  # a shared mutable result
        NORMALIZE.replace('PREFIXES = ("mr ", "ms ")', 'PREFIXES = ["mr ", "ms "]')
        + "\n\ndef allow(p):\n    PREFIXES.append(p)\n",  # a table the repository changes
        NORMALIZE.replace('PREFIXES = ("mr ", "ms ")', 'prefixes = ["mr ", "ms "]').replace(
            "in PREFIXES", "in prefixes"
        ),  # a mutable global not named as a constant
        NORMALIZE.replace("    return text", "    print(text)\n    return text"),  # I/O
        NORMALIZE.replace("def f(", "@staticmethod\ndef f("),  # decorated
        NORMALIZE.replace("    return text", "    return f(text[1:]) if text else text"),
    ],
    ids=[
        "float",
        "unannotated",
        "mutable-result",
        "mutable-global",
        "mutable-lower-case-global",
        "io",
        "decorated",
        "recursive",
    ],
)
def test_cache_pure_function_refuses(source: str) -> None:
    assert not fires(source, "cache-pure-function")


def test_cache_pure_function_takes_a_constant_table_the_repository_only_reads() -> None:
    """`PREFIXES = ["mr ", "ms "]`, only iterated: as constant as the tuple (see
    `test_rules_readonly.py` for every way such a table can change)."""
    source = NORMALIZE.replace('PREFIXES = ("mr ", "ms ")', 'PREFIXES = ["mr ", "ms "]')
    assert fires(source, "cache-pure-function")


# --- cached-call ----------------------------------------------------------------------------

DAYS = """
from datetime import datetime


def f(texts: list[str]) -> list[str]:
    return [datetime.strptime(t.strip(), "%Y-%m-%d").strftime("%m/%d") for t in texts]
"""


def test_cached_call_moves_parsing_into_a_cached_helper() -> None:
    text = after(DAYS, "cached-call")
    assert (
        "@functools.lru_cache(maxsize=65536, typed=True)\ndef _strptime_cached(value):\n"
        '    return datetime.strptime(value, "%Y-%m-%d").strftime("%m/%d")\n'
    ) in text
    assert "return [_strptime_cached(t.strip()) for t in texts]" in text


CONSTANT_FORMAT = DAYS.replace('"%Y-%m-%d"', "DATE_FORMAT").replace(
    "\n\n\ndef f(", '\nDATE_FORMAT = "%Y-%m-%d"\n\n\ndef f('
)


def test_cached_call_takes_a_module_constant_for_a_literal() -> None:
    """`DATE_FORMAT = "%Y-%m-%d"`, bound once and never rebound, is handed to the helper: the
    cache is keyed on its value too."""
    text = after(CONSTANT_FORMAT, "cached-call")
    assert "def _strptime_cached(value, date_format):\n" in text
    assert '    return datetime.strptime(value, date_format).strftime("%m/%d")\n' in text
    assert "return [_strptime_cached(t.strip(), DATE_FORMAT) for t in texts]" in text


def test_a_patched_module_constant_is_not_served_from_the_cache() -> None:
    """Guards against a cache keyed on the value alone: a test that patches `DATE_FORMAT`
    (`mock.patch.object(mod, "DATE_FORMAT", ...)`) got the result parsed with the old one."""
    module = helpers.run_module(after(CONSTANT_FORMAT, "cached-call"), "patched_format")
    assert module["f"](["2024-01-02"]) == ["01/02"]  # type: ignore[operator]
    module["DATE_FORMAT"] = "%Y-%d-%m"
    assert module["f"](["2024-01-02"]) == ["02/01"]  # type: ignore[operator]


def test_two_constants_whose_lowercase_names_clash_get_two_parameters() -> None:
    """Guards against one parameter `fmt` for both `Fmt` and `FMT` (a TypeError at the call)."""
    source = (
        "from datetime import datetime\n\n"
        'Fmt = "%Y-%m-%d"\nFMT = "%d/%m/%Y"\nFROM = "%m"\n\n\n'
        "def convert(s):\n    return datetime.strptime(s, Fmt).strftime(FMT)\n\n\n"
        "def month(s):\n    return datetime.strptime(s, FROM).month\n"
    )
    text = helpers.rewrite(source, "cached-call", "convert")
    assert text is not None
    module = helpers.run_module(text, "clashing_constants")
    assert module["convert"]("2024-01-31") == "31/01/2024"  # type: ignore[operator]
    again = helpers.rewrite(source, "cached-call", "month")  # `from` is a keyword
    assert again is not None
    assert helpers.run_module(again, "keyword_constant")["month"]("07") == 7  # type: ignore[operator]


def test_a_nested_function_gets_no_cached_call_on_a_name() -> None:
    """Guards against the helper reading the module's `DATE_FORMAT` where an enclosing
    function binds its own."""
    source = (
        CONSTANT_FORMAT.replace(
            "def f(texts: list[str]) -> list[str]:\n    return [",
            "def outer(fmt):\n    DATE_FORMAT = fmt\n\n    def f(texts):\n        return [",
        )
        + "\n    return f\n"
    )
    assert helpers.rewrite(source, "cached-call", "outer.f") is None


@pytest.mark.parametrize(
    "source",
    [
        CONSTANT_FORMAT + "\n\ndef g():\n    global DATE_FORMAT\n    DATE_FORMAT = '%d'\n",
        CONSTANT_FORMAT + "\nDATE_FORMAT = '%d/%m/%Y'\n",
        CONSTANT_FORMAT.replace('DATE_FORMAT = "%Y-%m-%d"', "DATE_FORMAT = ['%Y']"),
        CONSTANT_FORMAT.replace("    return [", "    DATE_FORMAT = '%Y'\n    return ["),
    ],
    ids=["global-in-a-function", "rebound", "mutable", "local"],
)
def test_cached_call_refuses_a_name_that_may_change(source: str) -> None:
    assert not fires(source, "cached-call")


@pytest.mark.parametrize(
    "source",
    [
        DAYS.replace('"%Y-%m-%d"', "fmt").replace("texts: list[str]", "texts: list[str], fmt"),
        DAYS.replace("from datetime import datetime", "from mylib import datetime"),
        DAYS.replace("    return [", "    datetime = object\n    return ["),
    ],
    ids=["format-not-literal", "not-the-stdlib", "shadowed"],
)
def test_cached_call_refuses(source: str) -> None:
    assert not fires(source, "cached-call")


# --- hoist-pure-call ------------------------------------------------------------------------

PAY = """
RATES = [("a", 1.5), ("b", 2.0)]


def rate_for(code: str) -> float:
    for name, rate in RATES:
        if name == code:
            return rate
    raise KeyError(code)


def f(hours: list[float], code: str) -> float:
    total = 0.0
    for h in hours:
        total += h * rate_for(code)
    return total
"""


def test_hoist_pure_call_computes_lazily_once() -> None:
    assert body_of(after(PAY, "hoist-pure-call"), "f") == (
        "def f(hours: list[float], code: str) -> float:\n"
        "    total = 0.0\n"
        "    rate_for_value = _NOT_COMPUTED\n"
        "    _ran_code = [False]\n"
        "    for h in _note_iterated(hours, _ran_code):\n"
        "        if rate_for_value is _NOT_COMPUTED or _ran_code[0]:\n"
        "            rate_for_value = rate_for(code)\n"
        "        total += h * rate_for_value\n"
        "    return total\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        PAY.replace(
            "total += h * rate_for(code)", "total += h * rate_for(code)\n        code = 'b'"
        ),
        PAY.replace("total += h * rate_for(code)", "total += h * rate_for(code)\n        log(h)"),
        PAY.replace("    raise KeyError(code)", "    RATES.append((code, 0.0))\n    return 0.0"),
    ],
    ids=["rebound", "impure-loop", "impure-callee"],
)
def test_hoist_pure_call_refuses(source: str) -> None:
    assert not fires(source, "hoist-pure-call")


@pytest.mark.parametrize(
    "line",
    ["total += h > 0 and rate_for(code)", "total += rates[h] * rate_for(code)"],
    ids=["conditional", "fallible-before"],
)
def test_hoist_pure_call_keeps_a_call_that_does_not_run_first_where_it_stands(line: str) -> None:
    """Guards the order of effects: a call behind `and`, or after something that may raise,
    is made at its first evaluation (`:=` in place), never before the statement."""
    source = PAY.replace("total += h * rate_for(code)", line).replace(
        "def f(hours: list[float], code: str)", "def f(hours: list[float], code: str, rates=None)"
    )
    text = after(source, "hoist-pure-call")
    assert "else (rate_for_value := rate_for(code))" in text
    assert "if rate_for_value is _NOT_COMPUTED:" not in text
    before = helpers.run_module(source, f"kept_{line[9:14]}_before")["f"]
    now = helpers.run_module(text, f"kept_{line[9:14]}_after")["f"]
    rates = {1.0: 2.0, 0.0: 1.0}
    for hours, code in (([1.0, 0.0], "a"), ([0.0], "zz"), ([1.0], "zz"), ([], "zz"), ([5.0], "b")):
        assert outcome(now, hours, code, rates) == outcome(before, hours, code, rates)


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raised", type(e).__name__)


def test_hoist_pure_call_refuses_a_shared_mutable_result() -> None:
    source = """
def fresh(n: int) -> list[int]:
    return [n]


def f(xs: list[int], n: int) -> list[list[int]]:
    out = []
    for x in xs:
        out.append(fresh(n))
    return out
"""
    assert not fires(source, "hoist-pure-call")


QUANTILES = """
def quantiles(values, ps):
    res = []
    for p in ps:
        ordered = sorted(values)
        res.append(ordered[int(p * (len(ordered) - 1))])
    return res
"""


def test_hoist_pure_call_shares_a_result_bound_to_a_local_that_is_only_read() -> None:
    rewritten = after(QUANTILES, "hoist-pure-call", "quantiles")
    assert (
        "            sorted_value = sorted(values)\n        ordered = sorted_value\n" in rewritten
    )
    before, now = (
        helpers.run_module(QUANTILES, "q_before"),
        helpers.run_module(rewritten, "q_after"),
    )
    for values, ps in (([3, 1, 2], [0, 0.5, 1]), ([], []), ([2.5, -1], [1, 1]), ("cab", [0.5])):
        assert now["quantiles"](values, ps) == before["quantiles"](values, ps)  # type: ignore[operator]
    with pytest.raises(IndexError):
        now["quantiles"]([], [0.5])  # type: ignore[operator]


@pytest.mark.parametrize(
    "old, new",
    [
        ("        res.append(ordered[", "        ordered.reverse()\n        res.append(ordered["),
        ("        res.append(ordered[int(p * (len(ordered) - 1))])", "        res.append(ordered)"),
        ("    res = []\n", "    res = []\n    ordered = []\n"),
        ("        res.append(ordered[", "        kept = ordered\n        res.append(ordered["),
        ("        res.append(ordered[", "        res.append(lambda: ordered)\n        res.append(ordered["),
    ],
    ids=["changed", "escapes", "bound-twice", "aliased", "nested-scope"],
)  # fmt: skip
def test_hoist_pure_call_refuses_a_local_that_is_not_only_read(old: str, new: str) -> None:
    """Each gives one shared list to code that could change it or keep it."""
    assert old in QUANTILES
    assert not fires(QUANTILES.replace(old, new), "hoist-pure-call")


TOTAL = """
def total(xs):
    s = 0
    for x in xs:
        s += x
    return s


def report(gen, n):
    out = []
    for i in range(n):
        out.append(i + total(gen))
    return out
"""


def test_hoist_pure_call_calls_again_for_a_one_shot_iterator() -> None:
    """Guards a hoist that changed results: `total` is pure only while iterating its argument
    changes nothing, which a generator breaks (the first call uses it up, later ones see it
    empty). The rewrite keeps the single call for containers and calls again for iterators."""
    rewritten = after(TOTAL, "hoist-pure-call", "report")
    before, now = helpers.run_module(TOTAL, "before"), helpers.run_module(rewritten, "after")
    for make in (lambda: iter([1, 2, 3]), lambda: (x for x in [1, 2, 3]), lambda: [1, 2, 3]):
        assert now["report"](make(), 3) == before["report"](make(), 3)  # type: ignore[operator]
    assert "isinstance(gen, _Iterator)" in rewritten
    typed = after(TOTAL.replace("(gen, n)", "(gen: list[int], n)"), "hoist-pure-call", "report")
    assert "_Iterator" not in typed  # a list is left intact by iterating it


# --- repeated-call --------------------------------------------------------------------------

LABELS = """
def label(x: int) -> str:
    return f"#{x:03d}"


def f(xs: list[int]) -> list[str]:
    out = []
    for x in xs:
        head = label(x)
        out.append(head + ":" + label(x))
    return out
"""


def test_repeated_call_computes_once() -> None:
    assert "        label_value = label(x)\n        head = label_value\n" in after(
        LABELS, "repeated-call"
    )


@pytest.mark.parametrize(
    "source",
    [
        LABELS.replace("        head = label(x)\n", "        head = label(x)\n        x += 1\n"),
        LABELS.replace(
            '-> str:\n    return f"#{x:03d}"', '-> list[str]:\n    return [f"#{x:03d}"]'
        ),
        LABELS.replace("        head = label(x)", "        head = x and label(x)"),
    ],
    ids=["rebound", "mutable-result", "conditional-first"],
)
def test_repeated_call_refuses(source: str) -> None:
    assert not fires(source, "repeated-call")


# --- join-index -----------------------------------------------------------------------------

JOIN = """
from dataclasses import dataclass


@dataclass
class Order:
    sku: str
    amount: int


def f(skus: list[str], orders: list[Order]) -> list[int]:
    out = []
    for sku in skus:
        out.append(sum([o.amount for o in orders if o.sku == sku and o.amount > 0]))
    return out
"""


def test_join_index_builds_the_index_once() -> None:
    assert body_of(after(JOIN, "join-index"), "f") == (
        "def f(skus: list[str], orders: list[Order]) -> list[int]:\n"
        "    out = []\n"
        "    orders_by_sku = {}\n"
        "    for record in orders:\n"
        "        orders_by_sku.setdefault(record.sku, []).append(record)\n"
        "    for sku in skus:\n"
        "        out.append(sum([o.amount for o in orders_by_sku.get(sku, ()) if o.amount > 0]))\n"
        "    return out\n"
    )


def test_join_index_drops_a_continue_guard() -> None:
    source = JOIN.replace(
        "        out.append(sum([o.amount for o in orders if o.sku == sku and o.amount > 0]))",
        "        hit = 0\n        for o in orders:\n            if o.sku != sku:\n"
        "                continue\n            hit = o.amount\n            break\n"
        "        out.append(hit)",
    )
    text = after(source, "join-index")
    assert "for o in orders_by_sku.get(sku, ()):\n            hit = o.amount\n" in text


@pytest.mark.parametrize(
    "source",
    [
        JOIN.replace("    sku: str", "    sku: float"),  # NaN and -0.0 break ==/hash agreement
        JOIN.replace("skus: list[str]", "skus"),  # probe of unknown type
        JOIN.replace("out.append(sum(", "orders.append(Order(sku, 0))\n        out.append(sum("),
        JOIN.replace("orders: list[Order]", "orders"),  # records of unknown type
        JOIN.replace("    for sku in skus:\n", "    if skus:\n        sku = skus[0]\n"),
    ],
    ids=["float-key", "untyped-probe", "mutated", "untyped-records", "no-outer-loop"],
)
def test_join_index_refuses(source: str) -> None:
    assert not fires(source, "join-index")


# --- running-min-max ------------------------------------------------------------------------

PEAKS = """
def f(values: list[int]) -> list[int]:
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append(max(seen))
    return out
"""


def test_running_min_max_keeps_a_running_value() -> None:
    text = after(PEAKS, "running-min-max")
    assert "_NOTHING = object()" in text
    assert body_of(text, "f") == (
        "def f(values: list[int]) -> list[int]:\n"
        "    seen_max = _NOTHING\n"
        "    out = []\n"
        "    for v in values:\n"
        "        if seen_max is _NOTHING or v > seen_max:\n"
        "            seen_max = v\n"
        "        out.append(seen_max)\n"
        "    return out\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        PEAKS.replace("values: list[int]", "values: list[list[int]]"),  # mutable elements
        PEAKS.replace("out.append(max(seen))", "out.append((max(seen), len(seen)))"),
        PEAKS.replace(
            "        seen.append(v)\n        out.append(max(seen))",
            "        out.append(max(seen))\n        seen.append(v)",
        ),  # may be empty
        PEAKS.replace("max(seen)", "max(seen, key=abs)"),
    ],
    ids=["mutable-items", "other-use", "before-append", "key"],
)
def test_running_min_max_refuses(source: str) -> None:
    assert not fires(source, "running-min-max")


# --- membership-list-set --------------------------------------------------------------------

SEEN = """
def f(words: list[str]) -> list[bool]:
    seen: list[str] = []
    flags = []
    for w in words:
        flags.append(w in seen)
        seen.append(w)
    return flags
"""


def test_membership_list_set_switches_to_a_set() -> None:
    text = after(SEEN, "membership-list-set")
    assert "    seen: set[str] = set()\n" in text and "        seen.add(w)\n" in text


@pytest.mark.parametrize(
    "source",
    [
        SEEN.replace("    return flags", "    return flags + [len(seen) > 2]"),
        SEEN.replace("words: list[str]", "words: list[list[str]]").replace(
            "list[str] = []", "list[list[str]] = []"
        ),
        SEEN.replace("    return flags", "    return seen"),
    ],
    ids=["len", "unhashable", "returned"],
)
def test_membership_list_set_refuses(source: str) -> None:
    assert not fires(source, "membership-list-set")


# --- sorted-insert --------------------------------------------------------------------------

MEDIANS = """
def f(xs: list[int]) -> list[int]:
    window = []
    out = []
    for x in xs:
        window.append(x)
        window.sort()
        out.append(window[len(window) // 2])
    return out
"""


def test_sorted_insert_uses_insort() -> None:
    text = after(MEDIANS, "sorted-insert")
    assert "import bisect\n" in text
    assert "        bisect.insort(window, x)\n        out.append(" in text


@pytest.mark.parametrize(
    "source",
    [
        MEDIANS.replace("xs: list[int]", "xs: list[float]"),  # NaN is not ordered
        MEDIANS.replace("        window.sort()\n", "        window.sort(reverse=True)\n"),
        MEDIANS.replace("        out.append(", "        window.insert(0, x)\n        out.append("),
    ],
    ids=["float", "other-order", "other-change"],
)
def test_sorted_insert_refuses(source: str) -> None:
    assert not fires(source, "sorted-insert")


# --- math-prod, int-sum, combinations-range -------------------------------------------------


def test_math_prod_and_int_sum() -> None:
    prod = "def f(n: int) -> int:\n    p = 1\n    for i in range(2, n + 1):\n        p *= i\n    return p\n"
    assert "    p = math.prod(range(2, n + 1))\n" in after(prod, "math-prod")
    total = (
        "def f(xs: list[int]) -> int:\n    t = 0\n    for x in xs:\n"
        "        if x > 0:\n            t += x * 2\n    return t\n"
    )
    assert "    t = sum(x * 2 for x in xs if x > 0)\n" in after(total, "int-sum")
    assert not fires(total.replace("list[int]", "list[float]"), "int-sum")
    assert not fires(total.replace("x * 2", "t"), "int-sum")


PAIRS = """
def f(xs: list[int]) -> int:
    n = len(xs)
    count = 0
    for i in range(n):
        for j in range(i + 1, n):
            if xs[i] < xs[j]:
                count += 1
    return count
"""


def test_combinations_range() -> None:
    text = after(PAIRS, "combinations-range")
    assert "    for i, j in itertools.combinations(range(n), 2):\n        if xs[i] < xs[j]:" in text


@pytest.mark.parametrize(
    "source",
    [
        PAIRS.replace(
            "                count += 1", "                count += 1\n                break"
        ),
        PAIRS.replace("    return count", "    return count + i"),
        PAIRS.replace("range(i + 1, n)", "range(i, n)"),
    ],
    ids=["break", "index-after", "other-bound"],
)
def test_combinations_range_refuses(source: str) -> None:
    assert not fires(source, "combinations-range")


# --- row-binding ----------------------------------------------------------------------------

MATMUL = """
def f(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    n = len(a)
    m = len(b[0])
    result = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            for k in range(len(b)):
                result[i][j] += a[i][k] * b[k][j]
    return result
"""


def test_row_binding_binds_rows_before_the_inner_loops() -> None:
    text = after(MATMUL, "row-binding")
    assert (
        "    for i in range(n):\n        result_i = result[i]\n        a_i = a[i]\n"
        "        for j in range(m):\n            for k in range(len(b)):\n"
        "                result_i[j] += a_i[k] * b[k][j]\n"
    ) in text


def test_row_binding_leaves_a_table_handed_to_other_code() -> None:
    text = after(
        MATMUL.replace("    return result", "    shuffle(a)\n    return result"), "row-binding"
    )
    assert "result_i = result[i]" in text and "a_i" not in text


def test_row_binding_leaves_rows_that_may_not_exist() -> None:
    text = after(MATMUL.replace("    n = len(a)", "    n = len(a) + 1"), "row-binding")
    assert "result_i = result[i]" in text and "a[i]" in text and "a_i" not in text


@pytest.mark.parametrize(
    "source",
    [
        MATMUL.replace("result[i][j] += a[i][k] * b[k][j]", "a[i] = b[k]"),  # rows replaced
    ],
    ids=["row-store"],
)
def test_row_binding_refuses(source: str) -> None:
    assert not fires(source, "row-binding")


def test_row_binding_under_an_impure_call_binds_only_the_functions_own_rows() -> None:
    """`g(b)` may change `a` (a parameter), not `result`, which no other code can reach."""
    source = MATMUL.replace("result[i][j] += a[i][k] * b[k][j]", "result[i][j] += a[i][k] * g(b)")
    text = after(source, "row-binding")
    assert "result_i = result[i]" in text and "a_i" not in text


# --- count-in-loop --------------------------------------------------------------------------

TALLY = """
def f(words: list[str], probes: list[str]) -> list[tuple[str, int]]:
    return [(p, words.count(p)) for p in probes]
"""


def test_count_in_loop_counts_once() -> None:
    text = after(TALLY, "count-in-loop")
    assert (
        "    words_counts = collections.Counter(words)\n"
        "    return [(p, words_counts[p]) for p in probes]\n"
    ) in text


@pytest.mark.parametrize(
    "source",
    [
        TALLY.replace("words: list[str]", "words: list[float]"),  # nan.count(nan) is by identity
        TALLY.replace("words: list[str]", "words"),
        TALLY.replace("(p, words.count(p))", "(p, words.count(p), words.append(p))"),
    ],
    ids=["float", "untyped", "changed"],
)
def test_count_in_loop_refuses(source: str) -> None:
    assert not fires(source, "count-in-loop")


# --- join-index-guarded ---------------------------------------------------------------------

GROUPS = """
def f(rows, depts):
    out = []
    for d in depts:
        out.append(sum(r["amount"] for r in rows if r["dept"] == d))
    return out
"""


def test_guarded_join_index_keeps_the_test_and_checks_types_at_run_time() -> None:
    text = after(GROUPS, "join-index-guarded")
    assert "if type(k) is not str and type(k) is not int:" in text
    assert (
        "    _ran_code = [False]\n"
        "    rows_groups = 0\n    for d in _note_iterated(depts, _ran_code):\n"
        "        if type(rows_groups) is int:\n"
        "            rows_groups = rows_groups + 1 if rows_groups < 0 else "
        '_group_by_key(rows, lambda record: record["dept"], None)\n'
        '        out.append(sum(r["amount"] for r in _candidates(rows_groups, rows, d, _ran_code) '
        'if r["dept"] == d))\n'
    ) in text


@pytest.mark.parametrize(
    "source",
    [
        GROUPS.replace("out.append(sum(", "rows.append({})\n        out.append(sum("),
        GROUPS.replace("out.append(sum(", "out.append(d and sum("),  # the scan may not run
        GROUPS.replace('r["dept"] == d', 'r["amount"] > 0 and r["dept"] == d'),
    ],
    ids=["mutated", "conditional-scan", "key-not-first"],
)
def test_guarded_join_index_refuses(source: str) -> None:
    assert not fires(source, "join-index-guarded")


def test_guarded_join_index_reads_an_attribute_probe_only_where_the_scan_would() -> None:
    """Guards against reading `d.code` (which may raise) when no record would be compared."""
    text = after(GROUPS.replace("== d))", "== d.code))"), "join-index-guarded")
    assert (
        "_candidates(rows_groups, rows, (d.code if type(rows_groups) is dict and rows and "
        "_plain_key(d, 'code') else None), _ran_code)"
    ) in text


# --- prefix-aggregate and lru-cache on floats ---------------------------------------------

DRAWDOWN = """
def f(prices: list[float]) -> list[float]:
    out = []
    for i in range(len(prices)):
        out.append(max(prices[: i + 1]) - prices[i])
    return out
"""


def test_prefix_aggregate_keeps_a_running_max() -> None:
    assert body_of(after(DRAWDOWN, "prefix-aggregate"), "f") == (
        "def f(prices: list[float]) -> list[float]:\n"
        "    out = []\n"
        "    prices_max = _NOTHING\n"
        "    for i in range(len(prices)):\n"
        "        if prices_max is _NOTHING or prices[i] > prices_max:\n"
        "            prices_max = prices[i]\n"
        "        out.append(prices_max - prices[i])\n"
        "    return out\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        DRAWDOWN.replace("max(prices[: i + 1])", "sum(prices[: i + 1])"),  # float sums round
        DRAWDOWN.replace("prices: list[float]", "prices"),
        DRAWDOWN.replace("range(len(prices))", "range(len(prices) - 1)").replace(
            "max(prices[: i + 1])", "max(prices[: i + 2])"
        ),
        DRAWDOWN.replace("    return out", "    prices.append(0.0)\n    return out"),
    ],
    ids=["float-sum", "untyped", "other-slice", "changed"],
)
def test_prefix_aggregate_refuses(source: str) -> None:
    assert not fires(source, "prefix-aggregate")


def test_lru_cache_refuses_float_parameters() -> None:
    """Guards 0.0 == -0.0: one cached result would answer for both."""
    source = (
        "def f(x: float, n: int) -> float:\n    return x if n <= 0 else f(x, n - 1) + f(x, n - 2)\n"
    )
    assert not fires(source, "lru-cache")
    assert fires(source.replace("x: float", "x: int").replace("-> float", "-> int"), "lru-cache")


# --- min-heap -------------------------------------------------------------------------------

TODO = """
def f(xs: list[int]) -> list[int]:
    todo = list(xs)
    out = []
    while todo:
        x = min(todo)
        todo.remove(x)
        out.append(x)
        if x > 0:
            todo.append(x - 1)
    return out
"""


def test_min_heap_pops_instead_of_scanning() -> None:
    assert body_of(after(TODO, "min-heap"), "f") == (
        "def f(xs: list[int]) -> list[int]:\n"
        "    todo = list(xs)\n"
        "    heapq.heapify(todo)\n"
        "    out = []\n"
        "    while todo:\n"
        "        x = heapq.heappop(todo)\n"
        "        out.append(x)\n"
        "        if x > 0:\n"
        "            heapq.heappush(todo, x - 1)\n"
        "    return out\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        TODO.replace("xs: list[int]", "xs: list[float]"),
        TODO.replace("    return out", "    return out + todo"),  # its order is seen
        TODO.replace("    while todo:\n        x = min", "    while out:\n        x = min"),
    ],
    ids=["float", "order-seen", "may-be-empty"],
)
def test_min_heap_refuses(source: str) -> None:
    assert not fires(source, "min-heap")
