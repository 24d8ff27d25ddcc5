"""A pure call on each element of a list that a loop passes over again and again
(`sum(float(p.implied()) ** k for p in prices)` in every round of a bisection) ⇒ each
element's value computed once, at the first pass that reaches it, and read back after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, insert_before, module_helper
from agent.engines.rules.hoist import _result_read_only, pure_call_facts
from agent.engines.rules.keyed_values import builtins_in, shadowed
from agent.engines.rules.order import evaluated_first_in
from agent.engines.rules.places import enclosing_loops, stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.syntax import SCOPES, bound_names, declared_global, names_in, walk

_HELPER = '''
def {name}(memo, items, compute):
    """`(item, compute(item))` for each item. For a list or tuple, each item's value is
    computed at the first pass that reaches it and kept in `memo` while `items` is the very
    same sequence of the same length; a pass that stops early (an exception, a
    short-circuit) leaves the rest to the next."""
    if type(items) is not list and type(items) is not tuple:
        return ((item, compute(item)) for item in items)
    if not memo or memo[0] is not items or memo[1] != len(items):
        memo[:] = [items, len(items), []]
    values = memo[2]
    if len(values) == len(items):
        return zip(items, values)

    def fill():
        for i, item in enumerate(items):
            if i == len(values):
                values.append(compute(item))
            yield item, values[i]

    return fill()
'''
_BUILTINS = builtins_in(_HELPER)
_CONSUMERS = frozenset(
    {"sum", "min", "max", "any", "all", "sorted", "list", "tuple", "set", "frozenset", "dict"}
)
"""Builtins that use up a generator expression before they return."""


@dataclass(frozen=True)
class _Element:
    loop: cst.CSTNode
    """The statement of the outermost loop that passes over the elements unchanged."""
    inner: cst.For | cst.CompFor
    """The inner loop over the elements."""
    item: str


class HoistPerElement(Rule):
    """A pure call that reads an inner loop's element and nothing an outer loop changes ⇒
    each element's value computed once for the outer loop and read back on later passes.

    Precondition: the inner loop is a `for` statement or a comprehension's only clause
    (no `if`; a generator expression used up by a builtin where it is made) over a name or
    attribute chain, with a plain name target; the call and every call in it are pure
    (repository-wide effect analysis), at least one of them is worth computing once (a
    repository function or method, a pure standard-library function, a scanning builtin);
    it reads only the element and names the outer loop neither binds nor changes, is
    evaluated every time, first in the element (in the first statement of a `for` body),
    and its result is immutable or only read. The outer loop is pure apart from changes to
    the function's own fresh containers, none of which the call's names may reach. At run
    time the memo serves only a list or tuple that is the very same object with the same
    length; other iterables run as written.
    """

    id = "hoist-per-element"
    title = "compute a pure call on each element of an unchanged list once per loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if shadowed(ctx, _BUILTINS):
            return []
        sites = []
        for node in walk(ctx.fn):
            if isinstance(node, cst.Call):
                found = self._element(ctx, node)
                if found is not None:
                    sites.append(ctx.site(node, f"`{code(node)}`", found))
        return _first_per_inner(sites)

    def _element(self, ctx: FunctionContext, node: cst.Call) -> _Element | None:
        loops = enclosing_loops(ctx, node)
        if len(loops) < 2 or not all(isinstance(x, cst.For | cst.While) for x in loops[:-1]):
            return None
        inner, top = _inner(ctx, loops[-1])
        if inner is None or top is None:
            return None
        item = code(inner.target)
        names = names_in(node)
        if item not in names or not _worth(ctx, node) or names & declared_global(ctx.fn):
            return None
        if not _evaluated_each_time(ctx, node, top) or not evaluated_first_in(ctx, node, top):
            return None
        facts = ctx.scope.call(node)
        if facts is None or not _result_read_only(ctx, node, facts):
            return None
        reads = (names - {item}) | names_in(inner.iter)
        for loop in loops[:-1]:
            bound = set(bound_names(loop)) | (
                names_in(loop.target) if isinstance(loop, cst.For) else set()
            )
            if reads & bound or not ctx.scope.pure(loop) or not arguments_stable(ctx, loop, reads):
                continue
            stmt = stmt_of(ctx, loop)
            if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
                return _Element(stmt, inner, item)
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        helper = module_helper(
            ctx.module, ctx.module_names, change.constants, "_each_once",
            lambda name: _HELPER.format(name=name).lstrip(),
        )  # fmt: skip
        before: dict[int, tuple[cst.CSTNode, list[cst.BaseStatement]]] = {}
        taken = set(ctx.module_names) | set(bound_names(ctx.fn))
        for site in sites:
            found: _Element = site.extra
            memo = fresh_name(f"{found.item}_values", taken)
            value = fresh_name(f"{found.item}_value", taken | {memo})
            taken |= {memo, value}
            before.setdefault(id(found.loop), (found.loop, []))[1].append(
                cst.parse_statement(f"{memo} = []\n")
            )
            each = cst.parse_expression(
                f"{helper}({memo}, {code(found.inner.iter)}, lambda {found.item}: {code(site.node)})"
            )
            target = cst.parse_expression(f"({found.item}, {value})")
            change.replace[id(site.node)] = lambda _u, v=value: cst.Name(v)
            change.replace[id(found.inner)] = lambda u, t=target, e=each: u.with_changes(
                target=t.with_changes(lpar=[], rpar=[]), iter=e
            )
        for loop, stmts in before.values():
            change.replace[id(loop)] = insert_before(loop, *stmts)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per element for the whole loop instead of on every pass: "
            "the call is pure and the loop changes neither the elements nor what it reads"
        )


def _inner(
    ctx: FunctionContext, loop: cst.CSTNode
) -> tuple[cst.For | cst.CompFor | None, cst.CSTNode | None]:
    """The inner loop's clause and the part of it evaluated first for each element (a
    comprehension's element, a `for` body's first statement), when it has that shape."""
    clause: cst.For | cst.CompFor
    top: cst.CSTNode
    if isinstance(loop, cst.For):
        body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
        if loop.asynchronous or not body or not isinstance(body[0], cst.SimpleStatementLine):
            return None, None
        clause, top = loop, body[0].body[0]
    elif isinstance(loop, cst.ListComp | cst.SetComp | cst.GeneratorExp):
        clause, top = loop.for_in, loop.elt
        if loop.for_in.ifs or loop.for_in.inner_for_in is not None or clause.asynchronous:
            return None, None
        if isinstance(loop, cst.GeneratorExp) and not _used_up(ctx, loop):
            return None, None
    else:
        return None, None
    if not isinstance(clause.target, cst.Name) or not _chain(clause.iter):
        return None, None
    return clause, top


def _used_up(ctx: FunctionContext, gen: cst.GeneratorExp) -> bool:
    """The generator expression is the only argument of a builtin that consumes it."""
    arg = ctx.parents.get(id(gen))
    call = ctx.parents.get(id(arg)) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or len(call.args) != 1 or arg.keyword or arg.star:  # type: ignore[union-attr]
        return False
    return ctx.scope.builtin(call.func) in _CONSUMERS


def _chain(expr: cst.BaseExpression) -> bool:
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


def _worth(ctx: FunctionContext, node: cst.Call) -> bool:
    """Every call in `node` is pure and one of them costs more than a lookup: a repository
    function or method (also one known by its name alone), a pure standard-library function
    or a scanning builtin. Nothing in it binds or defers (no lambda, comprehension, `:=`)."""
    worth = False
    for n in walk(node, into_scopes=True):
        if isinstance(n, (*SCOPES, cst.BaseComp, cst.NamedExpr)):
            return False
        if isinstance(n, cst.Call):
            if any(a.star for a in n.args) or ctx.scope.call(n) is None:
                return False
            method = isinstance(n.func, cst.Attribute) and ctx.project.defines_method(
                n.func.attr.value
            )
            worth = worth or method or pure_call_facts(ctx, n) is not None
    return worth


def _evaluated_each_time(ctx: FunctionContext, node: cst.CSTNode, top: cst.CSTNode) -> bool:
    """`node` is evaluated once each time `top` is: not in a short-circuited operand or a
    conditional expression's branch."""
    child, cur = node, ctx.parents.get(id(node))
    while child is not top and cur is not None:
        if isinstance(cur, cst.BooleanOperation) and child is cur.right:
            return False
        if isinstance(cur, cst.IfExp) and child is not cur.test:
            return False
        if isinstance(cur, cst.BaseComp | cst.Lambda | cst.CompFor | cst.CompIf):
            return False
        child, cur = cur, ctx.parents.get(id(cur))
    return child is top


def _first_per_inner(sites: list[Site]) -> list[Site]:
    """One call per inner loop: the first found (the outermost, evaluated first)."""
    seen: set[int] = set()
    out = []
    for site in sites:
        if id(site.extra.inner) not in seen:
            seen.add(id(site.extra.inner))
            out.append(site)
    return out
