"""Joins on a key of unknown type: the index is built at the first scan and used only when
every key and the probe turn out to be str or int at run time; otherwise the original scan
runs. The key comparison is kept, so the records visited and the result are the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.joins import JoinIndex, _Join, _split, plain_chain
from agent.engines.rules.method_joins import MethodLookup, guard_helper, guarded_build, served_call
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import stmt_of, targets_private
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, dotted, names_in, skips, walk

_HELPERS = '''

def {group}(records, key, attr):
    """`{{key(r): [r, ...]}}` (in order) for a list or tuple whose keys are all str or int,
    whose == agrees with hashing; None for anything else, or when a key cannot be read (a
    scan that stops early may never read it: it raises, if at all, where it always did), or
    reading it could run code of the record's (see `{plain}`)."""
    if type(records) is not list and type(records) is not tuple:
        return None
    groups = {{}}
    for record in records:
        if not {plain}(record, attr):
            return None
        try:
            k = key(record)
        except Exception:
            return None
        if type(k) is not str and type(k) is not int:
            return None
        groups.setdefault(k, []).append(record)
    return groups


def {pick}(groups, records, probe):
    """The records whose key can equal `probe`: its group, or all of them."""
    if groups is None or (type(probe) is not str and type(probe) is not int):
        return records
    return groups.get(probe, ())
'''


_PLAIN = '''

def {name}(record, attr):
    """Reading a key (or the probe) runs no code of the record's: for an item (`attr` None),
    the record is a dict, list or tuple; for an attribute, the record's class keeps the
    generic attribute access (no `__getattribute__` or `__getattr__` of its own) and the
    attribute is a slot or a named tuple's field, or is in the object's own `__dict__`
    while the class defines no data descriptor (a property) by that name, which would take
    precedence."""
    cls = type(record)
    if attr is None:
        return cls is dict or cls is list or cls is tuple
    if cls.__getattribute__ not in {generic} or hasattr(cls, "__getattr__"):
        return False
    for klass in cls.__mro__:
        if attr in vars(klass):
            found = type(vars(klass)[attr])
            if found in {fields}:
                return True
            if hasattr(found, "__set__") or hasattr(found, "__delete__"):
                return False
            break
    try:
        return attr in vars(record)
    except TypeError:
        return False

'''


class GuardedJoinIndex(Rule):
    """A join on a key whose type is not known statically (`[r for r in rows if r["id"] ==
    x]`, or `any(r["id"] == x for r in rows)`, inside a loop) ⇒ a group-by index built at the first scan, used only when the
    records are a list or tuple and every key and the probe are str or int (checked at run
    time); the scan keeps its key test, so it visits a subset of the records in the same
    order and keeps exactly the same ones.

    Precondition: the scan's key is `r.attr` or `r["literal"]` (its first test; the index
    build reads it for every record, without side effects, and when one cannot be read it
    gives up and leaves the scan as it was, so a scan that stops early at a `break` raises
    exactly where it did); the probe is a plain name, an attribute of one or `name["literal"]`
    (read once more before the scan, and only when the index is in use and the records are
    not empty, where the scan's own test reads it too), that the scan does not rebind; the records are a name (or attribute of one) that the outer loop never
    rebinds, and the outer loop runs only pure code (apart from its own fresh containers), so
    neither the records nor their keys change while the index is in use; for an inner `for`
    loop, its variable is not used after it. Joins whose types are known are `join-index`.
    """

    id = "join-index-guarded"
    title = "index records by key at run time instead of scanning them in a loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        typed = {id(s.node) for s in JoinIndex().find(ctx)}
        for node in walk(ctx.fn):
            if id(node) in typed:
                continue
            join = self._scan(ctx, node)
            if join is not None:
                sites.append(ctx.site(node, f"`{code(join.records)}` by `{code(join.key)}`", join))
        return sites

    def _scan(self, ctx: FunctionContext, node: cst.CSTNode) -> _Join | None:
        if isinstance(node, cst.ListComp | cst.SetComp | cst.GeneratorExp):
            clause = node.for_in
            test = clause.ifs[0].test if clause.ifs else _any_test(ctx, node)
            if clause.inner_for_in is not None or test is None:
                return None
            if not isinstance(clause.target, cst.Name):
                return None
            return self._join(ctx, node, clause.iter, clause.target.value, test, False)
        if not isinstance(node, cst.For) or not isinstance(node.target, cst.Name):
            return None
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if not body or not isinstance(body[0], cst.If) or body[0].orelse is not None:
            return None
        guard = skips(body[0])
        if (not guard and len(body) != 1) or not targets_private(ctx, node):
            return None
        return self._join(ctx, node, node.iter, node.target.value, body[0].test, guard)

    def _join(
        self,
        ctx: FunctionContext,
        scan: cst.CSTNode,
        records: cst.BaseExpression,
        item: str,
        test: cst.BaseExpression,
        negated: bool,
    ) -> _Join | None:
        split = _split(test, negated)
        if split is None:
            return None
        cmp, rest = split
        if len(cmp.comparisons) != 1 or not isinstance(
            cmp.comparisons[0].operator, cst.NotEqual if negated else cst.Equal
        ):
            return None
        key, probe = cmp.left, cmp.comparisons[0].comparator
        if not _record_key(key, item):
            key, probe = probe, key
        if not _record_key(key, item) or not _probe(probe):
            return None
        if names_in(probe) & ({item} | set(bound_names(scan))) or not dotted(records):
            return None
        if not plain_chain(ctx, records):
            return None  # read again for the build and for every lookup
        outer = JoinIndex()._outer(ctx, scan, records, probe)
        stmt = stmt_of(ctx, scan)
        if outer is None or not isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
            return None
        if not isinstance(scan, cst.For) and not (
            unconditional(ctx, scan, stmt) and evaluated_first(ctx, scan, stmt)
        ):
            return None  # the index build must run exactly where the first scan would
        return _Join(records, item, key, probe, rest, test, negated, outer)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        scans = []
        for site in sites:
            join: _Join = site.extra
            scans.append(
                Indexed(join.records, code(join.key), join.item, join.probe, join.outer, site.node)
            )
        return index_change(ctx, scans)

    def describe(self, sites: Sequence[Site]) -> str:
        joins = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"group {joins} once (at the first scan, when the keys are str or int) and scan "
            "only the matching group for every outer element"
        )


def _any_test(ctx: FunctionContext, node: cst.CSTNode) -> cst.BaseExpression | None:
    """The element of `any(test for r in records)` (the builtin, the generator its only
    argument): records whose key does not match make it False, so a subset that keeps every
    matching record, in order, gives the same answer after the same matching tests."""
    arg = ctx.parents.get(id(node))
    call = ctx.parents.get(id(arg))
    if not isinstance(node, cst.GeneratorExp) or not isinstance(arg, cst.Arg):
        return None
    if not isinstance(call, cst.Call) or len(call.args) != 1 or arg.keyword or arg.star:
        return None
    return node.elt if ctx.scope.builtin(call.func) == "any" else None


def _record_key(expr: cst.BaseExpression, item: str) -> bool:
    """`item.attr` or `item["literal"]`."""
    if isinstance(expr, cst.Attribute):
        return isinstance(expr.value, cst.Name) and expr.value.value == item
    if isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Name):
        index = expr.slice[0].slice if len(expr.slice) == 1 else None
        return (
            expr.value.value == item
            and isinstance(index, cst.Index)
            and isinstance(index.value, cst.SimpleString | cst.Integer)
        )
    return False


def _probe(expr: cst.BaseExpression) -> bool:
    """A plain name, `name.attr` or `name["literal"]` (read once more before the scan when
    the records are not empty: a plain read, as the scan's own test does for every record,
    so it raises, if at all, what the test would have raised at the first record)."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if not isinstance(index, cst.Index) or not isinstance(
            index.value, cst.SimpleString | cst.Integer
        ):
            return False
        expr = expr.value
        return isinstance(expr, cst.Name) and expr.value not in ("None", "True", "False")
    if isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name) and expr.value not in ("None", "True", "False")


@dataclass(frozen=True)
class Indexed:
    """One scan to serve from a guarded key index (this rule's, and `join-index-call`'s)."""

    records: cst.BaseExpression
    key: str
    """The record's key as text over `item`."""
    item: str
    probe: cst.BaseExpression
    outer: cst.CSTNode
    """The statement before which the index is reset."""
    at: cst.CSTNode
    """The scan (or the call) before whose statement the index is built."""
    via: MethodLookup | None = None
    """A method call served through a copy of the method (`method_joins`)."""


def plain_helper(ctx: FunctionContext, change: Change) -> str:
    """Put the check that reading a record's key runs no code of the record's in the module
    (with its constants); its name."""
    plain = fresh_name("_plain_key", ctx.module_names)
    generic = fresh_name("_GENERIC_ACCESS", ctx.module_names)
    fields = fresh_name("_PLAIN_FIELDS", ctx.module_names)
    namedtuple = fresh_name("_namedtuple", ctx.module_names)
    change.imports.append(f"from collections import namedtuple as {namedtuple}")
    change.constants.append(
        cst.parse_statement(f"{generic} = (object.__getattribute__, tuple.__getattribute__)\n")
    )
    change.constants.append(
        cst.parse_statement(
            f"{fields} = (\n"
            f'    type(type("_Slots", (), {{"__slots__": ("key",)}}).key),  # a slot\n'
            f'    type({namedtuple}("_Fields", "key").key),  # a named tuple\'s field\n'
            ")\n"
        )
    )
    text = _PLAIN.format(name=plain, generic=generic, fields=fields).lstrip()
    change.constants.append(
        cst.parse_statement(text).with_changes(leading_lines=[cst.EmptyLine()] * 2)
    )
    return plain


def _add_helpers(ctx: FunctionContext, change: Change) -> tuple[str, str, str, str]:
    """Put the run-time helpers and their constants in the module: the names of the index
    builder, the candidates picker, the plain-read check and the unset marker."""
    plain = plain_helper(ctx, change)
    group = fresh_name("_group_by_key", ctx.module_names)
    pick = fresh_name("_candidates", ctx.module_names)
    unset = fresh_name("_NOT_COMPUTED", ctx.module_names)
    change.constants.append(cst.parse_statement(f"{unset} = object()\n"))
    for helper in cst.parse_module(_HELPERS.format(group=group, pick=pick, plain=plain)).body:
        change.constants.append(helper.with_changes(leading_lines=[cst.EmptyLine()] * 2))
    return group, pick, plain, unset


def index_change(ctx: FunctionContext, scans: Sequence[Indexed]) -> Change:
    """Reset each index before its outer statement, build it at the first scan when it is
    still unset, and hand each scan only the records whose key can equal its probe."""
    change = Change()
    group, pick, plain, unset = _add_helpers(ctx, change)
    guard = guard_helper(ctx, change, plain) if any(s.via for s in scans) else ""
    copies: set[str] = set()
    made: dict[tuple[int, str], str] = {}
    for scan in scans:
        records = code(scan.records)
        ident = (id(scan.outer), f"{records}|{scan.key}")
        if ident not in made:
            made[ident] = fresh_name(f"{records.rsplit('.', 1)[-1]}_groups", ctx.module_names)
            init = cst.parse_statement(f"{made[ident]} = {unset}\n")
            change.insert_before(scan.outer, init)
        index = made[ident]
        param = fresh_name("record", ctx.module_names)
        lam = scan.key.replace(scan.item, param, 1)
        read = cst.parse_expression(scan.key)
        attr = repr(read.attr.value) if isinstance(read, cst.Attribute) else "None"
        built = f"{group}({records}, lambda {param}: {lam}, {attr})"
        if scan.via is not None:
            built = guarded_build(scan.via, guard, built)
        build = cst.parse_statement(f"if {index} is {unset}:\n    {index} = {built}\n")
        stmt = stmt_of(ctx, scan.at)
        change.insert_before(stmt, build)
        probe = code(scan.probe)
        if not isinstance(scan.probe, cst.Name):  # read it only where the scan would
            base = scan.probe.value  # type: ignore[attr-defined]
            link = repr(scan.probe.attr.value) if isinstance(scan.probe, cst.Attribute) else None
            probe = (
                f"({probe} if {index} is not None and {records} "
                f"and {plain}({code(base)}, {link}) else None)"
            )
        lookup = cst.parse_expression(f"{pick}({index}, {records}, {probe})")
        if scan.via is None:
            change.replace[id(scan.records)] = lambda _u, lookup=lookup: lookup
            continue
        if scan.via.copy.name.value not in copies:
            copies.add(scan.via.copy.name.value)
            change.constants.append(scan.via.copy.with_changes(leading_lines=[cst.EmptyLine()] * 2))
        change.replace[id(scan.at)] = lambda u, look=scan.via, index=index, lookup=lookup: (
            served_call(u, look, index, lookup)
        )
    return change
