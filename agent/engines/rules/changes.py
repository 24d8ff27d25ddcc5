"""Helpers whose only effect is on containers handed to them: `_walk_from(stop, t, best,
via)` stores into `best` and `via`. When the caller made those containers itself, a loop
calling the helper changes nothing but the caller's own containers, which is all a join's
index needs (`JoinIndex.outer_loop`): the records it indexes are not among them."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.project import FunctionRef
from agent.engines.rules.stdlib import changed_by
from agent.engines.rules.syntax import SCOPES, bound_names, walk

if TYPE_CHECKING:
    from agent.engines.rules.effects import Effects, Scope


def changed_params(effects: Effects, ref: FunctionRef) -> frozenset[int] | None:
    """Positions of the parameters a function changes in place (`p[k] = v`, `p.append(v)`)
    when that is all it does: it is not pure, but its body is once those parameters are
    taken for containers of its own whose contents are not (so it changes them and nothing
    they hold). None for any other function."""
    key = (ref.path, ref.qualname)
    if key not in effects.changed:
        effects.changed[key] = _changed_params(effects, ref)
    return effects.changed[key]


def _changed_params(effects: Effects, ref: FunctionRef) -> frozenset[int] | None:
    fn, ps = ref.fn, ref.fn.params
    if fn.decorators or fn.asynchronous is not None or ps.kwonly_params:
        return None
    if isinstance(ps.star_arg, cst.Param | cst.ParamStar) or ps.star_kwarg is not None:
        return None
    names = [p.name.value for p in (*ps.posonly_params, *ps.params)]
    changed = _changed_directly(fn, set(names))
    if not changed or changed & set(bound_names(fn.body)):
        return None
    if effects.summary(ref).pure:
        return None
    scope = copy.copy(effects.scope(ref.path, fn, ref.cls))
    scope.fresh = {**scope.fresh, **dict.fromkeys(changed, 1)}
    scope.elements = {k: v for k, v in scope.elements.items() if k not in changed}
    if not scope.pure(fn.body):
        return None
    return frozenset(names.index(n) for n in changed)


def _changed_directly(fn: cst.FunctionDef, params: set[str]) -> set[str]:
    """Parameters the function stores into or calls a mutating method on."""
    changed: list[cst.BaseExpression] = []
    for n in walk(fn.body, into_scopes=True):
        if isinstance(n, cst.Call):
            changed += changed_by(n)
        else:
            changed += [t.value for t in changed_by(n) if isinstance(t, cst.Subscript)]
    return {c.value for c in changed if isinstance(c, cst.Name) and c.value in params}


def own_changes(scope: Scope, node: cst.CSTNode) -> bool:
    """`node` changes nothing but containers the function made itself: as `scope.pure`,
    except that a call to a helper that only changes containers handed to it
    (`changed_params`) is allowed when each of them is a container of the function's own,
    which is then taken to hold anything (the helper may store what it likes there)."""
    changing: dict[int, list[str]] = {}
    for n in walk(node, into_scopes=True):
        if isinstance(n, cst.Call) and scope.call(n) is None:
            names = _changed_locals(scope, n)
            if names is None:
                return False
            changing[id(n)] = names
    if not changing:
        return scope.pure(node)
    from agent.engines.rules.freshness import fresh_levels

    foreign = frozenset(name for names in changing.values() for name in names)
    view = copy.copy(scope)
    view.fresh, view.elements = {}, {}
    view.fresh, view.elements = fresh_levels(view, foreign)
    if any(view.fresh.get(name, 0) < 1 for name in foreign):
        return False
    for n in walk(node, into_scopes=True):
        if n is not node and isinstance(n, SCOPES) and not isinstance(n, cst.Lambda):
            return False
        if id(n) not in changing and view.impure_node(n):
            return False
    return True


def _changed_locals(scope: Scope, call: cst.Call) -> list[str] | None:
    """The caller's local names a call to a changing helper hands it to change, each a
    plain name of the function's own (not a parameter), or None."""
    found = _target(scope, call)
    if found is None or any(a.star for a in call.args):
        return None
    ref, offset = found
    changed = changed_params(scope.effects, ref)
    if changed is None:
        return None
    ps = ref.fn.params
    names = [p.name.value for p in (*ps.posonly_params, *ps.params)]
    out = []
    for index in changed:
        arg = _argument(call, names, index, offset)
        if not isinstance(arg, cst.Name) or arg.value not in scope.locals:
            return None
        if arg.value in scope.params or not _builtin_container(scope, arg.value):
            return None
        out.append(arg.value)
    return out


def _builtin_container(scope: Scope, name: str) -> bool:
    """`name` only ever holds a list, dict or set the function made as such (the helper's
    `p[k] = v` or `p.append(v)` then runs no code of a class of the repository)."""
    from agent.engines.rules.freshness import bindings_of

    values = bindings_of(scope.fn).get(name, [])
    return bool(values) and all(
        isinstance(v, cst.List | cst.Dict | cst.Set | cst.ListComp | cst.DictComp | cst.SetComp)
        or (isinstance(v, cst.Call) and scope.builtin(v.func) in ("list", "dict", "set"))
        for v in values
    )


def _target(scope: Scope, call: cst.Call) -> tuple[FunctionRef, int] | None:
    """The repository function or method a call runs, with 1 for a method's receiver."""
    func = call.func
    if isinstance(func, cst.Name) and func.value in scope.locals:
        return None
    found = scope.project.resolve(scope.path, func, scope.cls)
    if isinstance(found, FunctionRef):
        return found, int(found.cls is not None)
    if not isinstance(func, cst.Attribute):
        return None
    recv = scope.env.infer(func.value)
    if not recv.kind.startswith("obj:") or recv.kind[4:] not in scope.project.classes:
        return None
    ref = scope.project.method(recv.kind[4:], func.attr.value)
    return (ref, 1) if ref is not None else None


def _argument(
    call: cst.Call, names: list[str], index: int, offset: int
) -> cst.BaseExpression | None:
    """The expression the call passes for parameter `index` (a method's receiver at 0)."""
    if offset and index == 0:
        return call.func.value if isinstance(call.func, cst.Attribute) else None
    position = index - offset
    for i, arg in enumerate(call.args):
        if arg.keyword is None and i == position:
            return arg.value
        if arg.keyword is not None and arg.keyword.value == names[index]:
            return arg.value
    return None
