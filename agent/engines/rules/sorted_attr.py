"""A private list attribute that one method appends to and others re-sort (or scan for the
smallest or largest element) is kept sorted as it grows, with `bisect.insort`."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_stores import dynamic_access
from agent.engines.rules.attr_uses import Use, classify
from agent.engines.rules.attr_values import binds, built_family, module_binds, plain_scalar
from agent.engines.rules.edits import code, imported_as
from agent.engines.rules.effects import Scope, effects_of
from agent.engines.rules.ordering import known_bases, order_family, subclassed
from agent.engines.rules.places import module_ref
from agent.engines.rules.project import Project
from agent.engines.rules.region import guarded_nonempty, sorted_before
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import code_of, name_nodes, walk
from agent.engines.rules.typeinfo import elem_of


@dataclass(frozen=True)
class Plan:
    me: dict[int, str]
    """id(method) -> the name of its instance parameter."""
    uses: tuple[Use, ...]
    attr: str

    def of(self, kind: str) -> list[Use]:
        return [u for u in self.uses if u.kind == kind]


class SortedAttribute(Rule):
    """`self._x.append(v)` in one method, `self._x.sort()` before reading it in order (or
    `min(self._x)` / `max(self._x)`) in others ⇒ `bisect.insort(self._x, v)`, the sorts
    dropped, `min` as `self._x[0]`, `max` as the first of the largest, found by bisection.

    Precondition: `_x` is private (one leading underscore, never `__x`, which is reachable as
    `obj._Cls__x`) and no code of the repository outside the class's own methods names an
    attribute `_x`, nor any string spells it, nor any function, property or variable is
    called `_x`; the class is defined once, undecorated, with repository bases, and nothing
    in the repository subclasses it; no method rebinds its `self`. Every mention is
    `self._x` directly in a method (never in a nested function, nor in a generator that is
    not used up at once by a builtin): one binding to `[]` in `__init__`, appends as
    statements, `.sort()` with no arguments as statements, `min`/`max` of it, uses that do
    not depend on its order (`len`, truth tests, `in`, `count`, `sorted`, `clear`), and uses
    that do (indexing, iteration, `pop`, `remove`, `index`, `del`) only after a `.sort()`
    earlier in the same block with nothing in between that could append to it: only calls
    without effects on receivers of known type, or removals from it (`remove(v)` may also
    come unsorted when `v` is a plain scalar). The list never escapes (it is not returned,
    stored or passed on), so only the class's methods can change it. The appended values all
    have one order family, known from how they are built (not from an annotation): ints,
    strs, bytes, tuples of those, or objects of a repository class whose `__lt__` compares a
    key of constant attributes (see `ordering.py`), built by its constructor. `bisect` names
    the module wherever the rewrite writes it. Then the list kept sorted is
    always what a stable sort of the original list gives, so every use reads the same: `min`
    returns the first smallest element, the first of the largest is `max`'s answer, and the
    ordered uses come after a sort, where both lists are equal.
    """

    id = "sorted-attribute"
    title = "keep a list attribute sorted as it grows instead of re-sorting it"

    def find(self, ctx: FunctionContext) -> list[Site]:
        cls = ctx.parents.get(id(ctx.parents.get(id(ctx.fn))))
        me = instance_param(ctx.fn)
        if not isinstance(cls, cst.ClassDef) or ctx.cls is None or me is None:
            return []
        wanted = sorted(sorted_or_scanned(ctx, me))
        sites = []
        for attr in wanted:
            plan = sorted_plan(ctx, cls, attr)
            if plan is not None:
                init = plan.of("init")[0]
                sites.append(ctx.site(init.node, f"`{me}.{attr}`", extra=plan))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        for site in sites:
            plan: Plan = site.extra
            for use in plan.of("append"):
                line: cst.SimpleStatementLine = use.node  # type: ignore[assignment]
                call: cst.Call = line.body[0].value  # type: ignore[attr-defined]
                target = code(call.func.value)  # type: ignore[attr-defined]
                new = cst.parse_statement(
                    f"{bisect}.insort({target}, {code(call.args[0].value)})\n"
                )
                change.replace[id(line)] = lambda u, new=new: new.with_changes(
                    leading_lines=u.leading_lines
                )
            _drop_sorts(ctx, plan.of("sort"), change)
            for use in [*plan.of("min"), *plan.of("max")]:
                text = _pick(ctx, plan, use, bisect)
                change.replace[id(use.node)] = lambda _u, t=text: cst.parse_expression(t)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep the list {names} sorted as it grows (bisect.insort at each append) instead "
            "of sorting it again before each ordered read or scanning it for its min/max"
        )


def instance_param(fn: cst.FunctionDef) -> str | None:
    ps = fn.params
    if any(code_of(d.decorator) in ("staticmethod", "classmethod") for d in fn.decorators):
        return None
    first = (*ps.posonly_params, *ps.params)[:1]
    return first[0].name.value if first else None


def mentions(fn: cst.FunctionDef, me: str, attr: str | None = None) -> list[cst.Attribute]:
    return [
        n
        for n in walk(fn.body)
        if isinstance(n, cst.Attribute)
        and isinstance(n.value, cst.Name)
        and n.value.value == me
        and (attr is None or n.attr.value == attr)
    ]


def sorted_or_scanned(ctx: FunctionContext, me: str) -> set[str]:
    """Attributes `x` of which `ctx.fn` calls `me.x.sort()` or takes `min`/`max`."""
    out = set()
    for n in mentions(ctx.fn, me):
        use = classify(n, ctx.fn, ctx.scope, ctx.parents)
        if use is not None and use.kind in ("sort", "min", "max"):
            out.add(n.attr.value)
    return out


def private_to(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> bool:
    """Only the methods of `cls` can reach its attribute `attr`: private (never `__x`, which
    is reachable as `obj._Cls__x`), the class defined once, undecorated, with repository
    bases and no subclass, and every mention confined to its methods (`confined`)."""
    if not attr.startswith("_") or attr.startswith("__"):
        return False
    name = cls.name.value
    found = ctx.project.classes.get(name)
    if found is None or found[0] != ctx.path or cls.decorators or subclassed(ctx.project, name):
        return False
    return known_bases(ctx.project, cls) and confined(ctx, cls, attr)


def sorted_plan(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> Plan | None:
    found = class_uses(ctx, cls, attr)
    if found is None:
        return None
    return found[0] if proven_sorted(ctx, cls, *found) else None


def proven_sorted(
    ctx: FunctionContext, cls: cst.ClassDef, plan: Plan, scopes: dict[int, Scope]
) -> bool:
    """`sorted-attribute`'s own checks on the uses `class_uses` found: the appended values'
    order family is known statically, and every order-dependent use follows a sort (or
    removes a plain scalar)."""
    attr = plan.attr
    family_of = _ordered_elements(ctx, plan, scopes, cls.name.value)
    if family_of is None or names_taken(ctx, plan, "bisect"):
        return False
    for use in [*plan.of("ordered"), *plan.of("pop"), *plan.of("remove")]:
        scope, self_name = scopes[id(use.method)], plan.me[id(use.method)]
        if sorted_before(ctx, use, scope, self_name, attr):
            continue
        value = _removed(ctx, use) if use.kind == "remove" else None
        if value is None or not plain_scalar(scope, value, f"{self_name}.{attr}", family_of):
            return False  # `remove(v)` finds the same element unsorted only for plain scalars
    return True


def class_uses(
    ctx: FunctionContext, cls: cst.ClassDef, attr: str
) -> tuple[Plan, dict[int, Scope]] | None:
    """Every use of the private list attribute `attr` in the methods of `cls` (each of a
    kind `attr_uses` knows), with each method's scope: one binding in `__init__`, at least
    one append, no method rebinding its `self`, no class-level binding of the name."""
    if not private_to(ctx, cls, attr):
        return None
    name = cls.name.value
    me: dict[int, str] = {}
    uses: list[Use] = []
    scopes: dict[int, Scope] = {}
    effects = effects_of(ctx.project)
    for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        if not isinstance(stmt, cst.FunctionDef):
            if attr in {n.value for n in walk(stmt) if isinstance(n, cst.Name)}:
                return None  # a class-level binding of the same name
            continue
        if instance_param(stmt) and binds(stmt, instance_param(stmt) or "", own_params=False):
            return None  # after `self = other`, `self._x` is another object's list
        found_here = mentions(stmt, instance_param(stmt) or "", attr)
        if not found_here:
            continue
        scope = scopes[id(stmt)] = effects.scope(ctx.path, stmt, name)
        me[id(stmt)] = instance_param(stmt) or ""
        for n in found_here:
            use = classify(n, stmt, scope, ctx.parents)
            if use is None:
                return None
            uses.append(use)
    plan = Plan(me, tuple(uses), attr)
    if len(plan.of("init")) != 1 or not plan.of("append"):
        return None
    return plan, scopes


def _removed(ctx: FunctionContext, use: Use) -> cst.BaseExpression | None:
    """`v` of `xs.remove(v)` (one positional argument)."""
    call = ctx.parents.get(id(ctx.parents.get(id(use.node))))
    if not isinstance(call, cst.Call) or len(call.args) != 1 or call.args[0].keyword:
        return None
    return call.args[0].value


def names_taken(ctx: FunctionContext, plan: Plan, module: str) -> bool:
    """The name the emitted code calls `module` by is bound otherwise in the module or in
    a method that receives emitted code (an append, a `min` or `max`)."""
    local = imported_as(ctx.module, module)
    ref = local or module
    if module_binds(ctx.module, ref, local is not None):
        return True
    given = (*plan.of("append"), *plan.of("min"), *plan.of("max"))
    receiving = {id(u.method): u.method for u in given}
    return any(binds(fn, ref, own_params=True) for fn in receiving.values())


def confined(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> bool:
    """Every mention of an attribute `attr` in the repository is `me.attr` in a method of
    `cls` (directly, not in a nested scope), and no string spells `attr`."""
    if ctx.path not in ctx.project.modules or dynamic_access(ctx.project, attr):
        return False  # the class's module must be among those looked through
    for path, module in ctx.project.modules.items():
        tree = ctx.module if path == ctx.path else module
        if any(n.value == attr for n in name_nodes(tree)):
            return False  # a function, property or variable of that name may stand for it
        inert = inert_strings(ctx.project, tree)
        for n in walk(tree, into_scopes=True):
            if isinstance(n, cst.SimpleString) and id(n) not in inert and spells(n, attr):
                return False
            if not isinstance(n, cst.Attribute) or n.attr.value != attr:
                continue
            if path != ctx.path:
                return False
            method = ctx.parents.get(id(ctx.parents.get(id(scope_of(ctx, n)))))
            scope = scope_of(ctx, n)
            if method is not cls or not isinstance(scope, cst.FunctionDef):
                return False
            me = instance_param(scope)
            if me is None or not (isinstance(n.value, cst.Name) and n.value.value == me):
                return False
    return True


@functools.lru_cache(maxsize=32)  # by the sources' content
def _getters(project: Project) -> bool:
    return any(
        isinstance(n, cst.Name | cst.Attribute)
        and code(n).rsplit(".", 1)[-1] in ("attrgetter", "methodcaller")
        for module in project.modules.values()
        for n in walk(module, into_scopes=True)
    )


def spells(s: cst.SimpleString, attr: str) -> bool:
    try:
        return s.evaluated_value == attr
    except Exception:
        return True


def inert_strings(project: Project, tree: cst.Module) -> set[int]:
    """The strings that cannot name an attribute: a dict display's keys (`{"services": n}`),
    subscript indexes (`row["services"]`; `__dict__` and `vars` are `dynamic_access`'s),
    compared values, docstrings, and arguments of the module's own functions (whose
    `getattr` and `setattr` are `dynamic_access`'s) where no `attrgetter` or `methodcaller`
    in the repository could be handed one."""
    out: set[int] = set()
    own = (
        set()
        if _getters(project)
        else {s.name.value for s in tree.body if isinstance(s, cst.FunctionDef)}
    )
    for n in walk(tree, into_scopes=True):
        parts: list[cst.CSTNode] = []
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value in own:
            parts = [a.value for a in n.args]
        elif isinstance(n, cst.DictElement):
            parts = [n.key]
        elif isinstance(n, cst.Index):
            parts = [n.value]
        elif isinstance(n, cst.Comparison):
            parts = [n.left, *(c.comparator for c in n.comparisons)]
        elif isinstance(n, cst.Expr):
            parts = [n.value]
        out.update(id(p) for p in parts if isinstance(p, cst.SimpleString))
    return out


def scope_of(ctx: FunctionContext, node: cst.CSTNode) -> cst.CSTNode | None:
    cur = ctx.parents.get(id(node))
    while cur is not None and not isinstance(cur, cst.FunctionDef | cst.Lambda | cst.ClassDef):
        cur = ctx.parents.get(id(cur))
    return cur


def _ordered_elements(
    ctx: FunctionContext, plan: Plan, scopes: dict[int, Scope], cls: str
) -> str | None:
    """The one order family of every appended value, known from how it is built (and of
    the field's annotation, when it has one)."""
    families = set()
    for use in plan.of("append"):
        call = use.node.body[0].value  # type: ignore[attr-defined]
        families.add(built_family(scopes[id(use.method)], call.args[0].value))
    declared = ctx.project.fields.get(f"{cls}.{plan.attr}")
    if declared is not None:
        if declared.kind != "list":
            return None
        families.add(order_family(ctx.project, elem_of(declared)))
    return families.pop() if len(families) == 1 else None


def _drop_sorts(ctx: FunctionContext, sorts: list[Use], change: Change) -> None:
    """Remove the sorts; a block they would leave empty keeps a `pass`."""
    gone = {id(u.node) for u in sorts}
    for use in sorts:
        block = ctx.parents.get(id(use.node))
        body = block.body if isinstance(block, cst.IndentedBlock) else ()
        if body and all(id(s) in gone for s in body) and body[0] is use.node:
            change.replace[id(use.node)] = lambda u: cst.SimpleStatementLine(
                [cst.Pass()], leading_lines=u.leading_lines
            )
        else:
            change.replace[id(use.node)] = lambda _u: cst.RemoveFromParent()


def _pick(ctx: FunctionContext, plan: Plan, use: Use, bisect: str) -> str:
    """`min(me.x)` -> `me.x[0]`; `max(me.x)` -> the first of the equal largest; both fall
    back to the original call when the list may be empty (its error is the original's)."""
    me = plan.me[id(use.method)]
    xs = f"{me}.{plan.attr}"
    picked = f"{xs}[0]" if use.kind == "min" else f"{xs}[{bisect}.bisect_left({xs}, {xs}[-1])]"
    if guarded_nonempty(ctx, use, me, plan.attr):
        return picked
    return f"({picked} if {xs} else {code(use.node)})"
