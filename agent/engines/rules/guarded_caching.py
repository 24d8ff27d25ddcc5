"""Per-value caches for pure functions whose parameters have no usable annotation: results are
cached only for calls whose arguments are all exactly str, int or float and whose result is of
an immutable type, both checked at run time; every other call runs the function as before."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.caching import CachePureFunction, _calls_itself, _does_work
from agent.engines.rules.edits import fresh_name
from agent.engines.rules.envs import build_env
from agent.engines.rules.memo import LruCache
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, walk
from agent.engines.rules.table_helpers import SERVED, helper_call, helper_text

_HELPER = '''

def {name}(served):
    """Cache a function's results for calls whose argument types (exactly str, int or float:
    immutable, hashable) are among `served`; every other call just runs the function. An
    immutable result is kept as it is; a list or dict of immutable values is kept as a private
    copy, and every hit gets a new copy, as every call got a new list or dict; any other
    result is not kept. The key holds the types, as 1 == 1.0 would share an entry (a call
    with one argument looks it up in its exact type's own table); a call
    with a float zero is not cached, as 0.0 == -0.0 would share one (NaN never hits but for
    the very same object, on which the pure function computes the same result)."""
    import datetime
    import decimal
    import fractions
    import functools

{immutable}
    floats = any(float in kinds for kinds in served)

{kept}
    def keep(table, key, result):
        if len(table) < {size}:
            entry = kept(result)
            if entry is not None:
                table[key] = entry
        return result

    def decorate(fn):
        cache = {{}}
        single = {{kinds[0]: {{}} for kinds in served if len(kinds) == 1}}

        @functools.wraps(fn)
        def cached(*args, **kwargs):
            if len(args) == 1 and not kwargs:  # the common case: one table per exact type
                arg = args[0]
                table = single.get(type(arg))
                if table is not None and (type(arg) is not float or arg != 0.0):
                    entry = table.get(arg)
                    if entry is not None:
                        return entry[0] if entry[1] is None else entry[1](entry[0])
                    return keep(table, arg, fn(arg))
            kinds = tuple(map(type, args))
            if kwargs or kinds not in served or floats and float in kinds and 0.0 in args:
                return fn(*args, **kwargs)
            key = (kinds, args)
            entry = cache.get(key)
            if entry is not None:
                return entry[0] if entry[1] is None else entry[1](entry[0])
            return keep(cache, key, fn(*args))

        return cached

    return decorate
'''
_HELPER_NAMES = frozenset(
    {"str", "int", "float", "bool", "bytes", "complex", "type", "len", "all", "tuple", "KeyError"}
    | {"list", "dict", "vars", "any", "map", "frozenset"}
)
"""The builtins the helpers and the decorator call use: none may be shadowed in the module
(a module-level `map` made every cached call raise; a user's `any` ran at import)."""
_SCALAR_KINDS = frozenset({"str", "int", "float", "unknown"})
_SCALAR_METHODS = frozenset(dir(str)) | frozenset(dir(int)) | frozenset(dir(float))
_ITERATING = frozenset(
    {"enumerate", "zip", "sorted", "sum", "min", "max", "list", "tuple", "set"}
    | {"dict", "iter", "reversed", "map", "filter", "any", "all", "frozenset"}
)
_MAX_PARAMS = 6
_MIXED_PARAMS = 3
"""Closedness is checked for every str/int/float assignment of up to three parameters (3**n);
with more, only for all-str, all-int and all-float calls (each check costs a summary)."""
_DEPTH = 3
"""How many calls deep a parameter handed to repository code is followed."""


class GuardedCachePureFunction(Rule):
    """A pure function whose parameters are unannotated (or not annotated with an exact key
    type), called again with the same values ⇒ decorated with a cache that serves only
    calls whose arguments are all exactly `str`, `int` or `float` (no float zero: 0.0 == -0.0)
    and stores only results of an
    immutable type (str, int, float, bool, bytes, None, date/time, Decimal, Fraction, or a
    tuple of those); any other call, keyword arguments included, runs the function unchanged.

    Precondition: module-level, not async, no decorators, not recursive (each cached level
    would take one more interpreter frame, so the deepest recursion it can reach would
    halve), bound once; at most six plain
    positional parameters (literal defaults allowed; with more than three, only calls whose
    arguments are all of one of the three types are served), no `*`/`**`; the body does
    real work; and the repository-wide effect analysis finds the body pure and closed under
    every assignment of `str`, `int` and `float` to the parameters (the types the cache serves),
    so a cached result is what the call would compute again. Functions with exact key
    annotations are `cache-pure-function`.
    """

    id = "cache-pure-function-guarded"
    title = "cache a pure function's results for str, int and float arguments"

    def find(self, ctx: FunctionContext) -> list[Site]:
        served = self.eligible(ctx, recursive=False)
        if not served:
            return []
        return [ctx.site(ctx.fn.name, f"`{ctx.fn.name.value}`", extra=served)]

    def eligible(self, ctx: FunctionContext, *, recursive: bool) -> list[tuple[str, ...]]:
        """The served argument types (see `served`) when the precondition holds, recursion
        aside: `recursive` says whether the function must call itself or must not."""
        fn = ctx.fn
        if "." in ctx.qualname or fn.decorators or fn.asynchronous is not None:
            return []
        ps = fn.params
        if isinstance(ps.star_arg, cst.Param | cst.ParamStar) or ps.star_kwarg is not None:
            return []
        if ps.posonly_params or ps.kwonly_params or not 0 < len(ps.params) <= _MAX_PARAMS:
            return []
        if not all(_literal_default(p) for p in ps.params):
            return []
        if bound_names(ctx.module).get(fn.name.value) != 1 or _calls_itself(fn) != recursive:
            return []
        if any(isinstance(n, cst.Yield | cst.Await) for n in walk(fn.body)):
            return []
        if not _does_work(ctx) or CachePureFunction().find(ctx) or LruCache().find(ctx):
            return []
        if any(ctx.scope.builtin(cst.Name(n)) != n for n in _HELPER_NAMES):
            return []
        if not _scalar_callers(ctx) or _identity(ctx):
            return []
        return self.served(ctx)

    def served(self, ctx: FunctionContext) -> list[tuple[str, ...]]:
        """The argument type tuples (str/int/float, as many as the call passes, defaults filling
        the rest) under which the effect analysis finds the body pure and closed."""
        fn = ctx.fn
        params = list(fn.params.params)
        required = sum(1 for p in params if p.default is None)
        out: list[tuple[str, ...]] = []
        for n in range(required, len(params) + 1):
            rest = [literal_kind(p.default) for p in params[n:]]
            if None in rest:
                continue
            if n <= _MIXED_PARAMS:
                assignments = list(itertools.product(SERVED, repeat=n))
            else:
                assignments = [(kind,) * n for kind in SERVED]
            out.extend(
                kinds
                for kinds in assignments
                if self._closed(ctx, [*kinds, *rest])  # type: ignore[list-item]
            )
        return out

    def _closed(self, ctx: FunctionContext, kinds: list[str]) -> bool:
        fn = ctx.fn
        params = [
            p.with_changes(annotation=cst.Annotation(cst.Name(k)))
            for p, k in zip(fn.params.params, kinds, strict=True)
        ]
        typed = fn.with_changes(params=fn.params.with_changes(params=params))
        ref = FunctionRef(ctx.path, f"{ctx.qualname}<{','.join(kinds)}>", typed)
        if not ctx.scope.effects.summary(ref).closed:
            return False
        return ctx.project._returned(ctx.path, typed).kind != "set"  # a set is never kept

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        name = fresh_name("_cache_scalar_calls", ctx.module_names)
        helper = cst.parse_module(helper_text(_HELPER, name)).body[0]
        change.constants.append(helper.with_changes(leading_lines=[cst.EmptyLine()] * 2))
        served = ", ".join(
            f"({', '.join(kinds)}{',' if len(kinds) == 1 else ''})" for kinds in sites[0].extra
        )
        deco = cst.Decorator(decorator=cst.parse_expression(f"{name}(frozenset([{served}]))"))
        change.replace[id(ctx.fn)] = lambda u: u.with_changes(decorators=[deco, *u.decorators])
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        return (
            f"cache the results of the pure function {sites[0].detail} for calls with str, int "
            "or float arguments (checked at run time; other calls run it as before), so repeated "
            "values are computed once"
        )


def _identity(ctx: FunctionContext) -> bool:
    """The body compares objects by identity (`a is b`, but for `is None`, `is True` and
    `is False`) or asks for `id(...)`: a cache hands one equal argument's answer to another
    (`int("1000") is int("1000")` is False)."""
    for n in walk(ctx.fn.body):
        if isinstance(n, cst.Call) and ctx.scope.builtin(n.func) == "id":
            return True
        if not isinstance(n, cst.Comparison):
            continue
        left = n.left
        for target in n.comparisons:
            if isinstance(target.operator, cst.Is | cst.IsNot):
                sides = (left, target.comparator)
                if not any(isinstance(x, cst.Name) and x.value in _SINGLETONS for x in sides):
                    return True
            left = target.comparator
    return False


_SINGLETONS = frozenset({"None", "True", "False"})


def _scalar_callers(ctx: FunctionContext) -> bool:
    """No call in the repository passes an argument known to be other than str, int or float,
    and the body uses its parameters as scalars: never iterated, no attributes but str, int or
    float methods (otherwise the cache would only cost: such calls always miss it)."""
    for ref, call in _calls_to(ctx.project).get((ctx.path, ctx.qualname), ()):
        env = build_env(ref.fn, ctx.project.type_facts(ref.path), ref.cls)
        if any(a.star or env.infer(a.value).kind not in _SCALAR_KINDS for a in call.args):
            return False
    params = {p.name.value for p in ctx.fn.params.params}
    return not any(_record_use(ctx, node, params) for node in walk(ctx.fn.body))


def _calls_to(project: Project) -> dict[tuple[str, str], list[tuple[FunctionRef, cst.Call]]]:
    """Every call in the repository's functions, under the (path, qualname) it calls."""
    kept = project.memo.get("calls_to")
    if kept is not None:
        return kept  # type: ignore[return-value]
    found: dict[tuple[str, str], list[tuple[FunctionRef, cst.Call]]] = {}
    for ref in project.all_functions():
        for call in walk(ref.fn):
            if isinstance(call, cst.Call):
                target = project.resolve(ref.path, call.func, ref.cls)
                if isinstance(target, FunctionRef):
                    found.setdefault((target.path, target.qualname), []).append((ref, call))
    project.memo["calls_to"] = found
    return found


def _record_use(
    ctx: FunctionContext, node: cst.CSTNode, params: set[str], depth: int = _DEPTH
) -> bool:
    """`node` uses a parameter as a collection or a record rather than a str or an int."""
    if isinstance(node, cst.Call):
        return _passes_on(ctx, node, params, depth)
    if isinstance(node, cst.For | cst.CompFor):
        return isinstance(node.iter, cst.Name) and node.iter.value in params
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return node.value.value in params and node.attr.value not in _SCALAR_METHODS
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name):
        indexed = not all(isinstance(e.slice, cst.Slice) for e in node.slice)
        return node.value.value in params and indexed  # `p[i]`: more likely a sequence
    if isinstance(node, cst.Assign) and isinstance(node.value, cst.Name):
        unpacked = any(isinstance(t.target, cst.Tuple | cst.List) for t in node.targets)
        return node.value.value in params and unpacked
    return False


def _passes_on(ctx: FunctionContext, call: cst.Call, params: set[str], depth: int) -> bool:
    """A parameter handed as it is to a builtin that iterates it, or to repository code
    that uses it as a record (followed `depth` calls deep into functions of the module)."""
    direct = {a.value.value for a in call.args if isinstance(a.value, cst.Name)} & params
    if not direct:
        return False
    builtin = ctx.scope.builtin(call.func)
    if builtin in ("min", "max") and len(call.args) >= 2 and not any(a.star for a in call.args):
        return False  # compares its arguments, iterates none
    if builtin in _ITERATING:
        return True
    target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
    if target is None:
        return False
    callee = _module_function(ctx, target)
    if callee is None or depth <= 0:
        return True
    bound = _bound_params(call, callee.fn, params)
    if bound is None:
        return True
    if callee.fn.name.value == ctx.fn.name.value and bound <= params:
        return False  # a recursive call: its uses are the ones being checked
    return any(_record_use(callee, n, bound, depth - 1) for n in walk(callee.fn.body))


def _module_function(ctx: FunctionContext, target: object) -> FunctionContext | None:
    """The context of a top-level function of `ctx`'s own module that `target` names."""
    if not isinstance(target, FunctionRef) or target.path != ctx.path or target.cls is not None:
        return None
    for stmt in ctx.module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == target.qualname:
            return FunctionContext(ctx.path, ctx.wrapper, stmt, target.qualname, ctx.project)
    return None


def _bound_params(call: cst.Call, fn: cst.FunctionDef, params: set[str]) -> set[str] | None:
    """The callee's parameters that `call` binds to one of `params`; None when the call has
    `*`/`**` or the callee has parameters other than plain positional-or-keyword ones."""
    ps = fn.params
    if isinstance(ps.star_arg, cst.Param | cst.ParamStar) or ps.star_kwarg is not None:
        return None
    if ps.posonly_params or ps.kwonly_params:
        return None
    names = [p.name.value for p in ps.params]
    out = set()
    for i, arg in enumerate(call.args):
        if arg.star:
            return None
        if not isinstance(arg.value, cst.Name) or arg.value.value not in params:
            continue
        if arg.keyword is not None:
            out.add(arg.keyword.value)
        elif i < len(names):
            out.add(names[i])
        else:
            return None
    return out


def literal_kind(d: cst.BaseExpression | None) -> str | None:
    if isinstance(d, cst.SimpleString | cst.ConcatenatedString):
        return "str"
    if isinstance(d, cst.Float):
        return "float"
    return "int" if isinstance(d, cst.Integer) else None


def _literal_default(p: cst.Param) -> bool:
    d = p.default
    return (
        d is None
        or isinstance(d, cst.SimpleString | cst.Integer | cst.Float | cst.ConcatenatedString)
        or (isinstance(d, cst.Name) and d.value in ("None", "True", "False"))
    )


def cache_decorator(project: Project, path: str, expr: cst.BaseExpression) -> bool:
    """`expr` decorates with this rule's cache (see `helper_call`). The cache answers every
    call as the function would, so the function's effects are its own."""
    return helper_call(project, path, expr, _HELPER)
