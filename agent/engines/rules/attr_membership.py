"""Membership tests on a private list attribute that only grows (`order.id in self._ids`,
where `self._ids.append(...)` is all that ever changes it): a set kept beside the list,
filled at each append, answers them while every value appended is a plain string or
number; from the first other value on, the list answers as before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_uses import Use, classify
from agent.engines.rules.attr_values import binds
from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.effects import Scope, effects_of
from agent.engines.rules.guarded_membership import EXACT_IDS
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.sorted_attr import instance_param, mentions, private_to, spells
from agent.engines.rules.syntax import name_nodes, walk

_KEPT = frozenset({"init", "append", "read", "ordered", "sort", "sorted", "min", "max"})
"""Uses that leave the list's values as they are, but for appends."""
_HOOKS = frozenset({"__slots__", "__setattr__", "__getattr__", "__getattribute__", "__delattr__"})
"""Class-level names that would refuse, or intercept, the set's new attribute."""

_ADD = '''
def {name}(items, members, value):
    """`items.append(value)`, with `value` added to `members`, the set that answers `in`
    for `items` while every value appended is of exactly a str, int, float, bool, bytes or
    None type; any other value adds `{untracked}` instead, and `items` answers from then on."""
    items.append(value)
    members.add(value if id(type(value)) in {exact} else {untracked})
'''

_HAS = '''
def {name}(value, items, members):
    """`value in items`, asked of `members` (see `{add}`) while it holds every value of
    `items` and `value` is of one of the exact types too (for them equal values hash alike,
    and NaN is found only as the very same object either way)."""
    if id(type(value)) in {exact} and {untracked} not in members:
        return value in members
    return value in items
'''


@dataclass(frozen=True)
class Plan:
    attr: str
    members: str
    """The new attribute holding the set."""
    uses: tuple[tuple[Use, str], ...]
    """Every use of the list, with the method's instance parameter."""

    def of(self, kind: str) -> list[tuple[Use, str]]:
        return [(u, me) for u, me in self.uses if u.kind == kind]


class AttributeMembershipSet(Rule):
    """`v in self._x` (or `not in`) in a method, `self._x` a list attribute that only grows
    ⇒ `self._x_members = set()` after `self._x = []` in `__init__`, each
    `self._x.append(v)` as `_add_member(self._x, self._x_members, v)`, and each single
    membership test of the class as `_has_member(v, self._x, self._x_members)`.

    Precondition: `_x` is confined to the class as `sorted-attribute` requires (private, no
    mention, string or dynamic access outside the class's own methods, the class defined
    once, undecorated, with repository bases and no subclass, no method rebinding its
    `self`); the class and its bases define no `__slots__` nor attribute hooks, and nothing
    in the repository names the new attribute. Every use of the list is its one binding to
    `[]` in `__init__`, appends as statements, or a use that changes no value: `in`, `len`,
    truth, `count`, iteration, indexing, `sorted`, `min`, `max`, an in-place `sort`; it
    never escapes. So the set holds exactly the list's values at every test. At run time a
    test asks the set only while every appended value, and the probe, is of exactly a str,
    int, float, bool, bytes or None type, for which the set finds what the scan finds;
    argument order and evaluation are as before.
    """

    id = "membership-set-attribute"
    title = "keep a set beside a growing list attribute for its membership tests"

    def find(self, ctx: FunctionContext) -> list[Site]:
        cls = ctx.parents.get(id(ctx.parents.get(id(ctx.fn))))
        me = instance_param(ctx.fn)
        if not isinstance(cls, cst.ClassDef) or ctx.cls is None or me is None:
            return []
        sites, planned = [], set()
        for cmp in walk(ctx.fn):
            seq = _tested(cmp)
            if seq is None or not isinstance(seq.value, cst.Name) or seq.value.value != me:
                continue
            attr = seq.attr.value
            if attr in planned:
                continue
            plan = _plan(ctx, cls, attr)
            if plan is not None:
                planned.add(attr)
                sites.append(ctx.site(cmp, f"`{me}.{attr}`", extra=plan))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        exact = fresh_name("_EXACT_MEMBER_TYPES", ctx.module_names)
        untracked = fresh_name("_UNTRACKED", ctx.module_names)
        change.constants.append(
            cst.parse_statement(f"{exact} = {EXACT_IDS}\n").with_changes(
                leading_lines=[cst.EmptyLine()]
            )
        )
        change.constants.append(cst.parse_statement(f"{untracked} = object()\n"))

        def helper(base: str, text: str, **names: str) -> str:
            return module_helper(
                ctx.module, ctx.module_names, change.constants, base,
                lambda n: text.format(name=n, exact=exact, untracked=untracked, **names).lstrip(),
            )  # fmt: skip

        add = helper("_add_member", _ADD)
        has = helper("_has_member", _HAS, add=add)
        for site in sites:
            plan: Plan = site.extra
            [(init, me)] = plan.of("init")
            new = cst.parse_statement(f"{me}.{plan.members} = set()\n")
            change.replace[id(init.node)] = lambda u, new=new: cst.FlattenSentinel([u, new])
            for use, me in plan.of("append"):
                line: cst.SimpleStatementLine = use.node  # type: ignore[assignment]
                value = code(line.body[0].value.args[0].value)  # type: ignore[attr-defined]
                text = f"{add}({me}.{plan.attr}, {me}.{plan.members}, {value})\n"
                stmt = cst.parse_statement(text)
                change.replace[id(line)] = lambda u, s=stmt: s.with_changes(
                    leading_lines=u.leading_lines
                )
            for use, me in plan.of("read"):
                cmp = ctx.parents.get(id(ctx.parents.get(id(use.node))))
                if _tested(cmp) is not use.node:
                    continue
                assert isinstance(cmp, cst.Comparison)
                call = f"{has}({code(cmp.left)}, {me}.{plan.attr}, {me}.{plan.members})"
                negated = isinstance(cmp.comparisons[0].operator, cst.NotIn)
                expr = cst.parse_expression(f"(not {call})" if negated else call)
                change.replace[id(cmp)] = lambda _u, e=expr: e
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a set beside the list {names}, filled at each append, so its membership "
            "tests are hash lookups, not scans (while its values are plain strings or numbers)"
        )


def _tested(node: cst.CSTNode | None) -> cst.Attribute | None:
    """`seq` of a single `v in seq` / `v not in seq` comparison whose `seq` is an attribute."""
    if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
        return None
    target = node.comparisons[0]
    if not isinstance(target.operator, cst.In | cst.NotIn):
        return None
    seq = target.comparator
    return seq if isinstance(seq, cst.Attribute) else None


def _plan(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> Plan | None:
    if not private_to(ctx, cls, attr) or hooked(ctx, cls, set()):
        return None
    members = f"{attr}_members"
    found = None if named(ctx, members) else method_mentions(ctx, cls, attr)
    if found is None:
        return None
    uses: list[tuple[Use, str]] = []
    for n, stmt, me, scope in found:
        use = classify(n, stmt, scope, ctx.parents)
        if use is None or use.kind not in _KEPT:
            return None
        uses.append((use, me))
    plan = Plan(attr, members, tuple(uses))
    return plan if len(plan.of("init")) == 1 and plan.of("append") else None


def method_mentions(
    ctx: FunctionContext, cls: cst.ClassDef, attr: str
) -> list[tuple[cst.Attribute, cst.FunctionDef, str, Scope]] | None:
    """Every `self.attr` directly in a method of `cls`, with the method, its instance
    parameter and its scope; None when the class body binds the name itself, or a method
    rebinds its `self` (after `self = other`, `self.attr` is another object's)."""
    out: list[tuple[cst.Attribute, cst.FunctionDef, str, Scope]] = []
    effects = effects_of(ctx.project)
    for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        if not isinstance(stmt, cst.FunctionDef):
            if attr in {n.value for n in walk(stmt) if isinstance(n, cst.Name)}:
                return None
            continue
        me = instance_param(stmt) or ""
        if me and binds(stmt, me, own_params=False):
            return None
        found_here = mentions(stmt, me, attr) if me else []
        if found_here:
            scope = effects.scope(ctx.path, stmt, cls.name.value)
            out.extend((n, stmt, me, scope) for n in found_here)
    return out


def hooked(ctx: FunctionContext, cls: cst.ClassDef, seen: set[str]) -> bool:
    """`cls` or a repository base of it binds `__slots__` or defines an attribute hook."""
    if cls.name.value in seen:
        return False
    seen.add(cls.name.value)
    for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _HOOKS:
            return True
        named = {n.value for n in walk(stmt) if isinstance(n, cst.Name)}
        if not isinstance(stmt, cst.FunctionDef | cst.ClassDef) and _HOOKS & named:
            return True
    for base in cls.bases:
        spelled = code(base.value)
        found = ctx.project.classes.get(spelled)
        if found is not None and hooked(ctx, found[1], seen):
            return True
    return False


def named(ctx: FunctionContext, name: str) -> bool:
    """Some code of the repository mentions `name` (a name, an attribute or a string)."""
    for path, module in ctx.project.modules.items():
        tree = ctx.module if path == ctx.path else module
        if any(n.value == name for n in name_nodes(tree)):
            return True
        for n in walk(tree, into_scopes=True):
            if isinstance(n, cst.Attribute) and n.attr.value == name:
                return True
            if isinstance(n, cst.SimpleString) and spells(n, name):
                return True
    return False
