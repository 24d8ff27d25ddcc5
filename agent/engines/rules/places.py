"""Where code sits in a function: its statement and block, the loops that re-run it, and
whether names stay unchanged across those loops."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.edits import code, from_imported, imported_as
from agent.engines.rules.purity import read_only_uses
from agent.engines.rules.rewrite import Change, FunctionContext
from agent.engines.rules.stdlib import PURE_BUILTIN_CALLS
from agent.engines.rules.syntax import (
    bound_names,
    declared_global,
    name_nodes,
    names_in,
    nested_scope_names,
    param_names,
    per_node,
    walk,
)


def module_ref(ctx: FunctionContext, module_name: str, change: Change) -> str:
    """An expression prefix naming `module_name`, importing it at module level if needed."""

    local = imported_as(ctx.module, module_name)
    if local and ctx.env.names.get(local) is None:
        return local
    if module_name in bound_names(ctx.module) or module_name in ctx.env.names:
        raise ValueError(f"the name {module_name!r} is taken in {ctx.path}")
    change.imports.append(f"import {module_name}")
    return module_name


def stmt_of(ctx: FunctionContext, node: cst.CSTNode) -> cst.CSTNode:
    """The statement (small or compound) that directly contains `node` in a block."""
    cur: cst.CSTNode = node
    while True:
        parent = ctx.parents.get(id(cur))
        if parent is None or isinstance(parent, cst.IndentedBlock | cst.Module):
            return cur
        if isinstance(parent, cst.SimpleStatementLine):
            return parent
        cur = parent


def block_of(ctx: FunctionContext, stmt: cst.CSTNode) -> tuple[list[cst.CSTNode], int] | None:
    """The statements of the block holding `stmt` and its index there."""
    parent = ctx.parents.get(id(stmt))
    if isinstance(parent, cst.IndentedBlock | cst.Module):
        body: list[cst.CSTNode] = list(parent.body)
        for i, s in enumerate(body):
            if s is stmt:
                return body, i
    return None


COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


SCOPE_TYPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def enclosing_loops(ctx: FunctionContext, node: cst.CSTNode) -> list[cst.CSTNode]:
    """Loops (and comprehensions) of `ctx.fn`'s own scope that re-run `node`, outermost first.

    A `for` statement's iterable and a comprehension's first iterable run once, so they do
    not count as inside that loop. Nodes in nested functions get no loops at all, nor do
    nodes in a generator expression that is not consumed where it is made (it runs later,
    when what a rule would compute before its statement may have changed). A loop that
    yields or awaits, and the loops around it, do not count: other code runs while it is
    suspended.
    """
    out: list[cst.CSTNode] = []
    path: list[cst.CSTNode] = [node]
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, SCOPE_TYPES):
            return []
        child = path[-1]
        if isinstance(cur, cst.For | cst.While) and suspends(cur):
            break
        if isinstance(cur, cst.For):
            if child is not cur.iter and child is not cur.target:
                out.append(cur)
        elif isinstance(cur, cst.While):
            out.append(cur)
        elif isinstance(cur, COMPREHENSIONS):
            first = cur.for_in
            once = child is first and len(path) >= 2 and path[-2] is first.iter
            if not once:
                if isinstance(cur, cst.GeneratorExp) and not consumed_at_once(ctx, cur):
                    return []
                out.append(cur)
        path.append(cur)
        cur = ctx.parents.get(id(cur))
    return out[::-1]


CONSUMERS = frozenset(
    {"next", "any", "all", "list", "tuple", "set", "frozenset", "sorted", "sum", "min", "max"}
)
"""Builtins that run a generator (to its end, or to what they need) before they return."""


def consumed_at_once(ctx: FunctionContext, gen: cst.GeneratorExp) -> bool:
    """The generator is the first argument of a builtin that runs it before returning."""
    arg = ctx.parents.get(id(gen))
    call = ctx.parents.get(id(arg))
    if not isinstance(arg, cst.Arg) or not isinstance(call, cst.Call):
        return False
    if not call.args or call.args[0] is not arg or arg.keyword or arg.star:
        return False
    if any(a.star == "**" for a in call.args):
        return False  # may hold a `key`
    key = next((a.value for a in call.args if a.keyword and a.keyword.value == "key"), None)
    if key is not None and not _pure_key(ctx, key):
        return False  # `max(gen, key=f)` runs `f` between two of the generator's items
    return ctx.scope.builtin(call.func) in CONSUMERS


def _pure_key(ctx: FunctionContext, key: cst.BaseExpression) -> bool:
    """A key function that changes nothing: a lambda whose body the effect analysis finds
    pure, or a builtin it takes as pure (`len`)."""
    if isinstance(key, cst.Lambda):
        return ctx.scope.pure(key.body)
    return ctx.scope.builtin(key) in PURE_BUILTIN_CALLS


def suspends(loop: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Yield | cst.Await) for n in walk(loop))


def comp_targets(node: cst.CSTNode) -> set[str]:
    """Names bound by comprehension `for` targets under `node`."""

    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, cst.CompFor):
            out |= names_in(n.target)
    return out


def invariant_in(loop: cst.CSTNode, names: set[str]) -> bool:
    """None of `names` is rebound in `loop` or used there in a way that could mutate it."""

    bound = set(bound_names(loop)) | comp_targets(loop)
    if isinstance(loop, cst.For):
        bound |= names_in(loop.target)
    if names & bound:
        return False
    return all(not read_only_uses(loop, n).unsafe for n in names)


def statement_in_block(ctx: FunctionContext, node: cst.CSTNode) -> cst.CSTNode | None:
    """The statement holding `node` if that statement sits directly in an indented block."""
    stmt = stmt_of(ctx, node)
    return stmt if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock) else None


def init_before(
    ctx: FunctionContext, stmt: cst.CSTNode, name: str, values: tuple[str, ...]
) -> cst.SimpleStatementLine | None:
    """The `name = <one of values>` (or annotated) line that last binds `name` before `stmt`
    in the same block, with no mention of `name` in between; None otherwise."""

    found = block_of(ctx, stmt)
    if found is None:
        return None
    body, idx = found
    for prev in reversed(body[:idx]):
        if name not in names_in(prev):
            continue
        bound = single_binding(prev)
        if bound is None or not isinstance(prev, cst.SimpleStatementLine):
            return None
        target, value = bound
        ok = isinstance(target, cst.Name) and target.value == name and code(value) in values
        return prev if ok else None
    return None


def single_binding(stmt: cst.CSTNode) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(target, value) when `stmt` is a line holding one plain or annotated assignment to a
    single target; None otherwise."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.targets[0].target, small.value
    if isinstance(small, cst.AnnAssign) and small.value is not None:
        return small.target, small.value
    return None


def targets_private(ctx: FunctionContext, loop: cst.For) -> bool:
    """The loop's target names are mentioned nowhere in the function outside the loop (so a
    comprehension, which does not leak them, behaves the same)."""

    names = names_in(loop.target)
    inside = {id(n) for n in walk(loop, into_scopes=True)}
    return not any(n.value in names and id(n) not in inside for n in name_nodes(ctx.fn))


def plain_local(ctx: FunctionContext, name: str) -> bool:
    """A local of the function that no nested scope sees and no global/nonlocal declares."""

    return name not in declared_global(ctx.fn) | nested_scope_names(ctx.fn)


def collections_name(ctx: FunctionContext, attr: str, change: Change) -> str:
    local = from_imported(ctx.module, "collections", attr)
    if local and local not in ctx.env.names:
        return local
    return f"{module_ref(ctx, 'collections', change)}.{attr}"


def store_target(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    """`node` is stored to or deleted: the target of an assignment, augmented assignment,
    `del`, `for` or `with ... as`, alone or inside a tuple or list target."""
    child, up = node, ctx.parents.get(id(node))
    while isinstance(up, cst.Element | cst.StarredElement | cst.Tuple | cst.List):
        child, up = up, ctx.parents.get(id(up))
    if isinstance(up, cst.AsName):
        return up.name is child
    targets = (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del, cst.For, cst.CompFor)
    return isinstance(up, targets) and up.target is child


def shadowed(ctx: FunctionContext, names: frozenset[str]) -> bool:
    """The module (whose globals written helpers read; a function's `global` counts) or the
    function (where written code runs) binds one of `names`, builtins they take for granted,
    or the module imports `*`."""
    wide = _module_wide(ctx.module)
    if "*" in wide:
        return True
    bound = set(bound_names(ctx.module)) | set(bound_names(ctx.fn)) | param_names(ctx.fn)
    return bool((bound | wide) & names)


@per_node
def _module_wide(module: cst.Module) -> set[str]:
    """Names any function of the module declares `global`, and `*` when it imports `*`."""
    out: set[str] = set()
    for n in walk(module, into_scopes=True):  # `import *` is only legal at module level
        if isinstance(n, cst.ImportFrom) and isinstance(n.names, cst.ImportStar):
            out.add("*")
        if isinstance(n, cst.Global):
            out.update(g.name.value for g in n.names)
    return out
