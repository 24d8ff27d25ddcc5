"""What a method cached per object (cache-method-by-snapshot) reads: the attribute chains
from its object, the classes that object may be, and, through a property of the objects
its fields hold, the fields that property reads in turn."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.closedness import attribute_stores, reads_only_constants
from agent.engines.rules.constants import rebound_from_outside
from agent.engines.rules.edits import code
from agent.engines.rules.effects import Scope
from agent.engines.rules.field_cache import not_plain, returns_settle, self_only
from agent.engines.rules.freshness import fresh_levels, immutable_locals
from agent.engines.rules.rewrite import FunctionContext, function_context
from agent.engines.rules.sort_keys import TRAPS
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, walk

Chain = tuple[str, ...]


@dataclass(frozen=True)
class Guard:
    """The object at `holder` (a chain from the method's object) is exactly of the class the
    method's module binds to `cls`, whose property the method reads through it."""

    holder: Chain
    cls: str


def chains(ctx: FunctionContext, me: str) -> tuple[Chain, ...]:
    """The attribute chains read from `me` (`me.line.stops` ⇒ ("line", "stops")), longest
    first reached, when every mention of `me` heads one read as a value; else ()."""
    found: dict[Chain, None] = {}
    for n in name_nodes(ctx.fn.body):
        if n.value != me:
            continue
        node: cst.CSTNode = n
        chain: list[str] = []
        while True:
            parent = ctx.parents.get(id(node))
            if not isinstance(parent, cst.Attribute) or parent.value is not node:
                break
            holder = ctx.parents.get(id(parent))
            if isinstance(holder, cst.Call) and holder.func is parent:
                break  # a method of the value read so far
            chain.append(parent.attr.value)
            node = parent
        holder = ctx.parents.get(id(node))
        if not chain or isinstance(holder, cst.AssignTarget | cst.AugAssign | cst.Del):
            return ()
        if isinstance(holder, cst.Call) and holder.func is node:
            return ()
        found[tuple(chain)] = None
    nested = [n for n in walk(ctx.fn.body) if isinstance(n, SCOPES)]
    if any(me in {x.value for x in name_nodes(n)} for n in nested):
        return ()
    return tuple(found)


def family(ctx: FunctionContext) -> list[cst.ClassDef] | None:
    """Every class of the repository, at any depth, that `self` may be an instance of: the
    method's class, its ancestors and its descendants (named by their bases). None when one
    of them could make a field read run code it does not show: an ancestor the repository
    does not define, a decorator other than `dataclass` or `total_ordering`, a metaclass,
    `__getattr__` or `__getattribute__`."""
    every = [
        n
        for module in ctx.project.modules.values()
        for n in walk(module, into_scopes=True)
        if isinstance(n, cst.ClassDef)
    ]
    by_name: dict[str, list[cst.ClassDef]] = {}
    for node in every:
        by_name.setdefault(node.name.value, []).append(node)
    names, grown = {ctx.cls or ""}, True
    while grown:
        grown = False
        for node in every:
            bases = {code(b.value).rsplit(".", 1)[-1] for b in node.bases}
            name = node.name.value
            if name not in names and bases & names:
                names.add(name)
                grown = True
            if name in names:
                for base in bases - names - {"object"}:
                    if base not in by_name:
                        return None
                    names.add(base)
                    grown = True
    family = [node for name in sorted(names) for node in by_name.get(name, [])]
    for node in family:
        decorators = {code(d.decorator).split("(")[0].rsplit(".", 1)[-1] for d in node.decorators}
        methods = {s.name.value for s in walk(node) if isinstance(s, cst.FunctionDef)}
        if decorators - {"dataclass", "total_ordering"} or methods & set(TRAPS):
            return None
        if node.keywords:
            return None  # `metaclass=...` (or another class keyword)
    return family


def set_from_outside(ctx: FunctionContext, family: list[cst.ClassDef], names: set[str]) -> bool:
    """Some code may give a class one of `names` after it was made (`Sub.skips =
    property(f)`, `cls.skips = ...` in a class method, `setattr(...)`): a store of that
    attribute on a family class's name, on `cls` or on a call's result (`type(o).skips`),
    or any `setattr`."""
    classes = {node.name.value for node in family} | {"cls"}
    for store in attribute_stores(ctx.project):
        if store is None:
            return True
        base = store.value
        if store.attr.value in names and (
            isinstance(base, cst.Call) or (isinstance(base, cst.Name) and base.value in classes)
        ):
            return True  # `Sub.skips = ...`, `cls.skips = ...`, `type(obj).skips = ...`
    return False


def given_frozen(ctx: FunctionContext, me: str) -> Scope:
    """The method seen with all it reaches through `me` counted as immutable: then, if the
    body is pure, what else it could change are the containers it read, which the run-time
    check compares before and after the body runs."""
    scope = ctx.scope.effects.scope(ctx.path, ctx.fn, ctx.cls)
    scope.immutables = immutable_locals(scope, frozenset({me}))
    scope.fresh, scope.elements = fresh_levels(scope)
    return scope


def plain_reader(ctx: FunctionContext, me: str, read: tuple[Chain, ...]) -> Scope | None:
    """The method's scope (everything reached through `me` counted as immutable) when it is
    a function of the chains `read` alone: none a part of another, each read as a field
    (no class `me` may be defines a method or property by a chain's first name, nor any
    repository class by a later one, and nothing sets such a name on those classes); its
    body pure, reading only constants, and no `return` followed by code. Else None."""
    if not read or any(a[: len(b)] == b for a in read for b in read if a != b):
        return None  # an object read whole and through: it would never be kept
    kin = family(ctx)
    if kin is None or any(not_plain(ctx, c[0], kin) for c in read):
        return None
    if set_from_outside(ctx, kin, {c[0] for c in read}):
        return None
    if any(not_plain(ctx, name) for chain in read for name in chain[1:]):
        return None
    if not returns_settle(ctx.fn) or not reads_only_constants(ctx.scope):
        return None
    scope = given_frozen(ctx, me)
    body = ctx.fn.body.body if isinstance(ctx.fn.body, cst.IndentedBlock) else ()
    return scope if all(scope.pure(s) for s in body) else None


def through_properties(
    ctx: FunctionContext, me: str, read: tuple[Chain, ...]
) -> tuple[tuple[Chain, ...], tuple[Guard, ...]] | None:
    """The chains read with each `holder.prop` whose `prop` is a property of a repository
    class replaced by the chains that property reads from its own object, behind `holder`
    (`self.line.offsets` ⇒ `self.line._run_minutes`), and the guards that make the property
    run: `type(self.line) is Line`. None when some property is not plain enough to see
    through. A property's result is a function of what it reads when its getter is a plain
    reader of fields; the guard's exact type means no other class's attribute of that name
    can answer instead."""
    leaves: dict[Chain, None] = {}
    guards: list[Guard] = []
    for chain in read:
        if len(chain) < 2 or not not_plain(ctx, chain[-1]):
            leaves[chain] = None
            continue
        seen = _property_reads(ctx, chain[-1])
        if seen is None:
            return None
        cls, inner = seen
        guards.append(Guard(chain[:-1], cls))
        leaves.update((chain[:-1] + c, None) for c in inner)
    return tuple(leaves), tuple(guards)


def _property_reads(ctx: FunctionContext, prop: str) -> tuple[str, tuple[Chain, ...]] | None:
    """The one repository class that defines `prop`, once, as a plain property whose getter
    the method's module reaches by the class's own name (bound once, never by `global`),
    and the chains the getter reads; else None. Nothing may store or delete an attribute
    by that name but a method of an unrelated class on its own object, and the getter's
    fields may not be private (`__x` is another name in the method's class)."""
    owners = [
        (path, node) for path, node in ctx.project.classes.values() if not_plain(ctx, prop, [node])
    ]
    if len(owners) != 1 or bound_names(owners[0][1].body).get(prop) != 1:
        return None  # several classes, or a binding besides the `def` (Python keeps the last)
    path, node = owners[0]
    name = node.name.value
    module = ctx.project.modules.get(path)
    if module is None or ctx.project.lookup(ctx.path, name) != (path, node):
        return None
    if name in ctx.scope.locals or bound_names(ctx.module).get(name) != 1:
        return None
    if name in rebound_from_outside(ctx.project, ctx.path) or _declared_global(ctx, name):
        return None
    getter = function_context(path, module.code, f"{name}.{prop}", ctx.project)
    if getter is None or not getter.fn.decorators:
        return None  # a method, not a property: reading it gives a bound method
    me = self_only(getter)
    if me is None:
        return None
    inner = chains(getter, me)
    if any(n.startswith("__") and not n.endswith("__") for c in inner for n in c):
        return None
    kin = family(getter)
    if kin is None or _stored_elsewhere(ctx, kin, prop):
        return None
    return (name, inner) if plain_reader(getter, me, inner) is not None else None


def _declared_global(ctx: FunctionContext, name: str) -> bool:
    return any(
        isinstance(n, cst.Global) and any(i.name.value == name for i in n.names)
        for module in ctx.project.modules.values()
        for n in walk(module, into_scopes=True)
    )


def _stored_elsewhere(ctx: FunctionContext, kin: list[cst.ClassDef], prop: str) -> bool:
    """Some code may store or delete an attribute `prop` where a class of `kin` would see
    it: anything but `self.prop = ...` in a method of a class outside `kin` (aliases of a
    class, `global`, `setattr` all count)."""
    own: set[int] = set()
    related = {id(c) for c in kin}
    for _, cls in ctx.project.classes.values():
        if id(cls) in related:
            continue
        for method in walk(cls.body):
            if isinstance(method, cst.FunctionDef) and method.params.params:
                me = method.params.params[0].name.value
                own.update(
                    id(a)
                    for a in walk(method.body, into_scopes=True)
                    if isinstance(a, cst.Attribute) and code(a.value) == me
                )
    for store in attribute_stores(ctx.project):
        if store is None or (store.attr.value == prop and id(store) not in own):
            return True
    return False
