"""Calls to pure functions that a comprehension repeats with the same arguments (`[x /
total(xs) for x in xs]`): computed at the first element that needs the value, kept for the
rest."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.hoist import (
    _argument_names,
    _stem,
    kept_in_place,
    read_pure_calls,
)
from agent.engines.rules.invariant_args import iterated, plain_arguments
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.places import (
    COMPREHENSIONS,
    comp_targets,
    enclosing_loops,
    shadowed,
    stmt_of,
)
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.syntax import bound_names, declared_global, walk


class HoistPureCallComprehension(Rule):
    """A call to a pure function inside a comprehension whose arguments the comprehension
    never changes ⇒ `(v if v is not None else (v := f(a)))` in place of the call, with
    `v = None` (or a fresh sentinel, when the callee may return None) just before the
    statement holding the comprehension.

    Precondition: as for hoist-pure-call, the callee is pure, every argument is a literal or a
    (dotted) name, and the result is immutable or only read, so sharing one value is
    unobservable; the comprehension runs only pure code and rebinds none of the arguments (a
    comprehension target or `:=`), and changes no container they may reach (`stable.py`); it
    is the only comprehension around the call and runs at most once per run of its statement
    (not in a `while` test nor in the body of a one-line loop), so the reset before the
    statement precedes every run; a generator expression is consumed where it is made; the
    call is not in a comprehension's iterable (where `:=` is a syntax error), a lambda or a
    nested function. The call still runs exactly where it first did, so a comprehension over
    nothing never makes it, and its exceptions and their order are unchanged; an argument
    that may be a one-shot iterator makes it run again, as before, whenever it is one, and
    so does every element after one over something that is not a builtin container
    (`iteration.py`).
    """

    id = "hoist-pure-call-comp"
    title = "compute a pure call that a comprehension repeats once"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node, facts in read_pure_calls(ctx):
            found = _statement(ctx, node)
            if found is not None:
                stmt, comp = found
                extra = (stmt, facts.never_none, comp)
                sites.append(ctx.site(node, f"`{code(node)}`", extra=extra))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        made: dict[tuple[int, str], str] = {}
        missing = ""
        notes = Notes(ctx, change)
        for site in sites:
            stmt, never_none, comp = site.extra
            text = code(site.node)
            key = (id(stmt), text)
            if key not in made:
                made[key] = fresh_name(f"{_stem(site.node)}_value", ctx.module_names)
                if not never_none and not missing:
                    missing = fresh_name("_NOT_COMPUTED", ctx.module_names)
                    change.constants.append(cst.parse_statement(f"{missing} = object()\n"))
                start = "None" if never_none else missing
                reset = cst.parse_statement(f"{made[key]} = {start}\n")
                change.insert_before(stmt, reset)
            name = made[key]
            unset = "None" if never_none else missing
            ran = notes.flag(comp, stmt)
            kept = kept_in_place(ctx, change, site.node, name, unset, iterated(ctx, site.node), ran)
            change.replace[id(site.node)] = lambda _u, kept=kept: kept
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per comprehension (at the first element that needs it) "
            "instead of for every element: the callee is pure and its arguments do not change"
        )


def _statement(ctx: FunctionContext, call: cst.Call) -> tuple[cst.CSTNode, cst.CSTNode] | None:
    """The statement before which the kept value is reset, when the call qualifies, and the
    comprehension (whose iterables are noted: `iteration.py`)."""
    names = _argument_names(plain_arguments(ctx, call))
    if names is None or names & declared_global(ctx.fn):
        return None
    loops = enclosing_loops(ctx, call)
    if not loops or not isinstance(loops[-1], COMPREHENSIONS):
        return None
    comp = loops[-1]
    if len(loops) > 1 and isinstance(loops[-2], COMPREHENSIONS):
        return None  # an outer comprehension may run it again with other arguments
    if _in_iterable(ctx, call, comp) or names & _rebound(comp):
        return None
    if any(isinstance(n, cst.CompFor) and n.asynchronous for n in walk(comp)):
        return None
    if not ctx.scope.pure(comp) or not arguments_stable(ctx, comp, names):
        return None
    if shadowed(ctx, NOTE_BUILTINS):
        return None
    stmt = stmt_of(ctx, comp)
    if not isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
        return None
    return (stmt, comp) if _runs_once(ctx, comp, stmt) else None


def _in_iterable(ctx: FunctionContext, node: cst.CSTNode, comp: cst.CSTNode) -> bool:
    """`node` is inside the iterable of one of `comp`'s `for` clauses."""
    child, cur = node, ctx.parents.get(id(node))
    while cur is not None and child is not comp:
        if isinstance(cur, cst.CompFor) and child is cur.iter:
            return True
        child, cur = cur, ctx.parents.get(id(cur))
    return False


def _rebound(comp: cst.CSTNode) -> set[str]:
    """Names the comprehension binds: its targets and its `:=` targets."""
    return comp_targets(comp) | set(bound_names(comp))


def _runs_once(ctx: FunctionContext, comp: cst.CSTNode, stmt: cst.CSTNode) -> bool:
    """Nothing between the comprehension and its statement runs it more than once."""
    child: cst.CSTNode = comp
    while child is not stmt:
        parent = ctx.parents.get(id(child))
        if parent is None or isinstance(parent, cst.While):
            return False
        if isinstance(parent, cst.For) and child is not parent.iter:
            return False
        child = parent
    return True
