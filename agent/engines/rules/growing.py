"""Lists that only grow: the min/max of one taken on every iteration becomes a running value,
one used only for membership becomes a set, one re-sorted after every append becomes
`bisect.insort`."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.list_uses import inside, list_init, method_call, read_only, uses_of
from agent.engines.rules.ordering import family
from agent.engines.rules.places import init_before, module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import walk
from agent.engines.rules.typeinfo import SCALARS, T, elem_of, immutable, is_hashable


def _body_index(loop: cst.CSTNode, stmt: cst.CSTNode) -> int | None:
    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()  # type: ignore[attr-defined]
    for i, s in enumerate(body):
        if s is stmt:
            return i
    return None


class RunningMinMax(Rule):
    """`seen.append(x)` then `max(seen)` (or `min`) on every iteration ⇒ a running maximum
    updated at the append (`if best is _NOTHING or x > best: best = x`), O(1) instead of O(n).

    Precondition: `seen` is a plain local bound once, to `[]`, just before the loop; the loop
    body appends to it exactly once, in a statement of its own at the top level of the body;
    every other mention of `seen` is `max(seen)` / `min(seen)` (no key, no default) in a later
    statement of that body, so the list is never empty there; the appended values are
    immutable (so `max` over all of them equals the running fold: `max` keeps the first of
    equal maxima and compares with `>` exactly like the update does).
    """

    id = "running-min-max"
    title = "keep a running min/max instead of rescanning a growing list"
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for loop in walk(ctx.fn):
            if not isinstance(loop, cst.For | cst.While) or loop.orelse is not None:
                continue
            for i, stmt in enumerate(
                loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
            ):
                found = self._append(ctx, loop, i, stmt)
                if found is not None:
                    sites.append(found)
        return sites

    def _append(
        self, ctx: FunctionContext, loop: cst.CSTNode, index: int, stmt: cst.CSTNode
    ) -> Site | None:
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
            return None
        expr = stmt.body[0]
        call = expr.value if isinstance(expr, cst.Expr) else None
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and isinstance(call.func.value, cst.Name)
            and call.func.attr.value == "append"
            and len(call.args) == 1
            and not call.args[0].keyword
            and not call.args[0].star
        ):
            return None
        name = call.func.value.value
        init = list_init(ctx, name)
        if init is None or init_before(ctx, loop, name, ("[]", "list()")) is not init:
            return None
        if not self.values_ok(ctx, call.args[0].value):
            return None
        calls = []
        for n, parent in uses_of(ctx, name):
            if parent is call.func or inside(init, n):
                continue
            fn = self.aggregate_of(ctx, parent)
            later = _top_statement(ctx, loop, n)
            if fn is None or later is None or later <= index:
                return None
            calls.append(ctx.parents.get(id(parent)))
        if not calls:
            return None
        return ctx.site(stmt, f"`{name}`", extra=(name, init, call, calls))

    def values_ok(self, ctx: FunctionContext, value: cst.BaseExpression) -> bool:
        return immutable(ctx.env.infer(value))

    def aggregate_of(self, ctx: FunctionContext, parent: cst.CSTNode | None) -> str | None:
        """`min` or `max` when the list is the one argument of such a call."""
        found = sole_argument_of(ctx, parent)
        return found[1] if found is not None and found[1] in ("min", "max") else None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        nothing = fresh_name("_NOTHING", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{nothing} = object()\n"))
        for site in sites:
            name, init, call, calls = site.extra
            kinds = sorted({code(c.func) for c in calls})
            running = {k: fresh_name(f"{name}_{k}", ctx.module_names) for k in kinds}
            value = code(call.args[0].value)
            lines = []
            item = value
            if not isinstance(call.args[0].value, cst.Name | cst.Integer | cst.SimpleString):
                item = fresh_name(f"{name}_item", ctx.module_names)
                lines.append(f"{item} = {value}\n")
            for kind, var in running.items():
                op = ">" if kind == "max" else "<"
                lines.append(f"if {var} is {nothing} or {item} {op} {var}:\n    {var} = {item}\n")
            new = [cst.parse_statement(line) for line in lines]
            starts = [cst.parse_statement(f"{var} = {nothing}\n") for var in running.values()]
            change.replace[id(init)] = lambda u, starts=starts: cst.FlattenSentinel(
                [starts[0].with_changes(leading_lines=u.leading_lines), *starts[1:]]
            )
            change.replace[id(site.node)] = lambda u, new=new: cst.FlattenSentinel(
                [new[0].with_changes(leading_lines=u.leading_lines), *new[1:]]
            )
            for c in calls:
                var = running[code(c.func)]
                change.replace[id(c)] = lambda _u, var=var: cst.Name(var)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"keep a running min/max of {names} as values are appended instead of rescanning the list"


def sole_argument_of(
    ctx: FunctionContext, parent: cst.CSTNode | None
) -> tuple[cst.Call, str | None] | None:
    """The call whose one argument (neither keyword nor starred) is `parent`, and the builtin
    it calls (None for any other callee)."""
    call = ctx.parents.get(id(parent)) if isinstance(parent, cst.Arg) else None
    if (
        isinstance(call, cst.Call)
        and len(call.args) == 1
        and call.args[0] is parent
        and not call.args[0].keyword
        and not call.args[0].star
    ):
        return call, ctx.scope.builtin(call.func)
    return None


def _top_statement(ctx: FunctionContext, loop: cst.CSTNode, node: cst.CSTNode) -> int | None:
    """The index in `loop`'s body of the top-level statement holding `node` (None if it sits
    in a nested function)."""
    cur: cst.CSTNode | None = node
    while cur is not None:
        parent = ctx.parents.get(id(cur))
        if isinstance(parent, cst.FunctionDef | cst.Lambda | cst.ClassDef):
            return None
        if isinstance(parent, cst.IndentedBlock) and ctx.parents.get(id(parent)) is loop:
            return _body_index(loop, cur)
        cur = parent
    return None


class MembershipList(Rule):
    """A local list that is only appended to and tested with `in` ⇒ a set (`.add`), so each
    test is O(1) instead of a scan of everything appended so far.

    Precondition: a plain local bound once, to `[]`; every other mention is `x.append(v)` as
    a statement or the right operand of `in` / `not in`; its elements and every probe have a
    known hashable builtin type (str, int, float, bool, bytes, tuples of those), whose `==`
    agrees with `hash` (so the set answers as the list scan did; duplicates appended twice
    are never counted, since nothing else reads the list).
    """

    id = "membership-list-set"
    title = "use a set for a list that is only appended to and searched"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for name, t in sorted(ctx.env.names.items()):
            if t.kind != "list" or "." in name or "(" in name:
                continue
            init = list_init(ctx, name)
            if init is None or not _scalar(elem_of(t)):
                continue
            appends, tests = [], 0
            for n, parent in uses_of(ctx, name):
                if inside(init, n):
                    continue
                if method_call(ctx, n, parent) == "append" and _statement_call(ctx, parent):
                    appends.append(ctx.parents.get(id(parent)))
                elif _probe(ctx, n, parent):
                    tests += 1
                else:
                    break
            else:
                if appends and tests:
                    sites.append(ctx.site(init, f"`{name}`", extra=appends))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            change.replace[id(site.node)] = _to_set
            for call in site.extra:
                change.replace[id(call)] = lambda u: u.with_changes(
                    func=u.func.with_changes(attr=cst.Name("add"))
                )
        return change


def _scalar(t: T) -> bool:
    if t.kind == "tuple" and t.items is not None:
        return all(_scalar(i) for i in t.items)
    return t.kind in SCALARS and is_hashable(t)


def _statement_call(ctx: FunctionContext, attr: cst.CSTNode | None) -> bool:
    call = ctx.parents.get(id(attr))
    return isinstance(ctx.parents.get(id(call)), cst.Expr)


def membership_test(
    ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None
) -> cst.Comparison | None:
    """The comparison `v in xs` / `v not in xs` (one operator) `n` is the right side of."""
    if not (isinstance(parent, cst.ComparisonTarget) and parent.comparator is n):
        return None
    if not isinstance(parent.operator, cst.In | cst.NotIn):
        return None
    comparison = ctx.parents.get(id(parent))
    if not isinstance(comparison, cst.Comparison) or len(comparison.comparisons) != 1:
        return None
    return comparison


def _probe(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None) -> bool:
    comparison = membership_test(ctx, n, parent)
    if comparison is None:
        return False
    from agent.engines.rules.membership import _local_types

    return _scalar(ctx.env.infer(comparison.left, _local_types(ctx, comparison)))  # type: ignore[arg-type]


def _to_set(u: cst.CSTNode) -> cst.CSTNode:
    line: cst.SimpleStatementLine = u  # type: ignore[assignment]
    small = line.body[0]
    if isinstance(small, cst.AnnAssign):
        ann = small.annotation.annotation
        if isinstance(ann, cst.Subscript):
            ann = ann.with_changes(value=cst.Name("set"))
        else:
            ann = cst.Name("set")
        small = small.with_changes(annotation=small.annotation.with_changes(annotation=ann))
    small = small.with_changes(value=cst.parse_expression("set()"))
    return line.with_changes(body=[small])


class SortedInsert(Rule):
    """`xs.append(v)` immediately followed by `xs.sort()` ⇒ `bisect.insort(xs, v)`.

    Precondition: `xs` is a plain local bound once, to `[]`; every change to it is such a
    pair or an order-keeping removal (`pop()`, `pop(0)`, `remove`, `clear`), so it is sorted
    before each append; every other use only reads it; its elements are of one order family
    (`ordering.family`: ints and bools, strs or bytes, or tuples of those; not None, nor a
    union such as `int | str` whose members do not compare, where `insort` would raise
    before adding the value and the sort only after): totally ordered, and equal ones
    indistinguishable, so where `insort` puts a new element among equals cannot be observed.
    """

    id = "sorted-insert"
    title = "insert into a sorted list with bisect.insort instead of re-sorting"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for name, t in sorted(ctx.env.names.items()):
            if t.kind != "list" or "." in name or family(elem_of(t)) is None:
                continue
            init = list_init(ctx, name)
            if init is None:
                continue
            pairs = self._pairs(ctx, name, init)
            if pairs:
                sites.append(ctx.site(init, f"`{name}`", extra=pairs))
        return sites

    def _pairs(
        self, ctx: FunctionContext, name: str, init: cst.CSTNode
    ) -> list[tuple[cst.SimpleStatementLine, cst.SimpleStatementLine]] | None:
        pairs = []
        sorts: set[int] = set()
        for n, parent in uses_of(ctx, name):
            meth = method_call(ctx, n, parent)
            if inside(init, n) or meth in ("pop", "remove", "clear"):
                if meth == "pop":
                    call = ctx.parents.get(id(parent))
                    if code(call)[len(name) :] not in (".pop()", ".pop(0)"):  # type: ignore[arg-type]
                        return None
                continue
            if meth == "sort":
                sorts.add(id(ctx.parents.get(id(parent))))
                continue
            if meth == "append":
                pair = _append_sort(ctx, parent)
                if pair is None:
                    return None
                pairs.append(pair)
                continue
            if meth is not None or not read_only(ctx, n, parent):
                return None
        matched = {id(p[1].body[0].value) for p in pairs}  # type: ignore[attr-defined]
        return pairs if pairs and sorts == matched else None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        for site in sites:
            for append, sort in site.extra:
                call = append.body[0].value
                value = code(call.args[0].value)
                target = code(call.func.value)
                new = cst.parse_statement(f"{bisect}.insort({target}, {value})\n")
                change.replace[id(append)] = lambda u, new=new: new.with_changes(
                    leading_lines=u.leading_lines
                )
                change.replace[id(sort)] = lambda _u: cst.RemoveFromParent()
        return change


def _append_sort(
    ctx: FunctionContext, attr: cst.CSTNode | None
) -> tuple[cst.SimpleStatementLine, cst.SimpleStatementLine] | None:
    call = ctx.parents.get(id(attr))
    expr = ctx.parents.get(id(call))
    line = ctx.parents.get(id(expr))
    block = ctx.parents.get(id(line))
    if not (
        isinstance(expr, cst.Expr)
        and isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
        and isinstance(block, cst.IndentedBlock)
        and isinstance(call, cst.Call)
        and len(call.args) == 1
        and not call.args[0].keyword
        and not call.args[0].star
    ):
        return None
    body = list(block.body)
    i = next(k for k, s in enumerate(body) if s is line)
    nxt = body[i + 1] if i + 1 < len(body) else None
    receiver = code(call.func.value)  # type: ignore[attr-defined]
    if nxt is None or code(nxt).strip() != f"{receiver}.sort()":
        return None
    return line, nxt  # type: ignore[return-value]
