"""A pure call on each element of a list that a loop passes over again and again
(`sum(weight(p) ** k for p in prices)` in every round of a bisection) ⇒ each element's
value computed once, where the call stood, at the first pass that reaches it, and read
back after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.hoist import _result_read_only, pure_call_facts
from agent.engines.rules.iteration import to_note
from agent.engines.rules.keyed_values import builtins_in
from agent.engines.rules.order import conditional_step
from agent.engines.rules.places import enclosing_loops, shadowed, stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable, changed_containers
from agent.engines.rules.syntax import (
    SCOPES,
    bound_names,
    declared_global,
    names_in,
    param_names,
    walk,
)

_HELPER = '''
def {indexed}(seen, values, items):
    """`enumerate(items)`, after emptying `values` unless `items` is the very same list or
    tuple, of the same length, as at the pass that computed them."""
    if type(items) is not list and type(items) is not tuple:
        seen.clear()
        values.clear()
    elif not seen or seen[0] is not items or seen[1] != len(items):
        seen[:] = [items, len(items)]
        values.clear()
    return enumerate(items)


def {keep}(values, value):
    values.append(value)
    return value
'''
_BUILTINS = builtins_in(_HELPER)
_PLAIN_ITERABLES = frozenset({"list", "tuple", "str", "dict", "set", "frozenset"})
"""Kinds whose iteration runs no code of the program's."""
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
    (repository-wide effect analysis) and one of them is worth computing once (a
    repository function or method, a pure standard-library function, a scanning builtin);
    it reads only the element and names the outer loop never binds, is evaluated every time
    the element is (in a `for` body, in its first statement), and its result is immutable
    or only read. The outer loop is pure; the containers of the function's own that it
    changes are reachable neither from what the call reads nor from the elements (when it
    changes any, the list is the caller's and the function changes nothing it was given);
    it is a `while` loop or a `for` over `range` or a known list, tuple, string, dict or
    set (iterating runs no code). The call stays where it was,
    as `values[i] if i < len(values) else keep(values, call)`: it runs at the same point,
    raising the same exceptions, until it has a value for the element. At run time the
    values serve only a list or tuple that is the very same object with the same length as
    when they were computed; for other iterables every pass computes them again.
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
        facts = ctx.scope.call(node)
        if not _evaluated_each_time(ctx, node, top) or facts is None:
            return None
        if not _result_read_only(ctx, node, facts):
            return None
        reads = (names - {item}) | names_in(inner.iter)
        for loop in loops[:-1]:
            if reads & _bound_in(loop) or not _unchanging(ctx, loop, inner.iter, reads):
                continue
            own = {id(inner.iter), id(getattr(loop, "iter", inner.iter))}  # checked already
            if any(id(it) not in own for it in to_note(ctx, loop)):
                continue  # a loop in it may run code between passes (`iteration.py`)
            stmt = stmt_of(ctx, loop)
            if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
                return _Element(stmt, inner, item)
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bases = {"indexed": "_each_indexed", "keep": "_keep_value"}
        text = _HELPER.format(**bases).lstrip()
        names: dict[str, str] = {}
        for key, base in bases.items():

            def text_of(name: str, base: str = base) -> str:
                return _one_helper(text, base, name)

            names[key] = module_helper(
                ctx.module, ctx.module_names, change.constants, base, text_of
            )
        taken = set(ctx.module_names) | set(bound_names(ctx.fn))
        for site in sites:
            found: _Element = site.extra
            seen, values, i = (
                fresh_name(f"{found.item}_{what}", taken) for what in ("seen", "values", "i")
            )
            taken |= {seen, values, i}
            change.insert_before(found.loop, cst.parse_statement(f"{seen}, {values} = [], []\n"))
            read = cst.parse_expression(
                f"({values}[{i}] if {i} < len({values}) "
                f"else {names['keep']}({values}, {code(site.node)}))"
            )
            each = cst.parse_expression(
                f"{names['indexed']}({seen}, {values}, {code(found.inner.iter)})"
            )
            target = cst.parse_expression(f"({i}, {found.item})").with_changes(lpar=[], rpar=[])
            change.replace[id(site.node)] = lambda _u, r=read: r
            change.replace[id(found.inner)] = lambda u, t=target, e=each: u.with_changes(
                target=t, iter=e
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per element for the whole loop instead of on every pass: "
            "the call is pure and the loop changes neither the elements nor what it reads"
        )


def _one_helper(text: str, base: str, name: str) -> str:
    """The definition of helper `base` in `text`, called `name`."""
    module = cst.parse_module(text)
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == base:
            return cst.Module([]).code_for_node(stmt.with_changes(name=cst.Name(name)))
    raise KeyError(base)


def _bound_in(loop: cst.CSTNode) -> set[str]:
    bound = set(bound_names(loop))
    return bound | names_in(loop.target) if isinstance(loop, cst.For) else bound


def _unchanging(
    ctx: FunctionContext, loop: cst.CSTNode, items: cst.BaseExpression, reads: set[str]
) -> bool:
    """The loop is pure, getting its next iteration runs no code, and what the call reads
    cannot change under it: the containers it changes (the function's own) are reachable
    neither from the names the call reads nor, unless it changes none, from the elements
    (then the function's caller gave the list, and the function changes nothing it was
    given, so it cannot have put one of its own containers inside)."""
    changed = changed_containers(ctx, loop)
    if not ctx.scope.pure(loop) or changed is None or not arguments_stable(ctx, loop, reads):
        return False
    if changed and not _given(ctx, items):
        return False
    if isinstance(loop, cst.While):
        return True
    assert isinstance(loop, cst.For)
    it = loop.iter
    if isinstance(it, cst.Call) and ctx.scope.builtin(it.func) == "range":
        return True
    return ctx.env.infer(it).kind in _PLAIN_ITERABLES


def _given(ctx: FunctionContext, items: cst.BaseExpression) -> bool:
    """`items` is a parameter (or an attribute chain of one) the function never rebinds,
    and the function changes nothing it was given."""
    root = items
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name) or root.value not in param_names(ctx.fn):
        return False
    return root.value not in bound_names(ctx.fn.body) and ctx.scope.pure(ctx.fn.body)


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
    function or method, a pure standard-library function or a scanning builtin. Nothing in it binds or defers (no lambda, comprehension, `:=`)."""
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
    """`node` is evaluated once each time `top` is: not in a short-circuited operand, a
    conditional expression's branch, a later link of a comparison chain or an `assert`."""
    child, cur = node, ctx.parents.get(id(node))
    while child is not top and cur is not None:
        if conditional_step(cur, child):
            return False
        child, cur = cur, ctx.parents.get(id(cur))
    return child is top


def _first_per_inner(sites: list[Site]) -> list[Site]:
    """One call per inner loop: the first found (the outermost, evaluated first); and none
    whose outer loop is another's inner loop (both would rewrite that statement)."""
    seen: set[int] = set()
    out = []
    for site in sites:
        if id(site.extra.inner) not in seen:
            seen.add(id(site.extra.inner))
            out.append(site)
    return [site for site in out if id(site.extra.loop) not in seen]
