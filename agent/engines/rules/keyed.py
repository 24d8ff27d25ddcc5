"""Calls in an inner loop that the outer loops change only through the inner loop's counter
(`column(m, j)` in `for i in ...: for j in range(cols):`) ⇒ computed once per counter value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.freshness import loop_counters
from agent.engines.rules.hoist import (
    _READ_PARENTS,
    _result_read_only,
    _stem,
    one_shot_tests,
    pure_call_facts,
)
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import enclosing_loops, stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.syntax import bound_names, declared_global, walk


@dataclass(frozen=True)
class _Keyed:
    outer: cst.CSTNode
    """The statement before which the memo starts empty: the outermost loop it serves."""
    stmt: cst.CSTNode
    """The statement the call sits in; its guard goes just before it."""
    counter: str
    sources: tuple[cst.Call, ...] = ()
    """The calls that bind the names it reads in the inner loop: where one of their
    arguments is a one-shot iterator, their value is not the counter's alone."""


class HoistPerCounter(Rule):
    """A call that the enclosing loops change only through an inner `for` loop's counter ⇒
    one result per counter value, in a dict made empty before the outer loop.

    Precondition: the callee is pure (repository-wide effect analysis, a pure standard-library
    function or a scanning builtin), and so is every call nested in its arguments; the
    arguments read only literals, names the outer loop never rebinds, the counter of an
    inner `for` over `range(...)` (or the index of `enumerate(...)`: ints, so equal keys are
    the same value), bound nowhere else in the outer loop, and names the outer loop binds
    only once, directly in that inner loop's body before the call, from such a call (so they
    too are a function of the counter); the outer loop is pure apart from changes to the
    function's own fresh containers, none of which the arguments may reach (`stable.py`);
    the result is immutable or only read (an operand, an argument the callee neither changes
    nor keeps, or a local that is only ever read that way), so sharing it is unobservable;
    the call runs unconditionally in its statement, after only trivial evaluations. The
    memo fills lazily in the original order, so the same calls raise the same exceptions;
    an argument that may be a one-shot iterator makes the call run again, as before.
    """

    id = "hoist-per-counter"
    title = "compute a call that depends only on an inner loop's counter once per value"

    def find(self, ctx: FunctionContext) -> list[Site]:
        return outermost_calls(ctx, lambda node: self._keyed(ctx, node), lambda f: f.counter)

    def _keyed(self, ctx: FunctionContext, node: cst.Call) -> _Keyed | None:
        facts = pure_call_facts(ctx, node)
        names = _call_names(ctx, node)
        if facts is None or names is None or names & declared_global(ctx.fn):
            return None
        if not (_result_read_only(ctx, node, facts) or _assigned_read_only(ctx, node)):
            return None
        stmt = stmt_of(ctx, node)
        if isinstance(stmt, cst.While) or not unconditional(ctx, node, stmt):
            return None
        if not evaluated_first(ctx, node, stmt):
            return None
        loops = enclosing_loops(ctx, node)
        if len(loops) < 2 or not all(isinstance(loop, cst.For | cst.While) for loop in loops):
            return None
        for depth in range(len(loops) - 1, 0, -1):
            inner = loops[depth]
            counters = loop_counters(ctx.scope, inner)
            if len(counters) != 1:
                continue
            (counter,) = counters
            for outer in loops[:depth]:
                sources = _serves(ctx, node, names, outer, inner, counter)
                if sources is not None:
                    return _Keyed(stmt_of(ctx, outer), stmt, counter, sources)
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        memos: dict[tuple[int, str], str] = {}
        guarded: set[tuple[int, str]] = set()
        for site in sites:
            found: _Keyed = site.extra
            text = code(site.node)
            memo = memo_for(ctx, site.node, found.outer, found.counter, memos, change)
            k = found.counter
            if (id(found.stmt), memo) not in guarded:
                guarded.add((id(found.stmt), memo))
                risky = [
                    t for c in (site.node, *found.sources) for t in one_shot_tests(ctx, change, c)
                ]
                test = " or ".join([f"{k} not in {memo}", *dict.fromkeys(risky)])
                guard = cst.parse_statement(f"if {test}:\n    {memo}[{k}] = {text}\n")
                change.insert_before(found.stmt, guard)
            change.replace[id(site.node)] = lambda _u, e=f"{memo}[{k}]": cst.parse_expression(e)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per value of the counter instead of on every iteration of "
            "the outer loop: the callee is pure and nothing else it reads changes there"
        )


def memo_for(
    ctx: FunctionContext,
    call: cst.Call,
    outer: cst.CSTNode,
    key: str,
    memos: dict[tuple[int, str], str],
    change: Change,
) -> str:
    """The memo of `call` by `key`: one per outer statement and call text, made empty just
    before that statement (by `change`) the first time it is asked for."""
    ident = (id(outer), code(call))
    if ident not in memos:
        memos[ident] = fresh_name(f"{_stem(call)}_by_{key}".lstrip("_"), ctx.module_names)
        init = cst.parse_statement(f"{memos[ident]} = {{}}\n")
        change.insert_before(outer, init)
    return memos[ident]


def outermost_calls(
    ctx: FunctionContext,
    probe: Callable[[cst.Call], Any],
    key_of: Callable[[Any], str],
) -> list[Site]:
    """A site for each call `probe` accepts (its finding as the site's extra), outermost
    first: the calls nested in an accepted one are computed with it."""
    sites = []
    inside: set[int] = set()
    for node in walk(ctx.fn):
        if not isinstance(node, cst.Call) or id(node) in inside:
            continue
        found = probe(node)
        if found is None:
            continue
        inside |= {id(n) for n in walk(node) if isinstance(n, cst.Call)}
        sites.append(ctx.site(node, f"`{code(node)}` per `{key_of(found)}`", extra=found))
    return sites


def _serves(
    ctx: FunctionContext,
    call: cst.Call,
    names: set[str],
    outer: cst.CSTNode,
    inner: cst.CSTNode,
    counter: str,
) -> tuple[cst.Call, ...] | None:
    """Whether a memo made empty before `outer` may answer `call` by `counter` alone: the
    calls that bind the names it reads in the inner loop (`_derived`), or None."""
    if not isinstance(ctx.parents.get(id(stmt_of(ctx, outer))), cst.IndentedBlock):
        return None
    if not ctx.scope.pure(outer):
        return None
    bound = bound_names(outer)
    if bound.get(counter, 0) != 1:
        return None
    derived = {n for n in names if n in bound and n != counter}
    steady = names - derived - {counter}
    if counter not in names and not derived:
        return None  # invariant in the outer loop: hoist-pure-call's case
    if not arguments_stable(ctx, outer, steady | derived):
        return None
    sources = []
    for name in sorted(derived):
        source = _derived(ctx, call, name, outer, inner, counter) if bound[name] == 1 else None
        if source is None:
            return None
        sources.append(source)
    return tuple(sources)


def _derived(
    ctx: FunctionContext,
    call: cst.Call,
    name: str,
    outer: cst.CSTNode,
    inner: cst.CSTNode,
    counter: str,
) -> cst.Call | None:
    """The call that binds `name`, directly in `inner`'s body and before the statement holding `call`,
    by `name = f(...)` with `f` pure and its arguments read from the counter and names that
    `outer` neither rebinds nor changes; None when there is no such call."""
    block = getattr(inner, "body", None)
    body = block.body if isinstance(block, cst.IndentedBlock) else ()
    holder = _top_statement(ctx, call, inner)
    for stmt in body:
        if stmt is holder:
            return None
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        assign = stmt.body[0]
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            continue
        target = assign.targets[0].target
        if not isinstance(target, cst.Name) or target.value != name:
            continue
        value = assign.value
        if not isinstance(value, cst.Call) or pure_call_facts(ctx, value) is None:
            return None
        read = _call_names(ctx, value)
        if read is None:
            return None
        steady = read - {counter}
        if steady & set(bound_names(outer)) or not arguments_stable(ctx, outer, steady):
            return None
        return value
    return None


def _top_statement(ctx: FunctionContext, node: cst.CSTNode, loop: cst.CSTNode) -> cst.CSTNode:
    """The statement of `loop`'s body that holds `node`."""
    cur, parent = node, ctx.parents.get(id(node))
    block = getattr(loop, "body", None)
    while parent is not None and parent is not block:
        cur, parent = parent, ctx.parents.get(id(parent))
    return cur


def _call_names(ctx: FunctionContext, call: cst.Call) -> set[str] | None:
    """Names a call reads, when each argument is a literal, a (dotted) name or a pure call of
    such arguments; None otherwise."""
    names: set[str] = set()
    func: cst.BaseExpression = call.func
    while isinstance(func, cst.Attribute):
        func = func.value
    if not isinstance(func, cst.Name):
        return None
    names.add(func.value)
    for arg in call.args:
        value = arg.value
        if arg.star:
            return None
        while isinstance(value, cst.Attribute):
            value = value.value
        if isinstance(value, cst.Name):
            names.add(value.value)
        elif isinstance(value, cst.Call):
            nested = _call_names(ctx, value) if pure_call_facts(ctx, value) else None
            if nested is None:
                return None
            names |= nested
        elif not isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
            return None
    return names


def _assigned_read_only(ctx: FunctionContext, call: cst.Call) -> bool:
    """`v = call` where every other use of `v` in the function only reads it: an operand,
    or an argument of a pure call that neither changes nor keeps it."""
    stmt = ctx.parents.get(id(call))
    if not isinstance(stmt, cst.Assign) or len(stmt.targets) != 1:
        return False
    target = stmt.targets[0].target
    if not isinstance(target, cst.Name):
        return False
    for n in walk(ctx.fn, into_scopes=True):
        if not isinstance(n, cst.Name) or n.value != target.value or n is target:
            continue
        parent = ctx.parents.get(id(n))
        if isinstance(parent, _READ_PARENTS):
            continue
        if isinstance(parent, cst.Attribute) and parent.attr is n:
            continue  # `obj.v`: another object's attribute
        if isinstance(parent, cst.Arg) and parent.keyword is n:
            continue
        if isinstance(parent, cst.AssignTarget):
            continue  # another binding: what it binds is not the shared result
        if not isinstance(parent, cst.Arg) or parent.star:
            return False
        user = ctx.parents.get(id(parent))
        user_facts = ctx.scope.call(user) if isinstance(user, cst.Call) else None
        if user_facts is None or not isinstance(user, cst.Call):
            return False
        if list(user.args).index(parent) not in user_facts.readonly_args:
            return False
        if user_facts.passes_through and user_facts.returns != "immutable":
            return False
    return True
