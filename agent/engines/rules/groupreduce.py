"""The callee side of `group-by-call` for a filtering comprehension: a function whose key scan is
one expression, `sum(r.kwh for r in readings if r.customer == key)` or `[m for m in marks if
m["student"] == key]`, and the two copies the rewrite adds beside it: one pass putting every
key's values in lists, in the scan's order, and the function reducing its key's list instead."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

import libcst as cst

from agent.engines.rules.effects import Scope
from agent.engines.rules.groupscan import (
    bare,
    compared_to,
    conjuncts,
    pass_function,
    pass_step,
)
from agent.engines.rules.syntax import bound_names, names_in, walk

SAFE = frozenset({"sum", "len", "list", "sorted", "set", "tuple", "any", "all"})
"""Reducers whose value over no items is the scan's value over no matches."""
NONEMPTY = frozenset({"max", "min"})
"""Reducers that raise over no items: a key the pass lacks runs the original scan."""


@dataclass(frozen=True)
class Reduce:
    """`expr`, in the statement at `index` of the body: `reducer(comp)`, or `comp` itself when
    `reducer` is None (a list comprehension: the list of the matching values)."""

    fn: cst.FunctionDef
    key: str
    index: int
    expr: cst.BaseExpression
    reducer: str | None
    comp: cst.GeneratorExp | cst.ListComp
    conditions: tuple[cst.BaseExpression, ...]
    """Every `if` of the comprehension split at `and`, in the order they run."""
    at: int
    """Which condition compares an item's key with the key."""
    key_of: cst.BaseExpression
    rescan_only: bool = False
    """E reads a local bound before it: only a pass gathering the items can serve it, each
    call then running the comprehension in full on its key's items (`rescanned_copy`)."""


def find_reduce(scope: Scope, fn: cst.FunctionDef, key: str) -> Reduce | None:
    """The filtering comprehension of `fn` for the items whose key equals the parameter `key`,
    when the precondition holds: a statement of the body is `return E` or `name = E`, with E
    a list comprehension or one of the builtin reducers above called on one comprehension;
    the comprehension has one `for` and reads `key` only in one condition `<expr> == key` (or
    `key == <expr>`) of its `and`-ed `if`s, where `<expr>` reads the item; nothing in E binds
    a name with `:=`; `key` is never rebound; `scope` finds the comprehension pure. When E
    reads a local bound before it, the scan is `rescan_only`, and serves only where the
    collection and the conditions up to the key's read no local (`rescans`)."""
    body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
    if key in bound_names(fn):
        return None
    for i, stmt in enumerate(body):
        expr = _value(stmt)
        found = _reduction(scope, expr) if expr is not None else None
        if found is None or expr is None:
            continue
        reducer, comp = found
        local = set().union(*(bound_names(s) for s in body[:i])) if i else set()
        if any(isinstance(n, cst.NamedExpr) for n in walk(expr)):
            return None
        split = _split(comp, key)
        if split is None or not scope.pure(comp):
            return None
        conditions, at, key_of = split
        scan = Reduce(fn, key, i, expr, reducer, comp, conditions, at, key_of)
        if names_in(expr) & local:
            scan = replace(scan, rescan_only=True)
            return scan if rescans(scan, ()) else None
        return scan
    return None


def _value(stmt: cst.BaseStatement) -> cst.BaseExpression | None:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Return):
        return small.value
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.value if isinstance(small.targets[0].target, cst.Name) else None
    return None


def _reduction(
    scope: Scope, expr: cst.BaseExpression
) -> tuple[str | None, cst.GeneratorExp | cst.ListComp] | None:
    if isinstance(expr, cst.ListComp):
        return None, expr
    if not isinstance(expr, cst.Call) or len(expr.args) != 1:
        return None
    arg = expr.args[0]
    name = scope.builtin(expr.func)
    if arg.keyword is not None or arg.star or name not in SAFE | NONEMPTY:
        return None
    if not isinstance(arg.value, cst.GeneratorExp | cst.ListComp):
        return None
    return name, arg.value


def _split(
    comp: cst.GeneratorExp | cst.ListComp, key: str
) -> tuple[tuple[cst.BaseExpression, ...], int, cst.BaseExpression] | None:
    loop = comp.for_in
    if loop.inner_for_in is not None or loop.asynchronous is not None:
        return None
    targets = names_in(loop.target)
    if key in targets or key in names_in(loop.iter) or key in names_in(comp.elt):
        return None
    conditions: list[cst.BaseExpression] = []
    for clause in loop.ifs:
        conditions.extend(conjuncts(clause.test))
    matches = []
    for i, cond in enumerate(conditions):
        if key not in names_in(cond):
            continue
        key_of = compared_to(cond, key)
        if key_of is None or key in names_in(key_of) or not names_in(key_of) & targets:
            return None
        matches.append((i, key_of))
    if len(matches) != 1:
        return None
    at, key_of = matches[0]
    return tuple(conditions), at, key_of


# --- the copies -------------------------------------------------------------------------------

GROUPS_PASS = '''
def {name}():
    """Each key's values in the scan's order; None if a key is not exactly a str or int."""
    {groups} = {{}}
    try:
        for _ in ():
            pass
    except Exception:
        return None
    return {groups}
'''
GROUP_ADD = """
if {item} in {groups}:
    {groups}[{item}].append({value})
else:
    {groups}[{item}] = [{value}]
"""


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def groups_copy(found: Reduce, name: str, names: dict[str, str]) -> cst.FunctionDef:
    """`name(<the parameters but the key>)`: every key's matching values, as the scan meets
    them; each condition runs where it ran in the scan, for the items it ran on. A key that is
    not exactly a str or an int (a dict finds the same keys as `==` only for those), or a pass
    that raises, gives None, and every call then scans as before (raising where it did)."""
    groups, item = names["groups"], names["item"]
    add = GROUP_ADD.format(item=item, groups=groups, value=_code(bare(found.comp.elt)))
    lines = pass_step(found.conditions, found.at, found.key_of, item, add)
    loop = cst.For(
        target=found.comp.for_in.target.with_changes(lpar=[], rpar=[]),
        iter=bare(found.comp.for_in.iter),
        body=cst.IndentedBlock(lines),
    )
    fn = cst.ensure_type(
        cst.parse_module(GROUPS_PASS.format(name=name, groups=groups)).body[0], cst.FunctionDef
    )
    return pass_function(fn, loop, found.fn, found.key)


def reduced_copy(found: Reduce, name: str, groups: str, method: bool) -> cst.FunctionDef:
    """`name(groups, <the parameters>)`: the function, reducing its key's list from `groups`
    when that is a pass's result and the key exactly a str or an int, else scanning."""
    key, reducer = found.key, found.reducer or "list"
    exact = f"(type({key}) is str or type({key}) is int)"
    if reducer in NONEMPTY:
        served = f"{groups} is not None and {exact} and {key} in {groups}"
        answer = f"{reducer}({groups}[{key}])"
    else:
        served = f"{groups} is not None and {exact}"
        answer = f"{reducer}({groups}.get({key}, ()))"
    stmt = cst.ensure_type(found.fn.body.body[found.index], cst.SimpleStatementLine)
    swap = _Swap(found.expr, cst.parse_expression(answer))
    served_stmt = cst.ensure_type(stmt.visit(swap), cst.SimpleStatementLine)
    test = cst.ensure_type(
        cst.parse_statement(f"if {served}:\n    pass\nelse:\n    pass\n"), cst.If
    )
    choice = test.with_changes(
        body=test.body.with_changes(body=[served_stmt.with_changes(leading_lines=[])]),
        orelse=cst.Else(body=cst.IndentedBlock([stmt.with_changes(leading_lines=[])])),
        leading_lines=stmt.leading_lines,
    )
    body = list(cst.ensure_type(found.fn.body, cst.IndentedBlock).body)
    body[found.index] = choice
    params = list(found.fn.params.params)
    params.insert(1 if method else 0, cst.Param(cst.Name(groups)))
    return found.fn.with_changes(
        name=cst.Name(name),
        params=found.fn.params.with_changes(params=params),
        body=found.fn.body.with_changes(body=body),
    )


def rescans(found: Reduce, also: Collection[str]) -> bool:
    """The comprehension can loop over its key's items alone while other parameters
    (`also`) vary per call: its target is a name, and what the pass runs (the collection, the
    conditions up to the key's) reads none of `also` and no local of the function."""
    target = found.comp.for_in.target
    if not isinstance(target, cst.Name):
        return False
    local = set(bound_names(found.fn)) - {target.value}
    read = names_in(found.comp.for_in.iter)
    for c in found.conditions[: found.at + 1]:
        read |= names_in(c)
    return not read & (local | set(also))


def rescan_pass(
    found: Reduce, name: str, names: dict[str, str], also: Collection[str]
) -> cst.FunctionDef:
    """`name(<the parameters but the key and `also`>)`: every key's items, as
    `groupfilter.filter_groups_copy` gathers them for a loop."""
    target = cst.ensure_type(found.comp.for_in.target, cst.Name).value
    conditions = found.conditions[: found.at + 1]
    iterable = found.comp.for_in.iter
    return items_pass(
        found.fn, found.key, target, iterable, conditions, found.key_of, name, names, also
    )


def rescanned_copy(found: Reduce, name: str, groups: str, method: bool) -> cst.FunctionDef:
    """`name(groups, <the parameters>)`: the function, its comprehension looping over its
    key's items from `groups` when that is a pass's result and the key exactly a str or an
    int, else over the whole collection; every condition runs as before, on those items."""
    key, iterable = found.key, found.comp.for_in.iter
    exact = f"(type({key}) is str or type({key}) is int)"
    chosen = f"({groups}.get({key}, ()) if {groups} is not None and {exact} else {_code(bare(iterable))})"
    fn = cst.ensure_type(
        found.fn.visit(_Swap(iterable, cst.parse_expression(chosen))), cst.FunctionDef
    )
    params = list(fn.params.params)
    params.insert(1 if method else 0, cst.Param(cst.Name(groups)))
    return fn.with_changes(name=cst.Name(name), params=fn.params.with_changes(params=params))


def items_pass(
    fn: cst.FunctionDef,
    key: str,
    target: str,
    iterable: cst.BaseExpression,
    conditions: tuple[cst.BaseExpression, ...],
    key_of: cst.BaseExpression,
    name: str,
    names: dict[str, str],
    also: Collection[str],
) -> cst.FunctionDef:
    """A pass gathering every key's items (`groupfilter.filter_groups_copy`) for a scan of `iterable` by `target` whose test
    ends (`conditions`) with the key's comparison, of `key_of`."""
    groups, item = names["groups"], names["item"]
    add = GROUP_ADD.format(item=item, groups=groups, value=target)
    lines = pass_step(conditions, len(conditions) - 1, key_of, item, add)
    loop = cst.For(target=cst.Name(target), iter=bare(iterable), body=cst.IndentedBlock(lines))
    template = cst.ensure_type(
        cst.parse_module(GROUPS_PASS.format(name=name, groups=groups)).body[0], cst.FunctionDef
    )
    return pass_function(template, loop, fn, key, also)


class _Swap(cst.CSTTransformer):
    def __init__(self, target: cst.CSTNode, new: cst.BaseExpression) -> None:
        super().__init__()
        self.target, self.new = target, new

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        return self.new if original_node is self.target else updated_node
