"""The same pure call evaluated more than once in a block (a conversion, a lookup, a
formatting call repeated on the same values) ⇒ computed once into a local."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.hoist import one_shot_tests
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stdlib import changed_by
from agent.engines.rules.syntax import bound_names, names_in, walk

_CHEAP = frozenset({"len", "abs", "isinstance", "bool", "id", "type", "callable", "hasattr"})


class RepeatedCall(Rule):
    """`f(x)` computed again later in the same block with nothing in between that could
    change `x` ⇒ `f_value = f(x)` once, before the first use.

    Precondition: the call is pure (repository-wide effect analysis, or a pure builtin or
    standard-library call) and returns an immutable value (so sharing one result is
    unobservable); its arguments are names, attributes of names, literals or subscripts of
    those; the first use sits in a statement directly in the block, runs unconditionally in
    it and after only trivial evaluations; between it and the last use no statement rebinds
    a name the call reads, changes a container or attribute through one of them, or runs
    anything impure; no use sits in a comprehension or lambda (their names are their own).
    """

    id = "repeated-call"
    title = "compute a repeated pure call once"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for block in walk(ctx.fn):
            if not isinstance(block, cst.IndentedBlock):
                continue
            body = list(block.body)
            groups: dict[str, list[tuple[int, cst.Call]]] = {}
            for i, stmt in enumerate(body):
                for node in walk(stmt):
                    if isinstance(node, cst.Call) and self._candidate(ctx, node):
                        groups.setdefault(code(node), []).append((i, node))
            for text, uses in groups.items():
                site = self._site(ctx, body, text, uses)
                if site is not None:
                    sites.append(site)
        return _disjoint(sites)

    def _candidate(self, ctx: FunctionContext, call: cst.Call) -> bool:
        if ctx.scope.builtin(call.func) in _CHEAP or not _simple_args(call):
            return False
        if _in_nested(ctx, call):
            return False
        facts = ctx.scope.call(call)
        return facts is not None and facts.returns == "immutable"

    def _site(
        self,
        ctx: FunctionContext,
        body: list[cst.BaseStatement],
        text: str,
        uses: list[tuple[int, cst.Call]],
    ) -> Site | None:
        if len(uses) < 2:
            return None
        first_index, first = uses[0]
        stmt = stmt_of(ctx, first)
        if stmt is not body[first_index] or not isinstance(stmt, cst.SimpleStatementLine):
            return None
        if not unconditional(ctx, first, stmt) or not evaluated_first(ctx, first, stmt):
            return None
        last_index = uses[-1][0]
        span = body[first_index : last_index + 1]
        names = names_in(first)
        for s in span:
            if names & set(bound_names(s)) or not ctx.scope.pure(s) or _changes(s, names):
                return None
        return ctx.site(first, f"`{text}`", extra=(stmt, [c for _, c in uses]))

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            stmt, calls = site.extra
            name = fresh_name(f"{_stem(site.node)}_value", ctx.module_names)
            line = cst.parse_statement(f"{name} = {code(site.node)}\n")
            change.insert_before(stmt, line)
            one_shot = " or ".join(one_shot_tests(ctx, change, site.node))
            for k, call in enumerate(calls):
                value: cst.BaseExpression = cst.Name(name)
                if k and one_shot:  # a generator argument: the first call used it up
                    value = cst.parse_expression(f"({code(call)} if {one_shot} else {name})")
                change.replace[id(call)] = lambda _u, value=value: value
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"compute {calls} once and reuse the value instead of calling it again"


def _simple_args(call: cst.Call) -> bool:
    """Arguments without calls, lambdas or comprehensions, and not all literals (a constant
    call such as `Decimal("0")` is cheap and repeating it is deliberate)."""
    if all(isinstance(a.value, cst.BaseString | cst.Integer | cst.Float) for a in call.args):
        return False
    for arg in call.args:
        if arg.star:
            return False
        for n in walk(arg.value):
            if isinstance(n, cst.Call | cst.Lambda | cst.BaseComp | cst.NamedExpr | cst.Yield):
                return False
    return True


def _in_nested(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, cst.BaseComp | cst.Lambda | cst.FunctionDef | cst.ClassDef):
            return True
        cur = ctx.parents.get(id(cur))
    return False


def _changes(stmt: cst.CSTNode, names: set[str]) -> bool:
    """`stmt` stores into, or calls a mutating method on, something reached from `names`."""
    for n in walk(stmt):
        targets = changed_by(n)
        for t in targets:
            if not isinstance(t, cst.Name) and names & names_in(t):
                return True
    return False


def _disjoint(sites: list[Site]) -> list[Site]:
    """Drop sites whose calls sit inside another site's call (the outer one is rewritten)."""
    inner = {id(n) for s in sites for c in s.extra[1] for n in walk(c) if n is not c}
    return [s for s in sites if id(s.node) not in inner]


def _stem(call: cst.Call) -> str:
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else code(func)
    return name.strip("_").lower() or "call"
