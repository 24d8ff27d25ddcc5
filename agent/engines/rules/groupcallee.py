"""Which calls `group-by-call` can serve: a call of a function (or a method of the same object)
of the repository that is pure, takes plain parameters, and scans a collection for one key it
is given (`groupscan`, `grouplookup`, `groupreduce`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.effects import effects_of
from agent.engines.rules.groupfilter import Filter, filter_rescans, find_filter
from agent.engines.rules.grouplookup import Lookup, find_lookup
from agent.engines.rules.groupreduce import Reduce, find_reduce, rescans
from agent.engines.rules.groupscan import HELPER_NAMES, Scan, find_scan
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.rewrite import FunctionContext, function_context
from agent.engines.rules.syntax import bound_names, declared_global, names_in, walk


def callee_scan(
    ctx: FunctionContext,
    call: cst.Call,
    varying: set[str],
    path: str | None = None,
    cls: str | None = None,
) -> tuple[Scan | Lookup | Reduce | Filter, int, bool, str] | None:
    """The callee's scan, which argument is its key and whether it is a method, when the call
    (in the module at `path` and class `cls`, by default the loop's) qualifies."""
    found = _callee(ctx, call, varying, path, cls)
    if found is None or len(found[2]) != 1:
        return None
    fn, target, (at,), module = found
    method = target.cls is not None
    key = param_of(fn, call, at, method)
    if key is None:
        return None
    scope = effects_of(ctx.project).scope(target.path, fn, target.cls)
    scan: Scan | Lookup | Reduce | Filter | None = (
        find_scan(scope, fn, key)
        or find_lookup(scope, fn, key)
        or find_reduce(scope, fn, key)
        or find_filter(scope, fn, key)
    )
    if scan is None or kept(ctx.project, target.path, module, target):
        return None
    return scan, at, method, key


@dataclass(frozen=True)
class Served:
    """A callee's scan a pass can serve: the scan, which argument is its key, whether the
    callee is a method, and the key's parameter."""

    scan: Scan | Lookup | Reduce | Filter
    key_arg: int
    method: bool
    key: str
    passed: tuple[int, ...] = ()
    """The other arguments that vary per call: given to every call as they are, never to the
    pass (`callee_scan_many`)."""
    also: frozenset[str] = frozenset()
    """The parameters they bind."""


def callee_scan_many(
    ctx: FunctionContext,
    call: cst.Call,
    varying: set[str],
    path: str | None = None,
    cls: str | None = None,
) -> Served | None:
    """The callee's scan when several of the call's arguments vary (a filter on two fields,
    `[m for m in marks if m.student == student and m.paper == paper]`): one of them is the key
    of a filtering loop or comprehension, the pass groups the items by it alone, and each call
    loops over its key's items with its test in full; what the pass runs (the collection, the
    test's parts up to the key's) must read none of the other varying parameters."""
    found = _callee(ctx, call, varying, path, cls)
    if found is None or len(found[2]) < 2:
        return None
    fn, target, moving, module = found
    method = target.cls is not None
    scope = effects_of(ctx.project).scope(target.path, fn, target.cls)
    for at in moving:
        key = param_of(fn, call, at, method)
        others = [param_of(fn, call, i, method) for i in moving if i != at]
        if key is None or any(o is None for o in others):
            continue
        also = {o for o in others if o is not None}
        reduce, loop = find_reduce(scope, fn, key), find_filter(scope, fn, key)
        scan: Reduce | Filter | None = None
        if reduce is not None and rescans(reduce, also):
            scan = reduce
        elif loop is not None and filter_rescans(loop, also):
            scan = loop
        if scan is not None and not kept(ctx.project, target.path, module, target):
            passed = tuple(i for i in moving if i != at)
            return Served(scan, at, method, key, passed, frozenset(also))
    return None


def _callee(
    ctx: FunctionContext, call: cst.Call, varying: set[str], path: str | None, cls: str | None
) -> tuple[cst.FunctionDef, FunctionRef, list[int], cst.Module] | None:
    """The pure callee's definition and module, and which arguments vary per iteration, when
    every other argument is fixed."""
    owner = ctx.cls if path is None else cls
    path = path or ctx.path
    module = ctx.module if path == ctx.path else ctx.project.modules.get(path)
    if any(a.star for a in call.args) or module is None:
        return None
    target = ctx.project.resolve(path, call.func, owner)
    if not isinstance(target, FunctionRef) or target.path != path:
        return None
    fn = definition(module, target)
    if fn is None or not effects_of(ctx.project).summary(target).pure:
        return None
    own = {p.name.value for p in fn.params.params} | set(bound_names(fn))
    own |= {n for c in walk(fn) if isinstance(c, cst.CompFor) for n in names_in(c.target)}
    if own & set(HELPER_NAMES):
        return None  # the copies call these builtins where the callee's names would answer
    moving = [i for i, a in enumerate(call.args) if names_in(a.value) & varying]
    if not moving:
        return None
    for i, arg in enumerate(call.args):
        if i not in moving and not fixed(arg.value, varying | declared_global(ctx.fn)):
            return None
    return fn, target, moving, module


def kept(project: Project, path: str, module: cst.Module, target: FunctionRef) -> bool:
    """The callee's scan keeps its own index between calls (`kept-index`): one pass per call
    of the caller would be built again for every caller, where the kept one is built once."""
    from agent.engines.rules.kept_index import KeptIndex

    callee = function_context(path, module.code, target.qualname, project)
    return callee is not None and bool(KeptIndex().find(callee))


def fixed(expr: cst.BaseExpression, moving: set[str]) -> bool:
    if isinstance(expr, cst.Integer | cst.Float | cst.SimpleString):
        return True
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name) and expr.value not in moving


def param_of(fn: cst.FunctionDef, call: cst.Call, at: int, method: bool) -> str | None:
    names = [p.name.value for p in fn.params.params][1 if method else 0 :]
    arg = call.args[at]
    if arg.keyword is not None:
        return arg.keyword.value if arg.keyword.value in names else None
    if any(a.keyword is not None for a in call.args[:at]) or at >= len(names):
        return None
    return names[at]


def definition(module: cst.Module, target: FunctionRef) -> cst.FunctionDef | None:
    """The callee's node in `module` (plain parameters, no decorators, defaults that give
    the same value when a copy evaluates them again), found by qualname."""
    parts = target.qualname.split(".")
    body: Sequence[cst.CSTNode] = module.body
    node: cst.CSTNode | None = None
    for part in parts:
        node = next(
            (
                s
                for s in body
                if isinstance(s, cst.FunctionDef | cst.ClassDef) and s.name.value == part
            ),
            None,
        )
        if node is None:
            return None
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    if not isinstance(node, cst.FunctionDef) or node.decorators or node.asynchronous:
        return None
    ps = node.params
    if ps.posonly_params or ps.kwonly_params or ps.star_kwarg is not None:
        return None
    if not isinstance(ps.star_arg, cst.MaybeSentinel) or len(parts) > 2:
        return None
    if any(p.default is not None and not _evaluated_alike(p.default) for p in ps.params):
        return None  # the copies evaluate their defaults again, where the callee did once
    if bound_names(module).get(parts[0]) != 1:
        return None
    return node


def _evaluated_alike(value: cst.BaseExpression) -> bool:
    """A default a copy defined just after the callee evaluates to the same value: a number
    or string literal, or a name or its attributes (nothing runs between the two `def`s)."""
    while isinstance(value, cst.Attribute):
        value = value.value
    return isinstance(value, cst.Name | cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString)
