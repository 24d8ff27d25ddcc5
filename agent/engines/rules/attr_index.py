"""Lookups by a field in a private list attribute (`for talk in self._talks: if talk.talk_id ==
wanted: return talk`): an index of the records by that field, kept beside the list as it grows,
gives each scan only the records whose field can equal its probe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_membership import hooked, method_mentions, named
from agent.engines.rules.attr_public import READS, read_elsewhere
from agent.engines.rules.attr_scans import Field, Scan, fixed_field, keyed_scan
from agent.engines.rules.attr_uses import Use, classify
from agent.engines.rules.edits import code, insert_before
from agent.engines.rules.list_index import LIST_INDEX_BUILTINS, add_index_helpers
from agent.engines.rules.places import shadowed
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.sorted_attr import instance_param, mentions, private_to
from agent.engines.rules.syntax import bound_names, name_nodes, walk

_CHANGES = frozenset({"sort", "pop", "remove", "clear", "store"})
"""Changes other than appends: each drops the index (built again at the next scan), but for
a `remove` statement, which the index follows."""


@dataclass(frozen=True)
class Plan:
    attr: str
    index: str
    """The new attribute holding the index."""
    uses: tuple[tuple[Use, str], ...]
    """Every use of the list, with the method's instance parameter."""
    scans: tuple[tuple[Scan, str], ...]

    def of(self, kinds: frozenset[str]) -> list[tuple[Use, str]]:
        return [(u, me) for u, me in self.uses if u.kind in kinds]


class AttributeIndex(Rule):
    """`for x in self._xs: if x.f == probe ...` (or a comprehension, or `any`, over it) in a
    method, `self._xs` a private list attribute ⇒ `self._xs_index = _ListIndex()` after
    `self._xs = []` in `__init__`, each `self._xs.append(v)` as
    `self._xs_index.append_to(self._xs, v)`, each `self._xs.remove(v)` statement as
    `self._xs_index.remove_from(self._xs, v)`, any other change followed by
    `self._xs_index.reset()`, and every such scan of the class iterating
    `self._xs_index.candidates(self._xs, "f", probe)`.

    Precondition: `_xs` is confined to the class as `sorted-attribute` requires, the class
    and its bases define no `__slots__` nor attribute hooks, and nothing names the new
    attribute. Every use of the list is its one binding to `[]` in `__init__`, appends as
    statements, reads that change nothing (`in`, `len`, iteration, indexing, `sorted`...),
    or `sort()`, `pop`, `remove`, `clear`, `del` in a statement of their own (an expression
    or an assignment) after which the index is dropped. Nothing in the repository stores an
    attribute named `f` but `self.f = ...` in a constructor, nor reaches attributes by a
    computed name, so a record's key stays what it was when it was appended. A scan keeps
    its key test and visits the records of its probe's group in list order; the records it
    skips would only have had their key compared (the loop's only statement is the `if`,
    whose branch ends the loop or changes only fresh locals; a comprehension is pure), and
    the loop variable is not used after the loop. At run time the group is used only while
    the probe and every key are exactly str or int and reading the key runs no code.
    """

    id = "index-attribute"
    title = "keep an index by key beside a list attribute instead of scanning it"
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        cls = ctx.parents.get(id(ctx.parents.get(id(ctx.fn))))
        me = instance_param(ctx.fn)
        if not isinstance(cls, cst.ClassDef) or ctx.cls is None or me is None:
            return []
        if shadowed(ctx, LIST_INDEX_BUILTINS):
            return []
        sites, planned = [], set()
        for mention in mentions(ctx.fn, me):
            attr = mention.attr.value
            if attr in planned or keyed_scan(mention, ctx.fn, ctx.scope, ctx.parents) is None:
                continue
            planned.add(attr)
            plan = _plan(ctx, cls, attr)
            if plan is not None:
                fields = ", ".join(dict.fromkeys(_shown(s.field) for s, _ in plan.scans))
                sites.append(ctx.site(mention, f"`{me}.{attr}` by {fields}", extra=plan))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        index_cls = add_index_helpers(ctx, change)
        for site in sites:
            plan: Plan = site.extra
            [(init, me)] = plan.of(frozenset({"init"}))
            new = cst.parse_statement(f"{me}.{plan.index} = {index_cls}()\n")
            change.replace[id(init.node)] = lambda u, new=new: cst.FlattenSentinel([u, new])
            for use, me in plan.of(frozenset({"append"})):
                line: cst.SimpleStatementLine = use.node  # type: ignore[assignment]
                value = code(line.body[0].value.args[0].value)  # type: ignore[attr-defined]
                stmt = cst.parse_statement(
                    f"{me}.{plan.index}.append_to({me}.{plan.attr}, {value})\n"
                )
                change.replace[id(line)] = lambda u, s=stmt: s.with_changes(
                    leading_lines=u.leading_lines
                )
            for line, me, before in (_change_lines(ctx, plan) or {}).values():
                removed = _removal(line, f"{me}.{plan.attr}")
                if removed is not None:
                    stmt = cst.parse_statement(
                        f"{me}.{plan.index}.remove_from({me}.{plan.attr}, {code(removed)})\n"
                    )
                    change.replace[id(line)] = lambda u, s=stmt: s.with_changes(
                        leading_lines=u.leading_lines
                    )
                    continue
                reset = cst.parse_statement(f"{me}.{plan.index}.reset()\n")
                change.replace[id(line)] = (
                    insert_before(line, reset)
                    if before
                    else lambda u, r=reset: cst.FlattenSentinel([u, r])
                )
            for scan, me in plan.scans:
                records = f"{me}.{plan.attr}"
                probe = code(scan.probe)
                if isinstance(scan.probe, cst.Attribute):
                    probe = f"{probe} if {records} else None"  # read it only where the scan would
                field = _literal(scan.field)
                text = f"{me}.{plan.index}.candidates({records}, {field}, {probe})"
                change.replace[id(scan.iter)] = lambda _u, t=text: cst.parse_expression(t)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep an index of the list {names}, filled as it grows, so each lookup visits "
            "only the records with the key it wants instead of scanning them all"
        )


def _literal(field: Field) -> str:
    if isinstance(field, tuple):
        return f"({', '.join(_literal(f) for f in field)})"
    return f'"{field}"' if isinstance(field, str) else str(field)


def _shown(field: Field) -> str:
    if isinstance(field, tuple):
        return "(" + " or ".join(_shown(f) for f in field) + ")"
    return f"`{field}`"


def _plan(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> Plan | None:
    index = f"_{attr.lstrip('_')}_index"
    reachable = private_to(ctx, cls, attr) or read_elsewhere(ctx, cls, attr)
    if not reachable or hooked(ctx, cls, set()) or named(ctx, index):
        return None
    found = method_mentions(ctx, cls, attr)
    if found is None:
        return None
    uses: list[tuple[Use, str]] = []
    scans: list[tuple[Scan, str]] = []
    for n, stmt, me, scope in found:
        use = (
            classify(n, stmt, scope, ctx.parents)
            or _reorder(n, stmt, ctx.parents)
            or _rebind(n, stmt, ctx.parents)
            or _item_store(n, stmt, ctx.parents)
        )
        if use is None or use.kind not in READS | _CHANGES | {"init", "append"}:
            return None
        uses.append((use, me))
        scan = keyed_scan(n, stmt, scope, ctx.parents) if use.kind == "ordered" else None
        if scan is not None:
            scans.append((scan, me))
    fixed = {f for f in {scan.field for scan, _ in scans} if fixed_field(ctx.project, f)}
    kept = tuple((scan, me) for scan, me in scans if scan.field in fixed)
    plan = Plan(attr, index, tuple(uses), kept)
    if len(plan.of(frozenset({"init"}))) != 1 or not kept or _change_lines(ctx, plan) is None:
        return None
    return plan


def _reorder(
    mention: cst.Attribute, method: cst.FunctionDef, parents: dict[int, cst.CSTNode]
) -> Use | None:
    """`me.x.sort(key=...)`, `reverse()`, `extend(...)` or `insert(...)` as an expression
    statement of its own: a change like the others (the index is dropped after it)."""
    attr, call = parents.get(id(mention)), parents.get(id(parents.get(id(mention))))
    if not isinstance(attr, cst.Attribute) or attr.value is not mention:
        return None
    if not isinstance(call, cst.Call) or call.func is not attr:
        return None
    if attr.attr.value not in ("sort", "reverse", "extend", "insert"):
        return None
    expr = parents.get(id(call))
    return Use("sort", mention, method) if isinstance(expr, cst.Expr) else None


def _item_store(
    mention: cst.Attribute, method: cst.FunctionDef, parents: dict[int, cst.CSTNode]
) -> Use | None:
    """`me.x[i] = value` or `me.x[i] += value`, the statement's only target: a change like
    the others (the index is dropped after it)."""
    sub = parents.get(id(mention))
    if not isinstance(sub, cst.Subscript) or sub.value is not mention:
        return None
    holder = parents.get(id(sub))
    if isinstance(holder, cst.AssignTarget):
        small = parents.get(id(holder))
        whole = isinstance(small, cst.Assign) and len(small.targets) == 1
    else:
        whole = isinstance(holder, cst.AugAssign) and holder.target is sub
    return Use("store", mention, method) if whole else None


def _rebind(
    mention: cst.Attribute, method: cst.FunctionDef, parents: dict[int, cst.CSTNode]
) -> Use | None:
    """`me.x = value` outside `__init__`, alone on its line, `value` a list made there (a
    display, a comprehension, `list(...)`, `sorted(...)`, or a local bound once to one,
    which nothing else keeps): a change like the others."""
    target, small = parents.get(id(mention)), parents.get(id(parents.get(id(mention))))
    if method.name.value == "__init__" or not isinstance(target, cst.AssignTarget):
        return None
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    value = small.value
    if isinstance(value, cst.Name):
        bound = [
            a.value
            for a in walk(method)
            if isinstance(a, cst.Assign)
            and any(isinstance(t.target, cst.Name) and t.target.value == value.value
                    for t in a.targets)
        ]  # fmt: skip
        if bound_names(method).get(value.value) != 1 or len(bound) != 1:
            return None
        if not all(
            _kept_local(n, parents) or n is value
            for n in name_nodes(method.body)
            if n.value == value.value
        ):
            return None
        value = bound[0]
    fresh = isinstance(value, cst.List | cst.ListComp) or (
        isinstance(value, cst.Call) and code(value.func) in ("list", "sorted")
    )
    return Use("sort", mention, method) if fresh else None


def _kept_local(name: cst.Name, parents: dict[int, cst.CSTNode]) -> bool:
    """`name` is bound there, measured (`len(name)`) or iterated: nothing else keeps it."""
    parent = parents.get(id(name))
    if isinstance(parent, cst.AssignTarget) or (
        isinstance(parent, cst.For | cst.CompFor) and parent.iter is name
    ):
        return True
    call = parents.get(id(parent))
    return isinstance(parent, cst.Arg) and isinstance(call, cst.Call) and code(call.func) == "len"


def _change_lines(
    ctx: FunctionContext, plan: Plan
) -> dict[int, tuple[cst.SimpleStatementLine, str, bool]] | None:
    """The line of each change to the list other than an append, with whether the index is
    dropped before it (`return me.x.pop(i)`, whose arguments run no code) rather than after
    it (an expression, assignment or `del` statement of its own); None when a change is
    part of another kind of statement."""
    out: dict[int, tuple[cst.SimpleStatementLine, str, bool]] = {}
    for use, me in plan.of(_CHANGES):
        line: cst.CSTNode | None = use.node
        while line is not None and not isinstance(line, cst.SimpleStatementLine):
            line = ctx.parents.get(id(line))
        block = ctx.parents.get(id(line))
        if line is None or len(line.body) != 1 or not isinstance(block, cst.IndentedBlock):
            return None
        small = line.body[0]
        if isinstance(small, cst.Return) and _plain_call(small.value, use.node):
            out[id(line)] = (line, me, True)
        elif isinstance(small, cst.Expr | cst.Assign | cst.AugAssign | cst.AnnAssign | cst.Del):
            out[id(line)] = (line, me, False)
        else:
            return None
    return out


def _removal(line: cst.SimpleStatementLine, records: str) -> cst.BaseExpression | None:
    """What `me.x.remove(value)`, a statement of its own, removes."""
    small = line.body[0]
    call = small.value if isinstance(small, cst.Expr) else None
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    if call.func.attr.value != "remove" or code(call.func.value) != records:
        return None
    if len(call.args) != 1:
        return None
    arg = call.args[0]
    return arg.value if arg.keyword is None and not arg.star else None


def _plain_call(value: cst.BaseExpression | None, mention: cst.CSTNode) -> bool:
    """`value` is `me.x.method(args)` on `mention`, every argument a name or a literal."""
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
        return False
    simple = (cst.Name, cst.Integer, cst.SimpleString)
    args = [a.value.expression if isinstance(a.value, cst.UnaryOperation) else a.value
            for a in value.args]  # fmt: skip
    return value.func.value is mention and all(isinstance(a, simple) for a in args)
