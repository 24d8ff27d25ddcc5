"""A list attribute that only grows, of which other methods take `sorted(...)`, `min` or
`max` again and again, gets a sorted copy kept beside it with `bisect.insort` while every
value appended is a number (checked at run time); those reads come from the copy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access
from agent.engines.rules.attr_uses import Use, classify
from agent.engines.rules.edits import code, fresh_name, module_level_names
from agent.engines.rules.effects import effects_of
from agent.engines.rules.ordering import known_bases, subclassed
from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.shadow_reads import read_only_elsewhere
from agent.engines.rules.sorted_attr import instance_param, mentions
from agent.engines.rules.syntax import names_in, walk

_BUILTINS = ("type", "int", "float", "len", "sorted", "min", "max")
_READS = frozenset({"sorted", "min", "max"})
_KEPT = frozenset({"init", "append", "read", "ordered", *_READS})
_HOOKS = frozenset({"__setattr__", "__getattr__", "__getattribute__", "__delattr__"})


@dataclass(frozen=True)
class Shadow:
    attr: str
    uses: tuple[Use, ...]
    me: dict[int, str]

    def of(self, *kinds: str) -> list[Use]:
        return [u for u in self.uses if u.kind in kinds]


class SortedShadow(Rule):
    """`self.x.append(v)` in one method and `sorted(self.x)`, `min(self.x)` or `max(self.x)`
    in others ⇒ a sorted copy `self._x_sorted` kept beside `self.x` (`bisect.insort` at each
    append while the values are numbers and the copy is as long as the list), and those reads
    taken from the copy (`[:]`, `[0]`, the first of the largest) whenever it is complete,
    else computed as before.

    Precondition: the class is defined once, undecorated, without `__slots__` or attribute
    hooks, and nothing in the repository subclasses it; the repository stores an attribute
    `x` only once, as `self.x = []` in `__init__`, and nothing sets it by name; in the class's
    methods `self.x` is only appended to (statements in a block of their own), read with
    `sorted`/`min`/`max` (no key, no default) or read otherwise without being changed or
    handed on; anywhere else in the repository an attribute `x` is only read (`len`,
    iteration, indexing, `in`, reading builtins), never changed, stored or passed on. The
    copy is dropped for good (`None`) as soon as a value other than an int or a non-NaN float
    is appended or the lengths disagree (code outside the repository changed the list), so
    the original calls, errors included, run from then on. Ints and floats but NaN are
    totally ordered, and the copy is exactly what a stable sort of the list gives: `min` and
    `max` return the first of equal values, as they do on the list.
    """

    id = "sorted-shadow"
    title = "keep a sorted copy of a growing list attribute for its sorted view and min/max"

    def find(self, ctx: FunctionContext) -> list[Site]:
        cls = ctx.parents.get(id(ctx.parents.get(id(ctx.fn))))
        me = instance_param(ctx.fn)
        if not isinstance(cls, cst.ClassDef) or ctx.cls is None or me is None:
            return []
        if any(ctx.scope.builtin(cst.Name(n)) != n for n in _BUILTINS):
            return []
        wanted = set()
        for n in mentions(ctx.fn, me):
            use = classify(n, ctx.fn, ctx.scope, ctx.parents)
            if use is not None and use.kind in _READS:
                wanted.add(n.attr.value)
        sites = []
        for attr in sorted(wanted):
            plan = _plan(ctx, cls, attr)
            if plan is not None:
                node = plan.of("init")[0].node
                sites.append(ctx.site(node, f"`{me}.{attr}`", extra=plan))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        taken = set(ctx.module_names)
        for module in ctx.project.modules.values():
            taken |= module_level_names(module)
        for site in sites:
            plan: Shadow = site.extra
            copy = fresh_name(f"_{plan.attr.strip('_')}_sorted", taken)
            init = plan.of("init")[0]
            me = plan.me[id(init.method)]
            start = cst.parse_statement(f"{me}.{copy} = []\n")
            change.replace[id(init.node)] = lambda u, s=start: cst.FlattenSentinel([u, s])
            for use in plan.of("append"):
                new = _append(plan, use, copy, bisect, taken)
                change.replace[id(use.node)] = lambda u, new=new: cst.FlattenSentinel(
                    [new[0].with_changes(leading_lines=u.leading_lines), *new[1:]]
                )
            for use in plan.of(*_READS):
                text = _read(plan, use, copy, bisect)
                change.replace[id(use.node)] = lambda _u, t=text: cst.parse_expression(t)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a sorted copy of {names} as numbers are appended (bisect.insort) and take "
            "its sorted view, min and max from the copy instead of sorting or scanning the list"
        )


def _plan(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> Shadow | None:
    name = cls.name.value
    found = ctx.project.classes.get(name)
    if found is None or found[0] != ctx.path or cls.decorators or subclassed(ctx.project, name):
        return None
    if not known_bases(ctx.project, cls):
        return None
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _HOOKS:
            return None
        if not isinstance(stmt, cst.FunctionDef) and {"__slots__", attr} & names_in(stmt):
            return None
    if len(attribute_stores(ctx.project, attr, name)) != 1 or dynamic_access(ctx.project, attr):
        return None
    effects = effects_of(ctx.project)
    uses: list[Use] = []
    me: dict[int, str] = {}
    inside: set[int] = set()
    for stmt in body:
        mine = instance_param(stmt) if isinstance(stmt, cst.FunctionDef) else None
        if mine is None:
            continue
        assert isinstance(stmt, cst.FunctionDef)
        found_here = mentions(stmt, mine, attr)
        scope = effects.scope(ctx.path, stmt, name)
        for n in found_here:
            use = classify(n, stmt, scope, ctx.parents)
            if use is None or use.kind not in _KEPT:
                return None
            uses.append(use)
            inside.add(id(n))
        me[id(stmt)] = mine
    plan = Shadow(attr, tuple(uses), me)
    if len(plan.of("init")) != 1 or not plan.of("append") or not plan.of(*_READS):
        return None
    if any(
        not isinstance(ctx.parents.get(id(u.node)), cst.IndentedBlock) for u in plan.of("append")
    ):
        return None
    if _shadowed(ctx, plan) or not read_only_elsewhere(ctx, attr, inside):
        return None
    return plan


def _shadowed(ctx: FunctionContext, plan: Shadow) -> bool:
    """Some append is already followed by the copy's upkeep (`if self.c is not None:` holding
    an `insort`): this rewrite ran before."""
    for use in plan.of("append"):
        block = ctx.parents.get(id(use.node))
        body = list(block.body) if isinstance(block, cst.IndentedBlock) else []
        at = next(i for i, s in enumerate(body) if s is use.node)
        after = body[at + 1] if at + 1 < len(body) else None
        if (
            isinstance(after, cst.If)
            and isinstance(after.test, cst.Comparison)
            and isinstance(after.test.comparisons[0].operator, cst.IsNot)
            and "insort(" in code(after.body)
        ):
            return True
    return False


def _append(
    plan: Shadow, use: Use, copy: str, bisect: str, taken: set[str]
) -> list[cst.BaseStatement]:
    line: cst.SimpleStatementLine = use.node  # type: ignore[assignment]
    call: cst.Call = line.body[0].value  # type: ignore[attr-defined]
    me = plan.me[id(use.method)]
    local = {n.value for n in walk(use.method, into_scopes=True) if isinstance(n, cst.Name)}
    item = fresh_name("item", taken | local)
    xs, ys = f"{me}.{plan.attr}", f"{me}.{copy}"
    number = f"type({item}) is int or type({item}) is float and {item} == {item}"
    text = (
        f"{item} = {code(call.args[0].value)}\n"
        f"{xs}.append({item})\n"
        f"if {ys} is not None:\n"
        f"    if ({number}) and len({ys}) + 1 == len({xs}):\n"
        f"        {bisect}.insort({ys}, {item})\n"
        f"    else:\n"
        f"        {ys} = None\n"
    )
    return list(cst.parse_module(text).body)


def _read(plan: Shadow, use: Use, copy: str, bisect: str) -> str:
    me = plan.me[id(use.method)]
    xs, ys = f"{me}.{plan.attr}", f"{me}.{copy}"
    original = code(use.node)
    if use.kind == "sorted":
        ready = f"{ys} is not None and len({ys}) == len({xs})"
        return f"({ys}[:] if {ready} else {original})"
    ready = f"{ys} and len({ys}) == len({xs})"
    picked = f"{ys}[0]" if use.kind == "min" else f"{ys}[{bisect}.bisect_left({ys}, {ys}[-1])]"
    return f"({picked} if {ready} else {original})"
