"""A public list attribute that code outside its class only reads (`for c in book.contacts`,
`len(book.contacts)`): only the class's own methods change it, as for a private one."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.attr_stores import dynamic_access
from agent.engines.rules.attr_uses import classify
from agent.engines.rules.effects import effects_of
from agent.engines.rules.ordering import known_bases, subclassed
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.sorted_attr import inert_strings, instance_param, spells
from agent.engines.rules.syntax import parent_map, walk

READS = frozenset({"read", "ordered", "sorted", "min", "max"})
"""Uses that change neither the list nor its values."""


def read_elsewhere(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> bool:
    """`attr` is public, the class is defined once, undecorated, with repository bases and no
    subclass, and every mention of an attribute `attr` in the repository that is not
    `self.attr` directly in one of the class's methods is a read inside a function (`in`,
    `len`, iteration, indexing, `sorted`, `min`, `max`): nothing outside the class changes
    the list, nor keeps it; no code reaches attributes by a computed name, no string spells
    `attr`, and no function is called `attr` (a property could stand for it)."""
    name = cls.name.value
    found = ctx.project.classes.get(name)
    if attr.startswith("_") or found is None or found[0] != ctx.path or cls.decorators:
        return False
    if subclassed(ctx.project, name) or not known_bases(ctx.project, cls):
        return False
    if ctx.path not in ctx.project.modules or dynamic_access(ctx.project, attr):
        return False
    own = _own_methods(cls)
    for path, module in ctx.project.modules.items():
        tree = ctx.module if path == ctx.path else module
        parents = ctx.parents if path == ctx.path else parent_map(tree)
        inert = inert_strings(ctx.project, tree)
        for n in walk(tree, into_scopes=True):
            if isinstance(n, cst.SimpleString) and id(n) not in inert and spells(n, attr):
                return False
            if isinstance(n, cst.FunctionDef) and n.name.value == attr:
                return False
            mine = own if path == ctx.path else {}
            if (
                isinstance(n, cst.Attribute)
                and n.attr.value == attr
                and not _read(ctx, path, n, parents, mine)
            ):
                return False
    return True


def _own_methods(cls: cst.ClassDef) -> dict[int, str]:
    """id(method) -> its instance parameter, for the class's own methods."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    out = {}
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and (me := instance_param(stmt)):
            out[id(stmt)] = me
    return out


def _read(
    ctx: FunctionContext,
    path: str,
    mention: cst.Attribute,
    parents: dict[int, cst.CSTNode],
    own: dict[int, str],
) -> bool:
    """`mention` is `self.attr` in one of the class's methods (its plan judges those), or a
    read inside some function."""
    fn = parents.get(id(mention))
    while fn is not None and not isinstance(fn, cst.FunctionDef | cst.Lambda | cst.ClassDef):
        fn = parents.get(id(fn))
    if not isinstance(fn, cst.FunctionDef):
        return False
    base = mention.value
    if id(fn) in own and isinstance(base, cst.Name) and base.value == own[id(fn)]:
        return True
    holder = parents.get(id(parents.get(id(fn))))
    owner = holder.name.value if isinstance(holder, cst.ClassDef) else None
    scope = effects_of(ctx.project).scope(path, fn, owner)
    use = classify(mention, fn, scope, parents)
    return use is not None and use.kind in READS
