"""Group-by across a call boundary: a loop that calls a per-key scan (`balance(code, entries)`)
once per key gets every key's total from one pass over the collection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.freshness import local_bindings
from agent.engines.rules.groupcallee import Served, callee_scan, callee_scan_many
from agent.engines.rules.groupcopies import copies_for
from agent.engines.rules.groupfilter import Filter
from agent.engines.rules.grouplookup import Lookup
from agent.engines.rules.groupreduce import Reduce
from agent.engines.rules.groupscan import HELPER_NAMES, Scan
from agent.engines.rules.groupvia import (
    Via,
    callee_via,
    module_names,
    reached_from,
    renamed,
    via_copy,
    with_names,
)
from agent.engines.rules.inserts import stored_values
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes, pure_but_notes
from agent.engines.rules.places import enclosing_loops, shadowed, stmt_of
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, names_in, walk

_COMPS = (cst.ListComp, cst.SetComp, cst.DictComp)
_LOOPS = (cst.For, *_COMPS)


@dataclass(frozen=True)
class GroupSite:
    loop: cst.CSTNode
    """The `for` statement, or the statement holding the comprehension."""
    calls: tuple[cst.Call, ...]
    scan: Scan | Lookup | Reduce | Filter
    key: str
    """The callee's parameter the varying argument binds."""
    key_arg: int
    """Index in each call's arguments of the one that varies per iteration."""
    method: bool
    via: Via | None = None
    """The helper the loop calls, when the scan is called by it rather than by the loop."""
    home: Home | None = None
    """The scan's module, when the loop calls it there (its copies then go there)."""
    passed: tuple[int, ...] = ()
    """Indices of the other arguments that vary per iteration (`groupcallee.Served`): each
    call gets them as they are, and the pass none of them."""
    also: frozenset[str] = frozenset()
    """The callee's parameters they bind."""


@dataclass(frozen=True)
class Home:
    path: str
    imported: cst.ImportFrom | None
    """The loop's module's `from <scan's module> import scan`, which imports the copies too;
    None when the loop reaches the scan through the module's name."""
    names: frozenset[str]
    """Every name of the scan's module, which the copies' names must avoid as well."""


class GroupByCall(Rule):
    """A loop calling `f(key, ...)` once per key, where `f` scans a collection for the items
    whose key equals `key` ⇒ one pass before the loop serves every key, and each call is
    answered from it by `f_from(pass, key, ...)`, a copy of `f` that looks its key up first.
    Two scans qualify: adding up a value of the matching items (`total += p.amount`; the pass
    adds every key's total in the same order, so float and Decimal sums are the very same, and
    a missing key gets the initial value), and returning the first matching item (`return c`;
    the pass keeps every key's first item, and a key it lacks runs the original scan, which
    returns the default or raises as before).

    Precondition: `f` is a function or method of the same module (no decorators, plain
    parameters) that the repository-wide effect analysis finds pure, with the scan shape of
    `groupscan.find_scan` or `grouplookup.find_lookup`; every call in the loop passes the same
    other arguments, each a literal or a name (or its attribute) the loop never rebinds, and
    one argument that varies (or several, for a filtering loop or comprehension: the pass then
    groups by one of them, `groupcallee.callee_scan_many`, and each call loops over its key's
    items with its test in full); everything the loop runs is pure apart from its own fresh
    containers, so the collection does not change between the pass and the calls. At run time
    the pass is used only when every key it meets, and the key asked for, is exactly a str or
    an int (and every total a number), and until an iterable of the loop may have run code
    (`iteration.Notes`); otherwise, or when the pass (or reading its arguments) raises, each
    call scans as before.
    """

    id = "group-by-call"
    title = "add up every key's total in one pass instead of one scan per key"
    one_site = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if any(ctx.scope.builtin(cst.Name(n)) != n for n in HELPER_NAMES):
            return []
        if shadowed(ctx, NOTE_BUILTINS):
            return []
        sites = []
        seen: set[int] = set()
        for node in walk(ctx.fn):
            if not isinstance(node, _LOOPS) or id(node) in seen:
                continue
            found = _group_site(ctx, node)
            if found is not None:
                seen |= {id(n) for n in walk(found.loop)}
                detail = f"`{code(found.calls[0].func)}` per key"
                sites.append(ctx.site(found.loop, detail, extra=found))
        return sites[:1]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        found: GroupSite = sites[0].extra
        scan, via = found.scan, found.via
        home = found.home
        ctx.module_names |= via.names if via is not None else set()
        ctx.module_names |= home.names if home is not None else set()
        there = change  # where the copies go: the scan's module
        if via is not None and via.path != ctx.path:
            there = change.elsewhere[via.path] = Change()
        if home is not None:
            there = change.elsewhere[home.path] = Change()
        names = {
            "groups": fresh_name("groups", ctx.module_names),
            "kinds": fresh_name("kinds", ctx.module_names),
            "item": fresh_name("item_key", ctx.module_names),
        }
        grouped, lookup, local, copies = copies_for(ctx, found, names)
        gap = [cst.EmptyLine(indent=False)] * (1 if found.method else 2)
        copies = [c.with_changes(leading_lines=gap) for c in copies]
        there.replace[id(scan.fn)] = lambda u: cst.FlattenSentinel([u, *copies])
        first = found.calls[0]
        args = pass_args(first, found)
        func = renamed(first.func, grouped)
        if via is not None:
            args = list(via.pass_args)
            if via.method and not found.method:  # a method helper's module-function scan
                func = cst.Name(grouped)
            groups = fresh_name("groups", ctx.module_names)
            answer, lookup = lookup, fresh_name(f"{via.helper.name.value}_via", ctx.module_names)
            lines = [cst.EmptyLine(indent=False)] * (1 if via.method else 2)
            copy = via_copy(via, lookup, groups, answer).with_changes(leading_lines=lines)
            there.replace[id(via.helper)] = lambda u: cst.FlattenSentinel([u, copy])
            if via.imported is not None:
                new_names = [grouped, lookup]
                change.replace[id(via.imported)] = lambda u: with_names(u, new_names)
        if home is not None and home.imported is not None:
            change.replace[id(home.imported)] = lambda u: with_names(u, [grouped, lookup])
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        change.insert_before(found.loop, _prepare(local, cst.Call(func, args)))
        ran = Notes(ctx, change).flag(found.loop, found.loop, consumed=True)
        served = cst.parse_expression(f"None if {ran} else {local}" if ran else local)
        for call in found.calls:
            noted = change.replace.get(id(call))  # the call is an iterable the flag notes

            def serve(u: cst.Call, noted: Any = noted) -> Any:
                u = u.with_changes(func=renamed(u.func, lookup), args=[cst.Arg(served), *u.args])
                return u if noted is None else noted(u)

            change.replace[id(call)] = serve
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        found: GroupSite = sites[0].extra
        call, scan = code(found.calls[0].func), found.scan.fn.name.value
        each = "each call scans" if found.via is None else f"each call's `{scan}` scans"
        doing = {
            Scan: "add up every key's total",
            Lookup: "index every key's first item",
            Reduce: "gather every key's items",
            Filter: "gather every key's items",
        }[type(found.scan)]
        return (
            f"instead of calling `{call}` once per key ({each} the whole collection), {doing} "
            "in one pass before the loop, in the same order, and look each key up"
        )


def _group_site(ctx: FunctionContext, loop: cst.CSTNode) -> GroupSite | None:
    stmt = loop if isinstance(loop, cst.For) else stmt_of(ctx, loop)
    if not isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
        return None
    if not isinstance(loop, cst.For) and not (
        isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
    ):
        return None  # on a line of several statements the pass would run before them all
    varying = _loop_bound(loop)
    body = loop.body if isinstance(loop, cst.For) else loop
    calls = [n for n in walk(body) if isinstance(n, cst.Call)]
    later = _deferred(ctx, loop, calls)
    for call in calls:
        if _in_first_iter(loop, call) or code(call.func) in later:
            continue
        found, home = _direct_scan(ctx, call, varying)
        if found is None:
            via = callee_via(ctx, call, varying)
            if via is None:
                continue
            same = [c for c in calls if code(c.func) == code(call.func)]
            others = [callee_via(ctx, c, varying) for c in same if c is not call]
            texts = [code(a) for a in via[1].pass_args]
            if any(v is None or [code(a) for a in v[1].pass_args] != texts for v in others):
                continue
            if not runs_pure(ctx, stmt):
                return None
            if not passed_unchanged(ctx, stmt, same, via[1].pass_args, items_out=True):
                return None
            (scan, key_arg, method, key), helper = via
            there = ctx.project.modules.get(helper.path)
            if helper.path != ctx.path and (there is None or not builtins_kept(there)):
                return None
            return GroupSite(stmt, tuple(same), scan, key, key_arg, method, helper)
        same = [c for c in calls if code(c.func) == code(call.func)]
        fixed = [code(a) for a in pass_args(call, found)]
        again = [_direct_scan(ctx, c, varying)[0] for c in same if c is not call]
        shape = (found.scan.fn, found.key_arg, found.passed)
        if any(g is None or (g.scan.fn, g.key_arg, g.passed) != shape for g in again):
            continue
        if any([code(a) for a in pass_args(c, found)] != fixed for c in same):
            continue
        if not runs_pure(ctx, stmt):
            return None
        given = pass_args(call, found)
        if not passed_unchanged(ctx, stmt, same, given, isinstance(found.scan, Lookup)):
            return None
        return GroupSite(
            stmt,
            tuple(same),
            found.scan,
            found.key,
            found.key_arg,
            found.method,
            home=home,
            passed=found.passed,
            also=found.also,
        )
    return None


def pass_args(call: cst.Call, found: Served | GroupSite) -> list[cst.Arg]:
    """The arguments of `call` the pass is given: all but those that vary per iteration."""
    return [a for i, a in enumerate(call.args) if i != found.key_arg and i not in found.passed]


def passed_unchanged(
    ctx: FunctionContext,
    loop: cst.CSTNode,
    calls: Sequence[cst.Call],
    args: Sequence[cst.Arg],
    items_out: bool,
) -> bool:
    """What the pass is given cannot change while the loop runs: the purity check lets the
    loop change only the function's own new containers, so an argument rooted in one of them
    must not be mentioned in the loop outside the calls served, neither by its name nor by a
    name that may hold it or a part of it (bound from it, or filled with it; from what a
    served call returns too when that may be one of the collection's items: `items_out`)."""
    own = {r for r in (_root(a.value) for a in args) if r is not None and r in ctx.scope.fresh}
    if not own:
        return True
    served = {id(n) for c in calls for a in c.args for n in walk(a)}
    hidden = set() if items_out else served

    def mentions(value: cst.CSTNode) -> set[str]:
        return {n.value for n in walk(value) if isinstance(n, cst.Name) and id(n) not in hidden}

    related = set(own)
    bindings = [pair for n in walk(ctx.fn.body) for pair in _bound_from(n)]
    stored = stored_values(ctx.fn, ctx.scope.dotted)
    grew = True
    while grew:
        grew = False
        for name, value in bindings:
            if name not in related and value is not None and mentions(value) & related:
                related.add(name)
                grew = True
        for name, values in stored.items():
            if name not in related and any(v is None or mentions(v) & related for v in values):
                related.add(name)
                grew = True
    return not any(
        isinstance(n, cst.Name) and n.value in related and id(n) not in served for n in walk(loop)
    )


def _bound_from(n: cst.CSTNode) -> list[tuple[str, cst.CSTNode | None]]:
    """Each name `n` binds, with the expression its value comes from (an unpacked or
    iterated one included)."""
    source: cst.CSTNode | None = None
    if isinstance(n, cst.For | cst.CompFor):
        source = n.iter
    elif isinstance(n, cst.Assign | cst.AugAssign | cst.AnnAssign | cst.NamedExpr):
        source = n.value
    elif isinstance(n, cst.WithItem):
        source = n.item
    return [(name, source if value is None else value) for name, value in local_bindings(n)]


def _root(expr: cst.BaseExpression) -> str | None:
    while isinstance(expr, cst.Attribute | cst.Subscript):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def builtins_kept(module: cst.Module) -> bool:
    """The builtins the copies call (`HELPER_NAMES`) mean the builtins in `module`: none is
    bound there at any level, and nothing is imported with `*`."""
    star = any(
        isinstance(n, cst.ImportFrom) and isinstance(n.names, cst.ImportStar) for n in walk(module)
    )
    return not star and not _binds_any(module)


def _binds_any(module: cst.Module) -> bool:
    names = set(bound_names(module))
    for n in walk(module, into_scopes=True):
        if isinstance(n, cst.FunctionDef | cst.ClassDef):
            names |= set(bound_names(n))
    return bool(names & set(HELPER_NAMES))


def _direct_scan(
    ctx: FunctionContext, call: cst.Call, varying: set[str]
) -> tuple[Served | None, Home | None]:
    """The scan of a call of the loop's own module, or of a module function of another
    module that the loop's module imports by name (`from .m import scan`) or reaches through
    the module's name (`m.scan`), so it can name the copies made there too."""
    found = _served(ctx, call, varying)
    if found is not None:
        return found, None
    target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
    if not isinstance(target, FunctionRef) or target.cls is not None or target.path == ctx.path:
        return None, None
    module = ctx.project.modules.get(target.path)
    reached, imported = reached_from(ctx, call.func, target.path)
    if module is None or not reached or "." in target.qualname:
        return None, None
    if not builtins_kept(module):
        return None, None
    there = call.with_changes(func=cst.Name(target.qualname))
    found = _served(ctx, there, varying, target.path)
    if found is None:
        return None, None
    return found, Home(target.path, imported, frozenset(module_names(module)))


def _served(
    ctx: FunctionContext, call: cst.Call, varying: set[str], path: str | None = None
) -> Served | None:
    """`callee_scan`'s answer, else `callee_scan_many`'s (several arguments vary)."""
    found = callee_scan(ctx, call, varying, path, None)
    if found is not None:
        return Served(*found)
    return callee_scan_many(ctx, call, varying, path, None)


def runs_pure(ctx: FunctionContext, stmt: cst.CSTNode) -> bool:
    """The loop changes nothing but its own fresh containers (and an earlier pass's flags),
    and binds no name with `:=`."""
    return pure_but_notes(ctx, stmt) and not any(isinstance(n, cst.NamedExpr) for n in walk(stmt))


def _prepare(local: str, call: cst.Call) -> cst.BaseStatement:
    """`local = <the pass>`, in a `try`: reading an argument may fail where the loop would
    never have run (`box.rows` with `box` None, a name bound only on some paths), and a
    failure gives None, so the calls scan as before and raise where they did."""
    text = f"try:\n    {local} = {code(call)}\nexcept Exception:\n    {local} = None\n"
    return cst.parse_statement(text)


def _deferred(ctx: FunctionContext, loop: cst.CSTNode, calls: list[cst.Call]) -> set[str]:
    """The functions called where the call may run after the loop: in a lambda, or in a
    generator expression kept past its iteration."""
    return {
        code(c.func)
        for c in calls
        if not _in_first_iter(loop, c) and all(lp is not loop for lp in enclosing_loops(ctx, c))
    }


def _loop_bound(loop: cst.CSTNode) -> set[str]:
    out = set(bound_names(loop))
    for n in walk(loop):
        if isinstance(n, cst.For | cst.CompFor):
            out |= names_in(n.target)
    return out


def _in_first_iter(loop: cst.CSTNode, call: cst.Call) -> bool:
    first = loop.iter if isinstance(loop, cst.For) else loop.for_in.iter  # type: ignore[attr-defined]
    return any(n is call for n in walk(first))
