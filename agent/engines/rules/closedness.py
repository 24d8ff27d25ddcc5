"""Whether a function reads only state that cannot change (constants, functions, imported
standard-library names), and whether building a class's instance runs code with effects."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.attr_stores import SETTERS
from agent.engines.rules.constants import constant_value, decimal_context, touches_context
from agent.engines.rules.stdlib import EXCEPTIONS, PURE_BUILTIN_CALLS, stdlib_kind
from agent.engines.rules.syntax import (
    bound_names,
    code_of,
    name_nodes,
    walk,
)

if TYPE_CHECKING:
    from agent.engines.rules.effects import Effects, Scope
    from agent.engines.rules.project import Project


_SAFE_DECORATORS = frozenset({"staticmethod", "property"})
_ORDER = {"immutable": 0, "fresh": 1, "unknown": 2}


# --- closedness -----------------------------------------------------------------------------


def _depth_dependent(scope: Scope) -> bool:
    """A handler that can catch RecursionError around a call of repository code (which may
    recurse): what the function returns then depends on how deep the stack already was, so
    a cached answer from one depth is not the answer at another."""
    for n in walk(scope.fn.body):
        if not isinstance(n, cst.Try | cst.TryStar):
            continue
        catches = any(
            handler.type is None
            or any(_may_catch_recursion(scope, x) for x in _alternatives(handler.type))
            for handler in n.handlers
        )
        final = n.finalbody if isinstance(n, cst.Try) else None
        exits = cst.Return | cst.Break | cst.Continue
        swallows = final is not None and any(isinstance(x, exits) for x in walk(final))
        if (catches or swallows) and _calls_repository(scope, n.body):
            return True  # `finally: return ...` drops a RecursionError as a handler would
    return False


def _may_catch_recursion(scope: Scope, expr: cst.BaseExpression) -> bool:
    """Only a builtin or standard-library exception that is not a base of RecursionError, or
    a class the repository defines, is known not to catch it; an alias (`E = Exception`), an
    attribute of a repository module or any other expression may."""
    dotted = scope.dotted(expr)
    if isinstance(expr, cst.Name):
        tree = scope.project.modules.get(scope.path)
        bound = bound_names(tree).get(expr.value, 0) if tree is not None else 0
        if expr.value in scope.locals or bound > 1:
            return True
        if bound and expr.value not in scope.project.imports.get(scope.path, {}):
            dotted = None  # the module's own binding, even of a builtin's name
    if dotted is not None:
        module, _, attr = dotted.rpartition(".")
        if module.split(".")[0] not in sys.stdlib_module_names:
            return True
        try:
            caught = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError, ValueError):
            return True
        return not isinstance(caught, type) or issubclass(RecursionError, caught)
    if isinstance(expr, cst.Name):
        found = scope.project.lookup(scope.path, expr.value)
        return found is None or not isinstance(found[1], cst.ClassDef)
    return True


def _calls_repository(scope: Scope, body: cst.CSTNode) -> bool:
    """`body` calls, or hands on (`map(walk, xs)`), code of the repository."""
    project = scope.project
    for n in walk(body):
        func = n.func if isinstance(n, cst.Call) else None
        if isinstance(func, cst.Attribute) and project.defines_method(func.attr.value):
            return True
        local = not isinstance(n, cst.Name) or n.value in scope.locals
        if not local and project.lookup(scope.path, n.value) is not None:  # type: ignore[attr-defined]
            return True
    return False


def _alternatives(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    return [e.value for e in expr.elements] if isinstance(expr, cst.Tuple) else [expr]


def reads_only_constants(scope: Scope) -> bool:
    """Reads no module state that could change: only immutable constants, functions and
    classes of the repository, imported standard-library names and builtins."""
    body = scope.fn.body
    if _depth_dependent(scope) or decimal_context(scope, body) or touches_context(scope, body):
        return False
    if not all(n.value in scope.locals or constant_name(scope, n) for n in name_nodes(body)):
        return False
    return not _reads_class_state(scope)


def _reads_class_state(scope: Scope) -> bool:
    """A repository class is used other than by calling it or a method of it, matching an
    exception or a type against it: `Box.RATE`, `Box.rates[0]`, `vars(Box)` read what a
    class method or any code may set again (`cls.RATE = rate`), unless the class binds the
    attribute once to a literal and nothing in the repository stores an attribute by that
    name or calls `setattr`."""
    called: set[int] = set()
    allowed: set[int] = set()
    read_from: dict[int, bool] = {}  # an attribute's object ⇒ that attribute is called
    for n in walk(scope.fn.body, into_scopes=True):
        if isinstance(n, cst.Call):
            called.add(id(n.func))
            if scope.builtin(n.func) in ("isinstance", "issubclass") and len(n.args) == 2:
                allowed.update(id(x) for x in walk(n.args[1].value))
        elif isinstance(n, cst.ExceptHandler) and n.type is not None:
            allowed.update(id(x) for x in walk(n.type))
        elif isinstance(n, cst.Raise) and n.exc is not None:  # the class raised, not its args
            allowed.add(id(n.exc.func if isinstance(n.exc, cst.Call) else n.exc))
        elif isinstance(n, cst.Comparison):  # `type(x) is Box`: the class itself
            operands = [n.left, *(c.comparator for c in n.comparisons)]
            allowed.update(id(x) for x in operands if isinstance(x, cst.Name))
    for n in walk(scope.fn.body, into_scopes=True):
        if isinstance(n, cst.Attribute):
            read_from[id(n.value)] = id(n) in called
    for n in walk(scope.fn.body, into_scopes=True):
        holder = n.value if isinstance(n, cst.Attribute) else n
        if not isinstance(holder, cst.Name) or holder.value in scope.locals:
            continue
        found = scope.project.lookup(scope.path, holder.value)
        if found is None or not isinstance(found[1], cst.ClassDef) or id(n) in allowed:
            continue
        if id(n) in called:
            continue
        if isinstance(n, cst.Attribute):
            if read_from.get(id(n)) is False:  # `Box.Inner.X`, `Bet.stake.__defaults__`
                return True
            if not _constant_class_attr(scope, found[1], n.attr.value):
                return True
        elif id(n) not in read_from:  # the class itself as a value (`vars(Box)`)
            return True
    return False


def _constant_class_attr(scope: Scope, cls: cst.ClassDef, attr: str) -> bool:
    """The class body binds `attr` once, to a number or string literal, or defines it as a
    method or class (`key=Bet.stake`), and no code of the repository stores an attribute by
    that name or calls `setattr`."""
    block = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    defs = [s for s in block if isinstance(s, cst.FunctionDef | cst.ClassDef)]
    values: list[cst.CSTNode] = [s for s in defs if s.name.value == attr]
    values += [
        small.value
        for stmt in block
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value == attr
    ]
    kinds = cst.Integer | cst.Float | cst.SimpleString | cst.FunctionDef | cst.ClassDef
    if len(values) != 1 or not isinstance(values[0], kinds):
        return False
    return not any(
        store is None or store.attr.value == attr for store in attribute_stores(scope.project)
    )


@functools.lru_cache(maxsize=32)  # by the sources' content (an id could be reused)
def attribute_stores(project: Project) -> tuple[cst.Attribute | None, ...]:
    """Every attribute the repository's code stores into (`x.attr = v`, `+=`, annotated)
    or deletes, and None for each call of `setattr` or `delattr`, which may change any."""
    return tuple(_attribute_stores(project))


_SETTERS = SETTERS | {"__setattr__", "__delattr__"}


def _attribute_stores(project: Project) -> Iterator[cst.Attribute | None]:
    for module in project.modules.values():
        for n in walk(module, into_scopes=True):
            if isinstance(n, cst.Name) and n.value in _SETTERS:
                yield None  # called, or handed on (`sa = setattr`)
            elif isinstance(n, cst.Attribute) and n.attr.value in _SETTERS:
                yield None  # `builtins.setattr`, `type.__setattr__`
            targets: list[cst.BaseExpression | None] = []
            if isinstance(n, cst.Assign):
                targets = [t.target for t in n.targets]
            elif isinstance(n, cst.AugAssign | cst.AnnAssign | cst.Del | cst.For | cst.CompFor):
                targets = [n.target]
            elif isinstance(n, cst.WithItem):
                targets = [n.asname.name if n.asname else None]
            for t in targets:
                yield from (x for x in walk(t) if isinstance(x, cst.Attribute)) if t else ()


def constant_name(scope: Scope, n: cst.Name) -> bool:
    """A name (not one of the function's locals) whose value cannot change: an immutable
    constant, a function of the repository that reads only such names, a class, an imported
    standard-library name or a pure builtin."""
    name = n.value
    if name in ("True", "False", "None"):
        return True
    dotted = scope.dotted(n)
    if dotted is not None:
        if dotted.split(".")[0] == "builtins":
            return name in PURE_BUILTIN_CALLS or name in EXCEPTIONS
        return stdlib_kind(dotted) is not None or _stdlib_module(dotted)
    project = scope.project
    found = project.lookup(scope.path, name)
    if found is None:
        return False
    where, node = found
    if isinstance(node, cst.FunctionDef):
        from agent.engines.rules.project import FunctionRef

        return scope.effects.summary(FunctionRef(where, name, node)).closed
    if isinstance(node, cst.ClassDef) or namedtuple_class(project, where, node):
        return True
    return constant_value(project, where, name)


def _stdlib_module(dotted: str) -> bool:
    return dotted in ("re", "math", "unicodedata", "string", "datetime", "decimal", "statistics")


_FACTORIES = {("collections", "namedtuple"), ("typing", "NamedTuple")}


def namedtuple_class(project: object, path: str, node: cst.CSTNode) -> bool:
    """`node` (a module-level definition in `path`) binds a name once to `namedtuple(...)`
    or `NamedTuple(...)` from `collections` or `typing`, and no code of the repository sets
    an attribute on it: calling it builds a tuple and runs no repository code."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    module = project.modules.get(path)
    if module is None or not isinstance(node, cst.Assign) or len(node.targets) != 1:
        return False
    target, call = node.targets[0].target, node.value
    if not isinstance(target, cst.Name) or not isinstance(call, cst.Call):
        return False
    if bound_names(module).get(target.value) != 1:
        return False
    imports = project.imports.get(path, {})
    func = call.func
    head = func.value if isinstance(func, cst.Attribute) else func
    if isinstance(head, cst.Name) and head.value in project.defs.get(path, {}):
        return False  # the imported name is rebound in the module
    if isinstance(func, cst.Name):
        origin = imports.get(func.value)
        factory = origin is not None and origin in _FACTORIES
    elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        source, attr = imports.get(func.value.value) or ("", "")
        factory = attr is None and (source, func.attr.value) in _FACTORIES
    else:
        factory = False
    return factory and target.value not in _attribute_owners(project)


def _attribute_owners(project: Project) -> frozenset[str]:
    """The text of every expression of the project an attribute is assigned or deleted on."""
    found = project.memo.get("attribute_owners")
    if found is None:
        owners = {
            code_of(n.target.value)
            for module in project.modules.values()
            for n in walk(module, into_scopes=True)
            if isinstance(n, cst.AssignTarget | cst.AugAssign | cst.Del)
            and isinstance(n.target, cst.Attribute)
        }
        found = project.memo["attribute_owners"] = frozenset(owners)
    assert isinstance(found, frozenset)
    return found


def constructor_pure(effects: Effects, cls: cst.ClassDef) -> bool:
    """Building an instance runs no code with effects: an exception class without methods,
    or a dataclass without `__init__` whose `__post_init__` (if any) is pure."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    methods = {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}
    bases = {code_of(b.value).rsplit(".", 1)[-1] for b in cls.bases}
    from agent.engines.rules.exception_classes import exception_bases, exception_init_pure

    if bases and not cls.decorators and not cls.keywords and exception_bases(effects, cls):
        return exception_init_pure(effects, cls, methods)
    decorators = {code_of(d.decorator).split("(")[0] for d in cls.decorators}
    if not cls.decorators:
        return _plain_class_pure(effects, cls, methods)
    if not decorators & {"dataclass", "dataclasses.dataclass"} or "__init__" in methods:
        return False
    post = methods.get("__post_init__")
    if post is None:
        return True
    from agent.engines.rules.project import FunctionRef

    located = _located(effects, cls)
    if located is None:
        return False
    name, where = located
    return effects.summary(FunctionRef(where, f"{name}.__post_init__", post, name)).pure


_HOOKS = frozenset(
    {"__new__", "__setattr__", "__getattr__", "__getattribute__", "__init_subclass__", "__del__"}
)
"""Methods that run when an instance is made, changed or dropped, bound in a class body by a
`def` or by an assignment (`__setattr__ = log_and_set`)."""


def _plain_class_pure(
    effects: Effects, cls: cst.ClassDef, methods: dict[str, cst.FunctionDef]
) -> bool:
    """A class of its own (no bases, decorators or metaclass, no hook on creating it or on
    setting attributes) whose `__init__`, if any, runs nothing with effects and stores on
    `self` only attributes that are not the class's own names (a property's setter)."""
    if cls.keywords or any(code_of(b.value) != "object" for b in cls.bases):
        return False
    if set(bound_names(cls.body)) & _HOOKS:
        return False
    init = methods.get("__init__")
    own = set(bound_names(cls.body)) | set(methods)
    return init is None or init_pure(effects, cls, init, own, lambda _stmt, _scope: False)


def init_pure(
    effects: Effects,
    cls: cst.ClassDef,
    init: cst.FunctionDef,
    own: set[str],
    allowed: Callable[[cst.CSTNode, Scope], bool],
) -> bool:
    """`__init__` stores on `self` only attributes that are not among `own` (a property's
    setter would run), values without effects, and runs nothing else with effects but what
    `allowed` admits (`super().__init__(...)` of an exception)."""
    from agent.engines.rules.places import single_binding

    params = init.params.params
    located = _located(effects, cls)
    if init.decorators or init.asynchronous or not params or located is None:
        return False
    me, (name, where) = params[0].name.value, located
    scope = effects.scope(where, init, name)
    for stmt in init.body.body if isinstance(init.body, cst.IndentedBlock) else ():
        target, value = single_binding(stmt) or (None, None)
        if isinstance(target, cst.Attribute) and code_of(target.value) == me:
            if target.attr.value in own or value is None or not scope.pure(value):
                return False
        elif not (allowed(stmt, scope) or scope.pure(stmt)):
            return False
    return True


def _located(effects: Effects, cls: cst.ClassDef) -> tuple[str, str] | None:
    """(name, path) of the class `cls` in the repository's class table."""
    for name, (where, node) in effects.project.classes.items():
        if node is cls:
            return name, where
    return None
