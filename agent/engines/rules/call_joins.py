"""Lookups by key hidden in a helper: `find(x, records)` called in a loop, where `find` scans
`records` for the first one whose key equals a value, is handed only the records whose key
can equal that value (a group of an index built once the loop has called it a few times), so
it scans a handful of records instead of all of them and still returns, or raises, exactly
what it did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.forwarding import fitted, forwarded_scan
from agent.engines.rules.guarded_joins import HELPER_BUILTINS, Indexed, _probe, index_change
from agent.engines.rules.inline import _stable_arg, _substitute
from agent.engines.rules.joins import JoinIndex, plain_chain
from agent.engines.rules.method_joins import MethodLookup, method_as_function, records_of
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import enclosing_loops, shadowed, stmt_of
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.scan_shapes import scan_of
from agent.engines.rules.syntax import bound_names, dotted, names_in, walk

FORWARDS = 2
"""Helpers that only pass the records on, at most, between the call and the scan."""


@dataclass
class _Lookup:
    records: cst.BaseExpression
    """The caller's argument the callee scans."""
    key: str
    """The record's key as a lambda body over `record` (`record.ident`)."""
    probe: cst.BaseExpression
    """The value the key is compared with, in the caller's names."""
    outer: cst.CSTNode
    """The outer loop whose iterations the index serves (reset before its statement)."""
    via: MethodLookup | None = None


class JoinIndexCall(Rule):
    """`for t in ts: ... find(t, records) ...`, where `find` is `for r in records: if r.key
    == t.k: ...` (a lookup that returns the first match, or a filter or total of the
    matches) ⇒ `find(t, candidates)`, where `candidates` is the group of records whose key
    equals `t.k` in an index built once the loop has made `PLAIN_SCANS` calls with all the
    records, used only when the records are a list or tuple and every key and the probe are
    str or int (checked at run time; otherwise `find` gets `records` itself).

    Precondition: the callee is a plain module function of the repository (no decorators,
    `*`/`**`, keyword-only or positional-only parameters, not the caller), called with
    positional arguments only (omitted ones take their defaults, which must be neither the
    records nor feed the probe), each a literal, a caller parameter or an enclosing `for`
    target, or an attribute chain of a name (so evaluating the arguments has no effects whose
    order could change). Its body (after a docstring) is: assignments of literals or empty
    containers to locals, then one `for r in p:` (no `else`) whose body is one `if` (no
    `else`) testing `r.attr == q` or `r["literal"] == q` (either side), alone or as the
    first operand of an `and` (the rest is then tested only for matching records), then any
    statements that do not mention `r` (after the loop it would be the last record read);
    or it is `return next((e for r in p if r.key == q), default)` with the builtin `next`
    (neither defined nor imported by that name in the callee's module), or `return [e for r
    in p if r.key == q]`. In both comprehensions the record may be unpacked into plain names,
    one of them the key (`for a, b, c in p if a == q`: the index reads the key by unpacking
    each record the same way, so a record of another length makes the index give up and the
    scan raises where it did). `p` is a parameter
    mentioned nowhere else, so the callee only iterates it and a subset in the same order
    runs the `if` body for the same records in the same order (the records left out fail
    the key test without effects: the index build read their keys); `q` is another
    parameter, `param.attr` or `param["literal"]`; no parameter is rebound; nothing in the
    callee defines a nested scope, `yield`s, deletes, or declares a global. In the caller,
    the call is evaluated unconditionally and first in its statement (the index is built
    exactly where a scan would run) inside a loop that never rebinds the records'
    names and runs only pure code apart from its own fresh containers (the callee's effects
    included), so neither the records nor their keys change while the index is in use; the
    call may also be the whole iterable of a `for` statement (evaluated once, first). The
    probe is read once more in the caller (a plain read, as the callee's test does, of a
    plain name or of a stable argument's attribute or item), only when the index is in use
    and the records are not empty, where the callee's test reads it too.

    The callee may also be a helper that passes its records on, whole and to nothing else,
    to such a lookup helper, every argument of that call a parameter of its own and none
    rebound (`agent.engines.rules.forwarding`): the group then reaches the scan through it.
    """

    id = "join-index-call"
    title = "hand a lookup helper called in a loop only the records that can match"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites: list[Site] = []
        if shadowed(ctx, HELPER_BUILTINS):
            return sites
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or not enclosing_loops(ctx, node):
                continue
            lookup = self._lookup(ctx, node)
            if lookup is not None:
                sites.append(ctx.site(node, f"`{code(node)}`", lookup))
        return sites

    def _lookup(self, ctx: FunctionContext, call: cst.Call) -> _Lookup | None:
        if isinstance(call.func, cst.Name) and call.func.value in ctx.scope.locals:
            return None  # a local of that name is not the module's function
        target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
        via = None
        if isinstance(target, FunctionRef) and target.cls is None:
            if target.fn is ctx.fn:
                return None
            args, scan = fitted(target.fn, call), _callee_scan(ctx, target)
        else:  # a method of the records' holder, copied to take them (`method_joins`)
            via = method_as_function(ctx, call)
            if via is None:
                return None
            whole = call.with_changes(args=[cst.Arg(records_of(via)), *call.args])
            args = fitted(via.copy, whole)
            own = ctx.scope.effects.scope(via.origin.path, via.origin.fn, via.origin.cls)
            scan = scan_of(via.copy, {p.name.value for p in via.copy.params.params}, own.pure)
        if args is None or not all(
            _stable_arg(ctx, a.value, call) or dotted(a.value) for a in call.args
        ):
            return None
        if scan is None or (via is not None and scan[0] != via.copy.params.params[0].name.value):
            return None
        param, key, probe = scan
        records = args.get(param)
        if (
            records is None
            or not dotted(records)
            or not plain_chain(ctx, records)  # read again for the build and every lookup
            or not all(n in args and _readable(ctx, args[n], call) for n in names_in(probe))
        ):
            return None
        caller_probe = _substitute(probe, args)
        if caller_probe is None or not _probe(caller_probe):
            return None
        stmt = stmt_of(ctx, call)
        if not isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
            return None
        once = unconditional(ctx, call, stmt) or (isinstance(stmt, cst.For) and stmt.iter is call)
        if not (once and evaluated_first(ctx, call, stmt)):
            return None  # a `for` statement evaluates its iterable once, before all else
        outer = JoinIndex().outer_loop(ctx, call, records, caller_probe)
        if outer is None:
            return None
        return _Lookup(records, key, caller_probe, outer, via)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        scans = []
        for site in sites:
            look: _Lookup = site.extra
            scans.append(
                Indexed(
                    look.records, look.key, "record", look.probe, look.outer, site.node, look.via
                )
            )
        return index_change(ctx, scans)

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"index the records that {calls} scans by key once (when the loop has called it a few "
            "times and the keys are str or int) and hand it only the matching group each time"
        )


def _callee_scan(
    ctx: FunctionContext, target: FunctionRef, depth: int = 0
) -> tuple[str, str, cst.BaseExpression] | None:
    """(scanned parameter, key over `record`, probe in the callee's parameters) of a plain
    module function of the repository (not the caller) that scans its records for a key
    (`scan_of`), or hands them to one that does and uses them for nothing else
    (`forwarded_scan`, at most `FORWARDS` calls deep)."""
    fn = target.fn
    params = fn.params
    if target.cls is not None or fn is ctx.fn or fn.decorators or fn.asynchronous is not None:
        return None
    if params.posonly_params or params.kwonly_params or params.star_kwarg is not None:
        return None
    if isinstance(params.star_arg, cst.Param | cst.ParamStar):
        return None
    names = {p.name.value for p in params.params}
    shadowed = "next" in {*names, *bound_names(fn.body)} or any(
        "next" in table.get(target.path, {}) for table in (ctx.project.defs, ctx.project.imports)
    )
    scan = scan_of(fn, names, ctx.scope.effects.scope(target.path, fn, None).pure)
    if scan is not None:
        return None if shadowed else scan  # `next` must be the builtin for that shape
    if depth >= FORWARDS:
        return None
    return forwarded_scan(ctx, target, lambda inner: _callee_scan(ctx, inner, depth + 1))


def _readable(ctx: FunctionContext, arg: cst.BaseExpression, call: cst.Call) -> bool:
    """An argument the probe may be read from once more, just before the call: a stable one
    (`_stable_arg`), or any plain name (reading it runs nothing, and in the call's own
    statement, evaluated first, nothing rebinds it in between)."""
    if _stable_arg(ctx, arg, call):
        return True
    if isinstance(arg, cst.Attribute) and isinstance(arg.value, cst.Name):
        return _stable_arg(ctx, arg.value, call)  # read again only where `plain` allows
    return isinstance(arg, cst.Name) and arg.value not in ("None", "True", "False")
