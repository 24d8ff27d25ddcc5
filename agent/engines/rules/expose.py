"""Work a helper does first on arguments its caller's loop never changes (`rank_of(scores,
name)` sorting all of `scores` for every name), handed in by the caller: the helper becomes
a wrapper around a core that takes the value, and the loop's call passes it, where the hoist
rules can compute it once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from agent.engines.rules.constants import rebound_from_outside
from agent.engines.rules.edits import code, fresh_name, is_docstring
from agent.engines.rules.expose_across import Across, closed_there, expose_there, helper_elsewhere
from agent.engines.rules.hoist import _stem, pure_call_facts
from agent.engines.rules.inline import _SAFE_BUILTINS, _substitute
from agent.engines.rules.keyed_values import _variable
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import COMPREHENSIONS, comp_targets, enclosing_loops
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, module_function, names_in, param_names, walk


class ExposeCalleeWork(Rule):
    """`f(a, b)` in a loop or comprehension, where the first statement of the repository
    function `f` begins with a pure call `E` on its parameters (`sorted(scores, key=lambda
    s: -scores[s])`) ⇒ `f` calls a new core `_f_given(a, b, E)` with `E` in place, and the
    loop calls the core with `E` on its own arguments: the same value, made at the same point
    (after the arguments, before the rest of `f`), now in the caller, where hoist-pure-call
    and hoist-pure-call-comp can make it once. On its own the rewrite saves nothing: it is an
    enabler, after which combined plans try every rule again.

    Precondition: `f` is a plain module function of the caller's file, bound only by its
    `def` (no decorators, no `*`/`**` or keyword-only parameters, not a generator nor async,
    not the caller); `E` is the outermost call in `f`'s first statement (after a docstring)
    that is evaluated first and unconditionally there, pure, without `:=`, and reads only
    parameters that `f` never rebinds, the module's own functions and imports, and builtins,
    none of them shadowed by the caller, and lambdas whose parameters clash with no parameter
    or argument; the loop's call passes a literal or a name for each parameter `E` reads
    (read again for `E` right after the arguments, which hold no `:=`: the same objects), and
    none of them is a name the innermost loop binds.
    """

    id = "expose-callee-work"
    title = "hand a helper's work on unchanged arguments in from the loop that calls it"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or not enclosing_loops(ctx, node):
                continue
            found = self._exposable(ctx, node)
            if found is not None:
                sites.append(ctx.site(node, f"`{code(node)}`", found))
        return sites

    def _exposable(
        self, ctx: FunctionContext, call: cst.Call
    ) -> tuple[cst.FunctionDef, cst.Call, cst.BaseExpression] | Across | None:
        target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
        if not isinstance(target, FunctionRef) or target.cls is not None:
            return None
        if target.qualname in rebound_from_outside(ctx.project, target.path):
            return None  # `mod.f = wrapper` elsewhere: the loop's call may not reach `f`
        if target.path != ctx.path:
            return self._across(ctx, call, target)
        if "." in target.qualname:
            return None
        fn = module_function(ctx.module, target.qualname)
        if fn is None or fn is ctx.fn or not _plain(fn) or not _bound_once(ctx.module, fn):
            return None
        params = [p.name.value for p in fn.params.params]
        if len(call.args) != len(params) or any(a.keyword or a.star for a in call.args):
            return None
        if any(isinstance(n, cst.NamedExpr) for n in walk(call)):
            return None  # `:=` in an argument could rebind a name the work reads again
        args = {n: a.value for n, a in zip(params, call.args, strict=True)}
        work = _first_work(ctx, fn, call, args)
        if work is None or not self._closed(ctx, work, set(params), args):
            return None
        moved = _substitute(work, args)
        return (fn, work, moved) if moved is not None else None

    def _across(self, ctx: FunctionContext, call: cst.Call, target: FunctionRef) -> Across | None:
        """The same for a module function of another module (`expose_across`)."""
        found = helper_elsewhere(ctx, call, target)
        if found is None:
            return None
        callee, fn, imported = found
        module = ctx.project.modules[target.path]
        if not _plain(callee.fn) or not _bound_once(module, fn) or _core_of(module, fn, None):
            return None
        params = [p.name.value for p in fn.params.params]
        if len(call.args) != len(params) or any(a.keyword or a.star for a in call.args):
            return None
        if any(isinstance(n, cst.NamedExpr) for n in walk(call)):
            return None
        args = {n: a.value for n, a in zip(params, call.args, strict=True)}
        work = _first_work(ctx, callee.fn, call, args, callee)
        if work is None or not closed_there(callee, target.path, work, set(params)):
            return None
        read = tuple(p for p in params if p in names_in(work))
        return Across(target.path, fn, callee, work, read, imported)

    def _closed(
        self,
        ctx: FunctionContext,
        work: cst.Call,
        params: set[str],
        args: dict[str, cst.BaseExpression],
    ) -> bool:
        """Free names of `work` are parameters or builtins no one shadows; the names its
        lambdas and generators bind clash with no parameter or argument."""
        inner = comp_targets(work) | {
            p.name.value for n in walk(work) if isinstance(n, cst.Lambda) for p in n.params.params
        }
        arg_names = set().union(*(names_in(a) for a in args.values()))
        if inner & (params | arg_names):
            return False
        caller_locals = set(bound_names(ctx.fn)) | param_names(ctx.fn)
        module = set(ctx.project.defs.get(ctx.path, {})) | set(
            ctx.project.imports.get(ctx.path, {})
        )
        for name in names_in(work) - inner - params:
            if name in caller_locals or (name not in _SAFE_BUILTINS and name not in module):
                return False  # the caller is in the callee's module: its globals are the same
        return True

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        cores: dict[int, str] = {}
        across: dict[int, tuple[str, str]] = {}
        for site in sites:
            if isinstance(site.extra, Across):
                new = expose_there(ctx, change, site.extra, site.node, _split, across)
                change.replace[id(site.node)] = lambda _u, new=new: new
                continue
            fn, work, moved = site.extra
            if id(fn) not in cores and _core_of(ctx.module, fn, work):
                cores[id(fn)] = _core_of(ctx.module, fn, work)
            if id(fn) not in cores:
                cores[id(fn)] = fresh_name(f"_{fn.name.value}_given", ctx.module_names)
                value = fresh_name(f"{_stem(work)}_given", set(bound_names(fn)) | param_names(fn))
                split = _split(fn, work, cores[id(fn)], value)
                change.replace[id(fn)] = lambda _u, split=split: cst.FlattenSentinel(split)
            call: cst.Call = site.node
            args = [code(a.value) for a in call.args] + [code(moved)]
            new = cst.parse_expression(f"{cores[id(fn)]}({', '.join(args)})")
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"hand the work {calls} does first on unchanged arguments in from this loop (the "
            "helper keeps its behaviour as a wrapper), so it can be computed once here"
        )


def _bound_once(module: cst.Module, fn: cst.FunctionDef) -> bool:
    """The module binds the name only by this `def` (no later `f = wrap(f)`, no `global f`
    elsewhere, no `import *` that could rebind it)."""
    name = fn.name.value
    for node in walk(module, into_scopes=True):
        if isinstance(node, cst.Global) and any(n.name.value == name for n in node.names):
            return False
        if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
            return False
    return bound_names(module).get(name) == 1


def _plain(fn: cst.FunctionDef) -> bool:
    params = fn.params
    if fn.decorators or fn.asynchronous is not None or params.posonly_params:
        return False
    if isinstance(params.star_arg, cst.Param | cst.ParamStar) or params.star_kwarg is not None:
        return False
    if params.kwonly_params or not isinstance(fn.body, cst.IndentedBlock):
        return False
    return not any(isinstance(n, cst.Yield | cst.Await) for n in walk(fn.body, into_scopes=False))


def _first_statement(fn: cst.FunctionDef) -> cst.BaseStatement | None:
    body: list[cst.BaseStatement] = list(fn.body.body)  # type: ignore[arg-type]
    if body and is_docstring(body[0]):
        body = body[1:]
    return body[0] if body else None


def _first_work(
    ctx: FunctionContext,
    fn: cst.FunctionDef,
    call: cst.Call,
    args: dict[str, cst.BaseExpression],
    inner: FunctionContext | None = None,
) -> cst.Call | None:
    """The outermost pure call in `fn`'s first statement that runs first and always there,
    on parameters `fn` never rebinds, all bound at `call` to values the loop keeps (`inner`:
    `fn`'s own context, when it is in another module)."""
    stmt = _first_statement(fn)
    if stmt is None:
        return None
    if inner is None:
        inner = FunctionContext(ctx.path, ctx.wrapper, fn, fn.name.value, ctx.project)
    params = set(args)
    rebound = set(bound_names(fn)) & params
    for node in walk(stmt.iter if isinstance(stmt, cst.For) else stmt):
        if not isinstance(node, cst.Call) or pure_call_facts(inner, node) is None:
            continue
        if any(isinstance(n, cst.NamedExpr | cst.Yield | cst.Await) for n in walk(node)):
            continue  # it would bind (or suspend) in the caller instead
        if isinstance(stmt, cst.For):
            if stmt.iter is not node:
                continue
        elif not (unconditional(inner, node, stmt) and evaluated_first(inner, node, stmt)):
            continue
        read = names_in(node) & params
        used = [args[p] for p in read]
        if not read or read & rebound or not all(_name_or_literal(a) for a in used):
            continue
        if _invariant(ctx, call, used):
            return node
    return None


def _invariant(ctx: FunctionContext, call: cst.Call, used: list[cst.BaseExpression]) -> bool:
    """None of `used` names what the innermost loop around the call binds, or, inside an
    outer loop, only the innermost loop's own plain variable: there is something a hoist
    could keep (once, or once per value of that variable: hoist-per-key)."""
    loops = enclosing_loops(ctx, call)
    loop = loops[-1]
    bound = set(bound_names(loop))
    if isinstance(loop, cst.For):
        bound |= names_in(loop.target)
    elif isinstance(loop, COMPREHENSIONS):
        bound |= comp_targets(loop)
    read = set().union(*(names_in(a) for a in used)) & bound
    return not read or (len(loops) >= 2 and read == {_variable(ctx, loop)})


def _core_of(module: cst.Module, fn: cst.FunctionDef, work: cst.Call | None) -> str:
    """The core `fn` already wraps (`return core(a, b, work)`, made by this rule for another
    caller; any work when `work` is None), or ""."""
    stmt = _first_statement(fn)
    body = list(fn.body.body)
    if stmt is None or body[-1] is not stmt or not isinstance(stmt, cst.SimpleStatementLine):
        return ""
    ret = stmt.body[0]
    if not isinstance(ret, cst.Return) or not isinstance(ret.value, cst.Call):
        return ""
    call = ret.value
    spelled = [code(a.value) for a in call.args]
    params = [p.name.value for p in fn.params.params]
    if spelled[:-1] != params or (work is not None and spelled[-1] != code(work)):
        return ""
    if not isinstance(call.func, cst.Name) or module_function(module, call.func.value) is None:
        return ""
    return call.func.value


def _name_or_literal(arg: cst.BaseExpression) -> bool:
    """Read again for the work, right after the arguments: the same object, as no code runs
    in between (an unbound name raises the same NameError first, at the argument)."""
    return isinstance(arg, cst.Name | cst.Integer | cst.Float | cst.SimpleString)


def _split(fn: cst.FunctionDef, work: cst.Call, core: str, value: str) -> list[cst.BaseStatement]:
    """`fn` as a wrapper passing `work` to `core`, and `core`: `fn`'s body with `value` in
    place of `work`."""
    params = [p.name.value for p in fn.params.params]

    class _Put(cst.CSTTransformer):
        def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
            return cst.Name(value) if original_node is work else updated_node

    body: list[cst.BaseStatement] = list(fn.body.body)  # type: ignore[arg-type]
    doc = body[:1] if body and is_docstring(body[0]) else []
    rest = cst.IndentedBlock(body=body[len(doc) :]).visit(_Put())
    ret = cst.parse_statement(f"return {core}({', '.join([*params, code(work)])})\n")
    wrapper = fn.with_changes(body=fn.body.with_changes(body=[*doc, ret]))
    core_params = ", ".join([*params, value])
    head = cst.parse_statement(f"def {core}({core_params}):\n    pass\n")
    assert isinstance(head, cst.FunctionDef)
    new_core = head.with_changes(body=rest, leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    return [wrapper, new_core]
