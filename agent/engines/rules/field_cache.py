"""A method that computes its result from its object's fields alone (a tax table parsed from
`self.spec` on every call) ⇒ the result cached per value of those fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from agent.engines.rules.caching import _does_work
from agent.engines.rules.closedness import reads_only_constants
from agent.engines.rules.edits import code, fresh_name, imported_as, is_docstring, module_helper
from agent.engines.rules.freshness import immutable_expr
from agent.engines.rules.inserts import stored_values
from agent.engines.rules.places import shadowed
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.sort_keys import traps_attribute_reads
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, walk

CACHE_SIZE = 4096
"""Entries kept per method: enough for the field values a workload repeats, bounded for a
long-running process (the cache empties when full)."""
_KEY_TYPES = "(str, int, bool, bytes, type(None))"
"""Field types a key may hold: equal values of these are indistinguishable (floats are not:
0.0 == -0.0), and the key holds each value's type (True == 1)."""


class CacheMethodByFields(Rule):
    """`def m(self)` whose result depends only on `self.a`, `self.b`, ... ⇒ the result kept in
    a module-level dict keyed by those fields' values (with their types), looked up before
    the body runs.

    Precondition: a method of a repository class, undecorated, not async, not a generator,
    with `self` as its only parameter; the effect analysis finds it pure; it reads module
    state only through immutable constants, pure functions and imported standard-library
    names; `self` appears only as `self.<field>` read as a value (never called, assigned,
    passed or returned), and no repository class defines a method or property by a field's
    name, nor `__getattr__` / `__getattribute__`; its result is immutable, or a container
    it made whose stored values are immutable (so a shallow copy is a whole copy: every
    call returns a copy, the cache keeps its own); it does real work (a loop, a
    comprehension, a call that is not trivial). At run time the cache is used only when
    every field holds a str, int, bool, bytes or None; an exception is never cached.
    """

    id = "cache-method-by-fields"
    title = "cache a method's result per value of the fields it reads"

    def find(self, ctx: FunctionContext) -> list[Site]:
        fn = ctx.fn
        me = self_only(ctx)
        if me is None:
            return []
        fields = _fields_read(ctx, me)
        if not fields or any(not_plain(ctx, f) or holds_container(ctx, f) for f in fields):
            return []  # a container field is cache-method-by-snapshot's
        if traps_attribute_reads(ctx.project) or not _does_work(ctx) or not returns_settle(fn):
            return []
        summary = ctx.scope.effects.summary(FunctionRef(ctx.path, ctx.qualname, fn, ctx.cls))
        if not summary.pure or not reads_only_constants(ctx.scope):
            return []
        copied = _copied_result(ctx, me)
        if copied is None:
            return []
        label = ", ".join(f"`{me}.{f}`" for f in fields)
        return [ctx.site(fn.name, f"`{ctx.qualname}` per {label}", (me, fields, copied))]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        me, fields, copied = sites[0].extra
        stem = ctx.qualname.replace(".", "_").lower()
        cache = fresh_name(f"_{stem}_cache", ctx.module_names)
        change.constants.append(cst.parse_statement(f"{cache} = {{}}\n"))
        keep = _keep_helper(ctx, change, copied)
        key = fresh_name("_key", ctx.module_names)
        lookup = cst.parse_statement(
            f"if {' and '.join(f'type({me}.{f}) in {_KEY_TYPES}' for f in fields)}:\n"
            f"    {key} = ({', '.join(f'type({me}.{f}), {me}.{f}' for f in fields)},)\n"
            f"    if {key} in {cache}:\n"
            f"        return {keep}(None, None, {cache}[{key}])\n"
            f"else:\n"
            f"    {key} = None\n"
        )

        def returns(node: cst.FunctionDef) -> cst.FunctionDef:
            body = node.body
            assert isinstance(body, cst.IndentedBlock)
            rewritten = body.visit(Returns(lambda v: f"{keep}({cache}, {key}, ({v}))"))
            assert isinstance(rewritten, cst.IndentedBlock)
            stmts = list(rewritten.body)
            doc = 1 if stmts and is_docstring(stmts[0]) else 0
            new = [*stmts[:doc], lookup, *stmts[doc:]]
            return node.with_changes(body=rewritten.with_changes(body=new))

        change.replace[id(ctx.fn)] = lambda u: returns(u)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        return (
            f"cache {sites[0].detail}: the method is pure and reads nothing else, so equal "
            "field values give an equal result (a copy of it, when it is a container)"
        )


class Returns(cst.CSTTransformer):
    """`return e` ⇒ `return wrap(e)` (`keep(cache, key, e)`), in the function's own scope
    only."""

    def __init__(self, wrap: Callable[[str], str]) -> None:
        self.wrap = wrap

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        value = updated.value or cst.Name("None")
        return updated.with_changes(value=cst.parse_expression(self.wrap(code(value))))


def _keep_helper(ctx: FunctionContext, change: Change, copied: bool) -> str:
    """The module-level `keep(cache, key, value)`: stores a result under `key` (unless it is
    None) and returns it, as a copy when results are containers."""
    name = "_keep_copy" if copied else "_keep"
    copier = ""
    if copied:
        module = imported_as(ctx.module, "copy")
        if module is None:
            module = fresh_name("_copy", ctx.module_names)
            change.imports.append(f"import copy as {module}")
        copier = f"{module}.copy"
    text = (
        "def {name}(cache, key, value):\n"
        '    """Keep `value` in `cache` under `key` (None: do not keep it); return it."""\n'
        "    if key is not None:\n"
        f"        if len(cache) >= {CACHE_SIZE}:\n"
        "            cache.clear()\n"
        f"        cache[key] = {copier}(value)\n"
        f"    return {copier}(value)\n"
    )
    if not copied:
        text = text.replace("(value)", "value")
    return module_helper(
        ctx.module, ctx.module_names, change.constants, name, lambda n: text.replace("{name}", n)
    )


def self_only(ctx: FunctionContext) -> str | None:
    """The name of `self` when the function is a plain method (undecorated or a builtin
    `property`'s getter, not async, not a generator) whose only parameter it is; else None."""
    fn = ctx.fn
    if ctx.cls is None or not _plain_getter(ctx) or fn.asynchronous is not None:
        return None
    ps = fn.params
    star = isinstance(ps.star_arg, cst.Param | cst.ParamStar)
    if len(ps.params) != 1 or ps.posonly_params or ps.kwonly_params or star:
        return None
    if ps.star_kwarg is not None or any(isinstance(n, cst.Yield) for n in walk(fn.body)):
        return None
    return ps.params[0].name.value


def _plain_getter(ctx: FunctionContext) -> bool:
    """No decorator, or only `@property`, the builtin (nothing in the module or the class
    binds the name): the getter is called with the object alone, as a method is."""
    decorators = ctx.fn.decorators
    if not decorators:
        return True
    found = decorators[0].decorator
    if len(decorators) != 1 or not isinstance(found, cst.Name) or found.value != "property":
        return False
    block = ctx.parents.get(id(ctx.fn))
    cls = ctx.parents.get(id(block))
    if not isinstance(cls, cst.ClassDef) or "property" in bound_names(cls.body):
        return False
    return not shadowed(ctx, frozenset({"property"}))


def returns_settle(fn: cst.FunctionDef) -> bool:
    """No `return` of the function runs code after its value is computed: none sits in a
    `try` with a `finally` (which can change the value, or raise instead) or in a `with`
    (whose exit can raise, or swallow the exception), where a value kept at the `return`
    could differ from what the call ends with."""

    def inside(node: cst.CSTNode, under: bool) -> bool:
        if isinstance(node, cst.Return):
            return under
        if isinstance(node, (*SCOPES,)) and node is not fn:
            return False
        settles = isinstance(node, cst.With) or (
            isinstance(node, cst.Try | cst.TryStar) and node.finalbody is not None
        )
        return any(inside(c, under or settles) for c in node.children)

    return not inside(fn, False)


def _fields_read(ctx: FunctionContext, me: str) -> tuple[str, ...]:
    """The fields read as `me.<field>`, when that is the only use of `me`; else ()."""
    fields: dict[str, None] = {}
    for n in name_nodes(ctx.fn.body):
        if n.value != me:
            continue
        parent = ctx.parents.get(id(n))
        if not isinstance(parent, cst.Attribute) or parent.value is not n:
            return ()
        holder = ctx.parents.get(id(parent))
        if isinstance(holder, cst.Call) and holder.func is parent:
            return ()
        if isinstance(holder, cst.AssignTarget | cst.AugAssign | cst.Del):
            return ()
        fields[parent.attr.value] = None
    nested = [n for n in walk(ctx.fn.body) if isinstance(n, SCOPES)]
    if any(me in {x.value for x in name_nodes(n)} for n in nested):
        return ()
    return tuple(fields)


def not_plain(
    ctx: FunctionContext, field: str, classes: Sequence[cst.ClassDef] | None = None
) -> bool:
    """Reading `field` could run code: some repository class (of `classes`, when given)
    defines a method or property by that name, or binds it in its body to anything but a
    literal."""
    if classes is None:
        if ctx.project.defines_method(field):
            return True
        classes = [cls for _, cls in ctx.project.classes.values()]
    for cls in classes:
        block = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
        if any(isinstance(s, cst.FunctionDef) and s.name.value == field for s in block):
            return True
        for stmt in block:
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else []
                if isinstance(small, cst.AnnAssign):
                    targets = [small.target]
                value = getattr(small, "value", None)
                literal = isinstance(value, cst.Integer | cst.Float | cst.SimpleString) or (
                    isinstance(value, cst.Name) and value.value in ("None", "True", "False")
                )
                if any(isinstance(t, cst.Name) and t.value == field for t in targets) and not (
                    literal or value is None
                ):
                    return True
    return False


def _copied_result(ctx: FunctionContext, me: str) -> bool | None:
    """False when every result is immutable, True when each is a container the method made
    with only immutable values stored in it, None otherwise. A field counts as immutable:
    the cache is used only when every field holds an immutable value."""
    known = ctx.scope.immutables
    ctx.scope.immutables = known | {me}  # `me` is only ever read as `me.<field>`
    try:
        return _result_kind(ctx)
    finally:
        ctx.scope.immutables = known


def _result_kind(ctx: FunctionContext) -> bool | None:
    values = [n.value for n in walk(ctx.fn.body) if isinstance(n, cst.Return)]
    if not values or any(v is None for v in values):
        return None
    if all(immutable_expr(ctx.scope, v) for v in values if v is not None):
        return False
    stored = stored_values(ctx.fn, ctx.scope.dotted)
    for value in values:
        if not isinstance(value, cst.Name) or ctx.scope.fresh.get(value.value, 0) < 1:
            return None
        kept = stored.get(value.value, [])
        if not all(v is not None and immutable_expr(ctx.scope, v) for v in kept):
            return None
        if not _made_empty(ctx, value.value):
            return None
    return True


def _made_empty(ctx: FunctionContext, name: str) -> bool:
    """`name` is bound only to empty displays (`{}`, `[]`) or `set()` / `dict()` / `list()`."""
    for n in walk(ctx.fn.body):
        if not isinstance(n, cst.Assign):
            continue
        for t in n.targets:
            if isinstance(t.target, cst.Name) and t.target.value == name:
                value = n.value
                empty = isinstance(value, cst.Dict | cst.List) and not value.elements
                made = (
                    isinstance(value, cst.Call)
                    and not value.args
                    and ctx.scope.builtin(value.func) in ("set", "dict", "list")
                )
                if not (empty or made):
                    return False
    return True


_CONTAINERS = frozenset({"list", "tuple", "dict", "sorted"})


def holds_container(ctx: FunctionContext, field: str) -> bool:
    """Some method of the class stores a list, tuple or dict display, comprehension or
    constructor in `self.<field>`, directly or through a local bound to one (a value
    cache-method-by-fields never keeps)."""
    cls = ctx.project.classes.get(ctx.cls or "")
    if cls is None:
        return False

    def container(value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.List | cst.Tuple | cst.Dict | cst.ListComp | cst.DictComp):
            return True
        return isinstance(value, cst.Call) and ctx.scope.builtin(value.func) in _CONTAINERS

    for method in walk(cls[1]):
        if not isinstance(method, cst.FunctionDef):
            continue
        bound: dict[str, list[cst.BaseExpression]] = {}
        stores: list[cst.BaseExpression] = []
        for n in walk(method, into_scopes=True):
            if not isinstance(n, cst.Assign):
                continue
            for t in n.targets:
                if isinstance(t.target, cst.Name):
                    bound.setdefault(t.target.value, []).append(n.value)
                elif isinstance(t.target, cst.Attribute) and t.target.attr.value == field:
                    stores.append(n.value)
        for value in stores:
            if container(value) or (
                isinstance(value, cst.Name) and any(map(container, bound.get(value.value, ())))
            ):
                return True
    return False
