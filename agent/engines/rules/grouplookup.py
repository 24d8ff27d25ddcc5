"""The callee side of `group-by-call` for a lookup: a function returning the first item of a
collection whose key equals a value it is given (`for c in customers: if c.ident == wanted:
return c`, then `raise` or a default), and the two copies the rewrite adds beside it: one pass
indexing every key's first item, and the function answering from that index."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.effects import Scope
from agent.engines.rules.groupscan import (
    SwapIf,
    conjuncts,
    continue_filter,
    pass_function,
    pass_step,
)
from agent.engines.rules.syntax import bound_names, names_in


@dataclass(frozen=True)
class Lookup:
    """`loop` at `index` of the body, whose innermost `match` is `if <key_of> == <wanted>:
    return <result>`."""

    fn: cst.FunctionDef
    index: int
    loop: cst.For
    match: cst.If
    key_of: cst.BaseExpression
    wanted: cst.BaseExpression
    result: cst.BaseExpression
    conditions: tuple[cst.BaseExpression, ...] = ()
    """The test of `match` split at `and`, when it has more than the key's comparison."""
    at: int = 0
    """Which of `conditions` compares the key."""


def find_lookup(scope: Scope, fn: cst.FunctionDef, key: str) -> Lookup | None:
    """The first-match scan of `fn`, when the precondition holds: a `for` nest of the body
    holding only `if <cond>: continue` filters and, innermost, `if <expr> == <wanted>: return
    <name or its attribute>`; `<wanted>` reads no loop variable, and nothing else in the
    scan reads `key` or a local bound before the loop; `scope` finds the function pure."""
    body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
    if key in bound_names(fn):
        return None
    for i, loop in enumerate(body):
        if not isinstance(loop, cst.For):
            continue
        local = {key} | set().union(*(bound_names(s) for s in body[:i]))
        found = _first_match(loop, local, set())
        if found is None or not scope.pure(loop):
            return None
        match, key_of, wanted, result, conditions, at = found
        return Lookup(fn, i, loop, match, key_of, wanted, result, conditions, at)
    return None


def _first_match(
    loop: cst.For, local: set[str], targets: set[str]
) -> (
    tuple[
        cst.If,
        cst.BaseExpression,
        cst.BaseExpression,
        cst.BaseExpression,
        tuple[cst.BaseExpression, ...],
        int,
    ]
    | None
):
    if loop.orelse is not None or loop.asynchronous is not None:
        return None
    targets = targets | names_in(loop.target)
    if local & (names_in(loop.iter) | names_in(loop.target)):
        return None
    stmts = list(loop.body.body) if isinstance(loop.body, cst.IndentedBlock) else []
    if not stmts:
        return None
    *filters, last = stmts
    if not all(continue_filter(s, local) for s in filters):
        return None
    if isinstance(last, cst.For):
        return _first_match(last, local, targets)
    if not isinstance(last, cst.If) or last.orelse is not None:
        return None
    split = _key_condition(last.test, local, targets)
    if split is None:
        return None
    conditions, at, sides = split
    lines = last.body.body if isinstance(last.body, cst.IndentedBlock) else ()
    if len(lines) != 1 or not isinstance(lines[0], cst.SimpleStatementLine):
        return None
    small = lines[0].body
    if len(small) != 1 or not isinstance(small[0], cst.Return) or small[0].value is None:
        return None
    result = small[0].value
    root = result
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name) or root.value not in targets:
        return None
    key_of, wanted = sides
    if local & names_in(key_of):
        return None
    return last, key_of, wanted, result, conditions, at


def _key_condition(
    test: cst.BaseExpression, local: set[str], targets: set[str]
) -> (
    tuple[tuple[cst.BaseExpression, ...], int, tuple[cst.BaseExpression, cst.BaseExpression]] | None
):
    """The test split at `and` (one part when it is a bare `a == b`), which part compares the
    key, and that comparison's sides: the one part whose wanted side reads a local (the key);
    the others read no local, so the pass can run them for every key."""
    parts = conjuncts(test)
    if len(parts) == 1:
        sides = _sides(test, targets)
        return None if sides is None else ((), 0, sides)
    keyed = [i for i, p in enumerate(parts) if names_in(p) & local]
    if len(keyed) != 1:
        return None
    sides = _sides(parts[keyed[0]], targets)
    if sides is None or not names_in(sides[1]) & local:
        return None
    return tuple(parts), keyed[0], sides


def _sides(
    test: cst.BaseExpression, targets: set[str]
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(item side, wanted side) of `a == b`: the wanted side reads no loop variable, the item
    side does."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return None
    left, right = test.left, comp.comparator
    if names_in(left) & targets and not names_in(right) & targets:
        return left, right
    if names_in(right) & targets and not names_in(left) & targets:
        return right, left
    return None


_INDEX = '''
def {name}():
    """Every key's first item in one pass, or None when a key is not exactly a str or an int
    (a dict lookup finds the same keys as `==` only for those) or the pass raises (the
    original scan then runs, and raises where it did)."""
    {index} = {{}}
    try:
        pass
    except Exception:
        return None
    return {index}
'''
_STEP = """
if {item} not in {index}:
    {index}[{item}] = {result}
"""
_ANSWER = """
if {index}:
    {wanted} = {expr}
    if (type({wanted}) is str or type({wanted}) is int) and {wanted} in {index}:
        return {index}[{wanted}]
"""


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def index_copy(found: Lookup, key: str, name: str, names: dict[str, str]) -> cst.FunctionDef:
    """`name(<the parameters but the key>)`: every key's first item, as the scan finds it."""
    text = _INDEX.format(name=name, index=names["groups"])
    fn = cst.ensure_type(cst.parse_module(text).body[0], cst.FunctionDef)
    step = _STEP.format(item=names["item"], index=names["groups"], result=_code(found.result))
    lines = pass_step(found.conditions, found.at, found.key_of, names["item"], step)
    loop = cst.ensure_type(found.loop.visit(SwapIf(found.match, lines)), cst.For)
    return pass_function(fn, loop, found.fn, key)


def answer_copy(found: Lookup, name: str, index: str, wanted: str, method: bool) -> cst.FunctionDef:
    """`name(index, <the parameters>)`: the function, answering from `index` first."""
    text = _ANSWER.format(index=index, wanted=wanted, expr=_code(found.wanted))
    answer = cst.parse_module(text).body[0]
    body = list(cst.ensure_type(found.fn.body, cst.IndentedBlock).body)
    body.insert(found.index, answer)
    params = list(found.fn.params.params)
    params.insert(1 if method else 0, cst.Param(cst.Name(index)))
    return found.fn.with_changes(
        name=cst.Name(name),
        params=found.fn.params.with_changes(params=params),
        body=found.fn.body.with_changes(body=body),
    )
