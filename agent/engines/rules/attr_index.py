"""Lookups by a field in a private list attribute (`for talk in self._talks: if talk.talk_id ==
wanted: return talk`): an index of the records by that field, kept beside the list as it grows,
gives each scan only the records whose field can equal its probe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_membership import hooked, method_mentions, named
from agent.engines.rules.attr_public import READS, read_elsewhere
from agent.engines.rules.attr_scans import Scan, fixed_field, keyed_scan
from agent.engines.rules.attr_uses import Use, classify
from agent.engines.rules.edits import code, fresh_name, insert_before
from agent.engines.rules.join_helpers import plain_helper
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.sorted_attr import instance_param, mentions, private_to
from agent.engines.rules.syntax import bound_names, name_nodes, walk

_CHANGES = frozenset({"sort", "pop", "remove", "clear", "store"})
"""Changes other than appends: each drops the index (built again at the next scan)."""

_INDEX = '''
class {name}:
    """A list's records grouped by the value of one of their fields (`{{field: {{value:
    [record, ...]}}}}`, in list order), built at the first scan that asks and kept up to date
    as the list grows; any other change to the list drops them, and so does a change it was
    not told of (the list's length or last record is not what it saw last). A scan is given
    only the group of its probe while the probe and every value read are exactly str or int
    (for which equal values hash alike) and reading the field runs no code of the record's
    (`{plain}`); otherwise it is given all the records."""

    __slots__ = ("groups", "blocked", "size", "last")

    def __init__(self):
        self.groups = {{}}
        self.blocked = set()
        self.size = 0
        self.last = None

    def synced(self, records):
        if len(records) == self.size and (not records or records[-1] is self.last):
            return True
        self.reset()
        self.size = len(records)
        self.last = records[-1] if records else None
        return False

    def append_to(self, records, record):
        self.synced(records)
        records.append(record)
        self.size += 1
        self.last = record
        for field, groups in list(self.groups.items()):
            key = {key_of}(record, field)
            if key is {no_key}:
                del self.groups[field]
                self.blocked.add(field)
            else:
                groups.setdefault(key, []).append(record)

    def reset(self):
        self.groups.clear()
        self.blocked.clear()
        self.size = -1

    def candidates(self, records, field, probe):
        if type(probe) is not str and type(probe) is not int:
            return records
        self.synced(records)
        groups = self.groups.get(field)
        if groups is None:
            if field in self.blocked:
                return records
            groups = {{}}
            for record in records:
                key = {key_of}(record, field)
                if key is {no_key}:
                    self.blocked.add(field)
                    return records
                groups.setdefault(key, []).append(record)
            self.groups[field] = groups
        return groups.get(probe, ())
'''

_KEY_OF = '''
def {name}(record, field):
    """The record's `field` (an attribute, or a tuple's item) when reading it runs no code of
    the record's and it is exactly a str or int."""
    if type(field) is int:
        if not isinstance(record, tuple) or type(record).__getitem__ is not tuple.__getitem__:
            return {no_key}
        if not -tuple.__len__(record) <= field < tuple.__len__(record):
            return {no_key}
        key = tuple.__getitem__(record, field)
    elif {plain}(record, field):
        key = getattr(record, field)
    else:
        return {no_key}
    return key if type(key) is str or type(key) is int else {no_key}
'''


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
    `self._xs_index.append_to(self._xs, v)`, any other change followed by
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
        sites, planned = [], set()
        for mention in mentions(ctx.fn, me):
            attr = mention.attr.value
            if attr in planned or keyed_scan(mention, ctx.fn, ctx.scope, ctx.parents) is None:
                continue
            planned.add(attr)
            plan = _plan(ctx, cls, attr)
            if plan is not None:
                fields = ", ".join(dict.fromkeys(f"`{s.field}`" for s, _ in plan.scans))
                sites.append(ctx.site(mention, f"`{me}.{attr}` by {fields}", extra=plan))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        index_cls = _add_helpers(ctx, change)
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
                field = f'"{scan.field}"' if isinstance(scan.field, str) else str(scan.field)
                text = f"{me}.{plan.index}.candidates({records}, {field}, {probe})"
                change.replace[id(scan.iter)] = lambda _u, t=text: cst.parse_expression(t)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep an index of the list {names}, filled as it grows, so each lookup visits "
            "only the records with the key it wants instead of scanning them all"
        )


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


def _plain_call(value: cst.BaseExpression | None, mention: cst.CSTNode) -> bool:
    """`value` is `me.x.method(args)` on `mention`, every argument a name or a literal."""
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
        return False
    simple = (cst.Name, cst.Integer, cst.SimpleString)
    args = [a.value.expression if isinstance(a.value, cst.UnaryOperation) else a.value
            for a in value.args]  # fmt: skip
    return value.func.value is mention and all(isinstance(a, simple) for a in args)


def _add_helpers(ctx: FunctionContext, change: Change) -> str:
    """Put the index class and its key reader in the module; the class's name."""
    plain = plain_helper(ctx, change)
    no_key = fresh_name("_NO_KEY", ctx.module_names)
    key_of = fresh_name("_plain_key_of", ctx.module_names)
    name = fresh_name("_ListIndex", ctx.module_names)
    change.constants.append(
        cst.parse_statement(f"{no_key} = object()\n").with_changes(
            leading_lines=[cst.EmptyLine()] * 2
        )
    )
    for text in (
        _KEY_OF.format(name=key_of, plain=plain, no_key=no_key),
        _INDEX.format(name=name, plain=plain, key_of=key_of, no_key=no_key),
    ):
        stmt = cst.parse_statement(text.lstrip())
        change.constants.append(stmt.with_changes(leading_lines=[cst.EmptyLine()] * 2))
    return name
