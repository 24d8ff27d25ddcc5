"""Lookups by key in a method of the records' holder: `feed.get_trip(t)` called in a loop,
where `Feed.get_trip` scans `self.trips` for the record whose key equals its argument. The
method is copied as a module function taking the records as its first argument, and the
call is served like `join-index-call`'s helpers: the copy gets only the records whose key
can equal the probe. The copy runs only while the receiver is exactly of that class, holds
the records in its own `__dict__` (no property reads them) and would run that class's own
method as the repository wrote it (checked at run time when the index is built); otherwise
the call runs as it was."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.order import plain_literal
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext
from agent.engines.rules.syntax import bound_names, name_nodes, names_in, parent_map, walk

GUARD_TEMPLATE = '''
def {name}(obj, cls, method, attr):
    """`obj.method(...)` runs `cls`'s own `method` as the module defining `cls` wrote it (not
    a replacement put on the class, nor a function stored on the object), and reading
    `obj.attr` runs no code (`{plain}`)."""
    if type(obj) is not cls or not {plain}(obj, attr):
        return False
    found = vars(cls).get(method)
    if (
        type(found) is not {function}
        or found.__qualname__ != cls.__qualname__ + "." + method
        or found.__module__ != cls.__module__
        or found.__code__.co_name != method
        or getattr(found.__code__, "co_qualname", None) != found.__qualname__
        or hasattr(found, "__wrapped__")
    ):
        return False  # a wrapper copies the names, not the code
    try:
        return method not in vars(obj)
    except TypeError:
        return True
'''


@dataclass
class MethodLookup:
    """A method call served through a copy of the method that takes the records."""

    receiver: cst.BaseExpression
    cls: str
    method: str
    attr: str
    """The receiver's attribute holding the records the method scans."""
    copy: cst.FunctionDef
    """The method as a module function of (records, its other parameters)."""
    origin: FunctionRef


def method_as_function(ctx: FunctionContext, call: cst.Call) -> MethodLookup | None:
    """The copy for `recv.name(...)` when `recv` is a plain name of a repository class whose
    method `name` (defined there, overridden by no repository subclass) is a plain function
    that reads its first parameter exactly once, as `self.attr`, and names nothing but its
    parameters, its own locals and builtins no module involved rebinds."""
    func = call.func
    if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Name):
        return None
    recv = ctx.env.infer(func.value)
    if not recv.kind.startswith("obj:") or recv.kind[4:] not in ctx.project.classes:
        return None
    cls = recv.kind[4:]
    found = ctx.project.lookup(ctx.path, cls)
    if found is None or found[1] is not ctx.project.classes[cls][1]:
        return None  # the guard names the class as the caller's module does
    if bound_names(ctx.project.modules[ctx.path]).get(cls) != 1:
        return None
    ref = ctx.project.method(cls, func.attr.value)
    if ref is None or ref.fn is ctx.fn or ref.fn.decorators or ref.fn.asynchronous:
        return None
    if bound_names(ctx.project.classes[cls][1].body).get(func.attr.value) != 1:
        return None  # rebound in the class body (`m = wrap(m)`)
    params = ref.fn.params
    if params.posonly_params or params.kwonly_params or params.star_kwarg is not None:
        return None
    if isinstance(params.star_arg, cst.Param | cst.ParamStar) or not params.params:
        return None
    if not all(p.default is None or plain_literal(p.default) for p in params.params):
        return None  # a default is evaluated where the copy is defined
    own = params.params[0].name.value
    uses = [n for n in name_nodes(ref.fn.body) if n.value == own]
    if len(uses) != 1:
        return None
    read = parent_map(ref.fn.body).get(id(uses[0]))
    if not isinstance(read, cst.Attribute) or read.value is not uses[0]:
        return None
    if _mangled(ref.fn):
        return None  # the class body spells `self.__x` for `self._C__x`; a module does not
    taken = names_in(ref.fn) | ctx.module_names
    records = fresh_name("records", taken)
    name = fresh_name(f"_{ref.fn.name.value.lstrip('_')}_over", taken)
    copy = _copy(ref, read, records, name)
    if not _builtins_only(ctx, ref, copy):
        return None
    return MethodLookup(func.value, cls, func.attr.value, read.attr.value, copy, ref)


def _mangled(fn: cst.FunctionDef) -> bool:
    """A private name (`__x`, not `__x__`) anywhere in the method."""
    return any(
        isinstance(n, cst.Name) and n.value.startswith("__") and not n.value.endswith("__")
        for n in walk(fn, into_scopes=True)
    )


def _copy(ref: FunctionRef, read: cst.Attribute, records: str, name: str) -> cst.FunctionDef:
    params = ref.fn.params.params
    plain = [p.with_changes(annotation=None) for p in params[1:]]
    body = ref.fn.body.deep_replace(read, cst.Name(records))
    assert isinstance(body, cst.BaseSuite)
    return ref.fn.with_changes(
        name=cst.Name(name),
        params=ref.fn.params.with_changes(params=[cst.Param(cst.Name(records)), *plain]),
        body=body,
        returns=None,
        leading_lines=[],
    )


def _builtins_only(ctx: FunctionContext, ref: FunctionRef, copy: cst.FunctionDef) -> bool:
    """Every name the copy reads that it does not bind means there what it means in the
    method: the method's module is the caller's (the copy sits among the same globals), or
    the name is a builtin that neither module binds or could import by `*`."""
    local = {p.name.value for p in copy.params.params} | set(bound_names(copy.body))
    for n in walk(copy.body, into_scopes=True):
        if isinstance(n, cst.CompFor):
            local |= names_in(n.target)
    free = names_in(copy.body) - local
    if any(n.startswith("__") for n in free):
        return False  # `__class__` is the class's cell; `__name__` is the module's
    if ctx.path == ref.path:  # the scan shapes read `next` as the builtin
        return "next" not in bound_names(ctx.project.modules[ref.path])
    for path in {ctx.path, ref.path}:
        module = ctx.project.modules[path]
        if any(isinstance(n, cst.ImportStar) for n in walk(module)):
            return False
        if free & set(bound_names(module)):
            return False
        declared = {
            code(g.name) for n in walk(module) if isinstance(n, cst.Global) for g in n.names
        }
        if free & declared:
            return False
    return all(n in vars(builtins) for n in free)


def guard_helper(ctx: FunctionContext, change: Change, plain: str) -> str:
    """Put the run-time check of a method call's receiver in the module; its name."""
    name = fresh_name("_own_method", ctx.module_names)
    function = fresh_name("_FunctionType", ctx.module_names)
    change.imports.append(f"from types import FunctionType as {function}")
    text = GUARD_TEMPLATE.format(name=name, plain=plain, function=function).lstrip()
    change.constants.append(
        cst.parse_statement(text).with_changes(leading_lines=[cst.EmptyLine()] * 2)
    )
    return name


def served_call(
    call: cst.Call, look: MethodLookup, index: str, lookup: cst.BaseExpression
) -> cst.IfExp:
    """`copy(candidates, args) if type(index) is dict else recv.name(args)` (no index is
    built unless the receiver passed the guard)."""
    served = cst.Call(
        func=cst.Name(look.copy.name.value),
        args=[cst.Arg(lookup), *call.args],
    )
    return cst.IfExp(
        test=cst.parse_expression(f"type({index}) is dict"),
        body=served,
        orelse=call,
        lpar=[cst.LeftParen()],
        rpar=[cst.RightParen()],
    )


def records_of(look: MethodLookup) -> cst.Attribute:
    """`recv.attr`, the records the method scans, in the caller's names."""
    return cst.Attribute(value=look.receiver, attr=cst.Name(look.attr))


def guarded_build(look: MethodLookup, guard: str, build: str) -> str:
    return f"{build} if {guard}({code(look.receiver)}, {look.cls}, {look.method!r}, {look.attr!r}) else None"
