"""Group-by across a call boundary: a loop that calls a per-key scan (`balance(code, entries)`)
once per key gets every key's total from one pass over the collection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, insert_before
from agent.engines.rules.effects import effects_of
from agent.engines.rules.grouplookup import Lookup, answer_copy, find_lookup, index_copy
from agent.engines.rules.groupreduce import Reduce, find_reduce, groups_copy, reduced_copy
from agent.engines.rules.groupscan import HELPER_NAMES, Scan, find_scan, grouped_copy, lookup_copy
from agent.engines.rules.groupvia import (
    Via,
    bindings,
    importing,
    module_names,
    moving_in,
    pass_arguments,
    via_copy,
    with_names,
)
from agent.engines.rules.places import stmt_of
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site, function_context
from agent.engines.rules.syntax import bound_names, declared_global, names_in, walk

_COMPS = (cst.ListComp, cst.SetComp, cst.DictComp)
_LOOPS = (cst.For, *_COMPS)


@dataclass(frozen=True)
class GroupSite:
    loop: cst.CSTNode
    """The `for` statement, or the statement holding the comprehension."""
    calls: tuple[cst.Call, ...]
    scan: Scan | Lookup | Reduce
    key: str
    """The callee's parameter the varying argument binds."""
    key_arg: int
    """Index in each call's arguments of the one that varies per iteration."""
    method: bool
    via: Via | None = None
    """The helper the loop calls, when the scan is called by it rather than by the loop."""


class GroupByCall(Rule):
    """A loop calling `f(key, ...)` once per key, where `f` scans a collection for the items
    whose key equals `key` ⇒ one pass before the loop serves every key, and each call is
    answered from it by `f_from(pass, key, ...)`, a copy of `f` that looks its key up first.
    Two scans qualify: adding up a value of the matching items (`total += p.amount`; the pass
    adds every key's total in the same order, so float and Decimal sums are the very same, and
    a missing key gets the initial value), and returning the first matching item (`return c`;
    the pass keeps every key's first item, and a key it lacks runs the original scan, which
    returns the default or raises as before).

    Precondition: `f` is a function or method of the same module (no decorators, plain
    parameters) that the repository-wide effect analysis finds pure, with the scan shape of
    `groupscan.find_scan` or `grouplookup.find_lookup`; every call in the loop passes the same
    other arguments, each a literal or a name (or its attribute) the loop never rebinds, and
    exactly one argument that varies; everything the loop runs is pure apart from its own fresh
    containers, so the collection does not change between the pass and the calls. At run time
    the pass is used only when every key it meets, and the key asked for, is exactly a str or
    an int (and every total a number); otherwise, or when the pass raises, each call scans as
    before.
    """

    id = "group-by-call"
    title = "add up every key's total in one pass instead of one scan per key"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if any(ctx.scope.builtin(cst.Name(n)) != n for n in HELPER_NAMES):
            return []
        sites = []
        seen: set[int] = set()
        for node in walk(ctx.fn):
            if not isinstance(node, _LOOPS) or id(node) in seen:
                continue
            found = _group_site(ctx, node)
            if found is not None:
                seen |= {id(n) for n in walk(found.loop)}
                detail = f"`{code(found.calls[0].func)}` per key"
                sites.append(ctx.site(found.loop, detail, extra=found))
        return sites[:1]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        found: GroupSite = sites[0].extra
        scan, via = found.scan, found.via
        ctx.module_names |= via.names if via is not None else set()
        there = change  # where the copies go: the scan's module
        if via is not None and via.path != ctx.path:
            there = change.elsewhere[via.path] = Change()
        names = {
            "groups": fresh_name("groups", ctx.module_names),
            "kinds": fresh_name("kinds", ctx.module_names),
            "item": fresh_name("item_key", ctx.module_names),
        }
        grouped, lookup, local, copies = _copies(ctx, found, names)
        gap = [cst.EmptyLine(indent=False)] * (1 if found.method else 2)
        copies = [c.with_changes(leading_lines=gap) for c in copies]
        there.replace[id(scan.fn)] = lambda u: cst.FlattenSentinel([u, *copies])
        first = found.calls[0]
        args = [a for i, a in enumerate(first.args) if i != found.key_arg]
        func = _renamed(first.func, grouped)
        if via is not None:
            args = list(via.pass_args)
            groups = fresh_name("groups", ctx.module_names)
            lookup_name = lookup
            lookup = fresh_name(f"{via.helper.name.value}_via", ctx.module_names)
            copy = via_copy(via, lookup, groups, lookup_name).with_changes(leading_lines=gap)
            there.replace[id(via.helper)] = lambda u: cst.FlattenSentinel([u, copy])
            if via.imported is not None:
                new_names = [grouped, lookup]
                change.replace[id(via.imported)] = lambda u: with_names(u, new_names)
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        prepare = cst.SimpleStatementLine(
            [cst.Assign([cst.AssignTarget(cst.Name(local))], cst.Call(func, args))]
        )
        change.replace[id(found.loop)] = insert_before(found.loop, prepare)
        for call in found.calls:
            change.replace[id(call)] = lambda u: u.with_changes(
                func=_renamed(u.func, lookup), args=[cst.Arg(cst.Name(local)), *u.args]
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        found: GroupSite = sites[0].extra
        call, scan = code(found.calls[0].func), found.scan.fn.name.value
        each = "each call scans" if found.via is None else f"each call's `{scan}` scans"
        doing = {
            Scan: "add up every key's total",
            Lookup: "index every key's first item",
            Reduce: "gather every key's items",
        }[type(found.scan)]
        return (
            f"instead of calling `{call}` once per key ({each} the whole collection), {doing} "
            "in one pass before the loop, in the same order, and look each key up"
        )


def _copies(
    ctx: FunctionContext, found: GroupSite, names: dict[str, str]
) -> tuple[str, str, str, list[cst.FunctionDef]]:
    """Names of the pass, the answering copy and the loop's local, and the two copies."""
    scan, method, base = found.scan, found.method, found.scan.fn.name.value
    if isinstance(scan, Scan):
        grouped = fresh_name(f"{base}_groups", ctx.module_names)
        lookup = fresh_name(f"{base}_from", ctx.module_names)
        local = fresh_name(f"{base}_totals", ctx.module_names)
        copies = [
            grouped_copy(scan, grouped, names),
            lookup_copy(scan, lookup, fresh_name("groups", ctx.module_names), method),
        ]
    elif isinstance(scan, Reduce):
        grouped = fresh_name(f"{base}_groups", ctx.module_names)
        lookup = fresh_name(f"{base}_from", ctx.module_names)
        local = fresh_name(f"{base}_items", ctx.module_names)
        copies = [
            groups_copy(scan, grouped, names),
            reduced_copy(scan, lookup, fresh_name("groups", ctx.module_names), method),
        ]
    else:
        grouped = fresh_name(f"{base}_index", ctx.module_names)
        lookup = fresh_name(f"{base}_from", ctx.module_names)
        local = fresh_name(f"{base}_firsts", ctx.module_names)
        index, wanted = (fresh_name(n, ctx.module_names) for n in ("index", "wanted"))
        copies = [
            index_copy(scan, found.key, grouped, names),
            answer_copy(scan, lookup, index, wanted, method),
        ]
    return grouped, lookup, local, copies


def _renamed(func: cst.BaseExpression, name: str) -> cst.BaseExpression:
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=cst.Name(name))
    return cst.Name(name)


def _group_site(ctx: FunctionContext, loop: cst.CSTNode) -> GroupSite | None:
    stmt = loop if isinstance(loop, cst.For) else stmt_of(ctx, loop)
    if not isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
        return None
    if not isinstance(loop, cst.For) and not isinstance(stmt, cst.SimpleStatementLine):
        return None
    varying = _loop_bound(loop)
    body = loop.body if isinstance(loop, cst.For) else loop
    calls = [n for n in walk(body) if isinstance(n, cst.Call)]
    for call in calls:
        if isinstance(loop, _LOOPS) and _in_first_iter(loop, call):
            continue
        found = _callee_scan(ctx, call, varying)
        if found is None:
            via = _callee_via(ctx, call, varying)
            if via is None:
                continue
            same = [c for c in calls if code(c.func) == code(call.func)]
            others = [_callee_via(ctx, c, varying) for c in same]
            passed = [code(a) for a in via[1].pass_args]
            if any(v is None or [code(a) for a in v[1].pass_args] != passed for v in others):
                continue
            if not ctx.scope.pure(stmt) or any(isinstance(n, cst.NamedExpr) for n in walk(stmt)):
                return None
            (scan, key_arg, _, key), helper = via
            return GroupSite(stmt, tuple(same), scan, key, key_arg, False, helper)
        scan, key_arg, method, key = found
        same = [c for c in calls if code(c.func) == code(call.func)]
        fixed = [code(a) for i, a in enumerate(call.args) if i != key_arg]
        again = [_callee_scan(ctx, c, varying) for c in same]
        if any(g is None or g[0].fn is not scan.fn or g[1] != key_arg for g in again):
            continue
        if any([code(a) for i, a in enumerate(c.args) if i != key_arg] != fixed for c in same):
            continue
        if not ctx.scope.pure(stmt) or any(isinstance(n, cst.NamedExpr) for n in walk(stmt)):
            return None
        return GroupSite(stmt, tuple(same), scan, key, key_arg, method)
    return None


def _loop_bound(loop: cst.CSTNode) -> set[str]:
    out = set(bound_names(loop))
    for n in walk(loop):
        if isinstance(n, cst.For | cst.CompFor):
            out |= names_in(n.target)
    return out


def _in_first_iter(loop: cst.CSTNode, call: cst.Call) -> bool:
    first = loop.iter if isinstance(loop, cst.For) else loop.for_in.iter  # type: ignore[attr-defined]
    return any(n is call for n in walk(first))


def _callee_scan(
    ctx: FunctionContext, call: cst.Call, varying: set[str], path: str | None = None
) -> tuple[Scan | Lookup | Reduce, int, bool, str] | None:
    """The callee's scan, which argument is its key and whether it is a method, when the call
    (in the module at `path`, by default the loop's) qualifies."""
    path = path or ctx.path
    module = ctx.module if path == ctx.path else ctx.project.modules.get(path)
    if any(a.star for a in call.args) or module is None:
        return None
    target = ctx.project.resolve(path, call.func, ctx.cls if path == ctx.path else None)
    if not isinstance(target, FunctionRef) or target.path != path:
        return None
    fn = _definition(module, target)
    if fn is None or not effects_of(ctx.project).summary(target).pure:
        return None
    moving = [i for i, a in enumerate(call.args) if names_in(a.value) & varying]
    if len(moving) != 1:
        return None
    at = moving[0]
    for i, arg in enumerate(call.args):
        if i != at and not _fixed(arg.value, varying | declared_global(ctx.fn)):
            return None
    key = _param_of(fn, call, at, target.cls is not None)
    if key is None:
        return None
    scope = effects_of(ctx.project).scope(path, fn, target.cls)
    scan: Scan | Lookup | Reduce | None = (
        find_scan(scope, fn, key) or find_lookup(scope, fn, key) or find_reduce(scope, fn, key)
    )
    if scan is None or _kept(ctx.project, path, module, target):
        return None
    return scan, at, target.cls is not None, key


def _callee_via(
    ctx: FunctionContext, call: cst.Call, varying: set[str]
) -> tuple[tuple[Scan | Lookup | Reduce, int, bool, str], Via] | None:
    """The scan a module helper the loop calls makes per key (the first, where it calls more
    than one), when the helper is pure and every one of its calls of the scan passes the same
    arguments but the key, each of them a literal or a parameter the loop binds to what it
    never changes."""
    target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
    if not isinstance(target, FunctionRef) or target.cls:
        return None
    path, imported = target.path, None
    module = ctx.module if path == ctx.path else ctx.project.modules.get(path)
    if module is not None and path != ctx.path:
        reached, imported = _reached(ctx, call.func, path)
        module = module if reached else None
    helper = _definition(module, target) if module is not None else None
    if helper is None or module is None or not effects_of(ctx.project).summary(target).pure:
        return None
    bound = bindings(helper, call)
    if bound is None:
        return None
    moving = moving_in(helper, bound, lambda e: _fixed(e, varying | declared_global(ctx.fn)))
    first, inner = None, []
    for node in walk(helper):
        if not isinstance(node, cst.Call):
            continue
        got = _callee_scan(ctx, node, moving, path)
        if got is None or got[2] or got[0].fn is helper:
            continue
        args = pass_arguments(node, got[1], bound, moving)
        if args is None:
            return None
        if first is None:
            first = (got, args)
        elif got[0].fn is not first[0][0].fn:
            continue  # another scan: its calls stay as they are
        elif got[1] != first[0][1] or [code(a) for a in args] != [code(a) for a in first[1]]:
            return None
        inner.append(node)
    if first is None:
        return None
    names = frozenset() if path == ctx.path else frozenset(module_names(module))
    return first[0], Via(helper, tuple(inner), first[1], path, imported, names)


def _reached(
    ctx: FunctionContext, func: cst.BaseExpression, path: str
) -> tuple[bool, cst.ImportFrom | None]:
    """Whether the loop's module can name the copies made in the module at `path`: through
    the `from ... import helper` that brought `func` in, or through the module's alias."""
    if isinstance(func, cst.Name):
        imported = importing(ctx.module, func.value)
        return imported is not None, imported
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        return ctx.project.module_alias(ctx.path, func.value.value) == path, None
    return False, None


def _kept(project: Project, path: str, module: cst.Module, target: FunctionRef) -> bool:
    """The callee's scan keeps its own index between calls (`kept-index`): one pass per call
    of the caller would be built again for every caller, where the kept one is built once."""
    from agent.engines.rules.kept_index import KeptIndex

    callee = function_context(path, module.code, target.qualname, project)
    return callee is not None and bool(KeptIndex().find(callee))


def _fixed(expr: cst.BaseExpression, moving: set[str]) -> bool:
    if isinstance(expr, cst.Integer | cst.Float | cst.SimpleString):
        return True
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name) and expr.value not in moving


def _param_of(fn: cst.FunctionDef, call: cst.Call, at: int, method: bool) -> str | None:
    names = [p.name.value for p in fn.params.params][1 if method else 0 :]
    arg = call.args[at]
    if arg.keyword is not None:
        return arg.keyword.value if arg.keyword.value in names else None
    if any(a.keyword is not None for a in call.args[:at]) or at >= len(names):
        return None
    return names[at]


def _definition(module: cst.Module, target: FunctionRef) -> cst.FunctionDef | None:
    """The callee's node in `module` (plain parameters, no decorators), found by qualname."""
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
    if bound_names(module).get(parts[0]) != 1:
        return None
    return node
