"""A method that derives its result from its object's fields and from fields of the objects
those hold (`self.line.stops`, a list of tuples; `self.skips`, a list of codes), computed
again at every call ⇒ the result kept per object, and served while every value the method
reads is the very same object as when it was kept (a list, tuple or dict: the very same
items), compared by identity, which runs no code of theirs."""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.caching import _does_work
from agent.engines.rules.edits import code, fresh_name, is_docstring, module_helper
from agent.engines.rules.effects import Scope
from agent.engines.rules.field_cache import (
    CACHE_SIZE,
    CacheMethodByFields,
    Returns,
    holds_container,
    self_only,
)
from agent.engines.rules.freshness import immutable_expr
from agent.engines.rules.keyed_values import _ATOMS, _FROZEN, builtins_in, frozen_helper
from agent.engines.rules.places import module_ref, shadowed
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.snapshot_reads import (
    Chain,
    Guard,
    chains,
    name_guards,
    plain_reader,
    through_properties,
)
from agent.engines.rules.sort_keys import traps_attribute_reads
from agent.engines.rules.syntax import walk

_SNAPSHOT = '''
def {name}(seen):
    """What is kept of the values a method read, to tell later whether they are the very
    same: the values themselves, and for each list or tuple its items, for each dict its
    keys and values, all of which nothing can change (`{frozen}`); None when some value
    could change unseen."""
    parts = []
    for at, value in enumerate(seen):
        kind = type(value)
        if kind is list or kind is tuple:
            if not all(map({frozen}, value)):
                return None
            parts.append((at, tuple(value), None))
        elif kind is dict:
            if not all(map({frozen}, value)) or not all(map({frozen}, value.values())):
                return None
            parts.append((at, tuple(value), tuple(value.values())))
        elif not {frozen}(value):
            return None
    return seen, tuple(parts)
'''

_SAME = '''
def {name}(kept, seen):
    """Every value read now is the very value kept, and every container among them holds
    the very same items (identity only: no `==` of theirs runs)."""
    olds, parts = kept
    if not all(map({is_}, seen, olds)):
        return False
    for at, items, values in parts:
        value = seen[at]
        if (
            len(value) != len(items)
            or not all(map({is_}, value, items))
            or values is not None and not all(map({is_}, value.values(), values))
        ):
            return False
    return True
'''

_HIT = '''
def {name}(cell, obj, seen, copies):
    """The result kept for `obj`, in a 1-tuple, when every value it was computed from is the
    very same as the values read now (`seen`); a kept list or dict is copied when `copies`,
    as every call made its own. None when nothing is kept for it, or it no longer holds."""
    hit = cell.get(id(obj))
    if hit is None or hit[0]() is not obj or not {same}(hit[1], seen):
        return None
    value = hit[2]
    if copies and type(value) is list:
        return (list(value),)
    if copies and type(value) is dict:
        return (dict(value),)
    return (value,)
'''

_KEEP = '''
def {name}(cell, obj, seen, before, value, copies):
    """Keep `value` for `obj` in `cell` when the values read (`seen`) were fit to keep
    before the method ran (`before`) and are still the very same after it, and the value is
    immutable, or (`copies`) a list or dict of immutable values, kept as a copy; return
    `value` itself. The entry goes when `obj` does (a weak reference), and the cell empties
    when full."""
    if before is None or not {same}(before, seen):
        return value
    kind = type(value)
    if copies and kind is list and all(map({frozen}, value)):
        stored = list(value)
    elif copies and kind is dict and all(map({frozen}, value)) and all(
        map({frozen}, value.values())
    ):
        stored = dict(value)
    elif {frozen}(value):
        stored = value
    else:
        return value
    key = id(obj)
    try:
        ref = {weakref}.ref(obj, lambda _gone: cell.pop(key, None))
    except TypeError:
        return value
    if len(cell) >= {size}:
        cell.clear()
    cell[key] = (ref, before, stored)
    return value
'''


_BUILTINS = builtins_in(
    _SNAPSHOT,
    _SAME,
    _HIT,
    _KEEP,
    _FROZEN.replace("{atoms}", _ATOMS),
    "try:\n    pass\nexcept Exception:\n    pass\n",
)
"""The builtins the written helpers and the method's new lines take for granted."""


class CacheMethodBySnapshot(Rule):
    """`def m(self)` whose result depends only on fields of `self` and on fields of the
    objects those hold (`self.line.stops`), or on what a property of such an object reads
    of it (`self.line.offsets`) ⇒ the values read are gathered first; when the
    result kept for this very object was computed from the very same values (lists, tuples
    and dicts: the very same items, all immutable), it is returned (a copy of a container);
    otherwise the body runs and its result is kept.

    Precondition: a method of a repository class, undecorated, not async, not a generator,
    with `self` as its only parameter; `self` appears only at the head of attribute chains
    read as values (never called, assigned, passed or returned), none of which is a part of
    another (the objects between are only read through); no class `self` may be (the
    method's, its ancestors and descendants, at any depth) defines a method or property by a
    chain's first name; where a repository class defines one by a later name, the object
    before it is checked at run time to have no such class in its method resolution order;
    none of those classes has
    another decorator than `dataclass` or `total_ordering`, a metaclass, `__getattr__` or
    `__getattribute__`, and nothing stores a chain's first name on a class or calls
    `setattr`; a chain may end at a property of the one repository class that defines that
    name, seen through when its getter meets these conditions itself (pure, constants only,
    its object read only through fields); the chain's holder is then checked to be exactly
    of that class before anything kept is used; no `return` sits in a `try/finally` or a
    `with`; the body
    is pure when everything reached from `self` counts as immutable, so the only things it
    could change are containers it read, which are compared before and after it runs (a
    result computed while one changed is not kept); it reads module state only through
    immutable constants, pure functions and standard-library names; its result is
    immutable or a container it made of immutable values (every call then returns a copy);
    it does real work. Methods whose fields are all plain values are cache-method-by-fields'.
    """

    id = "cache-method-by-snapshot"
    title = "keep a method's result per object while the values it reads are the same"

    def find(self, ctx: FunctionContext) -> list[Site]:
        fn = ctx.fn
        me = self_only(ctx)
        if me is None:
            return []
        seen = through_properties(ctx, me, chains(ctx, me))
        if seen is None:
            return []
        read, guards = seen
        if not any(len(c) > 1 or holds_container(ctx, c[0]) for c in read):
            return []
        if traps_attribute_reads(ctx.project) or shadowed(ctx, _BUILTINS):
            return []
        if not _does_work(ctx) and not (guards and _formats_time(fn, me, read)):
            return []
        scope, named = plain_reader(ctx, me, read), name_guards(ctx, read, guards)
        if scope is None or named is None:
            return []
        guards += named
        copied = _copies(scope, fn)
        if copied is None or CacheMethodByFields().find(ctx):
            return []
        label = ", ".join(f"`{me}.{'.'.join(c)}`" for c in read)
        return [ctx.site(fn.name, f"`{ctx.qualname}` per {label}", (me, read, copied, guards))]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        me, read, copied, guards = sites[0].extra
        helpers = _helpers(ctx, change)
        stem = ctx.qualname.replace(".", "_").lower()
        cell = fresh_name(f"_{stem}_kept", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{cell} = {{}}\n"))
        seen, before, hit = (fresh_name(n, ctx.module_names) for n in ("_seen", "_before", "_hit"))
        reads = ", ".join(f"{me}.{'.'.join(c)}" for c in read) + ("," if len(read) == 1 else "")
        lookup = (
            f"    {hit} = {helpers['hit']}({cell}, {me}, {seen}, {copied})\n"
            f"    if {hit} is not None:\n"
            f"        return {hit}[0]\n"
            f"    {before} = {helpers['snapshot']}({seen})\n"
        )
        guarded = f" if {_exact(me, guards)} else None" if guards else ""
        prologue = cst.parse_module(
            f"try:\n    {seen} = ({reads}){guarded}\nexcept Exception:\n    {seen} = None\n"
            f"{before} = None\nif {seen} is not None:\n{lookup}"
        ).body
        keep = f"{helpers['keep']}({cell}, {me}, {seen}, {before}, "

        def rewritten(node: cst.FunctionDef) -> cst.FunctionDef:
            body = node.body
            assert isinstance(body, cst.IndentedBlock)
            kept = body.visit(
                Returns(lambda v: f"{keep}{v if v.isidentifier() else f'({v})'}, {copied})")
            )
            assert isinstance(kept, cst.IndentedBlock)
            stmts = list(kept.body)
            doc = 1 if stmts and is_docstring(stmts[0]) else 0
            return node.with_changes(
                body=body.with_changes(body=[*stmts[:doc], *prologue, *stmts[doc:]])
            )

        change.replace[id(ctx.fn)] = lambda u: rewritten(u)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        return (
            f"keep {sites[0].detail} per object: the method is pure, so while every value it "
            "reads is the very same (containers: the very same immutable items), so is its "
            "result (a copy of it, when it is a container)"
        )


def _formats_time(fn: cst.FunctionDef, me: str, read: Sequence[Chain]) -> bool:
    """An f-string formats a field the method reads (and keeps only while it is a value that
    cannot change: a date or time, not an object with a `__format__` of its own) by a
    `strftime` spec (`f"{self.departure:%Y%m%d}"`): real work for a method read through a
    property, as `{x:.0%}` is not."""
    fields = {f"{me}.{'.'.join(c)}" for c in read}
    return any(
        isinstance(n, cst.FormattedStringExpression)
        and n.format_spec is not None
        and code(n.expression) in fields
        and re.search(r"%[-_0^#]?[A-Za-z]", "".join(code(p) for p in n.format_spec)) is not None
        for n in walk(fn.body)
    )


def _exact(me: str, guards: Sequence[Guard]) -> str:
    """The test that each object read through a property is exactly of that property's
    class (so its getter, seen through, is the one that runs), and that each object whose
    field is read by a name some class gives a method or property is no instance of it."""
    return " and ".join(
        f"type({me}.{'.'.join(g.holder)}) is {g.cls}"
        if g.exact
        else f"not type.__subclasscheck__({g.cls}, type({me}.{'.'.join(g.holder)}))"
        for g in sorted(guards, key=lambda g: len(g.holder))
    )


def _helpers(ctx: FunctionContext, change: Change) -> dict[str, str]:
    """The module-level run-time helpers (each written once per module); their names."""
    frozen = frozen_helper(ctx, change, decimals=False)  # kept across calls, contexts
    is_ = f"{module_ref(ctx, 'operator', change)}.is_"
    weakref = module_ref(ctx, "weakref", change)
    names: dict[str, str] = {}

    def add(base: str, text: str, **fields: str) -> str:
        return module_helper(
            ctx.module,
            ctx.module_names,
            change.constants,
            base,
            lambda n: text.lstrip().format(name=n, frozen=frozen, **fields),
        )

    names["snapshot"] = add("_snapshot_of", _SNAPSHOT)
    names["same"] = add("_snapshot_same", _SAME, is_=is_)
    names["hit"] = add("_snapshot_hit", _HIT, same=names["same"])
    names["keep"] = add(
        "_snapshot_keep", _KEEP, same=names["same"], weakref=weakref, size=str(CACHE_SIZE)
    )
    return names


def _copies(scope: Scope, fn: cst.FunctionDef) -> bool | None:
    """False when every result is immutable (as far as the code shows: it is checked again
    at run time), True when some result is a container the method made (a display,
    comprehension or local bound only to new containers; its items are checked at run
    time), None when a result is neither."""
    values = [n.value for n in walk(fn.body) if isinstance(n, cst.Return)]
    if not values or any(v is None for v in values):
        return None
    copies = False
    for value in values:
        assert value is not None
        if immutable_expr(scope, value):
            continue
        made = isinstance(value, cst.List | cst.Dict | cst.ListComp | cst.DictComp)
        if not made and not (isinstance(value, cst.Name) and scope.fresh.get(value.value, 0)):
            return None
        copies = True
    return copies
