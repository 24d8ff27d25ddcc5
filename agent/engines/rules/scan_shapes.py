"""The shapes of a lookup helper `join-index-call` can hand a subset of its records: a
scan of one parameter for the records whose key equals a probe, as a loop or as a
comprehension, with statements around it that neither read the records nor change
anything (so they run the same whichever records the scan is given)."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.forwarding import straight
from agent.engines.rules.guarded_joins import _probe, _record_key
from agent.engines.rules.joins import _split
from agent.engines.rules.syntax import bound_names, name_nodes, names_in, skips, walk
from agent.engines.rules.unpacking import unpacked_key, unpacked_names

Quiet = Callable[[cst.CSTNode], bool]
"""Whether a statement of the helper changes nothing (its `Scope.pure`)."""


def scan_of(
    fn: cst.FunctionDef, params: set[str], quiet: Quiet = lambda _stmt: False
) -> tuple[str, str, cst.BaseExpression] | None:
    """(scanned parameter, key as a lambda body over `record`, probe) of a callee whose body
    (after a docstring) is: statements that bind fresh locals or are `quiet`, then the scan,
    then any statements. The scan is `for r in p: if r.key == q: ...` (or with `if r.key !=
    q: continue` before the rest of its body), which no later statement reads `r` after;
    or `next((... for r in p if r.key == q), default)` or `[... for r in p if r.key == q]`,
    returned or bound to a local. The record may be unpacked (`for a, b in p if a == q`).
    `p` is mentioned nowhere else, and no parameter is rebound."""
    body = list(fn.body.body) if isinstance(fn.body, cst.IndentedBlock) else []
    if body and is_docstring(body[0]):
        body = body[1:]
    if not straight(fn):
        return None
    at = next((i for i, s in enumerate(body) if _scan_statement(s)), None)
    if at is None or not all(_fresh_local(s, params) or quiet(s) for s in body[:at]):
        return None  # what runs before the scan runs alike for any records, and the probe
    stmt = body[at]  # the caller read just before the call is still the one compared
    if isinstance(stmt, cst.For):
        found = _loop_scan(fn, stmt)
    else:
        small = stmt.body[0]  # type: ignore[attr-defined]
        found = _next_scan(small.value) or _list_scan(small.value)
    if found is None or params & set(bound_names(fn.body)):
        return None  # the probe stays put
    param, item, key, probe = found
    if param not in params or not names_in(probe) <= params - {param}:
        return None
    if params & set(item.split(",")):
        return None
    if [n.value for n in name_nodes(fn.body)].count(param) != 1:
        return None  # the callee only iterates the records
    if "," in item:  # unpacked as the scan does: a record of another length raises there
        return param, unpacked_key(item.split(","), code(key)), probe
    return param, "record" + code(key)[len(item) :], probe


def _scan_statement(stmt: cst.CSTNode) -> bool:
    """A `for` statement, or a line that returns a comprehension or `next(...)` or binds one
    to a plain name."""
    if isinstance(stmt, cst.For):
        return True
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if isinstance(small, cst.Assign):
        if len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
            return False
    elif not isinstance(small, cst.Return):
        return False
    return isinstance(small.value, cst.ListComp | cst.Call)


def _next_scan(
    call: cst.BaseExpression | None,
) -> tuple[str, str, cst.BaseExpression, cst.BaseExpression] | None:
    """`next((e for r in p if r.key == q), default)`: (p, r, key, probe)."""
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name):
        return None
    if call.func.value != "next" or not 1 <= len(call.args) <= 2:
        return None
    if any(a.keyword is not None or a.star for a in call.args):
        return None
    gen = call.args[0].value
    return _clause_scan(gen) if isinstance(gen, cst.GeneratorExp) else None


def _list_scan(
    comp: cst.BaseExpression | None,
) -> tuple[str, str, cst.BaseExpression, cst.BaseExpression] | None:
    """`[e for r in p if r.key == q]` (see `_clause_scan`)."""
    return _clause_scan(comp) if isinstance(comp, cst.ListComp) else None


def _clause_scan(
    comp: cst.ListComp | cst.GeneratorExp,
) -> tuple[str, str, cst.BaseExpression, cst.BaseExpression] | None:
    """(p, r, key, probe) of a comprehension whose one clause is `for r in p if r.key == q`,
    or with the record unpacked into plain names (`for a, b, c in p if b == q`: r is then
    "a,b,c")."""
    clause = comp.for_in
    if clause.inner_for_in is not None or clause.asynchronous is not None:
        return None
    if len(clause.ifs) != 1 or not isinstance(clause.iter, cst.Name):
        return None
    if isinstance(clause.target, cst.Name):
        sides = _compared(clause.ifs[0].test, clause.target.value)
        return None if sides is None else (clause.iter.value, clause.target.value, *sides)
    names = unpacked_names(clause.target)
    sides = _comparedunpacked_names(clause.ifs[0].test, names) if names else None
    return None if sides is None else (clause.iter.value, ",".join(names), *sides)


def _comparedunpacked_names(
    test: cst.BaseExpression, names: list[str], negated: bool = False
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(key, probe) of `a == q` (or `a == q and rest`; `negated`, as `_compared`) where `a`
    is one of the unpacked names and `q` mentions none of them."""

    def is_key(e: cst.BaseExpression) -> bool:
        return isinstance(e, cst.Name) and e.value in names

    sides = _equality(test, is_key, negated)
    if sides is None or names_in(sides[1]) & set(names):
        return None
    return sides


def _loop_scan(
    fn: cst.FunctionDef, loop: cst.For
) -> tuple[str, str, cst.BaseExpression, cst.BaseExpression] | None:
    """`for r in p: if r.key == q: ...` (or the record unpacked, `for a, b in p: if a == q:
    ...`; or `if r.key != q: continue` before the rest), no `r` outside: (p, r, key, probe)."""
    if loop.orelse is not None or loop.asynchronous is not None:
        return None
    names = (
        [loop.target.value] if isinstance(loop.target, cst.Name) else unpacked_names(loop.target)
    )
    if not names or not isinstance(loop.iter, cst.Name):
        return None
    inner = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    if not inner or not isinstance(inner[0], cst.If) or inner[0].orelse is not None:
        return None
    guard = len(inner) > 1  # `if r.key != q: continue` before the rest of the body
    if guard and not skips(inner[0]):
        return None
    if isinstance(loop.target, cst.Name):
        sides = _compared(inner[0].test, names[0], guard)
    else:
        sides = _comparedunpacked_names(inner[0].test, names, guard)
    if sides is None or set(names) & _names_outside(loop, fn):
        return None  # `r` after the loop would be the last record read
    return loop.iter.value, ",".join(names), sides[0], sides[1]


def _fresh_local(stmt: cst.CSTNode, params: set[str]) -> bool:
    """`name = literal` (a number, string, `None`, or an empty list, dict or tuple): it
    neither reads nor changes anything the caller or the probe could see."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    assign = stmt.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return False
    target, value = assign.targets[0].target, assign.value
    if not isinstance(target, cst.Name) or target.value in params:
        return False
    if isinstance(value, cst.List | cst.Dict | cst.Tuple):
        return not value.elements
    if isinstance(value, cst.Name):
        return value.value in ("None", "True", "False")
    return isinstance(value, cst.Integer | cst.Float | cst.SimpleString)


def _compared(
    test: cst.BaseExpression, item: str, negated: bool = False
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(key, probe) of `r.key == q`, or of `r.key == q and rest` (the rest is then tested
    only for the records whose key matched, with or without the index); `negated`, of a
    `continue` guard `r.key != q` or `r.key != q or rest`, which lets the same records on."""
    sides = _equality(test, lambda e: _record_key(e, item), negated)
    if sides is None or item in names_in(sides[1]):
        return None
    return sides


def _equality(
    test: cst.BaseExpression, is_key: Callable[[cst.BaseExpression], bool], negated: bool = False
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(key, probe) of `key == probe` (either way round, alone or first in an `and`), the
    key as `is_key` says and the probe a plain read (`_probe`); `negated`: of `key != probe`,
    alone or first in an `or`."""
    split = _split(test, negated)
    if split is None:
        return None
    test = split[0]
    if test.lpar or len(test.comparisons) != 1:
        return None
    if not isinstance(test.comparisons[0].operator, cst.NotEqual if negated else cst.Equal):
        return None
    key, probe = test.left, test.comparisons[0].comparator
    if not is_key(key):
        key, probe = probe, key
    if not is_key(key) or not _probe(probe):
        return None
    return key, probe


def _names_outside(loop: cst.For, fn: cst.FunctionDef) -> set[str]:
    """Names the callee mentions outside `loop` (its tail)."""
    inside = {id(n) for n in walk(loop, into_scopes=True)}
    return {
        n.value
        for n in walk(fn.body, into_scopes=True)
        if isinstance(n, cst.Name) and id(n) not in inside
    }
