"""Each rewrite, before and after, and the cases where its precondition fails and it must
not fire."""

from __future__ import annotations

import pytest

from agent.engines.rules import CATALOGUE
from tests.models.rules_corpus import helpers

rewrite, body_of = helpers.rewrite, helpers.body_of


def after(source: str, rule: str, function: str = "f") -> str:
    text = rewrite(source, rule, function)
    assert text is not None, f"{rule} did not fire"
    compile(text, "mod.py", "exec")
    return text


def fires(source: str, rule: str, function: str = "f") -> bool:
    return rewrite(source, rule, function) is not None


def test_catalogue_has_at_least_twelve_documented_rules() -> None:
    """Guards the catalogue's size and that every rule states its precondition."""
    assert len(CATALOGUE) >= 12
    assert len({r.id for r in CATALOGUE}) == len(CATALOGUE)
    for rule in CATALOGUE:
        assert rule.title and rule.__doc__ and "Precondition" in rule.__doc__, rule.id


# --- membership-set -------------------------------------------------------------------------

KEEP = """
def f(items: list[str], allowed: list[str]) -> list[str]:
    kept = []
    for item in items:
        if item in allowed:
            kept.append(item)
    return kept
"""


def test_membership_set_hoists_a_frozenset() -> None:
    assert body_of(after(KEEP, "membership-set"), "f") == (
        "def f(items: list[str], allowed: list[str]) -> list[str]:\n"
        "    kept = []\n"
        "    allowed_set = frozenset(allowed)\n"
        "    for item in items:\n"
        "        if item in allowed_set:\n"
        "            kept.append(item)\n"
        "    return kept\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        KEEP.replace("list[str], allowed: list[str]", "list[str], allowed: list[list[int]]"),
        KEEP.replace("items: list[str]", "items: list[list[int]]"),  # probe may be unhashable
        KEEP.replace("allowed: list[str]", "allowed"),  # element type unknown
        KEEP.replace("allowed: list[str]", "allowed: str"),  # substring test, not membership
        KEEP.replace("kept.append(item)", "kept.append(item)\n            allowed.append('x')"),
        KEEP.replace("kept.append(item)", "allowed = [item]"),  # rebound in the loop
        KEEP.replace("kept.append(item)", "register(allowed)"),  # escapes to a call
        KEEP.replace("    for item", "    allowed = load(allowed)\n    for item"),
    ],
    ids=[
        "unhashable-elems",
        "unhashable-probe",
        "untyped",
        "str",
        "mutated",
        "rebound",
        "escapes",
        "rebound-to-unknown",
    ],
)
def test_membership_set_does_not_fire(source: str) -> None:
    """Guards the precondition: mutated, rebound, escaping, unhashable or untyped lists."""
    assert not fires(source, "membership-set")


def test_membership_set_outside_a_loop_does_not_fire() -> None:
    assert not fires("def f(x: str, a: list[str]) -> bool:\n    return x in a\n", "membership-set")


# --- dict-keys-membership, eq-chain-set, len-compare ----------------------------------------


def test_dict_keys_membership() -> None:
    src = "def f(d: dict[str, int], k: str) -> bool:\n    return k in d.keys()\n"
    assert "return k in d\n" in after(src, "dict-keys-membership")
    unknown = "def f(d, k: str) -> bool:\n    return k in d.keys()\n"
    assert not fires(unknown, "dict-keys-membership")  # a Mapping-like object may differ


def test_eq_chain_set() -> None:
    src = 'def f(c: str) -> bool:\n    return c == "a" or c == "b" or "c" == c\n'
    assert 'return c in {"a", "b", "c"}\n' in after(src, "eq-chain-set")
    assert not fires(src.replace("c: str", "c"), "eq-chain-set")  # unknown type: __eq__ may differ
    assert not fires(src.replace('"c" == c', "c == 3"), "eq-chain-set")  # mixed literal types
    two = 'def f(c: str) -> bool:\n    return c == "a" or c == "b"\n'
    assert not fires(two, "eq-chain-set")


def test_len_compare_in_tests_only() -> None:
    src = "def f(xs: list[int]) -> int:\n    if len(xs) == 0:\n        return 0\n    return 1\n"
    assert "    if not xs:\n" in after(src, "len-compare")
    value = "def f(xs: list[int]) -> bool:\n    return len(xs) == 0\n"
    assert not fires(value, "len-compare")  # not in a boolean test: keep the exact expression
    custom = "def f(xs) -> int:\n    if len(xs) > 0:\n        return 1\n    return 0\n"
    assert not fires(custom, "len-compare")  # __bool__ may disagree with __len__


# --- string-join ----------------------------------------------------------------------------

JOIN = """
def f(words: list[str]) -> str:
    text = "> "
    for w in words:
        text += w + ","
    return text
"""


def test_string_join() -> None:
    assert body_of(after(JOIN, "string-join"), "f") == (
        "def f(words: list[str]) -> str:\n"
        '    text = "> "\n'
        "    text_parts: list[str] = []\n"
        "    for w in words:\n"
        '        text_parts.append(w + ",")\n'
        '    text += "".join(text_parts)\n'
        "    return text\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        JOIN.replace("text += w", "text += str(len(text)) + w"),  # reads the partial string
        JOIN.replace("list[str]", "list"),  # pieces of unknown type
        JOIN.replace(
            "    for w", "    try:\n        pass\n    finally:\n        pass\n    for w"
        ).replace("text = ", "text = ", 1),
        JOIN.replace(
            "    for w in words:\n        text",
            "    with ctx():\n      for w in words:\n        text",
        ),
        JOIN.replace("    return text", "    return lambda: text"),  # closure sees it
    ],
    ids=["reads-itself", "unknown-type", "try-before-ok", "with", "closure"],
)
def test_string_join_does_not_fire(source: str) -> None:
    """Guards: partial reads, non-str pieces, handlers that could see a half-built string."""
    if "try:" in source:
        assert fires(source, "string-join")  # a try *before* the loop is harmless
        return
    assert not fires(source, "string-join")


# --- regex ----------------------------------------------------------------------------------


def test_regex_precompile_keeps_arguments() -> None:
    src = (
        "import re\n\n\ndef f(s: str) -> str:\n"
        '    return re.sub(r"\\s+", " ", s, count=2, flags=re.I)\n'
    )
    text = after(src, "regex-precompile")
    assert '_F_RE = re.compile(r"\\s+", re.I)\n' in text
    assert 'return _F_RE.sub(" ", s, count=2)\n' in text


@pytest.mark.parametrize(
    "call",
    [
        're.sub("a", "b", s, 2)',  # positional count differs between re.sub and Pattern.sub
        're.findall("a", s, re.I)',  # positional flags would become pos
        "re.search(pat, s)",  # not a literal
        're.search(f"{s}", s)',  # f-string
        're.search("(", s)',  # invalid: must keep failing at call time
    ],
)
def test_regex_precompile_does_not_fire(call: str) -> None:
    src = f"import re\n\npat = 'x'\n\ndef f(s: str) -> object:\n    return {call}\n"
    assert not fires(src, "regex-precompile")


def test_regex_needs_the_module_import() -> None:
    src = "from re import search\n\n\ndef f(s: str) -> object:\n    return search('a', s)\n"
    assert not fires(src, "regex-precompile")
    shadow = "import re\n\n\ndef f(s: str, re: object) -> object:\n    return re.search('a', s)\n"
    assert not fires(shadow, "regex-precompile")


def test_regex_compile_hoist() -> None:
    src = "import re\n\n\ndef f(s: str) -> list[str]:\n    p = re.compile('[,;]')\n    return p.split(s)\n"
    text = after(src, "regex-compile-hoist")
    assert "_F_RE = re.compile('[,;]')\n" in text and "    p = _F_RE\n" in text


# --- sorted-min-max -------------------------------------------------------------------------


def test_sorted_min_max() -> None:
    src = (
        "def f(xs: list[int]) -> int:\n    if not xs:\n        return 0\n    return sorted(xs)[0]\n"
    )
    assert "return min(xs)\n" in after(src, "sorted-min-max")
    rev = "def f(xs: list[str]) -> str:\n    if xs:\n        return sorted(xs, key=len, reverse=True)[0]\n    return ''\n"
    assert "return max(xs, key=len)\n" in after(rev, "sorted-min-max")


@pytest.mark.parametrize(
    "source",
    [
        "def f(xs: list[int]) -> int:\n    return sorted(xs)[0]\n",  # IndexError vs ValueError
        "def f(xs: list[str]) -> str:\n    if xs:\n        return sorted(xs, key=len)[-1]\n    return ''\n",
        "def f(xs: list[float]) -> float:\n    if xs:\n        return sorted(xs)[-1]\n    return 0.0\n",
        "def f(xs) -> int:\n    if xs:\n        return sorted(xs)[0]\n    return 0\n",  # a generator is truthy
        "def f(xs: list[int]) -> int:\n    if xs:\n        xs = []\n        return sorted(xs)[0]\n    return 0\n",
    ],
    ids=["maybe-empty", "last-with-key", "last-float", "untyped", "rebound"],
)
def test_sorted_min_max_does_not_fire(source: str) -> None:
    """Guards exception types on empty input and which of several equal maxima is returned."""
    assert not fires(source, "sorted-min-max")


# --- sum-generator --------------------------------------------------------------------------


def test_sum_generator() -> None:
    src = "def f(xs: list[int]) -> int:\n    return sum([x * 2 for x in xs], 10)\n"
    assert "return sum((x * 2 for x in xs), 10)\n" in after(src, "sum-generator")
    impure = "def f(xs: list[int]) -> int:\n    return sum([log(x) for x in xs])\n"
    assert not fires(impure, "sum-generator")  # side effects would interleave differently
    shadow = (
        "def sum(x): return 0\n\ndef f(xs: list[int]) -> int:\n    return sum([x for x in xs])\n"
    )
    assert not fires(shadow, "sum-generator")


# --- deque-queue ----------------------------------------------------------------------------

QUEUE = """
def f(xs: list[int]) -> list[int]:
    q = list(xs)
    out = []
    while q:
        x = q.pop(0)
        if x > 0:
            q.insert(0, x - 1)
        out.append(x)
    return out
"""


def test_deque_queue() -> None:
    text = after(QUEUE, "deque-queue")
    assert text.startswith("\nimport collections\n") or "import collections\n" in text
    body = body_of(text, "f")
    assert "q = collections.deque(xs)" in body
    assert "x = q.popleft()" in body and "q.appendleft(x - 1)" in body


def test_deque_queue_uses_an_existing_from_import() -> None:
    src = "from collections import deque\n" + QUEUE
    assert "q = deque(xs)" in after(src, "deque-queue")


@pytest.mark.parametrize(
    "change",
    [
        ("    return out", "    return q"),  # escapes: callers would get a deque
        ("        out.append(x)", "        out.append(q[1:])"),  # slicing a deque fails
        ("        out.append(x)", "        consume(q)"),
        ("    q = list(xs)", "    q = xs"),  # the caller's list
        ("x = q.pop(0)", "x = q.pop(1)"),
        (
            "    while q:",
            "    for y in q:\n        q.append(y)\n    while q:",
        ),  # mutated while iterated
    ],
    ids=["returned", "sliced", "passed", "alias", "pop-1", "iter-mutate"],
)
def test_deque_queue_does_not_fire(change: tuple[str, str]) -> None:
    assert not fires(QUEUE.replace(*change), "deque-queue")


# --- counter-loop and dedup-fromkeys --------------------------------------------------------

COUNT = """
def f(words: list[str]) -> dict[str, int]:
    counts = {}
    for w in words:
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return counts
"""


def test_counter_loop() -> None:
    assert body_of(after(COUNT, "counter-loop"), "f") == (
        "def f(words: list[str]) -> dict[str, int]:\n"
        "    counts = dict(collections.Counter(words))\n"
        "    return counts\n"
    )


def test_counter_loop_with_get_and_key_expression() -> None:
    src = (
        "def f(words: list[str]) -> dict[str, int]:\n    c: dict[str, int] = {}\n"
        "    for w in words:\n        c[w.lower()] = c.get(w.lower(), 0) + 1\n    return c\n"
    )
    assert "c: dict[str, int] = dict(collections.Counter(w.lower() for w in words))" in after(
        src, "counter-loop"
    )


@pytest.mark.parametrize(
    "change",
    [
        ("counts[w] += 1", "counts[w] += 2"),
        ("    counts = {}", "    counts = {'x': 1}"),
        ("    return counts", "    return counts, w"),  # loop variable used after the loop
        ("if w in counts", "if key(w) in counts"),  # key not matching / impure
        ("    counts = {}\n", "    counts = {}\n    log(counts)\n"),
    ],
    ids=["step-2", "prefilled", "var-after", "other-key", "mentioned-between"],
)
def test_counter_loop_does_not_fire(change: tuple[str, str]) -> None:
    assert not fires(COUNT.replace(*change), "counter-loop")


UNIQ = """
def f(xs: list[str]) -> list[str]:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out
"""


def test_dedup_fromkeys() -> None:
    assert "    out = list(dict.fromkeys(xs))\n" in after(UNIQ, "dedup-fromkeys")


@pytest.mark.parametrize(
    "change",
    [
        ("xs: list[str]", "xs: list[list[int]]"),  # unhashable elements
        ("xs: list[str]", "xs"),  # unknown elements
        ("            out.append(x)", "            out.append(x.upper())"),
        ("    return out", "    return out, x"),
    ],
    ids=["unhashable", "untyped", "other-value", "var-after"],
)
def test_dedup_fromkeys_does_not_fire(change: tuple[str, str]) -> None:
    assert not fires(UNIQ.replace(*change), "dedup-fromkeys")


# --- append-comprehension and invariant-call-hoist ------------------------------------------


def test_append_comprehension_nested() -> None:
    src = (
        "def f(n: int) -> list[tuple[int, int]]:\n    cells = []\n    for i in range(n):\n"
        "        for j in range(i):\n            if i != j:\n                cells.append((i, j))\n"
        "    return cells\n"
    )
    assert "    cells = [(i, j) for i in range(n) for j in range(i) if i != j]\n" in after(
        src, "append-comprehension"
    )


@pytest.mark.parametrize(
    "source",
    [
        "def f(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n        out.append(x)\n    print(x)\n    return out\n",
        "def f(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n        out.append(len(out))\n    return out\n",
        "def f(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n        out.append(x)\n    else:\n        out.append(0)\n    return out\n",
        "class C:\n    def f(self, xs: list[int]) -> list[int]:\n        out = []\n        for x in xs:\n            out.append(super().g(x))\n        return out\n",
    ],
    ids=["var-after", "reads-list", "for-else", "super"],
)
def test_append_comprehension_does_not_fire(source: str) -> None:
    function = "C.f" if source.startswith("class") else "f"
    assert not fires(source, "append-comprehension", function)


def test_invariant_call_hoist() -> None:
    src = (
        "def f(words: list[str], stops: list[str]) -> int:\n    n = 0\n    for w in words:\n"
        "        if w in set(stops):\n            n += len(stops)\n    return n\n"
    )
    body = body_of(after(src, "invariant-call-hoist"), "f")
    assert "    stops_set = set(stops)\n    len_stops = len(stops)\n" in body
    assert "    for w in _note_iterated(words, _ran_code):\n" in body
    assert "if w in (stops_set if not _ran_code[0] else set(stops)):" in body
    assert "n += (len_stops if not _ran_code[0] else len(stops))" in body


@pytest.mark.parametrize(
    "source",
    [
        # the argument changes in the loop
        "def f(xs: list[int]) -> int:\n    n = 0\n    for x in xs:\n        n += len(xs)\n        xs.append(1)\n        if n > 9:\n            break\n    return n\n",
        # the result container would be shared and mutated
        "def f(xs: list[int]) -> list[list[int]]:\n    out = []\n    for x in xs:\n        out.append(list(xs))\n    return out\n",
        # may raise (unhashable elements) even when the loop would not run
        "def f(xs: list[list[int]], ys: list[int]) -> int:\n    n = 0\n    for y in ys:\n        if y in set(xs):\n            n += 1\n    return n\n",
        # depends on the loop variable
        "def f(xs: list[str]) -> int:\n    n = 0\n    for x in xs:\n        n += len(x)\n    return n\n",
    ],
    ids=["mutated", "shared-result", "may-raise", "variant"],
)
def test_invariant_call_hoist_does_not_fire(source: str) -> None:
    assert not fires(source, "invariant-call-hoist")


# --- lru-cache ------------------------------------------------------------------------------

FIB = """
def f(n: int) -> int:
    if n < 2:
        return n
    return f(n - 1) + f(n - 2)
"""


def test_lru_cache() -> None:
    text = after(FIB, "lru-cache")
    assert "import functools\n" in text
    assert "@functools.lru_cache(maxsize=None, typed=True)\ndef f(n: int) -> int:" in text


@pytest.mark.parametrize(
    "change",
    [
        ("-> int:", "-> list[int]:"),  # a shared mutable result
        ("(n: int)", "(n: list[int])"),  # unhashable argument
        ("(n: int)", "(n)"),  # unknown argument type
        ("    return f(n - 1) + f(n - 2)", "    print(n)\n    return f(n - 1) + f(n - 2)"),
        ("    return f(n - 1) + f(n - 2)", "    return f(n - 1) + 1"),  # no overlapping calls
        ("    if n < 2:", "    global calls\n    if n < 2:"),
        ("    return f(n - 1) + f(n - 2)", "    return f(n - 1) + f(n - 2) + OFFSET"),
    ],
    ids=["mutable-return", "unhashable-arg", "untyped", "io", "linear", "global", "global-read"],
)
def test_lru_cache_does_not_fire(change: tuple[str, str]) -> None:
    """Guards purity and hashability: impure, mutable-result or global-reading functions."""
    source = "OFFSET = []\n" + FIB.replace(*change)
    assert not fires(source, "lru-cache")


def test_lru_cache_allows_literal_module_constants() -> None:
    source = "LIMIT = 10\n" + FIB.replace("n < 2", "n < 2 or n > LIMIT * 100")
    assert fires(source, "lru-cache")


def test_membership_set_after_a_typed_rebinding() -> None:
    source = KEEP.replace("    for item", "    allowed = sorted(allowed)\n    for item")
    assert "if item in allowed_set:" in after(source, "membership-set")
