"""Nested-loop joins on a key: a scan of a collection for the records whose key equals a
value, repeated for every element of an outer loop, becomes one lookup in a dict index built
once before the outer loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_stores import plain_field
from agent.engines.rules.changes import own_changes
from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes, to_note
from agent.engines.rules.kept import kept_by
from agent.engines.rules.order import evaluated_first, plain_literal, unconditional
from agent.engines.rules.places import (
    comp_targets,
    enclosing_loops,
    shadowed,
    stmt_of,
    targets_private,
)
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, dotted, names_in, skips, walk
from agent.engines.rules.typeinfo import SIZED, T, elem_of, exact_key


@dataclass
class _Join:
    records: cst.BaseExpression
    """The scanned collection (a name or an attribute of one)."""
    item: str
    """The scan's loop variable."""
    key: cst.BaseExpression
    """`item.attr`: the record's key."""
    probe: cst.BaseExpression
    """The value the key is compared with."""
    rest: cst.BaseExpression | None
    """The other conditions of the test (kept), or None."""
    test: cst.CSTNode
    """The comparison (or the `and`/`or` holding it) that the lookup replaces."""
    negated: bool
    outer: cst.CSTNode
    """The statement before which the index is built."""
    loop: cst.CSTNode
    """The outer loop (or comprehension) whose iterations the index serves."""
    eager: bool = False
    """The index is built before `outer` (a comprehension's statement), not at the first scan."""
    shown: str = ""
    """The key as the scan spells it, when `key` reads it otherwise (an unpacked record's)."""


class JoinIndex(Rule):
    """`for a in A: ... [r for r in records if r.key == a.k]` (or an inner `for r in records:
    if r.key == a.k: ...`, or `if r.key != a.k: continue`) ⇒ `records_by_key` built once
    before the outer loop with `setdefault(r.key, []).append(r)`, and `for r in
    records_by_key.get(a.k, ())` inside.

    Precondition: `records` is a name (or an attribute of one) the outer loop never rebinds,
    whose elements have a known type with the key field annotated str, int, bool or bytes
    (or tuples of those) and a plain field of a repository class (`attr_stores.plain_field`:
    no property or other descriptor, no custom attribute access), so reading it for every
    record at the build, even where the outer loop never runs, has no effect, building the
    index cannot fail and a dict lookup finds exactly the records `==` finds, in the same
    order; the probe has such a type too and is a name or attribute of one that the scan
    does not rebind; every attribute in the records and the probe is a plain field too (read
    once where the scan read it for every record, or not at all); the outer loop runs only
    pure code (apart from its own fresh containers), so `records` cannot change while the
    index is in use; for an inner `for` loop, its variable is not used after it.
    """

    id = "join-index"
    title = "index records by key once instead of scanning them in a loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites: list[Site] = []
        if shadowed(ctx, NOTE_BUILTINS):
            return sites
        for node in walk(ctx.fn):
            join = None
            if isinstance(node, cst.ListComp | cst.SetComp | cst.GeneratorExp):
                join = self._comprehension(ctx, node)
            elif isinstance(node, cst.For):
                join = self._inner_loop(ctx, node)
            if join is not None:
                sites.append(ctx.site(node, f"`{code(join.records)}` by `{code(join.key)}`", join))
        return sites

    def _comprehension(self, ctx: FunctionContext, comp: cst.BaseComp) -> _Join | None:
        clause = comp.for_in
        if clause.inner_for_in is not None or not clause.ifs:
            return None
        if not isinstance(clause.target, cst.Name):
            return None
        test = clause.ifs[0].test
        return self._join(ctx, comp, clause.iter, clause.target.value, test, negated=False)

    def _inner_loop(self, ctx: FunctionContext, loop: cst.For) -> _Join | None:
        if not isinstance(loop.target, cst.Name) or loop.asynchronous is not None:
            return None
        body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
        if not body or not isinstance(body[0], cst.If) or body[0].orelse is not None:
            return None
        first = body[0]
        is_guard = skips(first)
        if not is_guard and len(body) != 1:
            return None
        if not targets_private(ctx, loop):
            return None
        return self._join(ctx, loop, loop.iter, loop.target.value, first.test, negated=is_guard)

    def _join(
        self,
        ctx: FunctionContext,
        scan: cst.CSTNode,
        records: cst.BaseExpression,
        item: str,
        test: cst.BaseExpression,
        *,
        negated: bool,
    ) -> _Join | None:
        split = _split(test, negated)
        if split is None:
            return None
        cmp, rest = split
        wanted = cst.NotEqual if negated else cst.Equal
        if not isinstance(cmp.comparisons[0].operator, wanted):
            return None
        sides = _key_and_probe(cmp, item)
        if sides is None or not dotted(records):
            return None
        key, probe = sides
        record_t = elem_of(ctx.env.infer(records))
        key_t = ctx.env.infer(key, {item: record_t})
        if not record_t.kind.startswith("obj:") or not exact_key(key_t):
            return None
        if not plain_field(ctx.project, record_t.kind[4:], key.attr.value):
            return None  # a property read for every record at the build could do anything
        from agent.engines.rules.membership import _local_types

        local = _local_types(ctx, scan)
        probe_t = ctx.env.infer(probe, local)  # type: ignore[arg-type]
        if not exact_key(probe_t) or not dotted(probe):
            return None
        if not plain_chain(ctx, records) or not plain_chain(ctx, probe, local):
            return None  # read more (or less) often than the scan reads them
        if names_in(probe) & set(bound_names(scan)) or item in names_in(probe):
            return None
        loop = self.outer_loop(ctx, scan, records, probe)
        if loop is None or not built_before(ctx, loop, stmt_of(ctx, loop)):
            return None
        test = cmp if rest is None else test
        return _Join(records, item, key, probe, rest, test, negated, stmt_of(ctx, loop), loop)

    def outer_loop(
        self,
        ctx: FunctionContext,
        scan: cst.CSTNode,
        records: cst.BaseExpression,
        probe: cst.BaseExpression,
        within: cst.CSTNode | None = None,
    ) -> cst.CSTNode | None:
        """The outermost enclosing loop that keeps `records` unchanged (its statement in a
        block); with `within`, only comprehensions of that statement count."""
        names = names_in(records)
        for loop in enclosing_loops(ctx, scan):
            if loop is scan:
                break
            if within is not None and stmt_of(ctx, loop) is not within:
                continue
            bound = set(bound_names(loop)) | comp_targets(loop)  # `for rows in tables`
            if isinstance(loop, cst.For):
                bound |= names_in(loop.target)
            if (
                names & bound
                or not own_changes(ctx.scope, loop)
                or not kept_by(ctx, loop, records, scan)
            ):
                continue
            stmt = stmt_of(ctx, loop)
            if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
                return loop
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        notes = Notes(ctx, change)
        skip = _typed(ctx, sites)  # built before the loop: what it iterates is made after
        flags = [notes.flag(s.extra.loop, s.extra.outer, True, skip) for s in sites]
        built: dict[tuple[int, str, str], str] = {}
        for site, ran in zip(sites, flags, strict=True):
            join: _Join = site.extra
            attr = join.key.attr.value  # type: ignore[attr-defined]
            key = (id(join.outer), code(join.records), attr)
            if key not in built:
                base = code(join.records).rsplit(".", 1)[-1]
                index = fresh_name(f"{base}_by_{attr}", ctx.module_names)
                var = fresh_name("record", ctx.module_names)
                built[key] = index
                lines = cst.parse_module(
                    f"{index} = {{}}\nfor {var} in {code(join.records)}:\n"
                    f"    {index}.setdefault({var}.{attr}, []).append({var})\n"
                ).body
                change.insert_before(join.outer, *lines)
            found = f"{built[key]}.get({code(join.probe)}, ())"
            if ran:  # the key test stays: every record is scanned again once it is set
                lookup = cst.parse_expression(f"({code(join.records)} if {ran} else {found})")
                change.replace[id(join.records)] = lambda _u, lookup=lookup: lookup
                continue
            self._rewrite_scan(change, site.node, join, cst.parse_expression(found))
        return change

    def _rewrite_scan(
        self, change: Change, scan: cst.CSTNode, join: _Join, lookup: cst.BaseExpression
    ) -> None:
        if isinstance(scan, cst.For):
            change.replace[id(join.records)] = lambda _u: lookup
            first = scan.body.body[0]
            if join.rest is None and join.negated:
                change.replace[id(first)] = lambda _u: cst.RemoveFromParent()
            elif join.rest is None:
                change.replace[id(first)] = lambda u: cst.FlattenSentinel(list(u.body.body))
            else:
                rest = join.rest
                change.replace[id(join.test)] = lambda _u: rest
            return
        change.replace[id(join.records)] = lambda _u: lookup
        clause_if = scan.for_in.ifs[0]  # type: ignore[attr-defined]
        if join.rest is None:
            change.replace[id(clause_if)] = lambda _u: cst.RemoveFromParent()
        else:
            rest = join.rest
            change.replace[id(join.test)] = lambda _u: rest

    def describe(self, sites: Sequence[Site]) -> str:
        joins = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"build a dict index of {joins} once before the outer loop and look records up "
            "instead of scanning them all for every outer element"
        )


def built_before(ctx: FunctionContext, loop: cst.CSTNode, stmt: cst.CSTNode) -> bool:
    """An index built just before `stmt` is still right when `loop` starts: `loop` is the
    statement, or is evaluated first and unconditionally in it (not in a branch, an `elif`
    test or a `while` test that runs again), and a generator expression is its consumer's
    first argument, any others literals (they run before its body: `sum(gen, rows.pop())`)."""
    if loop is stmt:
        return True
    if isinstance(stmt, cst.While) or not unconditional(ctx, loop, stmt):
        return False
    if not evaluated_first(ctx, loop, stmt):
        return False
    if isinstance(loop, cst.GeneratorExp):
        arg = ctx.parents.get(id(loop))
        call = ctx.parents.get(id(arg))
        if not isinstance(call, cst.Call) or call.args[0] is not arg:
            return False
        return all(not a.star and plain_literal(a.value) for a in call.args[1:])
    return True


def _typed(ctx: FunctionContext, sites: Sequence[Site]) -> list[cst.BaseExpression]:
    """Iterables that need no note: the scans' records (scanned whole again only once the
    flag is set) and what the types this rule trusts say is a builtin container."""
    loops = [site.extra.loop for site in sites]
    known = [it for lp in loops for it in to_note(ctx, lp, True) if ctx.env.infer(it).kind in SIZED]
    return [*(site.extra.records for site in sites), *known]


def _split(
    test: cst.BaseExpression, negated: bool
) -> tuple[cst.Comparison, cst.BaseExpression | None] | None:
    """The key comparison and the remaining conditions: `k == p and rest` for a filter,
    `k != p or rest` for a `continue` guard."""
    joiner = cst.Or if negated else cst.And
    if isinstance(test, cst.Comparison):
        return (test, None) if not test.lpar else None
    if (
        isinstance(test, cst.BooleanOperation)
        and isinstance(test.operator, joiner)
        and isinstance(test.left, cst.Comparison)
        and not test.lpar
    ):
        return test.left, test.right
    return None


def _key_and_probe(
    cmp: cst.Comparison, item: str
) -> tuple[cst.Attribute, cst.BaseExpression] | None:
    if len(cmp.comparisons) != 1:
        return None
    op = cmp.comparisons[0].operator
    if not isinstance(op, cst.Equal | cst.NotEqual):
        return None
    left, right = cmp.left, cmp.comparisons[0].comparator
    for key, probe in ((left, right), (right, left)):
        if (
            isinstance(key, cst.Attribute)
            and isinstance(key.value, cst.Name)
            and key.value.value == item
        ):
            return key, probe
    return None


def plain_chain(
    ctx: FunctionContext, expr: cst.BaseExpression, local: dict[str, object] | None = None
) -> bool:
    """A name, or an attribute chain of one whose every link is a plain field of a
    repository class (`attr_stores.plain_field`), so reading it once more or once less than
    the original did cannot be seen (no property runs)."""
    while isinstance(expr, cst.Attribute):
        base = ctx.env.infer(expr.value, local)  # type: ignore[arg-type]
        if not base.kind.startswith("obj:"):
            return False
        if not plain_field(ctx.project, base.kind[4:], expr.attr.value):
            return False
        expr = expr.value
    return isinstance(expr, cst.Name)


__all__ = ["JoinIndex", "T"]
