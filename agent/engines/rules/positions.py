"""A list that only grows, searched as it grows (`if key in keys: totals[keys.index(key)] +=
v else: keys.append(key); totals.append(v)`) ⇒ a map of each value's first position kept
beside it, so each search is a dict lookup instead of a scan of everything appended so far."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.growing import membership_test
from agent.engines.rules.list_uses import inside, list_init, method_call, read_only, uses_of
from agent.engines.rules.places import enclosing_loops
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import SCOPES, bound_names, walk

_EXACT = "_KEYED_EXACTLY"
_EXACT_TYPES = (
    "frozenset(map(id, (str, int, float, bool, bytes, type(None), {dt}.date, {dt}.datetime, "
    "{dt}.time, {dt}.timedelta)))"
)
"""The ids of types whose equal values always hash alike (exactly these, not subclasses,
which may redefine `==`; compared by identity, which no metaclass can redefine), so a dict
finds what a list scan finds."""


@dataclass
class _Uses:
    init: cst.SimpleStatementLine
    appends: list[cst.SimpleStatementLine] = field(default_factory=list)
    tests: list[cst.Comparison] = field(default_factory=list)
    indexes: list[cst.Call] = field(default_factory=list)


class GrowingPositions(Rule):
    """A local list bound once to `[]`, changed only by `xs.append(v)` statements and
    searched in a loop with `v in xs`, `v not in xs` or `xs.index(v)` ⇒ `xs_at = {}` beside
    it: each append also records the value's first position, each search asks the map.

    Precondition: every other use of the list only reads it (`list_uses.read_only`: no
    method that changes it, no alias, not handed to code that may change it); the appends
    are statements of the function itself (not of a nested scope, which would rebind the
    map there). At run time the map is kept only while every appended value is exactly a
    str, int, float, bool, bytes, None, date, datetime, time or timedelta (equal values of
    these hash alike, so `in` and `index` answer as the scan does, first position
    included); once any other value is appended, and for a probe of any other type, the
    list itself is searched. `index` of a value the map lacks asks the list, which raises.
    """

    id = "growing-positions"
    title = "keep a map of positions beside a list that grows and is searched"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for name in sorted(bound_names(ctx.fn)):
            init = list_init(ctx, name)
            found = _searched(ctx, name, init) if init is not None else None
            if found is not None:
                sites.append(ctx.site(init, f"`{name}`", found))  # type: ignore[arg-type]
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        dt = fresh_name("_datetime", ctx.module_names)
        change.imports.append(f"import datetime as {dt}")
        exact = fresh_name(_EXACT, ctx.module_names)
        change.constants.append(
            cst.parse_statement(f"{exact} = {_EXACT_TYPES.format(dt=dt)}\n").with_changes(
                leading_lines=[cst.EmptyLine()]
            )
        )

        def helper(base: str, text: str) -> str:
            return module_helper(
                ctx.module,
                ctx.module_names,
                change.constants,
                base,
                lambda n: text.format(name=n, exact=exact),
            )

        append = helper("_append_at", _APPEND_AT)
        contains = helper("_contains_at", _CONTAINS_AT)
        index = helper("_index_at", _INDEX_AT)
        for site in sites:
            uses: _Uses = site.extra
            name = site.detail.strip("`")
            at = fresh_name(f"{name}_at", ctx.module_names)
            new = cst.parse_statement(f"{at} = {{}}\n")
            change.replace[id(uses.init)] = lambda u, new=new: cst.FlattenSentinel([u, new])
            for line in uses.appends:
                value = _argument(line.body[0].value.args[0].value)  # type: ignore[attr-defined]
                stmt = cst.parse_statement(f"{at} = {append}({name}, {at}, {value})\n")
                change.replace[id(line)] = lambda u, s=stmt: s.with_changes(
                    leading_lines=u.leading_lines
                )
            for test in uses.tests:
                probe = code(test.left)
                negated = isinstance(test.comparisons[0].operator, cst.NotIn)
                text = f"{'not ' if negated else ''}{contains}({name}, {at}, {probe})"
                new_test = cst.parse_expression(text)
                change.replace[id(test)] = lambda u, e=new_test: e.with_changes(
                    lpar=u.lpar, rpar=u.rpar
                )
            for call in uses.indexes:
                value = _argument(call.args[0].value)
                found = cst.parse_expression(f"{index}({name}, {at}, {value})")
                change.replace[id(call)] = lambda _u, e=found: e
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a map of first positions beside {names}, which only grows, so each `in` "
            "or `index` in the loop is a dict lookup instead of a scan"
        )


def _searched(ctx: FunctionContext, name: str, init: cst.SimpleStatementLine) -> _Uses | None:
    """How the list is appended to and searched, when that is all that changes or finds
    in it and at least one search runs in a loop."""
    if len(init.body) != 1 or not isinstance(init.body[0], cst.Assign | cst.AnnAssign):
        return None
    uses = _Uses(init)
    nested = {
        id(n)
        for s in walk(ctx.fn)
        if isinstance(s, SCOPES) and s is not ctx.fn
        for n in walk(s, into_scopes=True)
    }
    for n, parent in uses_of(ctx, name):
        if inside(init, n):
            continue
        meth = method_call(ctx, n, parent)
        call = ctx.parents.get(id(parent)) if meth is not None else None
        if meth == "append" and id(n) not in nested:
            line = _statement(ctx, call)
            if line is None:
                return None
            uses.appends.append(line)
        elif meth == "index" and isinstance(call, cst.Call) and _one_arg(call):
            uses.indexes.append(call)
        elif (test := membership_test(ctx, n, parent)) is not None:
            uses.tests.append(test)
        elif (meth is not None and meth not in ("count", "copy")) or not (
            read_only(ctx, n, parent) or _returned(ctx, parent)
        ):
            return None
    searches: list[cst.CSTNode] = [*uses.tests, *uses.indexes]
    if not uses.appends or not any(enclosing_loops(ctx, s) for s in searches):
        return None
    return uses


def _argument(expr: cst.BaseExpression) -> str:
    """`expr` as one argument among others (a bare generator needs its own parentheses)."""
    text = code(expr)
    return f"({text})" if isinstance(expr, cst.GeneratorExp) and not expr.lpar else text


def _returned(ctx: FunctionContext, parent: cst.CSTNode | None) -> bool:
    """`return xs, ys`: handed to the caller as the function ends (and the map with it)."""
    display = ctx.parents.get(id(parent)) if isinstance(parent, cst.Element) else None
    return isinstance(display, cst.Tuple) and isinstance(ctx.parents.get(id(display)), cst.Return)


def _one_arg(call: cst.Call) -> bool:
    return len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star


def _statement(ctx: FunctionContext, call: cst.CSTNode | None) -> cst.SimpleStatementLine | None:
    """The line `xs.append(v)` is alone on, as an expression statement."""
    expr = ctx.parents.get(id(call))
    line = ctx.parents.get(id(expr))
    if not (isinstance(call, cst.Call) and _one_arg(call) and isinstance(expr, cst.Expr)):
        return None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    return line


_APPEND_AT = (
    "def {name}(items, positions, value):\n"
    '    """`items.append(value)`, keeping `positions` (each value\'s first position) up to\n'
    '    date; None from the first value whose type is not one of `{exact}`."""\n'
    "    if positions is not None:\n"
    "        if id(type(value)) in {exact}:\n"
    "            positions.setdefault(value, len(items))\n"
    "        else:\n"
    "            positions = None\n"
    "    items.append(value)\n"
    "    return positions\n"
)
_CONTAINS_AT = (
    "def {name}(items, positions, value):\n"
    '    """`value in items`, answered by `positions` when it can be."""\n'
    "    if positions is not None and id(type(value)) in {exact}:\n"
    "        return value in positions\n"
    "    return value in items\n"
)
_INDEX_AT = (
    "def {name}(items, positions, value):\n"
    '    """`items.index(value)`, found in `positions` when it can be."""\n'
    "    if positions is not None and id(type(value)) in {exact}:\n"
    "        found = positions.get(value)\n"
    "        if found is not None:\n"
    "            return found\n"
    "    return items.index(value)\n"
)
