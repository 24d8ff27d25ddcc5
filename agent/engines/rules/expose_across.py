"""`expose-callee-work` for a helper of another module (`from .grades import class_position`):
the core and a function computing the work are added beside the helper, in its module, where
they read that module's globals as the helper did; the caller imports them by name (or reaches
them through the module's alias) and passes the work's value in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.groupvia import module_names, reached_from, with_names
from agent.engines.rules.inline import _SAFE_BUILTINS
from agent.engines.rules.places import comp_targets
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, function_context
from agent.engines.rules.syntax import bound_names, module_function, names_in, param_names, walk


@dataclass(frozen=True)
class Across:
    """A call whose helper lives in module `home`."""

    home: str
    fn: cst.FunctionDef
    """The helper as `project.modules[home]` holds it (the node the change replaces)."""
    callee: FunctionContext
    """The helper's own context (another parse of its module), where the work was found."""
    work: cst.Call
    """The work, in `callee.fn`."""
    read: tuple[str, ...]
    """The helper's parameters the work reads, in order."""
    imported: cst.ImportFrom | None
    """The caller's `from ... import helper`, or None when it calls `alias.helper(...)`."""


def helper_elsewhere(
    ctx: FunctionContext, call: cst.Call, target: FunctionRef
) -> tuple[FunctionContext, cst.FunctionDef, cst.ImportFrom | None] | None:
    """The module function of another module that `call` reaches by name or through the
    module's alias: its context there, its node in the project, the caller's import."""
    module = ctx.project.modules.get(target.path)
    if module is None or target.cls is not None or "." in target.qualname:
        return None
    reached, imported = reached_from(ctx, call.func, target.path)
    if not reached:
        return None
    callee = function_context(target.path, module.code, target.qualname, ctx.project)
    fn = module_function(module, target.qualname)
    if callee is None or fn is None:
        return None
    return callee, fn, imported


def closed_there(callee: FunctionContext, home: str, work: cst.Call, params: set[str]) -> bool:
    """The work's free names are the helper's parameters, its module's own functions and
    imports, or builtins its module does not bind; nothing it binds clashes with a
    parameter, and the helper binds none of its names locally."""
    inner = comp_targets(work) | {
        p.name.value for n in walk(work) if isinstance(n, cst.Lambda) for p in n.params.params
    }
    if inner & params:
        return False
    project = callee.project
    module = set(project.defs.get(home, {})) | set(project.imports.get(home, {}))
    local = set(bound_names(callee.fn)) - params
    top = set(bound_names(project.modules[home]))
    for name in names_in(work) - inner - params:
        if name in local or (name not in _SAFE_BUILTINS and name not in module):
            return False
        if name in _SAFE_BUILTINS and name in top:
            return False
    return True


def expose_there(
    ctx: FunctionContext,
    change: Change,
    across: Across,
    call: cst.Call,
    split: Callable[[cst.FunctionDef, cst.Call, str, str], list[cst.BaseStatement]],
    made: dict[int, tuple[str, str]],
) -> cst.BaseExpression:
    """Add the core and the work's function beside the helper in its module (once per
    helper), import them where the caller imports the helper; the call that replaces `call`."""
    names = ctx.module_names | module_names(ctx.project.modules[across.home])
    helper = across.fn.name.value
    there = change.elsewhere.setdefault(across.home, Change())
    if id(across.fn) not in made:
        core = fresh_name(f"_{helper}_given", names)
        work_fn = fresh_name(f"_{helper}_work", names)
        value = fresh_name(
            "work_given", set(bound_names(across.callee.fn)) | param_names(across.fn)
        )
        pieces = split(across.callee.fn, across.work, core, value)
        body = cst.parse_statement(
            f"def {work_fn}({', '.join(across.read)}):\n    return {code(across.work)}\n"
        ).with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        there.replace[id(across.fn)] = lambda _u, new=[*pieces, body]: cst.FlattenSentinel(new)
        if across.imported is not None:
            change.replace[id(across.imported)] = lambda u, n=[core, work_fn]: with_names(u, n)
        made[id(across.fn)] = (core, work_fn)
    core, work_fn = made[id(across.fn)]
    prefix = "" if across.imported is not None else f"{code(call.func.value)}."  # type: ignore[attr-defined]
    params = [p.name.value for p in across.fn.params.params]
    args = dict(zip(params, [code(a.value) for a in call.args], strict=True))
    spelled = [code(a.value) for a in call.args]
    given = f"{prefix}{work_fn}({', '.join(args[p] for p in across.read)})"
    return cst.parse_expression(f"{prefix}{core}({', '.join([*spelled, given])})")
