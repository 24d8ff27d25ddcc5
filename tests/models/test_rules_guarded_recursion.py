"""cache-recursive-guarded: a pure recursive function keeps a results table inside its own body
(looked up at entry, filled at each `return`), for str, int and float arguments only. Before and
after, the recursion depth it can still reach, copies of list and dict results, the fact that
callers still find it pure, and where the precondition fails."""

from __future__ import annotations

import sys
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.engines.rules.effects import effects_of
from agent.engines.rules.guarded_recursion import uncached
from agent.engines.rules.project import FunctionRef, project_for
from tests.models.rules_corpus import helpers
from tests.models.test_rules_guarded_caching import RECURSIVE

rewrite = helpers.rewrite
RULE = "cache-recursive-guarded"


def _both(source: str, function: str, name: str) -> tuple[Any, Any]:
    text = rewrite(source, RULE, function)
    assert text is not None, f"{RULE} did not fire on {function}"
    new = helpers.run_module(text, f"{name}_new")
    old = helpers.run_module(source, f"{name}_old")
    return old[function], new[function]


def test_recursive_cache_gives_the_same_distributions_and_fills_its_table() -> None:
    """Before: `outcomes` solves the same sub-problem once per path reaching it. After: once."""
    old, new = _both(RECURSIVE, "outcomes", "recursive_outcomes")
    text = rewrite(RECURSIVE, RULE, "outcomes")
    assert text is not None and "@" not in text  # no wrapper: the table lives in the body
    assert "return _outcomes_keep(cache_key, out)" in text
    for call in [(0, 8, 6, 1), (0, 8, 6, 1), (3, 12, 4, 2), (0, 1, 2, 1), (5, 4, 6, 1)]:
        assert new(*call) == old(*call)
    first = new(0, 8, 6, 1)
    first[0] = Fraction(99)  # a caller changing its dict changes no later answer
    assert new(0, 8, 6, 1) == old(0, 8, 6, 1)
    assert new(0, 8, 6, 1) is not new(0, 8, 6, 1)


WORDS = """
def splits(text, size):
    \"\"\"Every way to cut `text` into pieces of at most `size` characters.\"\"\"
    if not text:
        return [()]
    out = []
    for end in range(1, min(size, len(text)) + 1):
        for rest in splits(text[end:], size):
            out.append((text[:end], *rest))
    return out


def count_paths(x, y):
    if x == 0 or y == 0:
        return 1
    total = 0
    for step in (1, 2):
        if x >= step:
            total += count_paths(x - step, y)
    total += count_paths(x, y - 1)
    return total


def scaled(x, factor=2.0):
    if x <= 1:
        return x * factor
    result = scaled(x / 3, factor) + scaled(x / 5, factor)
    if result > 100:
        return
    return result
"""


def test_recursive_cache_keeps_strings_lists_and_the_implicit_none() -> None:
    """A list of tuples (kept as a copy), ints, floats with a float default, and a bare
    `return` (None) are all served as the original returns them."""
    for function in ("splits", "count_paths", "scaled"):
        old, new = _both(WORDS, function, f"recursive_{function}")
        if function == "splits":
            calls: list[tuple[Any, ...]] = [("abcde", 2), ("abcde", 2), ("", 3), ("aaaa", 9)]
        elif function == "count_paths":
            calls = [(6, 5), (6, 5), (0, 3), (3, 0), (4, 4)]
        else:
            calls = [(50.0,), (50,), (50.0, 3), (700.0,), (0.0,), (-0.0,), (1.0, 1)]
        for call in calls:
            assert new(*call) == old(*call) and type(new(*call)) is type(old(*call))
    old, new = _both(WORDS, "splits", "recursive_splits_copy")
    got = new("abc", 2)
    got.append("junk")
    assert new("abc", 2) == old("abc", 2)
    assert new(text="abc", size=2) == old("abc", 2)  # keyword calls are served too


@settings(max_examples=60, deadline=None)
@given(
    calls=st.lists(
        st.one_of(
            st.tuples(st.integers(-2, 9), st.integers(-1, 4)),
            st.tuples(st.sampled_from([2.5, 0.0, -0.0, True, 3.0]), st.sampled_from([2.0, 2])),
        ),
        max_size=8,
    )
)
def test_recursive_cache_preserves_any_sequence_of_calls(calls: list[tuple[Any, Any]]) -> None:
    """The same sequence of calls, mixed kinds included (1 and 1.0 and True are equal keys;
    -0.0 and 0.0 too), gives the same results and the same exceptions before and after."""
    old, new = _both(SPREAD, "spread", "recursive_spread_seq")
    for call in calls:
        assert _outcome(old, call) == _outcome(new, call)


SPREAD = """
def spread(total, faces):
    if total <= 0:
        return {total: 1}
    out = {}
    for face in range(1, faces + 1):
        for end, n in spread(total - face, faces).items():
            out[end] = out.get(end, 0) + n
    return out
"""


def _outcome(fn: Any, call: tuple[Any, ...]) -> object:
    try:
        got = fn(*call)
    except Exception as exc:  # the same exception type is the same behaviour here
        return type(exc)
    return got, [(type(k), type(v)) for k, v in got.items()]


CHAIN = """
def chain(n):
    if n <= 0:
        return 0
    return chain(n - 1) + len(str(n))
"""


def _deepest(source: str, name: str) -> int:
    """The largest n `chain(n)` answers without RecursionError, from this very frame depth,
    each probe in a fresh module (an empty table)."""
    low, high = 0, sys.getrecursionlimit()
    while low < high:
        mid = (low + high + 1) // 2
        fn: Any = helpers.run_module(source, name)["chain"]
        try:
            fn(mid)
            low = mid
        except RecursionError:
            high = mid - 1
    return low


@pytest.mark.parametrize("result", ["chain(n - 1) + len(str(n))", "[len(str(n)), chain(n - 1)]"])
def test_recursive_cache_reaches_the_depth_the_original_reaches(result: str) -> None:
    """Guards the recursion depth: a cached wrapper takes two frames per level, so the
    deepest call it can answer is half the original's (the guarded cache's `spread(600)`
    raised RecursionError). In the body, every level is one frame; the table's own brief
    calls at the deepest level cost a few frames (2 for an int result, 5 for a list, whose
    items the table checks before it keeps a copy)."""
    source = CHAIN.replace("chain(n - 1) + len(str(n))", result)
    text = rewrite(source, RULE, "chain")
    assert text is not None
    original = _deepest(source, "chain_old")
    cached = _deepest(text, "chain_new")
    assert original > 100 and cached >= original - 5, (original, cached)


def test_callers_of_the_cached_function_still_find_it_pure() -> None:
    """The table answers every call as the function would, so the rewritten function has
    the original's effects: `win`, which calls it, can be cached in the same plan."""
    text = rewrite(RECURSIVE, RULE, "outcomes")
    assert text is not None
    project = project_for({"mod.py": text})
    fn = project.defs["mod.py"]["outcomes"]
    assert uncached(project, "mod.py", fn) is not None
    assert effects_of(project).summary(FunctionRef("mod.py", "outcomes", fn)).pure
    both = rewrite(text, RULE, "win")
    assert both is not None and "_win_keep(cache_key" in both
    old = helpers.run_module(RECURSIVE, "recursive_win_old")["win"]
    new = helpers.run_module(both, "recursive_win_new")["win"]
    assert new(0, 4, 20, 8, 6, 1) == old(0, 4, 20, 8, 6, 1)
    # a table whose `keep` is used anywhere else is no longer the rule's: not assumed pure
    changed = text.replace("return _outcomes_keep(cache_key, out)", "return out")
    project = project_for({"mod.py": changed})
    assert uncached(project, "mod.py", project.defs["mod.py"]["outcomes"]) is None


@pytest.mark.parametrize(
    "source",
    [
        CHAIN.replace("    if n <= 0:", "    with open('x'):\n        pass\n    if n <= 0:"),
        CHAIN.replace(
            "    return chain(n - 1) + len(str(n))",
            "    try:\n        return chain(n - 1) + len(str(n))\n    finally:\n        n = 0",
        ),
        CHAIN.replace("def chain(n):", "SEEN = []\n\n\ndef chain(n):\n    SEEN.append(n)"),
        CHAIN.replace("len(str(n))", "len(n)").replace("chain(n - 1)", "chain(n[0])"),
        CHAIN.replace("    return chain(n - 1) + len(str(n))", "    yield chain(n - 1)"),
        CHAIN.replace("chain(n - 1) + ", ""),  # not recursive: the guarded cache's
    ],
    ids=["with", "finally", "impure", "sequence", "generator", "not-recursive"],
)
def test_recursive_cache_refuses(source: str) -> None:
    assert rewrite(source, RULE, "chain") is None


@pytest.mark.parametrize(
    "source",
    [
        CHAIN.replace("def chain(n):", "map = {'a': 1}\n\n\ndef chain(n):"),
        CHAIN.replace("def chain(n):", "def any(xs):\n    return False\n\n\ndef chain(n):"),
        CHAIN.replace("def chain(n):", "def frozenset(xs):\n    return xs\n\n\ndef chain(n):"),
    ],
    ids=["map", "any", "frozenset"],
)
def test_recursive_cache_refuses_a_module_shadowing_a_builtin_the_table_calls(
    source: str,
) -> None:
    """Guards the table's own calls (found by a review): with a module-level `map` every
    cached call raised TypeError; a user's `any` returning False switched the float-zero
    guard off, so show(-0.0, 1) answered '0.0'. The non-recursive cache shares the check."""
    assert rewrite(source, RULE, "chain") is None
    plain = source.replace("chain(n - 1) + ", "")
    assert rewrite(plain, "cache-pure-function-guarded", "chain") is None


def test_recursive_cache_refuses_a_handler_that_makes_the_result_depend_on_depth() -> None:
    """Guards stored fallbacks (found by a review): `except RecursionError: return -1` at the
    deepest level was stored, so later calls from a shallower stack got 494 where the
    original gave 995."""
    source = CHAIN.replace(
        "    if n <= 0:\n        return 0\n    return chain(n - 1) + len(str(n))\n",
        "    try:\n        if n <= 0:\n            return 0\n"
        "        return chain(n - 1) + len(str(n))\n    except RecursionError:\n"
        "        return -1\n",
    )
    assert "except RecursionError" in source
    assert rewrite(source, RULE, "chain") is None


SAME = """
def same(a, b, k):
    if k <= 0:
        return a is b
    return same(a, b, k - 1)


def ident(a, k):
    if k <= 0:
        return id(a) % 7
    return ident(a, k - 1)


def empty(a, k):
    if k <= 0:
        return a is None or a is not True
    return empty(a, k - 1)
"""


def test_identity_comparisons_are_not_cached() -> None:
    """Guards equal-but-distinct arguments (found by a review): after same(x1, x1, 1),
    same(x1, x2, 1) with x2 an equal int of its own answered True. `is None` and the other
    singletons are no identity question."""
    assert rewrite(SAME, RULE, "same") is None
    assert rewrite(SAME, RULE, "ident") is None
    assert rewrite(SAME, RULE, "empty") is not None
    plain = "def same(a, b):\n    return [a is b for _ in range(3)]\n"
    assert rewrite(plain, "cache-pure-function-guarded", "same") is None


def test_a_one_line_recursive_function_is_refused_not_crashed() -> None:
    source = "def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    assert rewrite(source, RULE, "fib") is None


def _cached_chain() -> str:
    text = rewrite(CHAIN, RULE, "chain")
    assert text is not None
    return text


@pytest.mark.parametrize(
    "addition",
    [
        "\n\ndef forget(n, value):\n    _chain_keep(((int,), (n,)), value)\n",
        "\n\ndef peek(n):\n    return _chain_lookup((n,))\n",
        "\n\nfrom os.path import *\n",
    ],
    ids=["keep-used-elsewhere", "table-shared", "star-import"],
)
def test_uncached_refuses_a_table_another_function_can_reach(addition: str) -> None:
    """Guards the purity fact (found by a review): a `forget` that stored into the table
    let `report(3)` be cached as 7 where the original, after forget(3, 100), gave 201."""
    text = _cached_chain() + addition
    project = project_for({"mod.py": text})
    assert uncached(project, "mod.py", project.defs["mod.py"]["chain"]) is None


def test_uncached_refuses_a_parameter_that_shadows_the_table() -> None:
    """Guards the purity fact (found by a review): a parameter named like `keep`, defaulting
    to a logging function, was read as the table's `keep`."""
    text = _cached_chain().replace("def chain(n):", "def chain(n, _chain_keep=print):")
    text = text.replace("_chain_lookup((n,))", "_chain_lookup((n, _chain_keep,))")
    project = project_for({"mod.py": text})
    assert uncached(project, "mod.py", project.defs["mod.py"]["chain"]) is None


DEPTH = """
def walk_down(n):
    if n <= 0:
        return 0
    return walk_down(n - 1) + 1


def measured(n):
    try:
        return walk_down(n)
    except RecursionError:
        return -1


def typed(n: int) -> int:
    try:
        return walk_down(n)
    except (ValueError, Exception):
        return -1


def parsed(text):
    try:
        return walk_down(int(text))
    except ValueError:
        return -1


import builtins


class BadInput(ValueError):
    pass


def local_alias(n):
    caught = (ValueError, Exception)
    try:
        return walk_down(n)
    except caught:
        return -1


def shadowing(n):
    BadInput = RuntimeError
    try:
        return walk_down(n)
    except BadInput:
        return -1


def swallowed(n):
    result = -1
    try:
        result = walk_down(n)
    finally:
        return result


def mapped(n):
    try:
        return sum(map(walk_down, [n]))
    except RecursionError:
        return -1


def through_builtins(n):
    try:
        return walk_down(n)
    except builtins.RuntimeError:
        return -1


def narrow(text):
    try:
        return walk_down(int(text))
    except (BadInput, KeyError):
        return -1
"""


def test_no_cache_for_a_result_that_depends_on_the_stack_depth() -> None:
    """Guards every cache rule: a handler that can catch RecursionError around repository
    code makes the answer depend on how deep the caller's stack was (measured(900) is 900
    from the top of a script and -1 from 200 frames down), so one depth's answer must not
    be served at another. A handler for ValueError alone is no such question."""
    assert rewrite(DEPTH, "cache-pure-function-guarded", "measured") is None
    assert rewrite(DEPTH, "cache-pure-function", "typed") is None
    assert rewrite(DEPTH, "lru-cache", "typed") is None
    assert rewrite(DEPTH, "cache-pure-function-guarded", "parsed") is not None


@pytest.mark.parametrize(
    "function", ["local_alias", "through_builtins", "shadowing", "swallowed", "mapped"]
)
def test_a_handler_under_another_name_still_makes_the_result_depend_on_depth(
    function: str,
) -> None:
    """Guards the depth check against spelling: `caught = (ValueError, Exception)` then
    `except caught`, and `except builtins.RuntimeError`, catch RecursionError as surely as
    `except Exception` (the check used to read only the handler's spelled name, and a local
    alias escaped it). From a review: a local named like a repository exception class, a
    `finally: return` that drops the error, and a recursive function handed to `map`."""
    assert rewrite(DEPTH, "cache-pure-function-guarded", function) is None
    assert rewrite(DEPTH, "lru-cache", function) is None


def test_a_builtin_exception_rebound_at_module_level_may_catch_recursion() -> None:
    """Found by a review: `if True: KeyError = RuntimeError` at module level made `except
    KeyError` read as the builtin."""
    source = DEPTH + "\n\nif True:\n    KeyError = RuntimeError\n"
    assert rewrite(source, "cache-pure-function-guarded", "narrow") is None


def test_handlers_known_not_to_catch_recursion_leave_the_cache_free() -> None:
    """A class of the repository and builtin errors outside RecursionError's bases, however
    spelled, are known not to catch it."""
    assert rewrite(DEPTH, "cache-pure-function-guarded", "narrow") is not None
