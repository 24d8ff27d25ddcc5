"""Membership tests in a loop on a list whose element types are not known statically (a stop
list built from a parameter): a set of the list is built before the loop when, at run time,
the list holds only values whose equal values hash alike, and each test asks it when the
probe is such a value too; otherwise the list answers as before."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.index_map import _outer_loop
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.membership import MembershipSet
from agent.engines.rules.places import (
    comp_targets,
    shadowed,
    single_binding,
    statement_in_block,
)
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, walk

EXACT_IDS = "frozenset(map(id, (str, int, float, bool, bytes, type(None))))"
"""The ids of the types whose equal values always hash alike (exactly these, not subclasses,
which may redefine `==`; compared by identity, which no metaclass can redefine)."""

_EXACT_SET = '''
def {name}(items):
    """A frozenset of `items` when it is a list or tuple of values of exactly a str, int,
    float, bool, bytes or None type, whose set answers `in` as a scan of the list does; None
    for anything else."""
    if type(items) is not list and type(items) is not tuple:
        return None
    for value in items:
        if id(type(value)) not in {exact}:
            return None
    return frozenset(items)
'''

_MEMBER = '''
def {name}(value, items, exact):
    """`value in items`, asked of `exact` (see `{exact_set}`) when there is one and `value` is
    of one of its types too (NaN is found only as the very same object either way)."""
    if exact is not None and id(type(value)) in {exact_ids}:
        return value in exact
    return value in items
'''


class GuardedMembershipSet(Rule):
    """`probe in seq` (or `not in`) inside a loop, `seq` a local whose element types are
    unknown ⇒ `seq_exact = _exact_set(seq)` before the outermost loop that leaves `seq`
    alone, and `_member(probe, seq, seq_exact)` for the test.

    Precondition: `seq` is a plain name, not bound by the loop (nor by a comprehension in
    the function) and not of a type known to be something other than a list or tuple; the
    loop is pure and no container `seq` may reach changes while it runs (`stable.py`), so the
    set built before it holds what the list holds at every test. At run time the set is
    built only for an exact list or tuple of exact str, int, float, bool, bytes or None
    values, and asked only for a probe of those types: for them `==` is value equality and
    equal values hash alike (1, 1.0 and True included), so the set finds what the scan finds.
    The probe is evaluated once, before `seq`, as before. Lists whose element types are
    known are `membership-set`.
    """

    id = "membership-set-guarded"
    title = "test membership in a set built at run time instead of scanning a list in a loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        typed = {id(s.node) for s in MembershipSet().find(ctx)}
        in_comps = comp_targets(ctx.fn)
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
                continue
            target = node.comparisons[0]
            seq = target.comparator
            if not isinstance(target.operator, cst.In | cst.NotIn) or id(seq) in typed:
                continue
            if not isinstance(seq, cst.Name) or seq.value in in_comps:
                continue
            if ctx.env.get(seq.value).kind not in ("list", "tuple", "unknown"):
                continue
            if _module_set(ctx, seq.value):
                continue
            loop = _outer_loop(ctx, node, seq.value)  # type: ignore[arg-type]
            stmt = statement_in_block(ctx, loop) if loop is not None else None
            if loop is not None and stmt is not None and not shadowed(ctx, NOTE_BUILTINS):
                sites.append(ctx.site(node, f"`{seq.value}`", extra=(stmt, loop)))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        exact_ids = fresh_name("_EXACT_MEMBER_TYPES", ctx.module_names)
        change.constants.append(
            cst.parse_statement(f"{exact_ids} = {EXACT_IDS}\n").with_changes(
                leading_lines=[cst.EmptyLine()]
            )
        )

        def helper(base: str, text: str, **names: str) -> str:
            return module_helper(
                ctx.module,
                ctx.module_names,
                change.constants,
                base,
                lambda n: text.format(name=n, **names).lstrip(),
            )

        exact_set = helper("_exact_set", _EXACT_SET, exact=exact_ids)
        member = helper("_member", _MEMBER, exact_set=exact_set, exact_ids=exact_ids)
        made: dict[tuple[int, str], str] = {}
        notes = Notes(ctx, change)
        for site in sites:
            cmp: cst.Comparison = site.node
            seq = code(cmp.comparisons[0].comparator)
            stmt, loop = site.extra
            key = (id(stmt), seq)
            if key not in made:
                made[key] = fresh_name(f"{seq}_exact", ctx.module_names)
                init = cst.parse_statement(f"{made[key]} = {exact_set}({seq})\n")
                change.insert_before(stmt, init)
            ran = notes.flag(loop, stmt)
            exact = f"(None if {ran} else {made[key]})" if ran else made[key]
            call = f"{member}({code(cmp.left)}, {seq}, {exact})"
            negated = isinstance(cmp.comparisons[0].operator, cst.NotIn)
            new = cst.parse_expression(f"(not {call})" if negated else call)
            change.replace[id(cmp)] = lambda _u, e=new: e
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"build a set of {names} once before the loop (when its values are plain "
            "strings or numbers) so each membership test is a hash lookup, not a scan"
        )


def _module_set(ctx: FunctionContext, name: str) -> bool:
    """`name` is a module constant bound once, to a set display or a `set`/`frozenset` call,
    and not in the function: a set already, which a run-time set would only copy."""
    if name in bound_names(ctx.fn) or bound_names(ctx.module).get(name) != 1:
        return False
    for stmt in ctx.module.body:
        bound = single_binding(stmt)
        if bound is not None and isinstance(bound[0], cst.Name) and bound[0].value == name:
            value = bound[1]
            if isinstance(value, cst.Set):
                return True
            return isinstance(value, cst.Call) and ctx.scope.builtin(value.func) in (
                "set",
                "frozenset",
            )
    return False
