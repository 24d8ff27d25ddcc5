"""A memo scoped to one sort: a comparator (`functools.cmp_to_key`) that recomputes a pure
function of one element per comparison gets each value once per element and sort."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.effects import Scope, effects_of
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import SCOPES, bound_names, names_in, walk

_HELPER = '''

def {name}(
    memo, slot, at, fn, *args, _kept=frozenset({{int, float, str, bool, bytes, type(None)}})
):
    """`fn(*args)` for a pure `fn` while one sort runs (nothing changes what it reads), computed
    once per value of `args[at]` when that is exactly a str, int, bool or None (the entry holds
    the type: 1 == True would share one); results of a mutable type are not kept, and any other
    argument value just calls `fn`, as does a call given an iterator (`fn` consumes it, so each
    call reads something else)."""
    for arg in args:
        if hasattr(type(arg), "__next__"):
            return fn(*args)
    key = args[at] if at >= 0 else None
    kind = type(key)
    if kind is not str and kind is not int and kind is not bool and key is not None:
        return fn(*args)
    entry = (slot, kind, key)
    if entry in memo:
        return memo[entry]
    value = fn(*args)
    if type(value) in _kept or type(value) is tuple and all(type(x) in _kept for x in value):
        memo[entry] = value
    return value
'''
_SCALARS = ("int", "float", "str", "bool", "bytes")
_HELPER_NAMES = (*_SCALARS, "type", "frozenset", "tuple", "all", "hasattr")
_LITERALS = (cst.Integer, cst.Float, cst.SimpleString)
_COMPS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


@dataclass(frozen=True)
class Memoized:
    """A call in the comparator to memoize: its slot (calls spelled alike share one) and
    which argument varies per element (-1: none)."""

    call: cst.Call
    slot: int
    at: int


@dataclass(frozen=True)
class SortSite:
    lam: cst.Lambda
    call: cst.Call
    """The comparator function's call in the lambda."""
    compare: cst.FunctionDef
    memoized: tuple[Memoized, ...]


class SortMemo(Rule):
    """`sorted(xs, key=cmp_to_key(lambda a, b: compare(a, b, data)))` (or `xs.sort(...)`) whose
    comparator calls pure functions of one element and the sort's fixed arguments, e.g.
    `points(team, data)` ⇒ the comparator's copy looks those results up in a memo that lives
    only as long as one sort (`lambda a, b, memo={}: ...`), so each is computed once per
    element instead of once per comparison.

    Precondition: the comparator is a lambda of two plain parameters calling a module-level
    function of the same module (no decorators, plain parameters, literal defaults); every
    parameter it gets that is not derived from the lambda's parameters is a name (or its
    attribute) or a literal, so it is the very same object in every comparison, and the
    comparator never rebinds it; the repository-wide effect analysis finds the comparator pure
    (it may call lambdas it binds itself), so nothing changes during the sort; a memoized call
    is to a pure repository function that loops, with positional arguments that are these fixed
    parameters or literals but at most one. Values are kept only for exactly str, int, bool or
    None arguments and results of immutable types, checked at run time.
    """

    id = "sort-memo"
    title = "compute a comparator's per-element values once per sort"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if any(ctx.scope.builtin(cst.Name(n)) != n for n in _HELPER_NAMES):
            return []
        sites = []
        for node in walk(ctx.fn):
            lam = _comparator_lambda(ctx, node)
            if lam is None:
                continue
            found = _sort_site(ctx, lam)
            if found is not None:
                name = found.compare.name.value
                sites.append(ctx.site(node, f"the comparator `{name}`", extra=found))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        helper = fresh_name("_per_sort_memo", ctx.module_names)
        text = _HELPER.format(name=helper)
        stmt = cst.parse_module(text).body[0].with_changes(leading_lines=[cst.EmptyLine()] * 2)
        change.constants.append(stmt)
        copies: dict[int, tuple[cst.FunctionDef, str]] = {}
        for site in sites:
            found: SortSite = site.extra
            fn = found.compare
            if id(fn) not in copies:
                copies[id(fn)] = (fn, fresh_name(f"{fn.name.value}_per_sort", ctx.module_names))
            memo = fresh_name("sort_memo", ctx.module_names)
            new = copies[id(fn)][1]
            change.replace[id(found.call)] = lambda u, new=new, memo=memo: u.with_changes(
                func=cst.Name(new), args=[cst.Arg(cst.Name(memo)), *u.args]
            )
            tight = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
            param = cst.Param(cst.Name(memo), default=cst.Dict([]), equal=tight)
            change.replace[id(found.lam)] = lambda u, p=param: u.with_changes(
                params=u.params.with_changes(params=[*u.params.params, p])
            )
        for fn, new in copies.values():
            memoized = next(s.extra.memoized for s in sites if s.extra.compare is fn)
            copy = _memo_copy(fn, new, helper, memoized, ctx.module_names)
            change.replace[id(fn)] = lambda u, c=copy: cst.FlattenSentinel([u, c])
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(
            dict.fromkeys(f"`{code(m.call)}`" for s in sites for m in s.extra.memoized)
        )
        return (
            f"in the sort by {sites[0].detail}, compute {calls} once per element and sort "
            "(a memo that lives as long as the sort) instead of once per comparison: the "
            "comparator is pure and the other arguments are the same objects throughout"
        )


def _comparator_lambda(ctx: FunctionContext, node: cst.CSTNode) -> cst.Lambda | None:
    """The lambda of `key=cmp_to_key(lambda a, b: ...)` in a `sorted(...)` or `.sort(...)`."""
    if not isinstance(node, cst.Call):
        return None
    func = node.func
    is_sort = ctx.scope.builtin(func) == "sorted" or (
        isinstance(func, cst.Attribute)
        and func.attr.value == "sort"
        and not ctx.project.defines_method("sort")  # a list's sort, not one of the repository's
    )
    if not is_sort:
        return None
    for arg in node.args:
        if arg.keyword is None or arg.keyword.value != "key":
            continue
        key = arg.value
        if not isinstance(key, cst.Call) or ctx.scope.dotted(key.func) != "functools.cmp_to_key":
            return None
        if len(key.args) != 1 or key.args[0].keyword or key.args[0].star:
            return None
        lam = key.args[0].value
        ps = lam.params if isinstance(lam, cst.Lambda) else None
        if ps is None or len(ps.params) != 2 or any(p.default for p in ps.params):
            return None
        if ps.posonly_params or ps.kwonly_params or ps.star_kwarg is not None:
            return None
        if not isinstance(ps.star_arg, cst.MaybeSentinel):
            return None
        return lam  # type: ignore[return-value]
    return None


def _sort_site(ctx: FunctionContext, lam: cst.Lambda) -> SortSite | None:
    """The comparator call in `lam` with what it memoizes, when the precondition holds."""
    own = {p.name.value for p in lam.params.params}
    calls = [n for n in walk(lam.body, into_scopes=True) if isinstance(n, cst.Call)]
    if len(calls) != 1 or any(isinstance(n, (*SCOPES, cst.NamedExpr)) for n in walk(lam.body)):
        return None
    call = calls[0]
    target = ctx.project.resolve(ctx.path, call.func, None)
    if not isinstance(target, FunctionRef) or target.path != ctx.path or "." in target.qualname:
        return None
    if isinstance(call.func, cst.Name) and call.func.value in ctx.scope.locals:
        return None
    fn = _module_function(ctx, target.qualname)
    if fn is None:
        return None
    fixed = _fixed_params(fn, call, own)
    if fixed is None:
        return None
    scope = effects_of(ctx.project).scope(ctx.path, fn, None)
    if not _comparator_pure(scope, fn):
        return None
    memoized = _memoized_calls(ctx, scope, fn, fixed)
    if not memoized:
        return None
    return SortSite(lam, call, fn, tuple(memoized))


def _module_function(ctx: FunctionContext, name: str) -> cst.FunctionDef | None:
    """`name`'s module-level definition in `ctx.module`, when it is a plain function bound
    once: no decorators, not async, plain parameters with literal defaults."""
    if bound_names(ctx.module).get(name) != 1:
        return None
    for stmt in ctx.module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            ps = stmt.params
            if stmt.decorators or stmt.asynchronous is not None or ps.posonly_params:
                return None
            if (
                ps.kwonly_params
                or ps.star_kwarg is not None
                or not isinstance(ps.star_arg, cst.MaybeSentinel)
            ):
                return None
            if any(p.default is not None and not _literal(p.default) for p in ps.params):
                return None
            return stmt
    return None


def _literal(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, _LITERALS) or (
        isinstance(expr, cst.Name) and expr.value in ("None", "True", "False")
    )


def _fixed_params(fn: cst.FunctionDef, call: cst.Call, own: set[str]) -> set[str] | None:
    """The comparator's parameters that hold the same object in every comparison: passed a
    literal, or a name (or its attribute) other than the lambda's own, or left to a literal
    default; None when the call cannot be matched to the parameters."""
    names = [p.name.value for p in fn.params.params]
    given: dict[str, cst.BaseExpression] = {}
    for i, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None:
            if i >= len(names):
                return None
            given[names[i]] = arg.value
        elif arg.keyword.value in names and arg.keyword.value not in given:
            given[arg.keyword.value] = arg.value
        else:
            return None
    fixed = set()
    for p in fn.params.params:
        value = given.get(p.name.value)
        if value is None:
            if p.default is None:
                return None
            fixed.add(p.name.value)
        elif _same_object(value, own):
            fixed.add(p.name.value)
    return fixed


def _same_object(expr: cst.BaseExpression, own: set[str]) -> bool:
    if _literal(expr):
        return True
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name) and expr.value not in own


def _comparator_pure(scope: Scope, fn: cst.FunctionDef) -> bool:
    """No effects in `fn` beyond its fresh locals; calls of lambdas it binds itself (`for stat
    in (lambda t: ..., ...)`, `key = lambda t: ...`) count as pure: their bodies are walked."""
    lambdas = _lambda_locals(fn)
    for n in walk(fn.body, into_scopes=True):
        if isinstance(n, SCOPES) and not isinstance(n, cst.Lambda):
            return False
        if isinstance(n, cst.NamedExpr):
            return False
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value in lambdas:
            continue
        if scope.impure_node(n):
            return False
    return True


def _lambda_locals(fn: cst.FunctionDef) -> set[str]:
    """Locals of `fn` bound only to lambdas."""
    sites: dict[str, int] = {}
    for n in walk(fn.body):
        if isinstance(n, cst.For) and isinstance(n.target, cst.Name):
            elements = n.iter.elements if isinstance(n.iter, cst.Tuple | cst.List) else None
            if elements and all(isinstance(e.value, cst.Lambda) for e in elements):
                sites[n.target.value] = sites.get(n.target.value, 0) + 1
        elif (
            isinstance(n, cst.Assign)
            and isinstance(n.value, cst.Lambda)
            and len(n.targets) == 1
            and isinstance(n.targets[0].target, cst.Name)
        ):
            name = n.targets[0].target.value
            sites[name] = sites.get(name, 0) + 1
    params = {p.name.value for p in fn.params.params}
    bound = bound_names(fn)
    return {name for name, k in sites.items() if bound.get(name) == k and name not in params}


def _memoized_calls(
    ctx: FunctionContext, scope: Scope, fn: cst.FunctionDef, fixed: set[str]
) -> list[Memoized]:
    fixed = {name for name in fixed if name not in bound_names(fn)}
    slots: dict[tuple[str, ...], int] = {}
    out = []
    for n in walk(fn.body, into_scopes=True):
        if not isinstance(n, cst.Call) or not isinstance(n.func, cst.Name):
            continue
        if n.func.value in scope.locals or any(a.star or a.keyword for a in n.args):
            continue
        if bound_names(ctx.module).get(n.func.value) != 1:
            continue
        target = ctx.project.resolve(ctx.path, n.func, None)
        if not isinstance(target, FunctionRef) or not _loops(target.fn):
            continue
        if not scope.effects.summary(target).pure:
            continue
        varying = [i for i, a in enumerate(n.args) if not _fixed_arg(ctx, fn, a.value, fixed)]
        if len(varying) > 1:
            continue
        at = varying[0] if varying else -1
        spelled = (n.func.value, str(at), *(code(a.value) for a in n.args if a is not n.args[at]))
        slot = slots.setdefault(spelled, len(slots))
        out.append(Memoized(n, slot, at))
    return out


def _fixed_arg(
    ctx: FunctionContext, fn: cst.FunctionDef, expr: cst.BaseExpression, fixed: set[str]
) -> bool:
    """A literal, or a fixed parameter not shadowed where it is read (a lambda's parameter
    or a comprehension's variable of the same name)."""
    if _literal(expr):
        return True
    if not isinstance(expr, cst.Name) or expr.value not in fixed:
        return False
    cur = ctx.parents.get(id(expr))
    while cur is not None and cur is not fn:
        if isinstance(cur, cst.Lambda) and expr.value in {p.name.value for p in cur.params.params}:
            return False
        if isinstance(cur, _COMPS) and expr.value in _comp_names(cur):
            return False
        cur = ctx.parents.get(id(cur))
    return cur is fn


def _comp_names(comp: cst.CSTNode) -> set[str]:
    return {name for n in walk(comp) if isinstance(n, cst.CompFor) for name in names_in(n.target)}


def _loops(fn: cst.FunctionDef) -> bool:
    return any(isinstance(n, cst.For | cst.While | cst.BaseComp) for n in walk(fn.body))


class _Memoize(cst.CSTTransformer):
    def __init__(self, calls: dict[int, Memoized], helper: str, memo: str) -> None:
        super().__init__()
        self.calls, self.helper, self.memo = calls, helper, memo

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        m = self.calls.get(id(original_node))
        if m is None:
            return updated_node
        head = [cst.Name(self.memo), cst.Integer(str(m.slot)), _int(m.at), updated_node.func]
        args = [cst.Arg(v) for v in head]
        rest = list(updated_node.args)
        if rest:
            rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return cst.Call(cst.Name(self.helper), [*args, *rest])


def _int(value: int) -> cst.BaseExpression:
    if value >= 0:
        return cst.Integer(str(value))
    return cst.UnaryOperation(cst.Minus(), cst.Integer(str(-value)))


def _memo_copy(
    fn: cst.FunctionDef, name: str, helper: str, memoized: Sequence[Memoized], taken: set[str]
) -> cst.FunctionDef:
    """`fn` as `name(memo, ...)` with the memoized calls going through `helper`."""
    memo = fresh_name("memo", taken)
    body = fn.body.visit(_Memoize({id(m.call): m for m in memoized}, helper, memo))
    first = cst.Param(cst.Name(memo))
    params = fn.params.with_changes(params=[first, *fn.params.params])
    return fn.with_changes(
        name=cst.Name(name),
        params=params,
        body=body,
        leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
    )
