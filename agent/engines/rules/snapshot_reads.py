"""What a method cached per object (cache-method-by-snapshot) reads: the attribute chains
from its object, the classes that object may be, and, through a property of the objects
its fields hold, the fields that property reads in turn."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores as attribute_stores_of
from agent.engines.rules.attr_stores import dynamic_access, methods_of
from agent.engines.rules.closedness import attribute_stores, reads_only_constants
from agent.engines.rules.constants import imported_name, rebound_from_outside
from agent.engines.rules.edits import code
from agent.engines.rules.effects import Scope
from agent.engines.rules.field_cache import not_plain, returns_settle, self_only
from agent.engines.rules.freshness import fresh_levels, immutable_locals
from agent.engines.rules.project import Project
from agent.engines.rules.rewrite import FunctionContext, function_context
from agent.engines.rules.sort_keys import TRAPS
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, walk

Chain = tuple[str, ...]


@dataclass(frozen=True)
class Guard:
    """The object at `holder` (a chain from the method's object) is exactly of the class the
    method's module binds to `cls`, whose property the method reads through it; or, not
    `exact`, of no class with `cls` in its method resolution order (so the name read next
    on it is not that class's method or property)."""

    holder: Chain
    cls: str
    exact: bool = True
    fields: frozenset[str] = frozenset()
    """With `exact`: the names the getter reads of its object, checked as fields of `cls`."""


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
    does not define, a decorator other than the standard library's `dataclass` or
    `total_ordering`, a metaclass, `__getattr__` or `__getattribute__`."""
    where: dict[int, str] = {}
    every: list[cst.ClassDef] = []
    for path, module in ctx.project.modules.items():
        for n in walk(module, into_scopes=True):
            if isinstance(n, cst.ClassDef):
                every.append(n)
                where[id(n)] = path
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
        methods = {s.name.value for s in walk(node) if isinstance(s, cst.FunctionDef)}
        known = (_known_decorator(ctx, where[id(node)], d.decorator) for d in node.decorators)
        if not all(known) or methods & set(TRAPS):
            return None
        if node.keywords:
            return None  # `metaclass=...` (or another class keyword)
    return family


_DECORATORS = frozenset({("dataclasses", "dataclass"), ("functools", "total_ordering")})
"""Class decorators that make no class of their own, nor give it properties."""


def _known_decorator(ctx: FunctionContext, path: str, decorator: cst.BaseExpression) -> bool:
    """`decorator` (maybe called) is `dataclasses.dataclass` or `functools.total_ordering`
    as `path` imports it, by name or through its module: not a function of the
    repository's by that name."""
    head = decorator.func if isinstance(decorator, cst.Call) else decorator
    module = ctx.project.modules.get(path)
    if module is None or imported_name(ctx.project, path, head) not in _DECORATORS:
        return False
    name = head.value if isinstance(head, cst.Name) else code(head).split(".")[0]
    return bound_names(module).get(name) == 1


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
    a function of the chains `read` alone: none a part of another, each first read as a
    field (no class `me` may be defines a method or property by a chain's first name, and
    nothing sets such a name on those classes; a later name needs `name_guards`); its body
    pure, reading only constants, and no `return` followed by code. Else None."""
    if not read or any(a[: len(b)] == b for a in read for b in read if a != b):
        return None  # an object read whole and through: it would never be kept
    kin = family(ctx)
    if kin is None or any(not_plain(ctx, c[0], kin) for c in read):
        return None
    if set_from_outside(ctx, kin, {c[0] for c in read}):
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
        guards.append(Guard(chain[:-1], cls, fields=frozenset(c[0] for c in inner)))
        leaves.update((chain[:-1] + c, None) for c in inner)
    return tuple(leaves), tuple(guards)


def name_guards(
    ctx: FunctionContext, read: tuple[Chain, ...], exact: tuple[Guard, ...]
) -> tuple[Guard, ...] | None:
    """For each later name of a chain that some repository class defines as a method or
    property (`code`, a property of Route, read as `self.route.origin.code`), the guard that
    the object before it is no instance of any such class, so the name is a field there;
    None when the method's module cannot name one of those classes for certain. On an
    object of `exact` type only the names its getter reads were checked (as that class's
    fields); another name a class makes a method or property is refused there."""
    known = {g.holder: g.fields for g in exact if g.exact}
    guards: dict[Guard, None] = {}
    for chain in read:
        for at in range(1, len(chain)):
            holder, name = chain[:at], chain[at]
            if name in known.get(holder, ()) or not not_plain(ctx, name):
                continue
            if holder in known:
                return None  # `self.route.box` of an exact Route: its property, unchecked
            for _, node in ctx.project.classes.values():
                if not not_plain(ctx, name, [node]):
                    continue
                if not _nameable(ctx, node):
                    return None
                guards[Guard(holder, node.name.value, exact=False)] = None
    return tuple(guards)


def _nameable(ctx: FunctionContext, node: cst.ClassDef) -> bool:
    """The method's module reaches the repository class `node` by its own name, bound once,
    and nothing may bind that name to another class (`global`, `mod.Name = X` through any
    alias of the module, a computed name)."""
    name = node.name.value
    found = ctx.project.classes.get(name)
    if found is None or found[1] is not node or ctx.project.lookup(ctx.path, name) != found:
        return False
    if name in ctx.scope.locals or bound_names(ctx.module).get(name) != 1:
        return False
    project = ctx.project
    if name in rebound_from_outside(project, ctx.path) or attribute_stores_of(project, name):
        return False
    if dynamic_access(project, name, reads=False):
        return False
    return name not in _project_facts(project).globals


@dataclass(frozen=True)
class _Facts:
    """What the whole repository shows, worked out once per project (`Project.memo`)."""

    globals: frozenset[str]
    """Names some function declares `global`."""
    remade: frozenset[str]
    """Attribute names whose value's `__init__` code reaches: `Line.offsets.__init__(f)`."""
    init_on_other: bool
    """Some code names an `__init__` that may run on what is not an instance (`_init_on_other`)."""


def _project_facts(project: Project) -> _Facts:
    found = project.memo.get("snapshot_reads")
    if isinstance(found, _Facts):
        return found
    every = [n for module in project.modules.values() for n in walk(module, into_scopes=True)]
    facts = _Facts(
        frozenset(i.name.value for n in every if isinstance(n, cst.Global) for i in n.names),
        frozenset(
            n.value.attr.value
            for n in every
            if isinstance(n, cst.Attribute)
            and n.attr.value == "__init__"
            and isinstance(n.value, cst.Attribute)
        ),
        _init_on_other(project),
    )
    project.memo["snapshot_reads"] = facts
    return facts


def _property_reads(ctx: FunctionContext, prop: str) -> tuple[str, tuple[Chain, ...]] | None:
    """The one repository class that defines `prop`, once, as a plain property whose getter
    the method's module reaches by the class's own name (bound once, never by `global`),
    and the chains the getter reads; else None. Nothing may store or delete an attribute
    by either name, nor reach the property object itself, and neither the property nor
    the getter's fields may be private (`__x` is another name in the method's class)."""
    owners = [
        (path, node) for path, node in ctx.project.classes.values() if not_plain(ctx, prop, [node])
    ]
    if len(owners) != 1 or bound_names(owners[0][1].body).get(prop) != 1:
        return None  # several classes, or a binding besides the `def` (Python keeps the last)
    path, node = owners[0]
    name = node.name.value
    module = ctx.project.modules.get(path)
    if module is None or not _nameable(ctx, node):
        return None
    getter = function_context(path, module.code, f"{name}.{prop}", ctx.project)
    if getter is None or not getter.fn.decorators:
        return None  # a method, not a property: reading it gives a bound method
    me, kin = self_only(getter), family(getter)
    if me is None or kin is None or _replaceable(ctx, prop, kin):
        return None
    inner = chains(getter, me)
    if any(n.startswith("__") and not n.endswith("__") for c in [*inner, (prop,)] for n in c):
        return None  # `self.__x` is `_Line__x` in Line, and another name where it is read
    return (name, inner) if plain_reader(getter, me, inner) is not None else None


def _replaceable(ctx: FunctionContext, prop: str, kin: list[cst.ClassDef]) -> bool:
    """Code may give the class another `prop`: a store or deletion of an attribute by that
    name anywhere (but `self.prop = v` in the plain `__init__` of a class unrelated to the
    property's, which fills an instance of its own), any `setattr`, or the property
    re-initialised in place (`Line.offsets.__init__(f)`)."""
    project = ctx.project
    own = _initialised(project, prop, kin)
    if any(id(stmt) not in own for _, stmt, _ in attribute_stores_of(project, prop)):
        return True
    return dynamic_access(project, prop) or prop in _project_facts(project).remade


def _initialised(project: Project, prop: str, kin: list[cst.ClassDef]) -> set[int]:
    """The statements `self.prop = v` directly in the `__init__` of a class outside `kin`:
    undecorated, bound once, never binding its `self` again, and never called but by an
    instance (`super().__init__(...)`, `Base.__init__(self, ...)` in a method); such a
    store fills an instance of its own, which cannot shadow a class's property."""
    if _project_facts(project).init_on_other:
        return set()
    found: set[int] = set()
    related = {id(c) for c in kin}
    for _, cls in project.classes.values():
        init = methods_of(cls).get("__init__")
        if id(cls) in related or init is None or init.decorators:
            continue
        first = [*init.params.posonly_params, *init.params.params][:1]
        if not first or bound_names(cls.body).get("__init__") != 1:
            continue
        me = first[0].name.value
        if bound_names(init.body).get(me) or not isinstance(init.body, cst.IndentedBlock):
            continue
        for stmt in init.body.body:
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Attribute) and code(target) == f"{me}.{prop}":
                    found.add(id(stmt))
    return found


def _init_on_other(project: Project) -> bool:
    """Some code names an `__init__` other than as `super().__init__` or as
    `Name.__init__(self, ...)` in an undecorated method whose first parameter is `self`
    (`Port.__init__(Route, code)` would store on a class)."""
    for module in project.modules.values():
        methods = {
            id(m): m
            for cls in walk(module, into_scopes=True)
            if isinstance(cls, cst.ClassDef)
            for m in methods_of(cls).values()
            if not m.decorators and m.params.params
        }
        for fn in [module, *(n for n in walk(module, into_scopes=True) if isinstance(n, SCOPES))]:
            me = methods[id(fn)].params.params[0].name.value if id(fn) in methods else None
            calls = {id(c.func): c for c in walk(fn) if isinstance(c, cst.Call)}
            for n in walk(fn):
                if not isinstance(n, cst.Attribute) or n.attr.value != "__init__":
                    continue
                call = calls.get(id(n))
                if isinstance(n.value, cst.Call) and code(n.value.func) == "super":
                    continue
                if call is None or me is None or not call.args or code(call.args[0].value) != me:
                    return True
    return False
