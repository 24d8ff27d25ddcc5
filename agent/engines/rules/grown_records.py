"""Whether the records a list holds keep their key while the list is in use (for
`grown-list-index`): dict records built by a display and never handed to code that could
change the key; objects of a class that never rebinds the key attribute after `__init__`."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.places import block_of
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import name_nodes, walk

_LITERALS = (cst.Integer, cst.Float, cst.SimpleString)
_MUTATORS = frozenset({"update", "pop", "popitem", "setdefault", "clear", "__setitem__"})


def built_with(ctx: FunctionContext, line: cst.SimpleStatementLine, record: str, key: str) -> bool:
    """The line before the append binds `record` to a dict display with `key` (no `**`)."""
    found = block_of(ctx, line)
    if found is None or found[1] == 0:
        return False
    before = found[0][found[1] - 1]
    if not isinstance(before, cst.SimpleStatementLine) or len(before.body) != 1:
        return False
    bind = before.body[0]
    if not isinstance(bind, cst.Assign) or len(bind.targets) != 1:
        return False
    target = bind.targets[0].target
    if not isinstance(target, cst.Name) or target.value != record:
        return False
    if not isinstance(bind.value, cst.Dict):
        return False
    elements = bind.value.elements
    if any(not isinstance(e, cst.DictElement) for e in elements):
        return False
    return any(code(e.key) == key for e in elements)  # type: ignore[attr-defined]


def built_by_class(ctx: FunctionContext, line: cst.SimpleStatementLine, attr: str) -> bool:
    """The appended record is `K(...)` (in the append, or bound to the appended name on the
    line before), `K` a class of the repository whose objects keep `attr` as `__init__` set
    it: see `fixed_attribute`."""
    call = cst.ensure_type(cst.ensure_type(line.body[0], cst.Expr).value, cst.Call)
    value = call.args[0].value
    if isinstance(value, cst.Name):
        found = block_of(ctx, line)
        before = found[0][found[1] - 1] if found is not None and found[1] else None
        bind = before.body[0] if isinstance(before, cst.SimpleStatementLine) else None
        if not isinstance(bind, cst.Assign) or len(bind.targets) != 1:
            return False
        if code(bind.targets[0].target) != value.value:
            return False
        value = bind.value
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Name):
        return False
    if value.func.value in ctx.scope.locals:
        return False
    found_cls = ctx.project.lookup(ctx.path, value.func.value)
    if found_cls is None or not isinstance(found_cls[1], cst.ClassDef):
        return False
    return fixed_attribute(ctx, found_cls[1], attr)


def fixed_attribute(ctx: FunctionContext, cls: cst.ClassDef, attr: str) -> bool:
    """Objects built by calling `cls` have `attr` as its `__init__` set it, for good: the
    class has no bases, no metaclass, no decorator but `dataclass`, no `__new__` and no hook
    on attribute access; nothing in it binds `attr` but a field annotation or its
    `__init__`'s own top-level `self.attr = ...` (the one store of `attr` in the
    repository), and nothing sets attributes by name. Subclasses do not matter: `cls(...)`
    builds a `cls`."""
    from agent.engines.rules.attr_stores import attribute_stores, dynamic_access, methods_of

    name = cls.name.value
    if cls.bases or cls.keywords:
        return False
    if any(
        code(d.decorator).split("(")[0] not in ("dataclass", "dataclasses.dataclass")
        for d in cls.decorators
    ):
        return False
    methods = methods_of(cls)
    hooks = ("__new__", "__getattribute__", "__getattr__", "__setattr__", "__delattr__")
    if any(h in methods for h in hooks) or attr in methods or dynamic_access(ctx.project, attr):
        return False
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    smalls = [x for stmt in body if isinstance(stmt, cst.SimpleStatementLine) for x in stmt.body]
    for small in smalls:
        if isinstance(small, cst.Assign) and attr in {code(t.target) for t in small.targets}:
            return False  # a class attribute could be a descriptor
        if (
            isinstance(small, cst.AnnAssign)
            and code(small.target) == attr
            and not isinstance(small.value, (*_LITERALS, type(None)))
        ):
            return False
    stores = attribute_stores(ctx.project, attr, name)
    if cls.decorators:
        return not stores  # the generated `__init__` sets a field; nothing else may
    init = methods.get("__init__")
    if init is None or len(stores) != 1 or any(isinstance(n, cst.Return) for n in walk(init)):
        return False  # a `return` could leave an object without the key
    top = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    return any(s is stores[0][1] for s in top) and stores[0][2] is not None


def _same_key(index: cst.BaseExpression, key: str) -> bool:
    """Whether a subscript's index may be the key: the same literal, or anything that is
    not another string literal."""
    if isinstance(index, cst.SimpleString):
        try:
            return (
                index.evaluated_value
                == cst.ensure_type(cst.parse_expression(key), cst.SimpleString).evaluated_value
            )
        except Exception:
            return True
    return not isinstance(index, cst.ConcatenatedString | cst.Integer | cst.Float)


def key_changes(ctx: FunctionContext, key: str) -> bool:
    """Something in the function stores, deletes or augments a subscript that may be the
    key (of any receiver: a record may hide behind another name there)."""
    for node in walk(ctx.fn, into_scopes=True):
        targets: list[cst.BaseExpression] = []
        if isinstance(node, cst.AssignTarget | cst.AugAssign | cst.AnnAssign | cst.Del):
            targets = [node.target]
        elif isinstance(node, cst.For | cst.CompFor | cst.WithItem | cst.NamedExpr):
            targets = [getattr(node, "target", None) or getattr(node, "asname", None)]  # type: ignore[list-item]
        for target in targets:
            for sub in walk(target) if target is not None else ():
                if isinstance(sub, cst.Subscript) and any(
                    isinstance(e.slice, cst.Index) and _same_key(e.slice.value, key)
                    for e in sub.slice
                ):
                    return True
    return False


def held_safely(ctx: FunctionContext, name: str, key: str, xs: str) -> bool:
    """Every mention of a name that may hold a record leaves the record's key alone (see the
    rule's precondition)."""
    for n in name_nodes(ctx.fn):
        if n.value != name:
            continue
        parent = ctx.parents.get(id(n))
        if isinstance(parent, cst.AssignTarget | cst.For) and getattr(parent, "target", None) is n:
            continue
        if isinstance(parent, cst.Assign) and parent.value is n:
            owner = ctx.parents.get(id(parent))
            if _break_bind(ctx, owner):
                continue
            return False
        if isinstance(parent, cst.Return | cst.Arg) and _return_or_append(ctx, parent, xs):
            continue
        if isinstance(parent, cst.Comparison) and parent.left is n:
            if all(isinstance(c.operator, cst.Is | cst.IsNot) for c in parent.comparisons):
                continue
            return False
        if (
            isinstance(parent, cst.Subscript)
            and parent.value is n
            and _subscript_ok(ctx, parent, key)
        ):
            continue
        return False
    return True


def _break_bind(ctx: FunctionContext, line: cst.CSTNode | None) -> bool:
    """`found = t` followed by `break` (the search's own binding)."""
    block = ctx.parents.get(id(line))
    if not isinstance(block, cst.IndentedBlock) or not isinstance(line, cst.SimpleStatementLine):
        return False
    body = list(block.body)
    at = body.index(line)
    nxt = body[at + 1] if at + 1 < len(body) else None
    return isinstance(nxt, cst.SimpleStatementLine) and isinstance(nxt.body[0], cst.Break)


def _return_or_append(ctx: FunctionContext, parent: cst.CSTNode, xs: str) -> bool:
    """`return e`, or `xs.append(e)` into the indexed list itself (into another list, a
    record could reach code that changes its key through that list)."""
    if isinstance(parent, cst.Return):
        return True
    call = ctx.parents.get(id(parent))
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "append"
        and len(call.args) == 1
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value == xs
    )


def _subscript_ok(ctx: FunctionContext, sub: cst.Subscript, key: str) -> bool:
    """`e[x]` read; as a receiver (`e[x].append(...)`), only of another literal field."""
    up = ctx.parents.get(id(sub))
    if isinstance(up, cst.Attribute) and up.value is sub:
        index = sub.slice[0].slice if len(sub.slice) == 1 else None
        if not isinstance(index, cst.Index) or not isinstance(index.value, cst.SimpleString):
            return False
        return not _same_key(index.value, key) and up.attr.value not in _MUTATORS
    return True
