"""Earlier items of the same key: a loop over a sequence that calls, for each position, a
function scanning every item before it for those of one key (`hours_before(entries, i)`) makes
the whole loop quadratic; the function's copy asks a generator that keeps each item's key from
one call to the next for the earlier positions of its key alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.earlier_scan import (
    BUILTINS,
    EarlierScan,
    copy_of,
    find_earlier_scan,
    plain_key_text,
    positions_function,
)
from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.effects import effects_of
from agent.engines.rules.groupby import passed_unchanged, runs_pure
from agent.engines.rules.groupcallee import definition, param_of
from agent.engines.rules.places import shadowed, suspends
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, names_in, walk

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.BaseComp)


@dataclass(frozen=True)
class EarlierSite:
    loop: cst.For
    calls: tuple[cst.Call, ...]
    scan: EarlierScan


class EarlierByKey(Rule):
    """`for i, e in enumerate(seq): ... f(seq, i) ...` (or `for i in range(len(seq))`), where
    `f` loops over the items before position `i` and keeps those whose key equals a name it
    worked out first (`if e.kind == "work" and week(e.day) == target: total += e.hours`) ⇒
    each call runs `f_earlier(state, seq, i)`, a copy of `f` whose loop asks a generator for
    the positions of its own key; the generator works out each item's key (the loop's
    bindings and the test's terms up to the key) once, in order, and keeps them in `state`,
    made fresh before the loop. The loop's test and body run as before on every position the
    generator gives, so a float or Decimal total adds the same values in the same order.

    Precondition: `f` is a module function of the same module (no decorators, plain
    parameters) that the repository-wide effect analysis finds pure, with the shape of
    `earlier_scan.find_earlier_scan`: one loop `for i in range(index)` or `for x in
    seq[:index]` at the top of its body, whose body is plain bindings and one `if` without
    `else`, no `break`, and whose item names are not read after it; the key and the terms
    before it read only the item and globals. The caller's loop iterates `enumerate(seq)` or
    `range(len(seq))` of a name it never rebinds, passes that name and its position as they
    are, and changes nothing but its own fresh containers, so no item changes between calls.
    At run time the state serves only a list or tuple, keys that are exactly a str, an int or
    a tuple of them, and positions that do not go back; otherwise every earlier position is
    visited as before.
    """

    id = "earlier-by-key"
    title = "keep each item's key between calls and visit only the earlier items of one key"
    one_site = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if shadowed(ctx, frozenset(BUILTINS)):
            return []
        for node in walk(ctx.fn):
            if isinstance(node, cst.For):
                found = _site(ctx, node)
                if found is not None:
                    detail = f"`{code(found.calls[0].func)}` per position"
                    return [ctx.site(node, detail, extra=found)]
        return []

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        found: EarlierSite = sites[0].extra
        scan, change = found.scan, Change()
        taken = ctx.module_names
        plain = module_helper(ctx.module, taken, change.constants, "_plain_key", plain_key_text)
        callee = scan.fn.name.value
        names = {
            "name": fresh_name(f"_earlier_{callee}", taken),
            "state": fresh_name("state", taken),
            "want": fresh_name("want", taken),
            "key": fresh_name("key", taken),
            "at": fresh_name("at", taken),
            "groups": fresh_name("groups", taken),
            "plain": plain,
        }
        copy_name = fresh_name(f"{callee}_earlier", taken)
        positions = positions_function(scan, names)
        copy = copy_of(scan, copy_name, names["state"], names["name"])
        gap = [cst.EmptyLine(indent=False)] * 2
        added = [s.with_changes(leading_lines=gap) for s in (copy, positions)]
        change.replace[id(scan.fn)] = lambda u: cst.FlattenSentinel([u, *added])
        local = fresh_name(f"{callee}_state", taken)
        made = f'{local} = {{"seq": None, "done": 0, "groups": {{}}, "ok": True}}\n'
        change.insert_before(found.loop, cst.parse_statement(made))
        for call in found.calls:
            change.replace[id(call)] = lambda u: u.with_changes(
                func=cst.Name(copy_name), args=[cst.Arg(cst.Name(local)), *u.args]
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        found: EarlierSite = sites[0].extra
        call = code(found.calls[0].func)
        return (
            f"instead of `{call}` scanning every earlier item at each position, keep each "
            "item's key between calls and visit only the earlier items of the wanted key, "
            "in the same order"
        )


def _site(ctx: FunctionContext, loop: cst.For) -> EarlierSite | None:
    head = _positions(ctx, loop)
    if head is None or not isinstance(ctx.parents.get(id(loop)), cst.IndentedBlock):
        return None
    seq, pos = head
    if {seq, pos} & set(bound_names(loop.body)) or seq in names_in(loop.target):
        return None
    if loop.asynchronous is not None or suspends(loop):
        return None  # code outside runs while the loop waits, and may change the items
    calls, scan = [], None
    for node in walk(loop.body):
        if not isinstance(node, cst.Call) or _nested(ctx, node, loop):
            continue
        found = _callee_scan(ctx, node, seq, pos)
        if found is None:
            continue
        if scan is not None and found.fn is not scan.fn:
            continue
        scan = found
        calls.append(node)
    if scan is None or not runs_pure(ctx, loop):
        return None
    if not passed_unchanged(ctx, loop, calls, [cst.Arg(cst.Name(seq))], items_out=True):
        return None
    return EarlierSite(loop, tuple(calls), scan)


def _positions(ctx: FunctionContext, loop: cst.For) -> tuple[str, str] | None:
    """The sequence's name and the position's, for `for i, x in enumerate(seq)` and
    `for i in range(len(seq))`."""
    it, target = loop.iter, loop.target
    if not isinstance(it, cst.Call) or len(it.args) != 1 or it.args[0].keyword or it.args[0].star:
        return None
    called = ctx.scope.builtin(it.func)
    arg = it.args[0].value
    if called == "enumerate" and isinstance(arg, cst.Name):
        if isinstance(target, cst.Tuple) and len(target.elements) == 2:
            first, second = target.elements
            name = first.value if isinstance(first, cst.Element) else None
            if isinstance(name, cst.Name) and name.value not in names_in(second):
                return arg.value, name.value
        return None
    if called == "range" and isinstance(target, cst.Name) and isinstance(arg, cst.Call):
        inner = arg.args[0].value if len(arg.args) == 1 and not arg.args[0].keyword else None
        if ctx.scope.builtin(arg.func) == "len" and isinstance(inner, cst.Name):
            return inner.value, target.value
    return None


def _nested(ctx: FunctionContext, node: cst.CSTNode, loop: cst.For) -> bool:
    """`node` runs in a function, lambda or comprehension of its own inside the loop."""
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not loop:
        if isinstance(cur, _SCOPES):
            return True
        cur = ctx.parents.get(id(cur))
    return False


def _callee_scan(ctx: FunctionContext, call: cst.Call, seq: str, pos: str) -> EarlierScan | None:
    if any(a.star for a in call.args):
        return None
    target = ctx.project.resolve(ctx.path, call.func, ctx.cls)
    if not isinstance(target, FunctionRef) or target.path != ctx.path or target.cls is not None:
        return None
    if target.qualname == ctx.qualname or "." in target.qualname:
        return None
    fn = definition(ctx.module, target)
    if fn is None or not effects_of(ctx.project).summary(target).pure:
        return None
    given = {}
    for at, arg in enumerate(call.args):
        if isinstance(arg.value, cst.Name) and arg.value.value in (seq, pos):
            param = param_of(fn, call, at, False)
            if param is None or arg.value.value in given:
                return None
            given[arg.value.value] = param
    if set(given) != {seq, pos}:
        return None
    return find_earlier_scan(fn, given[seq], given[pos])
