"""Containers a function fills itself: what is stored into them (through any local that may
name them) decides whether they are new all the way down, and a value read back out of one
is a container of the function's own when everything stored into it was. Before/after of the
join this lets fire, and refusals where the caller's objects end up inside."""

from __future__ import annotations

import textwrap

import pytest

from agent.engines.rules.project import project_for
from agent.engines.rules.rewrite import function_context
from tests.models.rules_corpus import helpers

SESSIONS = """
def sessions(events, users):
    out = []
    open_by_login = {}
    for login, t in events:
        user = None
        for candidate in users:
            if candidate["login"] == login:
                user = candidate
                break
        if user is None:
            continue
        current = open_by_login.get(login)
        if current is None or t - current["end"] > 10:
            current = {"login": login, "team": user["team"], "end": t, "n": 0}
            out.append(current)
            open_by_login[login] = current
        current["end"] = t
        current["n"] += 1
    return out
"""


def scope_of(source: str, function: str):  # type: ignore[no-untyped-def]
    text = textwrap.dedent(source)
    ctx = function_context("mod.py", text, function, project_for({"mod.py": text}))
    assert ctx is not None
    return ctx.scope


def test_records_kept_in_a_dict_of_its_own_let_the_join_fire() -> None:
    """Guards the reach: `current` is read back out of `open_by_login`, which only ever holds
    dicts this function made, so storing into it leaves the outer loop pure."""
    scope = scope_of(SESSIONS, "sessions")
    assert scope.fresh.get("current") == 1 and scope.fresh.get("open_by_login") == 1
    text = helpers.rewrite(SESSIONS, "join-index-guarded", "sessions")
    assert text is not None
    assert "for candidate in _candidates(users_groups, users, login, _ran_code):" in text
    before = helpers.run_module(SESSIONS, "fresh_before")["sessions"]
    after = helpers.run_module(text, "fresh_after")["sessions"]
    users = [{"login": "a", "team": "x"}, {"login": "b", "team": "y"}, {"login": "a", "team": "z"}]
    events = [("a", 0), ("b", 3), ("a", 5), ("c", 6), ("a", 40), (1, 41)]
    assert after(events, users) == before(events, users)
    assert [s["team"] for s in after(events, users)] == ["x", "y", "x"]


def test_a_key_missing_after_the_first_match_still_never_raises() -> None:
    """Guards the index build against reading keys the scan never reads: the scan stops at
    its first match, so a later record without the key must not raise (the build gives up)."""
    text = helpers.rewrite(SESSIONS, "join-index-guarded", "sessions")
    assert text is not None
    before = helpers.run_module(SESSIONS, "missing_before")["sessions"]
    after = helpers.run_module(text, "missing_after")["sessions"]
    users = [{"login": "a", "team": "x"}, {"team": "no login"}]
    assert after([("a", 0), ("a", 1)], users) == before([("a", 0), ("a", 1)], users)
    with pytest.raises(KeyError):
        before([("b", 0)], users)
    with pytest.raises(KeyError):
        after([("b", 0)], users)


@pytest.mark.parametrize(
    "source",
    [
        # a caller's record stored into the dict, then read back and changed
        SESSIONS.replace("open_by_login[login] = current", "open_by_login[login] = user"),
        # the read-back default is the caller's
        SESSIONS.replace(".get(login)", ".get(login, users[0])"),
        SESSIONS.replace("current = open_by_login.get(login)", "current = users[0]"),
    ],
    ids=["stored-record", "foreign-default", "not-own"],
)
def test_the_join_is_refused_when_the_loop_changes_a_callers_object(source: str) -> None:
    """Guards against indexing `users` while the loop may change them (or other caller data)."""
    assert helpers.rewrite(source, "join-index-guarded", "sessions") is None


MARK = """
def mark(rows):
    seen = {}
    for r in rows:
        seen[r["id"]] = r
    for k in seen:
        seen[k]["n"] = seen[k].get("n", 0) + 1
    return len(seen)


def rounds(rows, times):
    total = 0
    for _ in range(times):
        total += mark(rows)
    return total
"""

ALIAS = """
def mark(rows):
    box = []
    alias = box
    for r in rows:
        alias.append(r)
    if box:
        box[0]["n"] = box[0].get("n", 0) + 1
    return len(box)
"""

HEAP = """
import heapq


def mark(rows):
    heap = []
    for r in rows:
        heapq.heappush(heap, r)
    if heap:
        heap[0][0] = heap[0][0] + 1
    return len(heap)
"""


@pytest.mark.parametrize(
    "source", [MARK, ALIAS, HEAP], ids=["subscript-store", "alias-append", "heappush"]
)
def test_a_container_holding_the_callers_objects_is_not_new_all_the_way_down(
    source: str,
) -> None:
    """Guards the soundness fix: `d = {}` was new all the way down even after the caller's
    records were stored into it, so changing them through it passed for pure and a call
    was hoisted out of a loop (the records were changed once instead of every round)."""
    scope = scope_of(source, "mark")
    assert not scope.pure(scope.fn.body)
    assert max(scope.fresh.values()) == 1


def test_a_function_changing_its_callers_records_is_not_hoisted() -> None:
    """Guards the behaviour the fix restores: the call runs once per round."""
    assert helpers.rewrite(MARK, "hoist-pure-call", "rounds") is None
    rounds = helpers.run_module(MARK, "mark_rounds")["rounds"]
    rows = [{"id": 1}, {"id": 2}]
    assert rounds(rows, 3) == 6 and rows == [{"id": 1, "n": 3}, {"id": 2, "n": 3}]


def test_own_containers_stay_new_all_the_way_down() -> None:
    """Guards against over-correcting: immutable values and new containers stored into a
    container keep it new all the way down."""
    scope = scope_of(
        """
        def build(n):
            grid = {}
            for i in range(n):
                row = [0] * n
                grid[i] = row
                grid[-1] = (len(row), "x")
            first = grid.get(0)
            return first
        """,
        "build",
    )
    assert scope.fresh["grid"] == 2 and scope.fresh["row"] == 2 and scope.fresh["first"] == 2
    assert scope.pure(scope.fn.body)


def test_a_value_read_back_may_be_none() -> None:
    """Guards the summary: returning `d.get(k)` of an own dict is fresh but may be None."""
    from agent.engines.rules.summaries import _returns

    scope = scope_of(
        "def pick(keys, k):\n    d = {}\n    for x in keys:\n        d[x] = [x]\n"
        "    found = d.get(k)\n    return found\n",
        "pick",
    )
    assert scope.fresh["found"] == 1
    assert _returns(scope) == ("fresh", False)


@pytest.mark.parametrize(
    ("body", "pure"),
    [
        ("per.setdefault(s[0], []).append(s[1])", True),
        ("per.setdefault(s[0], {})\n        per[s[0]].update(x=1)", True),
        ("per.setdefault(s[0], base).append(s[1])", False),
        ("per[s[0]] = base\n        per.setdefault(s[0], []).append(s[1])", False),
        ("other = per\n        other[0] = base\n        per[0].append(s[1])", False),
        ("per.setdefault(s[0], s).append(s[1])", False),
        (
            "per.setdefault(s[0], []).append(base)\n        got = per.get(s[0])\n        got[0].append(1)",
            False,
        ),
        (
            "per.setdefault(s[0], []).extend(rows)\n        got = per[s[0]]\n        got[0].append(1)",
            False,
        ),
        ("per.setdefault(s[0], []).append(s)\n        per[s[0]][0][0] = 1", False),
        (
            "per.setdefault(s[0], []).append(s)\n        got = per[s[0]]\n        got.append(1)",
            True,
        ),
        ("per[s[0]] = [[0]]\n        per[s[0]][0][0] = 1", True),
    ],
    ids=[
        "new-default",
        "new-dict-default",
        "callers-default",
        "callers-value",
        "alias",
        "item",
        "callers-in-element-read-by-get",
        "callers-in-element-read-by-index",
        "callers-in-element-changed-in-place",
        "own-element-read-back",
        "own-nested",
    ],
)
def test_changing_an_element_of_a_container_of_its_own_is_pure(body: str, pure: bool) -> None:
    """Guards the grouping idiom `per.setdefault(k, []).append(v)`: the list is the
    function's own, so changing it changes nothing it was given (it made attendance's
    per-subject scans impure); the key of `setdefault` is not one of the dict's values. When
    the element may be the caller's (a default, a value stored under a key, through an alias,
    or an item of a parameter), the change is the caller's. A caller's object stored into an
    element through an expression (`per.setdefault(k, []).append(row)`) is inside the
    container too: an element read back holds it, so changing what is in that element is
    the caller's (found by a review: such stores were not counted at all)."""
    scope = scope_of(
        f"def f(rows, base):\n    per = {{}}\n    for s in rows:\n        {body}\n    return per\n",
        "f",
    )
    assert scope.pure(scope.fn.body) is pure


@pytest.mark.parametrize(
    ("body", "pure"),
    [
        ("out[s[0]][0] = s", True),
        ("out[s[0]][0] = s\n        out[s[0]][0][0] = 1", False),
        ("out[s[0]] = s\n        out[s[0]][0] = 1", False),
    ],
    ids=["own-row-given-a-value", "then-the-value-changed", "callers-row-changed"],
)
def test_a_store_into_a_row_of_its_own_is_pure(body: str, pure: bool) -> None:
    """Guards matrix code once stores through an element count as inside the container:
    `out[i][j] = v` into a grid the function made changes only its own row, whatever `v`
    is (hoist-per-counter on `standardize` needs it); changing `v` itself afterwards, or a
    row that is the caller's, is the caller's."""
    scope = scope_of(
        "def f(rows, base):\n    out = [[0.0] * 3 for _ in range(3)]\n    for s in rows:\n"
        f"        {body}\n    return out\n",
        "f",
    )
    assert scope.pure(scope.fn.body) is pure
