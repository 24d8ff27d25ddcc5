"""Summaries of repository functions: purity, which parameters stay untouched, what they
return (see `freshness.py` and `closedness.py` for the facts they rest on)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.closedness import reads_only_constants
from agent.engines.rules.freshness import (
    container_level,
    immutable_expr,
    local_bindings,
    loop_counters,
    read_back,
)
from agent.engines.rules.infer import comp_env
from agent.engines.rules.syntax import (
    code_of,
    name_nodes,
    names_in,
    parent_map,
    walk,
)
from agent.engines.rules.typeinfo import annotation_type, immutable

if TYPE_CHECKING:
    from agent.engines.rules.effects import Effects, Scope, Summary
    from agent.engines.rules.project import FunctionRef


_SAFE_DECORATORS = frozenset({"staticmethod", "property"})
_IMMUTABLE_LITERALS = cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString
_ORDER = {"immutable": 0, "fresh": 1, "unknown": 2}


def summarize(effects: Effects, ref: FunctionRef) -> Summary:
    from agent.engines.rules.effects import IMPURE, Summary
    from agent.engines.rules.guarded_caching import cache_decorator
    from agent.engines.rules.guarded_recursion import uncached

    fn = uncached(effects.project, ref.path, ref.fn) or ref.fn
    if fn.asynchronous is not None or any(
        code_of(d.decorator) not in _SAFE_DECORATORS
        and not cache_decorator(effects.project, ref.path, d.decorator)
        for d in fn.decorators
    ):
        return IMPURE
    scope = effects.scope(ref.path, fn, ref.cls)
    if not scope.pure(fn.body):
        return IMPURE
    params = [p.name.value for p in (*fn.params.posonly_params, *fn.params.params)]
    if isinstance(fn.params.star_arg, cst.Param) or fn.params.star_kwarg is not None:
        readonly: frozenset[int] = frozenset()
    else:
        readonly = frozenset(i for i, p in enumerate(params) if param_readonly(scope, p))
    returns, never_none = _returns(scope)
    if fn.returns is not None and immutable(annotation_type(fn.returns.annotation)):
        returns = "immutable"  # the annotation is a promise callers already rely on
    closed = ref.cls is None and reads_only_constants(scope)
    deep = returns == "fresh" and _returns_deep(scope)
    return Summary(True, closed, readonly, returns, never_none, deep)


# --- parameters -----------------------------------------------------------------------------

_CLIMB = (
    cst.Element,
    cst.Tuple,
    cst.List,
    cst.Set,
    cst.Dict,
    cst.DictElement,
    cst.StarredElement,
    cst.BooleanOperation,
    cst.Lambda,
)
_READS = (
    cst.Comparison,
    cst.ComparisonTarget,
    cst.UnaryOperation,
    cst.BinaryOperation,
    cst.If,
    cst.While,
    cst.Assert,
    cst.FormattedStringExpression,
    cst.Index,
    cst.SubscriptElement,
    cst.Slice,
    cst.Expr,
    cst.CompIf,
    cst.Raise,
)


def aliases(scope: Scope, seeds: set[str]) -> set[str]:
    """Locals that may hold (part of) what the `seeds` names hold."""
    names = set(seeds)
    counters = accumulators(scope)
    for _ in range(8):
        grown = set(names)
        for n in walk(scope.fn.body, into_scopes=True):
            if isinstance(n, cst.AugAssign) and names_in(n.target) <= counters:
                continue  # `total += x` makes a new number; `total` never holds `x` itself
            ints = loop_counters(scope, n) - _rebound_in_target(n)
            for name, value in local_bindings(n):
                source = value if value is not None else _bound_from(n)
                if name in ints:
                    continue  # an int from `range` or `enumerate`: no part of what it counts
                if source is not None and _may_alias(scope, source, names):
                    grown.add(name)
        if grown == names:
            break
        names = grown
    return names


def _rebound_in_target(n: cst.CSTNode) -> set[str]:
    """Names a `for` target binds twice (`for i, i in enumerate(xs)`: `i` ends as the item)."""
    if not isinstance(n, cst.For | cst.CompFor):
        return set()
    seen: list[str] = [m.value for m in walk(n.target) if isinstance(m, cst.Name)]
    return {name for name in seen if seen.count(name) > 1}


def accumulators(scope: Scope) -> set[str]:
    """Locals bound plainly only to immutable literals and otherwise only updated in place
    (`total = 0.0` ... `total += x`)."""
    plain: dict[str, bool] = {}
    for n in walk(scope.fn.body):
        if isinstance(n, cst.AugAssign):
            continue
        for name, value in local_bindings(n):
            ok = value is not None and isinstance(value, _IMMUTABLE_LITERALS)
            plain[name] = plain.get(name, True) and ok
    return {name for name, ok in plain.items() if ok and name not in scope.params}


def _bound_from(n: cst.CSTNode) -> cst.BaseExpression | None:
    if isinstance(n, cst.Assign | cst.AugAssign):
        return n.value
    if isinstance(n, cst.For | cst.CompFor):
        return n.iter
    if isinstance(n, cst.WithItem):
        return n.item
    return None


def _may_alias(scope: Scope, expr: cst.BaseExpression, names: set[str]) -> bool:
    if not names & names_in(expr):
        return False
    if isinstance(expr, cst.Call) and not names & names_in(expr.func):
        facts = scope.call(expr)
        if facts is not None and not facts.passes_through:
            mentioned = {i for i, a in enumerate(expr.args) if names & names_in(a.value)}
            if mentioned <= facts.readonly_args:
                return False  # the callee neither keeps nor returns them
    if isinstance(expr, cst.Comparison | cst.FormattedString):
        return False
    if isinstance(expr, cst.ListComp | cst.SetComp | cst.GeneratorExp):
        local = comp_env(expr, scope.env.names)
        return not immutable(scope.env.infer(expr.elt, local))
    return not immutable_expr(scope, expr)


def param_readonly(scope: Scope, param: str) -> bool:
    """The parameter and everything reached through it is neither changed nor kept."""
    names = aliases(scope, {param})
    parents = parent_map(scope.fn)
    for n in name_nodes(scope.fn.body):
        if n.value in names and not _use_ok(scope, n, parents):
            return False
    return True


def _use_ok(scope: Scope, n: cst.Name, parents: dict[int, cst.CSTNode]) -> bool:
    if _rebinding(n, parents):
        return True
    start: cst.CSTNode = n
    while True:
        cur, parent = _climb(scope, n, start, parents)
        if cur is None:
            return True
        if not isinstance(parent, cst.Arg):
            if parent is not None and _returns_receiver(scope, cur, parent):
                start = parent  # `p.first()` may hand back (part of) `p`: follow it
                continue
            return _final_use_ok(scope, n, cur, parent)
        call = parents.get(id(parent))
        if not isinstance(call, cst.Call):
            return False
        facts = scope.call(call)
        if facts is None or list(call.args).index(parent) not in facts.readonly_args:
            return False
        if not facts.passes_through or facts.returns == "immutable":
            return True
        start = call  # `sorted(p)` holds what `p` holds: follow where it goes


def _returns_receiver(scope: Scope, cur: cst.CSTNode, parent: cst.CSTNode) -> bool:
    """`cur.m(...)`, a call without effects on `cur` that may return (part of) it."""
    if not isinstance(parent, cst.Call) or parent.func is not cur:
        return False
    if not isinstance(cur, cst.Attribute):
        return False
    from agent.engines.rules.stdlib import MUTATING_METHODS

    if cur.attr.value in MUTATING_METHODS:
        return False
    facts = scope.call(parent)
    return facts is not None and facts.passes_through and facts.returns != "immutable"


def _climb(
    scope: Scope, n: cst.Name, cur: cst.CSTNode, parents: dict[int, cst.CSTNode]
) -> tuple[cst.CSTNode | None, cst.CSTNode | None]:
    """Up through expressions that still hold (part of) the value; (None, None) when an
    immutable value read from it is reached."""
    parent = parents.get(id(cur))
    while (
        (isinstance(parent, cst.Attribute | cst.Subscript) and parent.value is cur)
        or isinstance(parent, _CLIMB)
        or (isinstance(parent, cst.IfExp) and parent.test is not cur)
        or isinstance(parent, cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp)
    ):
        if cur is not n and isinstance(cur, cst.BaseExpression) and immutable_expr(scope, cur):
            return None, None  # an immutable value read from it cannot change it or leak it
        cur, parent = parent, parents.get(id(parent))
    return cur, parent


def _final_use_ok(scope: Scope, n: cst.Name, cur: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
    if isinstance(parent, cst.Assign):
        return all(_names_only(t.target) for t in parent.targets)
    if isinstance(parent, cst.AnnAssign | cst.NamedExpr):
        return _names_only(parent.target)
    if isinstance(parent, cst.WithItem):
        return True
    if isinstance(parent, cst.For | cst.CompFor):
        return parent.iter is cur or cur is n
    if isinstance(parent, cst.AssignTarget | cst.Del):
        return cur is n
    if isinstance(parent, cst.AugAssign):
        if parent.value is cur:
            return True
        return cur is n and (immutable(scope.env.get(n.value)) or n.value in accumulators(scope))
    if isinstance(parent, cst.Call):
        return _call_use_ok(scope, parent, cur, n)
    return isinstance(parent, _READS)


def _rebinding(n: cst.Name, parents: dict[int, cst.CSTNode]) -> bool:
    """`n` is (part of) a binding target: `n = ...`, `a, n = ...`, `for n in ...`."""
    cur: cst.CSTNode = n
    parent = parents.get(id(cur))
    while isinstance(parent, cst.Element | cst.Tuple | cst.List | cst.StarredElement):
        cur, parent = parent, parents.get(id(parent))
    if isinstance(parent, cst.AssignTarget | cst.Del):
        return True
    if isinstance(parent, cst.For | cst.CompFor):
        return parent.target is cur
    if isinstance(parent, cst.AnnAssign | cst.NamedExpr):
        return parent.target is cur and cur is n
    return isinstance(parent, cst.AsName)


def _names_only(target: cst.BaseExpression) -> bool:
    if isinstance(target, cst.Name):
        return True
    if isinstance(target, cst.Tuple | cst.List):
        return all(_names_only(e.value) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _names_only(target.value)
    return False


def _call_use_ok(scope: Scope, call: cst.Call, cur: cst.CSTNode, n: cst.Name) -> bool:
    if call.func is not cur:
        return False
    if not isinstance(cur, cst.Attribute):
        return False  # calling the parameter itself runs unknown code
    facts = scope.call(call)
    if facts is None:
        return False
    receiver = cur.value
    from agent.engines.rules.stdlib import MUTATING_METHODS

    if cur.attr.value in MUTATING_METHODS:
        return receiver is n and scope.fresh.get(n.value, 0) >= 1
    return True


# --- results --------------------------------------------------------------------------------


def _returns(scope: Scope) -> tuple[str, bool]:
    kinds: list[str] = []
    never_none = _ends_in_exit(_block(scope.fn.body))
    for n in walk(scope.fn.body):
        if not isinstance(n, cst.Return):
            continue
        if n.value is None or (isinstance(n.value, cst.Name) and n.value.value == "None"):
            never_none = False
            kinds.append("immutable")
            continue
        kind, not_none = _value_kind(scope, n.value)
        kinds.append(kind)
        never_none = never_none and not_none
    if not kinds:
        return "immutable", False
    return max(kinds, key=lambda k: _ORDER[k]), never_none


def _returns_deep(scope: Scope) -> bool:
    """Every value returned is a new container of new or immutable elements."""
    values = [n.value for n in walk(scope.fn.body) if isinstance(n, cst.Return)]
    return all(v is not None and container_level(scope, v) == 2 for v in values)


def _value_kind(scope: Scope, value: cst.BaseExpression) -> tuple[str, bool]:
    if immutable_expr(scope, value):
        literal_none = isinstance(value, cst.Name) and value.value == "None"
        return "immutable", not literal_none and not isinstance(value, cst.Name | cst.IfExp)
    if isinstance(value, cst.List | cst.Set | cst.Dict | cst.ListComp | cst.SetComp | cst.DictComp):
        return "fresh", True
    if isinstance(value, cst.Name) and scope.fresh.get(value.value, 0) >= 1:
        return "fresh", not read_back(scope, value.value)
    if isinstance(value, cst.Call):
        facts = scope.call(value)
        if facts is not None and facts.returns in _ORDER:
            return facts.returns, facts.never_none
    return "unknown", False


def _ends_in_exit(body: Sequence[cst.CSTNode]) -> bool:
    if not body:
        return False
    last = body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return isinstance(last.body[-1], cst.Return | cst.Raise)
    if isinstance(last, cst.If) and last.orelse is not None:
        other = last.orelse
        rest: Sequence[cst.CSTNode] = [other] if isinstance(other, cst.If) else _block(other.body)
        return _ends_in_exit(_block(last.body)) and _ends_in_exit(rest)
    return False


def _block(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else ()
