"""The callee side of `group-by-call` for a filtering loop: a function whose statements include
`for item in <collection>: if <item's key> == key: ...` with any body, and the two copies the
rewrite adds beside it: one pass putting every key's items in lists, in the collection's order,
and the function looping over its key's list instead of the whole collection."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.effects import Scope
from agent.engines.rules.groupreduce import items_pass
from agent.engines.rules.groupscan import (
    bare,
    compared_to,
    conjuncts,
)
from agent.engines.rules.syntax import SCOPES, bound_names, names_in, walk


@dataclass(frozen=True)
class Filter:
    """The loop at `index` of the body: `for <target> in <iter>:` holding only `match`, an `if`
    (no `elif`/`else`) whose test's `and`-ed parts include `<key_of> == key` at `at`."""

    fn: cst.FunctionDef
    key: str
    index: int
    loop: cst.For
    conditions: tuple[cst.BaseExpression, ...]
    at: int
    key_of: cst.BaseExpression


def find_filter(scope: Scope, fn: cst.FunctionDef, key: str) -> Filter | None:
    """The filtering loop of `fn` for the items whose key equals the parameter `key`, when the
    precondition holds: a statement of the body is a `for` over a name target (not async)
    whose body is one `if` without `elif`/`else`; one of its `and`-ed parts compares an
    expression of the item alone with `key`, and no part before it reads `key`; the collection,
    the parts before the key's and the key's expression read no name the function binds but
    the target (the pass runs them once, with the parameters alone, where every call's loop
    runs them with what they are then) and hold no `:=`; the target is read nowhere outside the
    loop's body, its `else` included (the original leaves it at the collection's last item);
    `key` is never rebound; and `scope` finds the function pure."""
    body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
    if key in bound_names(fn) or not scope.pure(fn.body):
        return None
    for i, stmt in enumerate(body):
        if not isinstance(stmt, cst.For) or stmt.asynchronous is not None:
            continue
        found = _split(stmt, key)
        if found is None:
            continue
        conditions, at, key_of = found
        target = stmt.target.value  # type: ignore[attr-defined]
        local = set().union(*(bound_names(s) for s in body)) - {target}
        read = names_in(stmt.iter) | names_in(key_of)
        for c in conditions[:at]:
            read |= names_in(c)
        if read & local or key in names_in(stmt.iter) or _read_outside(fn, stmt, target):
            return None  # the pass must see what every call's loop sees: no local at all
        test = cst.ensure_type(stmt.body.body[0], cst.If).test
        if any(isinstance(n, cst.NamedExpr) for n in (*walk(test), *walk(stmt.iter))):
            return None
        return Filter(fn, key, i, stmt, conditions, at, key_of)
    return None


def _split(
    loop: cst.For, key: str
) -> tuple[tuple[cst.BaseExpression, ...], int, cst.BaseExpression] | None:
    if not isinstance(loop.target, cst.Name) or loop.target.value == key:
        return None
    lines = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    if len(lines) != 1 or not isinstance(lines[0], cst.If) or lines[0].orelse is not None:
        return None
    conditions = tuple(conjuncts(lines[0].test))
    for at, cond in enumerate(conditions):
        if key not in names_in(cond):
            continue
        key_of = compared_to(cond, key)
        if key_of is None or names_in(key_of) != {loop.target.value}:
            return None
        if any(isinstance(n, cst.NamedExpr | cst.Lambda) for n in walk(key_of)):
            return None
        return conditions, at, key_of
    return None


def _read_outside(fn: cst.FunctionDef, loop: cst.For, name: str) -> bool:
    """`name` is read outside the loop's body (its `else` included: it runs after the last
    item, which the copy's loop does not share)."""
    inside = {id(n) for n in (*walk(loop.body), *walk(loop.target))}
    for n in walk(fn.body, into_scopes=True):
        if isinstance(n, cst.Name) and n.value == name and id(n) not in inside:
            return True
        if isinstance(n, SCOPES) and n is not fn and name in names_in(n):
            return True
    return False


def filter_rescans(found: Filter, also: Collection[str]) -> bool:
    """The loop can run over its key's items alone while other parameters (`also`) vary per
    call: what the pass runs (the collection, the test's parts up to the key's) reads none of
    them."""
    read = names_in(found.loop.iter)
    for c in found.conditions[: found.at + 1]:
        read |= names_in(c)
    return not read & set(also)


# --- the copies -------------------------------------------------------------------------------


def filter_groups_copy(
    found: Filter, name: str, names: dict[str, str], also: Collection[str] = ()
) -> cst.FunctionDef:
    """`name(<the parameters but the key and `also`>)`: every key's items in the collection's
    order. The parts of the test before the key's run where they ran, on the items they ran on
    (an item they reject is left out); the parts after it run in the answering copy, on its
    key's items only, as they did. A key that is not exactly a str or an int, or a pass that
    raises, gives None, and every call then loops as before (raising where it did)."""
    target = found.loop.target.value  # type: ignore[attr-defined]
    return items_pass(
        found.fn,
        found.key,
        target,
        found.loop.iter,
        found.conditions[: found.at + 1],
        found.key_of,
        name,
        names,
        also,
    )


_CHOOSE = """
if {groups} is not None and (type({key}) is str or type({key}) is int):
    {items} = {groups}.get({key}, ())
else:
    {items} = {iter}
"""


def filtered_copy(
    found: Filter, name: str, groups: str, items: str, method: bool
) -> cst.FunctionDef:
    """`name(groups, <the parameters>)`: the function, looping over its key's items from
    `groups` when that is a pass's result and the key exactly a str or an int, else over the
    whole collection; the loop's test runs in full either way."""
    choose = cst.parse_module(
        _CHOOSE.format(
            groups=groups,
            key=found.key,
            items=items,
            iter=cst.Module([]).code_for_node(bare(found.loop.iter)),
        )
    ).body
    body = list(cst.ensure_type(found.fn.body, cst.IndentedBlock).body)
    loop = found.loop
    first = cst.ensure_type(choose[0], cst.If).with_changes(leading_lines=loop.leading_lines)
    body[found.index : found.index + 1] = [
        first,
        loop.with_changes(iter=cst.Name(items), leading_lines=[]),
    ]
    params = list(found.fn.params.params)
    params.insert(1 if method else 0, cst.Param(cst.Name(groups)))
    return found.fn.with_changes(
        name=cst.Name(name),
        params=found.fn.params.with_changes(params=params),
        body=found.fn.body.with_changes(body=body),
    )
