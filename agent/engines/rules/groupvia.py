"""`group-by-call` one call deeper: the loop calls a helper once per item (`weighted_total(s,
marks)`), and the helper calls the per-key scan (`marks_for_student(marks, s.sid)`). The pass
is made before the loop from the arguments the loop hands the helper, and a copy of the helper
takes the pass and hands it to the scan's answering copy. The helper may be a method of an
object the loop keeps (its scan a method of the same object), or live in another module (its
copies are then added there and imported beside it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.effects import effects_of
from agent.engines.rules.groupcallee import callee_scan, definition, fixed
from agent.engines.rules.groupfilter import Filter
from agent.engines.rules.grouplookup import Lookup
from agent.engines.rules.groupreduce import Reduce
from agent.engines.rules.groupscan import Scan
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import bound_names, declared_global, names_in, walk


@dataclass(frozen=True)
class Via:
    helper: cst.FunctionDef
    inner: tuple[cst.Call, ...]
    """The helper's calls of the scan (the same arguments but the key)."""
    pass_args: tuple[cst.Arg, ...]
    """The scan's arguments but the key, as the loop spells them (what the pass is made of)."""
    path: str
    """The helper's module (the scan's too); its copies go there."""
    imported: cst.ImportFrom | None = None
    """The loop's module's `from <helper's module> import helper`, when it is another module
    whose helper the loop calls by name: the copies' names are imported beside it."""
    names: frozenset[str] = frozenset()
    """Every name of the helper's module, which the copies' names must avoid as well."""
    method: bool = False
    """The helper is a method the loop calls on an object it never rebinds."""


def module_names(module: cst.Module) -> set[str]:
    return {n.value for n in walk(module, into_scopes=True) if isinstance(n, cst.Name)}


def importing(module: cst.Module, name: str) -> cst.ImportFrom | None:
    """The top-level `from ... import name` (not aliased) of `module`, if there is one."""
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            if any(a.asname is None and code(a.name) == name for a in small.names):
                return small
    return None


def with_names(node: cst.ImportFrom, names: list[str]) -> cst.ImportFrom:
    """`node` importing `names` too, after its own, in its own comma style."""
    assert not isinstance(node.names, cst.ImportStar)
    old = list(node.names)
    last = old[-1]
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    sep = space
    if trailing is not None:  # one name a line: the lines between names keep their layout
        before = old[-2].comma if len(old) > 1 else None
        sep = before if isinstance(before, cst.Comma) else trailing
    old[-1] = last.with_changes(comma=sep)
    new = [cst.ImportAlias(cst.Name(n), comma=sep) for n in names]
    new[-1] = new[-1].with_changes(comma=trailing or cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=[*old, *new])


def bindings(fn: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """Each plain parameter of `fn` and the expression `call` binds it to (a literal default
    where the call leaves it out), or None when the call or the parameters are not plain."""
    ps = fn.params
    if ps.posonly_params or ps.kwonly_params or ps.star_kwarg is not None:
        return None
    if not isinstance(ps.star_arg, cst.MaybeSentinel) or any(a.star for a in call.args):
        return None
    names = [p.name.value for p in ps.params]
    out: dict[str, cst.BaseExpression] = {}
    for i, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword is not None else None
        if name is None and (i >= len(names) or any(a.keyword for a in call.args[:i])):
            return None
        name = name or names[i]
        if name not in names or name in out:
            return None
        out[name] = arg.value
    for p in ps.params:
        if p.name.value in out:
            continue
        if not isinstance(p.default, cst.Integer | cst.Float | cst.SimpleString | cst.Name):
            return None
        if isinstance(p.default, cst.Name) and p.default.value not in ("None", "True", "False"):
            return None
        out[p.name.value] = p.default
    return out


def moving_in(
    helper: cst.FunctionDef,
    bound: dict[str, cst.BaseExpression],
    kept: Callable[[cst.BaseExpression], bool],
) -> set[str]:
    """The names of the helper that may differ from call to call of the loop: its locals, and
    the parameters bound to what `kept` (a test of the loop's expression) does not accept."""
    params = {p.name.value for p in helper.params.params}
    locals_ = set(bound_names(helper)) | {
        n for node in walk(helper) if isinstance(node, cst.CompFor) for n in names_in(node.target)
    }
    rebound = locals_ & params
    return (locals_ - params) | rebound | {p for p, e in bound.items() if not kept(e)}


def pass_arguments(
    inner: cst.Call, key_arg: int, bound: dict[str, cst.BaseExpression], moving: set[str]
) -> tuple[cst.Arg, ...] | None:
    """The scan's arguments but the key with each of the helper's parameters replaced by what
    the loop binds it to; None unless each is a literal or such a parameter."""
    out = []
    for i, arg in enumerate(inner.args):
        if i == key_arg:
            continue
        value = arg.value
        if isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
            out.append(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))
            continue
        if not isinstance(value, cst.Name) or value.value not in bound or value.value in moving:
            return None
        out.append(arg.with_changes(value=bound[value.value], comma=cst.MaybeSentinel.DEFAULT))
    return tuple(out)


def renamed(func: cst.BaseExpression, name: str) -> cst.BaseExpression:
    """The function `func` names, called `name` instead (`obj.f` -> `obj.name`, `f` -> `name`)."""
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=cst.Name(name))
    return cst.Name(name)


def via_copy(via: Via, name: str, groups: str, answer: str) -> cst.FunctionDef:
    """`name(groups, <the helper's parameters>)`: the helper, its scan calls answered by
    `answer(groups, ...)`."""
    targets = {id(c) for c in via.inner}

    class Swap(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            if id(original_node) not in targets:
                return updated_node
            return updated_node.with_changes(
                func=renamed(updated_node.func, answer),
                args=[cst.Arg(cst.Name(groups)), *updated_node.args],
            )

    fn = cst.ensure_type(via.helper.visit(Swap()), cst.FunctionDef)
    params = list(fn.params.params)
    params.insert(1 if via.method else 0, cst.Param(cst.Name(groups)))
    return fn.with_changes(
        name=cst.Name(name), params=fn.params.with_changes(params=params), decorators=[]
    )


def callee_via(
    ctx: FunctionContext, call: cst.Call, varying: set[str]
) -> tuple[tuple[Scan | Lookup | Reduce | Filter, int, bool, str], Via] | None:
    """The scan a helper the loop calls makes per key (the first, where it calls more than
    one), when the helper is pure (a module function, or a method of an object the loop never
    rebinds) and every one of its calls of the scan passes the same arguments but the key,
    each of them a literal or a parameter the loop binds to what it never changes."""
    target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
    if not isinstance(target, FunctionRef):
        return None
    path, imported, method = target.path, None, target.cls is not None
    steady = varying | declared_global(ctx.fn)
    module = ctx.module if path == ctx.path else ctx.project.modules.get(path)
    if method:  # reached through its object, a name the loop never rebinds
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        if not isinstance(receiver, cst.Name) or not fixed(receiver, steady):
            return None
        call = call.with_changes(args=[cst.Arg(receiver), *call.args])
    elif module is not None and path != ctx.path:
        reached, imported = reached_from(ctx, call.func, path)
        module = module if reached else None
    helper = definition(module, target) if module is not None else None
    if helper is None or module is None or not effects_of(ctx.project).summary(target).pure:
        return None
    bound = bindings(helper, call)
    if bound is None:
        return None
    moving = moving_in(helper, bound, lambda e: fixed(e, steady))
    me = helper.params.params[0].name.value if method else None
    first, inner = None, []
    for node in walk(helper):
        if not isinstance(node, cst.Call):
            continue
        got = callee_scan(ctx, node, moving, path, target.cls)
        if got is None or got[0].fn is helper or not _same_object(node, got[2], me, moving):
            continue
        if method and not got[2] and path != ctx.path:
            return None  # the loop's module would have to import the module scan's copies
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
    return first[0], Via(helper, tuple(inner), first[1], path, imported, names, method)


def _same_object(call: cst.Call, scan_method: bool, me: str | None, moving: set[str]) -> bool:
    """A method scan is called on the helper's own object (`self.scan(...)`), a function scan
    by name; either way the loop can make the pass the same way."""
    if not scan_method:
        return isinstance(call.func, cst.Name)
    receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
    return isinstance(receiver, cst.Name) and receiver.value == me and me not in moving


def reached_from(
    ctx: FunctionContext, func: cst.BaseExpression, path: str
) -> tuple[bool, cst.ImportFrom | None]:
    """Whether the loop's module can name the copies made in the module at `path`: through
    the `from ... import helper` that brought `func` in, or through the module's alias."""
    if isinstance(func, cst.Name):
        imported = importing(ctx.module, func.value)
        if bound_names(ctx.module).get(func.value) != 1:
            return False, None  # another binding of the name, maybe another module's helper
        source = ctx.project.imports.get(ctx.path, {}).get(func.value)
        if source is None or ctx.project.by_dotted.get(source[0]) != path:
            return False, None  # imported from a module that re-exports it: not the copies
        return imported is not None, imported
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        return ctx.project.module_alias(ctx.path, func.value.value) == path, None
    return False, None
