"""Calls to pure functions whose arguments a loop rebinds only now and then (`if
f(candidate) < f(best): best = candidate`): the value is kept and computed again only after
an argument was rebound, instead of on every iteration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.hoist import (
    HoistPureCall,
    _argument_names,
    _stem,
    in_nested,
    kept_in_place,
    read_pure_calls,
)
from agent.engines.rules.places import enclosing_loops, stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.syntax import bound_names, declared_global, names_in, walk


@dataclass
class _Refresh:
    loop: cst.CSTNode
    """The loop statement before which the kept value starts out not computed."""
    rebinds: list[cst.CSTNode]
    """The statements (in the loop) after which it is not computed again."""


class RefreshPureCall(Rule):
    """A call to a pure function inside a loop that rebinds some of its arguments only
    conditionally ⇒ `(v if v is not _NOT_COMPUTED else (v := f(a, b)))` in place of the call,
    `v = _NOT_COMPUTED` before the loop and after every statement that rebinds an argument.

    Precondition: the callee is pure and closed (its result depends only on its arguments:
    a repository function, a pure standard-library function or a scanning builtin); every
    argument is a literal or a (dotted) name; the loop runs only pure code, and changes no
    container the arguments may reach (`stable.py`), so the value can change only when an
    argument is rebound; inside the loop every argument name is rebound only by plain
    `name = value` statements, each in a block (never a loop target, `+=`, `:=`, `with`,
    `del`, an import or a `global`), and none of them unconditionally in the innermost loop
    around the call (the value would never be reused); the result is immutable or only read,
    so sharing it is unobservable; the call is not in a comprehension or lambda (the `:=`
    must bind the function's own local). The call still runs exactly where it did whenever
    the value is not known, so its exceptions and their order are unchanged.
    """

    id = "refresh-pure-call"
    title = "keep a pure call's value until its arguments are rebound"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        hoist = HoistPureCall()
        taken = {id(s.node) for s in hoist.find(ctx)}
        for node, facts in read_pure_calls(ctx):
            if id(node) in taken or not facts.closed:
                continue
            found = self._refresh(ctx, node)
            if found is not None:
                sites.append(ctx.site(node, f"`{code(node)}`", extra=found))
        return sites

    def _refresh(self, ctx: FunctionContext, call: cst.Call) -> _Refresh | None:
        names = _argument_names(call)
        if names is None or names & declared_global(ctx.fn) or in_nested(ctx, call):
            return None
        loops = enclosing_loops(ctx, call)
        if not loops or not all(isinstance(loop, cst.For | cst.While) for loop in loops):
            return None
        for loop in loops:  # outermost first
            if not ctx.scope.pure(loop):
                continue
            rebinds = _plain_rebinds(ctx, loop, names)
            if rebinds is None or not arguments_stable(ctx, loop, names):
                continue  # an inner loop may rebind and change less
            if not rebinds or any(_every_time(ctx, stmt, loops[-1]) for stmt in rebinds):
                return None  # hoist-pure-call's case, or a value never reused
            outer = stmt_of(ctx, loop)
            if not isinstance(ctx.parents.get(id(outer)), cst.IndentedBlock):
                return None
            return _Refresh(outer, rebinds)
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        missing = fresh_name("_NOT_COMPUTED", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{missing} = object()\n"))
        after: dict[int, tuple[cst.CSTNode, list[cst.BaseStatement]]] = {}
        made: dict[tuple[int, str], str] = {}
        for site in sites:
            found: _Refresh = site.extra
            text = code(site.node)
            key = (id(found.loop), text)
            if key not in made:
                name = made[key] = fresh_name(f"{_stem(site.node)}_kept", ctx.module_names)
                reset = cst.parse_statement(f"{name} = {missing}\n")
                change.insert_before(found.loop, reset)
                for stmt in found.rebinds:
                    after.setdefault(id(stmt), (stmt, []))[1].append(reset)
            name = made[key]
            # a generator argument: the first call used it up, so call again
            kept = kept_in_place(ctx, change, site.node, name, missing)
            change.replace[id(site.node)] = lambda _u, kept=kept: kept
        for target, new in after.values():
            change.replace[id(target)] = _insert_after(*new)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep the value of {calls} and compute it again only after an argument is "
            "rebound: the callee is pure and nothing else it reads changes in the loop"
        )


def _insert_after(*new: cst.BaseStatement):  # type: ignore[no-untyped-def]
    def do(updated: cst.CSTNode) -> cst.FlattenSentinel[cst.BaseStatement]:
        return cst.FlattenSentinel([updated, *new])  # type: ignore[list-item]

    return do


def _plain_rebinds(
    ctx: FunctionContext, loop: cst.CSTNode, names: set[str]
) -> list[cst.CSTNode] | None:
    """The statements that rebind `names` in `loop`, when each is a plain `name = value` in
    a block; None when any other binding form rebinds one of them."""
    bound = bound_names(loop)
    if isinstance(loop, cst.For) and names & names_in(loop.target):
        return None
    plain: dict[str, int] = {}
    stmts: list[cst.CSTNode] = []
    for n in walk(loop):
        if not isinstance(n, cst.Assign) or len(n.targets) != 1:
            continue
        target = n.targets[0].target
        if not isinstance(target, cst.Name) or target.value not in names:
            continue
        line = ctx.parents.get(id(n))
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        if not isinstance(ctx.parents.get(id(line)), cst.IndentedBlock):
            return None
        plain[target.value] = plain.get(target.value, 0) + 1
        stmts.append(line)
    for name in names:
        if bound.get(name, 0) != plain.get(name, 0):
            return None
    return stmts


def _every_time(ctx: FunctionContext, stmt: cst.CSTNode, inner: cst.CSTNode) -> bool:
    """`stmt` runs on every iteration of the loop `inner` (no `if`/`try`/loop between)."""
    cur = ctx.parents.get(id(stmt))
    while cur is not None and cur is not inner:
        if isinstance(cur, cst.If | cst.Try | cst.For | cst.While | cst.With | cst.Match):
            return False
        cur = ctx.parents.get(id(cur))
    return cur is inner
