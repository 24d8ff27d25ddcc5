"""The callee side of `group-by-call`: a function that scans a collection for the items of one
key and adds up a value of them (`total = 0` ... `if p.account == code: total += p.amount`),
and the two copies the rewrite adds beside it: one pass building every key's total, and the
function reading its total from that pass."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.effects import Scope
from agent.engines.rules.places import single_binding
from agent.engines.rules.syntax import bound_names, names_in, skips, walk

_NUMBER_TYPES = frozenset(
    {"decimal.Decimal", "fractions.Fraction", "builtins.int", "builtins.float"}
)


@dataclass(frozen=True)
class Scan:
    """`acc = init` then `loop`, whose innermost `match` is `if <key_of> == <key>: acc += v`."""

    fn: cst.FunctionDef
    key: str
    """The parameter holding the key the scan looks for."""
    acc: str
    init: cst.BaseExpression
    index: int
    """Where `acc = init` is among the function's statements (the loop follows it)."""
    loop: cst.For
    match: cst.If
    key_of: cst.BaseExpression
    value: cst.BaseExpression
    conditions: tuple[cst.BaseExpression, ...] = ()
    """The test of `match` split at `and`, when it has more than the key's comparison."""
    at: int = 0
    """Which of `conditions` compares the key."""


def find_scan(scope: Scope, fn: cst.FunctionDef, key: str) -> Scan | None:
    """The scan of `fn` for the items whose key equals the parameter `key`, when the
    precondition holds: `acc = <number literal or Decimal/Fraction/int/float of literals>`
    followed by a `for` nest holding only `if <cond>: continue` filters and, innermost,
    `if <expr> == key: acc += <value>`; no part but that comparison reads `key` or `acc`; the
    scan reads no local bound before it; `key` is never rebound; `scope` finds it pure."""
    body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
    if key in bound_names(fn):
        return None
    for i, stmt in enumerate(body[:-1]):
        bound = single_binding(stmt)
        loop = body[i + 1]
        if bound is None or not isinstance(bound[0], cst.Name) or not isinstance(loop, cst.For):
            continue
        acc, init = bound[0].value, bound[1]
        if not _number(scope, init):
            continue
        found = _innermost(loop, key, acc)
        if found is None or not scope.pure(loop):
            continue
        match, key_of, value, conditions, at = found
        local = set().union(*(bound_names(s) for s in body[:i])) if i else set()
        targets = {
            n for node in walk(loop) if isinstance(node, cst.For) for n in names_in(node.target)
        }
        if names_in(loop) & local - targets:
            continue
        return Scan(fn, key, acc, init, i, loop, match, key_of, value, conditions, at)
    return None


def _number(scope: Scope, init: cst.BaseExpression) -> bool:
    if isinstance(init, cst.Integer | cst.Float):
        return True
    if isinstance(init, cst.UnaryOperation) and isinstance(
        init.expression, cst.Integer | cst.Float
    ):
        return True
    if not isinstance(init, cst.Call) or scope.dotted(init.func) not in _NUMBER_TYPES:
        return False
    return all(
        isinstance(a.value, cst.Integer | cst.Float | cst.SimpleString) and not a.keyword
        for a in init.args
    )


def _innermost(
    loop: cst.For, key: str, acc: str
) -> (
    tuple[cst.If, cst.BaseExpression, cst.BaseExpression, tuple[cst.BaseExpression, ...], int]
    | None
):
    """The `if <expr> == key: acc += value` at the bottom of the loop nest."""
    if loop.orelse is not None or loop.asynchronous is not None:
        return None
    if {key, acc} & (names_in(loop.iter) | names_in(loop.target)):
        return None
    stmts = list(loop.body.body) if isinstance(loop.body, cst.IndentedBlock) else []
    if not stmts:
        return None
    *filters, last = stmts
    if not all(continue_filter(s, {key, acc}) for s in filters):
        return None
    if isinstance(last, cst.For):
        return _innermost(last, key, acc)
    if not isinstance(last, cst.If) or last.orelse is not None:
        return None
    parts = conjuncts(last.test)
    keyed = [i for i, p in enumerate(parts) if {key, acc} & names_in(p)]
    if len(keyed) != 1:
        return None
    at = keyed[0]
    key_of = compared_to(parts[at], key)
    conditions = tuple(parts) if len(parts) > 1 else ()
    lines = last.body.body if isinstance(last.body, cst.IndentedBlock) else ()
    if key_of is None or len(lines) != 1 or not isinstance(lines[0], cst.SimpleStatementLine):
        return None
    small = lines[0].body
    if len(small) != 1 or not isinstance(small[0], cst.AugAssign):
        return None
    aug = small[0]
    target = aug.target
    if not isinstance(aug.operator, cst.AddAssign) or not isinstance(target, cst.Name):
        return None
    if target.value != acc or {key, acc} & (names_in(aug.value) | names_in(key_of)):
        return None
    return last, key_of, aug.value, conditions, at


def continue_filter(stmt: cst.CSTNode, unread: set[str]) -> bool:
    """`if <cond>: continue` whose condition reads none of `unread`."""
    return skips(stmt) and not unread & names_in(stmt.test)  # type: ignore[attr-defined]


def conjuncts(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """`test` split at its top-level `and`s, in the order they run."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return [test] if test.lpar else [*conjuncts(test.left), *conjuncts(test.right)]
    return [test]


def bare(node: cst.BaseExpression) -> cst.BaseExpression:
    """`node` without the parentheses around it (it is put where none are needed)."""
    return node.with_changes(lpar=[], rpar=[]) if hasattr(node, "lpar") else node


def skip_unless(conditions: tuple[cst.BaseExpression, ...]) -> list[cst.BaseStatement]:
    """`if not (<c>): continue` for each condition, in order (`if <c>: continue` for `not c`)."""
    text = ""
    for c in conditions:
        negated = isinstance(c, cst.UnaryOperation) and isinstance(c.operator, cst.Not)
        test = _code(bare(c.expression)) if negated else f"not ({_code(bare(c))})"  # type: ignore[attr-defined]
        text += f"if {test}:\n    continue\n"
    return list(cst.parse_module(text).body)


def pass_step(
    conditions: tuple[cst.BaseExpression, ...],
    at: int,
    key_of: cst.BaseExpression,
    item: str,
    then: str,
) -> list[cst.BaseStatement]:
    """A pass's step for one item: `item = <key_of>`, None unless it is exactly a str or an
    int, then `then`; the test's other parts (`conditions` but the key's, at `at`) run where
    they ran in it, on the items they ran on."""
    key = cst.parse_module(_KEY.format(item=item, key_of=_code(bare(key_of)))).body
    return [
        *skip_unless(conditions[:at]),
        *key,
        *skip_unless(conditions[at + 1 :]),
        *cst.parse_module(then).body,
    ]


def pass_function(
    template: cst.FunctionDef,
    loop: cst.For,
    scan_fn: cst.FunctionDef,
    key: str,
    also: Collection[str] = (),
) -> cst.FunctionDef:
    """`template` (a pass: `try: ...` then its result) running `loop` in its `try`, with the
    parameters of `scan_fn` but `key` (and `also`: the others that vary per call). The pass reads the collection only when it is a
    builtin container, which reads the same every time: an iterator would be consumed by
    the pass, where the original's first scan consumes it and every later scan finds it
    empty, and other iterables may read differently each time."""
    taken = names_in(loop) | {p.name.value for p in scan_fn.params.params}
    seq = "_seq"
    while seq in taken:
        seq += "_"
    guard = cst.parse_module(_READS_SAME.format(seq=seq, iter=_code(bare(loop.iter)))).body
    loop = loop.with_changes(iter=cst.Name(seq))
    body = list(cst.ensure_type(template.body, cst.IndentedBlock).body)
    at = next(i for i, s in enumerate(body) if isinstance(s, cst.Try))
    trying = cst.ensure_type(body[at], cst.Try)
    body[at] = trying.with_changes(body=trying.body.with_changes(body=[*guard, loop]))
    return template.with_changes(
        params=plain_params(scan_fn, {key, *also}), body=template.body.with_changes(body=body)
    )


_READS_SAME = """
{seq} = {iter}
if type({seq}) not in (list, tuple, dict, set, frozenset, str, range):
    if type({seq}) not in (type({{}}.keys()), type({{}}.values()), type({{}}.items())):
        return None
"""


def plain_params(fn: cst.FunctionDef, drop: Collection[str]) -> cst.Parameters:
    """`fn`'s parameters without those named in `drop`."""
    params = [p for p in fn.params.params if p.name.value not in drop]
    if params:
        params[-1] = params[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return fn.params.with_changes(params=params)


def compared_to(test: cst.BaseExpression, key: str) -> cst.BaseExpression | None:
    """`expr` of `expr == key` or `key == expr`, alone or after `key is None or`: an optional
    filter. Only keys that are exactly a str or an int are served, and for those `key is None`
    is False, so the test is the comparison; None runs the scan as before."""
    if (
        isinstance(test, cst.BooleanOperation)
        and isinstance(test.operator, cst.Or)
        and _is_none(test.left, key)
    ):
        test = test.right
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return None
    left, right = test.left, comp.comparator
    if isinstance(right, cst.Name) and right.value == key:
        return left
    if isinstance(left, cst.Name) and left.value == key:
        return right
    return None


def _is_none(test: cst.BaseExpression, key: str) -> bool:
    """`key is None`."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    return (
        isinstance(comp.operator, cst.Is)
        and isinstance(test.left, cst.Name)
        and test.left.value == key
        and isinstance(comp.comparator, cst.Name)
        and comp.comparator.value == "None"
    )


# --- the copies -------------------------------------------------------------------------------

_GROUPED = '''
def {name}():
    """Every key's total in one pass, or None when a key is not exactly a str or an int (a
    dict lookup finds the same keys as `==` only for those) or the pass raises (the original
    scan then runs, and raises where it did)."""
    {groups} = {{}}
    try:
        pass
    except Exception:
        return None
    {kinds} = (int, float, complex, type({init}))
    for {acc} in {groups}.values():
        if type({acc}) not in {kinds}:
            return None
    return {groups}
'''
_KEY = """
{item} = {key_of}
if type({item}) is not str and type({item}) is not int:
    return None
"""
_STEP = """
{acc} = {groups}[{item}] if {item} in {groups} else {init}
{acc} += {value}
{groups}[{item}] = {acc}
"""
_LOOKUP = """
if {groups} is not None and (type({key}) is str or type({key}) is int):
    {acc} = {groups}[{key}] if {key} in {groups} else {init}
else:
    pass
"""
HELPER_NAMES = (
    "type",
    "str",
    "int",
    "float",
    "complex",
    "Exception",
    "list",
    "tuple",
    "dict",
    "set",
    "frozenset",
    "range",
)


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def grouped_copy(scan: Scan, name: str, names: dict[str, str]) -> cst.FunctionDef:
    """`name(<the parameters but the key>)`: every key's total, as the scan adds it up."""
    init = _code(scan.init)
    text = _GROUPED.format(name=name, init=init, acc=scan.acc, **names)
    fn = cst.ensure_type(cst.parse_module(text).body[0], cst.FunctionDef)
    step = _STEP.format(value=_code(scan.value), init=init, acc=scan.acc, **names)
    lines = pass_step(scan.conditions, scan.at, scan.key_of, names["item"], step)
    loop = cst.ensure_type(scan.loop.visit(SwapIf(scan.match, lines)), cst.For)
    return pass_function(fn, loop, scan.fn, scan.key).with_changes(leading_lines=[cst.EmptyLine()])


def lookup_copy(scan: Scan, name: str, groups: str, method: bool) -> cst.FunctionDef:
    """`name(groups, <the parameters>)`: the function, its total read from `groups` when that
    is a grouped pass's result and the key exactly a str or an int."""
    text = _LOOKUP.format(groups=groups, key=scan.key, acc=scan.acc, init=_code(scan.init))
    test = cst.ensure_type(cst.parse_module(text).body[0], cst.If)
    orelse = cst.ensure_type(test.orelse, cst.Else)
    init_line = scan.fn.body.body[scan.index]
    test = test.with_changes(
        orelse=orelse.with_changes(body=orelse.body.with_changes(body=[init_line, scan.loop]))
    )
    body = list(scan.fn.body.body)
    body[scan.index : scan.index + 2] = [test]
    params = list(scan.fn.params.params)
    at = 1 if method else 0
    params.insert(at, cst.Param(cst.Name(groups)))
    return scan.fn.with_changes(
        name=cst.Name(name),
        params=scan.fn.params.with_changes(params=params),
        body=scan.fn.body.with_changes(body=body),
        leading_lines=[cst.EmptyLine()],
    )


class SwapIf(cst.CSTTransformer):
    """Replaces one `if` statement (the very node `target`) with `lines`."""

    def __init__(self, target: cst.CSTNode, lines: list[cst.BaseStatement]) -> None:
        super().__init__()
        self.target, self.lines = target, lines

    def leave_If(
        self, original_node: cst.If, updated_node: cst.If
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if original_node is self.target:
            return cst.FlattenSentinel(self.lines)
        return updated_node
