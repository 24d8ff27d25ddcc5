"""The types of a function's parameters and locals, from annotations and every binding."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from agent.engines.rules.infer import TypeEnv, _target_bindings, infer_in
from agent.engines.rules.syntax import _MEMO_LIMIT, declared_global, nested_scope_names, walk
from agent.engines.rules.typeinfo import UNKNOWN, T, annotation_type, elem_of, join


def build_env(
    fn: cst.FunctionDef, classes: dict[str, T] | None = None, self_class: str | None = None
) -> TypeEnv:
    """Types of parameters (from annotations) and locals (from every binding site).

    `classes` holds `"Class.field"` types (see `class_fields`); class names defined more
    than once in the project are left out by the caller.
    """
    key = (id(fn), id(classes), self_class)
    hit = _ENVS.get(key)
    if hit is None or hit[0] is not fn or hit[1] is not classes:
        if len(_ENVS) >= _MEMO_LIMIT:
            _ENVS.clear()
        hit = _ENVS[key] = (fn, classes, _solve(fn, classes, self_class))
    return TypeEnv(hit[2])  # a copy: the caller may change its own


_ENVS: dict[tuple[int, int, str | None], tuple[cst.FunctionDef, object, dict[str, T]]] = {}
"""Each function's environment, worked out once: trees and `Project.type_facts` never change,
and the rules ask about the same functions many times."""


def _solve(
    fn: cst.FunctionDef, classes: dict[str, T] | None, self_class: str | None
) -> dict[str, T]:
    params: dict[str, T] = dict(classes or {})
    for p in (*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params):
        ann = annotation_type(p.annotation.annotation if p.annotation else None)
        if p.default is not None and ann != UNKNOWN:
            ann = join(ann, ann)  # the default is checked by whoever wrote it; trust the hint
        params[p.name.value] = ann
    for star in (fn.params.star_arg, fn.params.star_kwarg):
        if isinstance(star, cst.Param):
            params[star.name.value] = UNKNOWN
    first = (*fn.params.posonly_params, *fn.params.params)[:1]
    if self_class and first and first[0].annotation is None:
        params[first[0].name.value] = T(f"obj:{self_class}")
    banned = declared_global(fn) | nested_scope_names(fn)
    env = dict(params)
    for _ in range(5):  # a few rounds reach the fixpoint for the code shapes we handle
        seen: dict[str, T | None] = {name: t for name, t in params.items()}
        for name, t in _bindings(fn, env):
            seen[name] = join(seen.get(name), t) if name in seen else t
        new = {k: (v or UNKNOWN) for k, v in seen.items()}
        for name in banned:
            if name in new and name not in params:
                new[name] = UNKNOWN
        if new == env:
            break
        env = new
    return env


def _bindings(fn: cst.FunctionDef, env: dict[str, T]) -> Iterator[tuple[str, T]]:
    comp_targets: set[int] = set()
    for n in walk(fn):
        if isinstance(n, cst.CompFor):
            comp_targets.add(id(n.target))
        if isinstance(n, cst.Assign):
            t = infer_in(n.value, env)
            for tgt in n.targets:
                yield from _target_bindings(tgt.target, t)
                sub = tgt.target
                if (
                    isinstance(sub, cst.Subscript)
                    and isinstance(sub.value, cst.Name)
                    and env.get(sub.value.value, UNKNOWN).kind == "dict"
                    and len(sub.slice) == 1
                    and isinstance(sub.slice[0].slice, cst.Index)
                ):
                    key = infer_in(sub.slice[0].slice.value, env)
                    yield sub.value.value, T("dict", elem=key, value=t)
        elif isinstance(n, cst.AnnAssign):
            t = annotation_type(n.annotation.annotation)
            if isinstance(n.target, cst.Name):
                yield n.target.value, t
        elif isinstance(n, cst.AugAssign):
            if isinstance(n.target, cst.Name):
                if n.target.value not in env:
                    continue  # optimistic first round: the plain binding decides the type
                op = n.operator.__class__.__name__.removesuffix("Assign")
                binop = getattr(cst, op, None)
                if binop is None:
                    yield n.target.value, UNKNOWN
                    continue
                t = infer_in(
                    cst.BinaryOperation(left=n.target, operator=binop(), right=n.value), env
                )
                yield n.target.value, t
        elif isinstance(n, cst.For) and id(n.target) not in comp_targets:
            yield from _target_bindings(n.target, elem_of(infer_in(n.iter, env)))
        elif isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name):
            yield n.target.value, infer_in(n.value, env)
        elif isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute):
            recv = n.func.value
            if isinstance(recv, cst.Name) and len(n.args) == 1 and not n.args[0].keyword:
                kind, meth = env.get(recv.value, UNKNOWN).kind, n.func.attr.value
                arg = infer_in(n.args[0].value, env)
                if (kind, meth) in (("list", "append"), ("set", "add")):
                    yield recv.value, T(kind, elem=arg)
                elif (kind, meth) in (("list", "extend"), ("set", "update")):
                    yield recv.value, T(kind, elem=elem_of(arg))
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            yield from _target_bindings(n.asname.name, UNKNOWN)
        elif isinstance(n, cst.ExceptHandler) and n.name is not None:
            yield from _target_bindings(n.name.name, UNKNOWN)
        elif isinstance(n, cst.FunctionDef | cst.ClassDef) and n is not fn:
            yield n.name.value, UNKNOWN
        elif isinstance(n, cst.Import | cst.ImportFrom) and not isinstance(n.names, cst.ImportStar):
            for alias in n.names:
                name = alias.asname.name if alias.asname else alias.name
                if isinstance(name, cst.Name):
                    yield name.value, UNKNOWN


# --- purity and read-only uses ----------------------------------------------------------
