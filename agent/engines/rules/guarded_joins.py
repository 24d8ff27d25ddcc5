"""Joins on a key of unknown type: the index is built where a scan runs, once the loop has
scanned all the records a few times (`PLAIN_SCANS`), and used only when every key and the
probe turn out to be str or int at run time; otherwise the original scan runs. The key
comparison is kept, so the records visited and the result are the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.join_helpers import PLAIN_SCANS, add_helpers
from agent.engines.rules.joins import JoinIndex, _Join, _split, built_before, plain_chain
from agent.engines.rules.method_joins import MethodLookup, guard_helper, guarded_build, served_call
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import shadowed, stmt_of, targets_private
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, dotted, names_in, skips, walk
from agent.engines.rules.unpacking import unpacked_key, unpacked_names

HELPER_BUILTINS = NOTE_BUILTINS | frozenset(
    ("int", "object", "vars", "hasattr", "getattr", "any", "Exception", "TypeError")
)
"""The builtins the index helpers and the receiver guard name (a module or function that
binds one of them gets no rewrite)."""


class GuardedJoinIndex(Rule):
    """A join on a key whose type is not known statically (`[r for r in rows if r["id"] ==
    x]`, or `any(r["id"] == x for r in rows)`, inside a loop) ⇒ a group-by index built where
    a scan runs once the loop has made `PLAIN_SCANS` plain scans, used only when the records
    are a list or tuple and every key and the probe are str or int (checked at run time);
    the scan keeps its key test, so it visits a subset of the records in the same order and
    keeps exactly the same ones.

    The scan may sit in a comprehension (`{k: sum(n for i, n in rows if i == k) for k in
    keys}`): the index is then built just before the statement, in a `try` (records that
    cannot be read there leave the scan as it was), when the comprehension is what the
    statement evaluates first, unconditionally, and not in a `while` test (`joins.built_before`).
    The record may be unpacked into names, one of them the key (`for _, k, n in rows if k ==
    x`: the build unpacks each record the same way). Once iterating the outer loop (or what
    its keys are made from, for an index built before the statement) may have run code, or
    a scan hands on records that are not a list or tuple, every scan gets all the records
    again (`iteration.Notes`): a generator could have added records between two keys.

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
        sites: list[Site] = []
        if shadowed(ctx, HELPER_BUILTINS):
            return sites
        typed = {id(s.node) for s in JoinIndex().find(ctx)}
        for node in walk(ctx.fn):
            if id(node) in typed:
                continue
            join = self._scan(ctx, node)
            if join is not None:
                key = join.shown or code(join.key)
                sites.append(ctx.site(node, f"`{code(join.records)}` by `{key}`", join))
        return sites

    def _scan(self, ctx: FunctionContext, node: cst.CSTNode) -> _Join | None:
        if isinstance(node, cst.ListComp | cst.SetComp | cst.GeneratorExp):
            clause = node.for_in
            test = clause.ifs[0].test if clause.ifs else _any_test(ctx, node)
            item = _item(clause.target)
            if clause.inner_for_in is not None or test is None or item is None:
                return None
            return self._join(ctx, node, clause.iter, item, test, False)
        if not isinstance(node, cst.For):
            return None
        item = _item(node.target)
        if item is None:
            return None
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if not body or not isinstance(body[0], cst.If) or body[0].orelse is not None:
            return None
        guard = skips(body[0])
        if (not guard and len(body) != 1) or not targets_private(ctx, node):
            return None
        return self._join(ctx, node, node.iter, item, body[0].test, guard)

    def _join(
        self,
        ctx: FunctionContext,
        scan: cst.CSTNode,
        records: cst.BaseExpression,
        item: str | list[str],
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
        names = set(item) if isinstance(item, list) else {item}
        if names_in(probe) & (names | set(bound_names(scan))) or not dotted(records):
            return None
        if not plain_chain(ctx, records):
            return None  # read again for the build and for every lookup
        loop = JoinIndex().outer_loop(ctx, scan, records, probe)
        stmt = stmt_of(ctx, scan)
        if loop is None or not isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
            return None
        shown = code(key)
        if isinstance(item, list):  # read by unpacking the record as the scan does
            key, item = cst.parse_expression(unpacked_key(item, shown)), "record"
        join = _Join(records, item, key, probe, rest, test, negated, stmt, loop, shown=shown)
        if isinstance(scan, cst.For) or (
            unconditional(ctx, scan, stmt) and evaluated_first(ctx, scan, stmt)
        ):  # built where a scan runs
            return replace(join, outer=stmt_of(ctx, loop))
        comp = JoinIndex().outer_loop(ctx, scan, records, probe, within=stmt)
        if comp is None or not built_before(ctx, comp, stmt):
            return None
        return replace(join, loop=comp, eager=True)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        scans = []
        for site in sites:
            join: _Join = site.extra
            scans.append(
                Indexed(
                    join.records,
                    code(join.key),
                    join.item,
                    join.probe,
                    join.loop,
                    site.node,
                    eager=join.eager,
                )
            )
        return index_change(ctx, scans)

    def describe(self, sites: Sequence[Site]) -> str:
        joins = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"group {joins} once (when the loop has scanned them a few times and the keys are "
            "str or int) and scan only the matching group for every outer element"
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


def _item(target: cst.BaseExpression) -> str | list[str] | None:
    """A scan's record: its name, or the plain names it is unpacked into."""
    if isinstance(target, cst.Name):
        return target.value
    return unpacked_names(target) or None


def _record_key(expr: cst.BaseExpression, item: str | list[str]) -> bool:
    """`item.attr` or `item["literal"]`, or one of the names the record is unpacked into."""
    if isinstance(item, list):
        return isinstance(expr, cst.Name) and expr.value in item
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
    """The outer loop whose iterations the index serves (reset before its statement)."""
    at: cst.CSTNode
    """The scan (or the call) before whose statement the index is built."""
    via: MethodLookup | None = None
    """A method call served through a copy of the method (`method_joins`)."""
    eager: bool = False
    """Built before the outer statement (a comprehension's), in a `try`, not where a scan runs."""


def index_change(ctx: FunctionContext, scans: Sequence[Indexed]) -> Change:
    """Reset each index before its outer statement, build it once the scans have run
    `PLAIN_SCANS` times over all the records, and then hand each scan only the records whose
    key can equal its probe, until iterating the outer loop (or a loop in it) may have run
    code (`iteration.Notes`): a generator could change the records between two of its items."""
    change = Change()
    group, pick, plain = add_helpers(ctx, change)
    guard = guard_helper(ctx, change, plain) if any(s.via for s in scans) else ""
    notes = Notes(ctx, change)
    # an index built before its statement (`eager`) precedes the iterables' own making too
    # (`sorted(keys)`); the scans' own records are noted by the candidates picker
    own = [s.records for s in scans if s.via is None]
    shared = Counter(id(stmt_of(ctx, s.outer)) for s in scans)  # one scan's records, another's
    flags = [
        notes.flag(
            s.outer, stmt_of(ctx, s.outer), s.eager, own, shared[id(stmt_of(ctx, s.outer))] > 1
        )
        for s in scans
    ]
    copies: set[str] = set()
    made: dict[tuple[int, str, bool], str] = {}
    for scan, ran in zip(scans, flags, strict=True):
        records = code(scan.records)
        outer = stmt_of(ctx, scan.outer)
        ident = (id(outer), f"{records}|{scan.key}", scan.eager)
        param = fresh_name("record", ctx.module_names)
        lam = scan.key.replace(scan.item, param, 1)
        read = cst.parse_expression(scan.key)
        attr = repr(read.attr.value) if isinstance(read, cst.Attribute) else "None"
        built = f"{group}({records}, lambda {param}: {lam}, {attr})"
        if scan.via is not None:
            built = guarded_build(scan.via, guard, built)
        if ident not in made:
            index = made[ident] = fresh_name(
                f"{records.rsplit('.', 1)[-1]}_groups", ctx.module_names
            )
            if scan.eager:  # reading the records may raise where the scan never ran
                text = f"try:\n    {index} = {built}\nexcept Exception:\n    {index} = None\n"
                change.insert_before(outer, cst.parse_statement(text))
            else:
                change.insert_before(outer, cst.parse_statement(f"{index} = 0\n"))
        index = made[ident]
        if not scan.eager:
            change.insert_before(stmt_of(ctx, scan.at), _counted_build(index, built, scan.via))
        probe = _probe_read(scan.probe, index, records, plain)
        flag = f", {ran[: -len('[0]')]}" if ran else ""
        lookup = cst.parse_expression(f"{pick}({index}, {records}, {probe}{flag})")
        if scan.via is None:
            _compose(change, scan.records, _becomes(lookup))
            continue
        if scan.via.copy.name.value not in copies:
            copies.add(scan.via.copy.name.value)
            change.constants.append(scan.via.copy.with_changes(leading_lines=[cst.EmptyLine()] * 2))
        _compose(
            change,
            scan.at,
            partial(served_call, look=scan.via, index=index, lookup=lookup),
        )
    return change


def _counted_build(index: str, built: str, via: MethodLookup | None) -> cst.BaseStatement:
    """`if type(index) is int: index = index + 1 if index < PLAIN_SCANS else built`: the
    scans are counted until the index would pay for itself."""
    last = f"({built})" if via is not None else built  # `build if guard else None`
    text = f"{index} + 1 if {index} < {PLAIN_SCANS} else {last}"
    return cst.parse_statement(f"if type({index}) is int:\n    {index} = {text}\n")


def _probe_read(probe: cst.BaseExpression, groups: str, records: str, plain: str) -> str:
    """The probe, read only where the scan would read it: a name as it is; `base.attr` or
    `base["k"]` only when the index is in use, the records are not empty and reading it
    runs no code."""
    if isinstance(probe, cst.Name):
        return code(probe)
    base = probe.value  # type: ignore[attr-defined]
    link = repr(probe.attr.value) if isinstance(probe, cst.Attribute) else None
    return (
        f"({code(probe)} if type({groups}) is dict and {records} "
        f"and {plain}({code(base)}, {link}) else None)"
    )


def _becomes(node: cst.CSTNode) -> Callable[[Any], cst.CSTNode]:
    return lambda _u: node


def _compose(change: Change, node: cst.CSTNode, make: Callable[[Any], cst.CSTNode]) -> None:
    """Replace `node` by `make(node)`, inside a replacement already asked for (a note of
    the iterable `node` is)."""
    before = change.replace.get(id(node))
    if before is None:
        change.replace[id(node)] = make
    else:
        change.replace[id(node)] = lambda u: before(make(u))
