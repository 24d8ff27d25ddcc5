"""Memoization of pure recursive functions with `functools.lru_cache`."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.places import module_ref
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, name_nodes, type_checked, walk
from agent.engines.rules.typeinfo import (
    PURE_BUILTINS,
    READ_ONLY_METHODS,
    annotation_type,
    exact_key,
    is_hashable,
)

_CONSTANT_VALUES = (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)


class LruCache(Rule):
    """A pure, branching recursive module-level function ⇒ `@functools.lru_cache(maxsize=None,
    typed=True)`.

    Precondition: module-level, not async, no decorators, not a generator; every parameter is
    a plain positional/keyword one annotated str, int, bool, bytes or None (or tuples of
    those: equal values are indistinguishable; `0.0 == -0.0` would share one cached result,
    so floats are refused), and the return annotation
    is an immutable hashable type (a shared cached result must not be mutable); the body
    calls itself at least twice (overlapping subproblems) and otherwise only pure builtins
    and read-only methods of its own locals; it reads no module name except constants bound
    once to literals; no global/nonlocal, nested scopes, attribute or subscript stores on
    parameters. `typed=True` keeps `f(1)` and `f(1.0)` apart. Known limit, said in the plan:
    each cached recursion level costs two interpreter frames, so the deepest reachable
    recursion halves.
    """

    id = "lru-cache"
    title = "memoize a pure recursive function with functools.lru_cache"

    def find(self, ctx: FunctionContext) -> list[Site]:
        fn = ctx.fn
        if "." in ctx.qualname or fn.decorators or fn.asynchronous is not None:
            return []
        ps = fn.params
        if isinstance(ps.star_arg, cst.Param) or ps.star_kwarg is not None:
            return []
        params = [*ps.posonly_params, *ps.params, *ps.kwonly_params]
        if not params:
            return []
        for p in params:
            if p.annotation is None or not exact_key(annotation_type(p.annotation.annotation)):
                return []
        if type_checked(fn, {p.name.value for p in params}):
            return []  # the annotations are not a contract
        if fn.returns is None or not is_hashable(annotation_type(fn.returns.annotation)):
            return []
        name = fn.name.value
        module_bound = bound_names(ctx.module)
        if module_bound.get(name) != 1:
            return []
        local = bound_names(fn)
        param_names = {p.name.value for p in params}
        if param_names & set(local):
            return []  # rebinding a parameter is fine in principle; keep the check simple
        self_calls = 0
        for n in walk(fn, into_scopes=True):
            if n is not fn and isinstance(n, cst.FunctionDef | cst.Lambda | cst.ClassDef):
                return []
            if isinstance(n, cst.Yield | cst.Await | cst.Global | cst.Nonlocal):
                return []
            if isinstance(n, cst.Call):
                verdict = self._call_ok(n, name, local, param_names, module_bound)
                if verdict is None:
                    return []
                self_calls += verdict
        if self_calls < 2:
            return []
        for n in name_nodes(fn):
            v = n.value
            if v in local or v in param_names or v == name:
                continue
            if v in PURE_BUILTINS or v in ("True", "False", "None"):
                if v in module_bound:
                    return []
                continue
            if not self._module_constant(ctx, v):
                return []
        return [ctx.site(fn.name, f"`{name}`")]

    def _call_ok(
        self,
        call: cst.Call,
        name: str,
        local: dict[str, int],
        params: set[str],
        module_bound: dict[str, int],
    ) -> int | None:
        """1 for a self-call, 0 for an allowed call, None for a forbidden one."""
        func = call.func
        if isinstance(func, cst.Name):
            if func.value == name:
                return 1
            if func.value in PURE_BUILTINS and func.value not in module_bound | local:
                return 0
            return None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            recv = func.value.value
            if recv in local and recv not in params:
                return 0  # a container the function built itself
            if recv in params and func.attr.value in READ_ONLY_METHODS:
                return 0
        return None

    def _module_constant(self, ctx: FunctionContext, name: str) -> bool:
        if hasattr(builtins, name):
            return False
        values = [
            small.value  # type: ignore[attr-defined]
            for stmt in ctx.module.body
            if isinstance(stmt, cst.SimpleStatementLine)
            for small in stmt.body
            if _assigns(small, name)
        ]
        if len(values) != 1 or bound_names(ctx.module).get(name) != 1:
            return False
        value = values[0]
        return isinstance(value, _CONSTANT_VALUES) or (
            isinstance(value, cst.UnaryOperation) and isinstance(value.expression, _CONSTANT_VALUES)
        )

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        functools = module_ref(ctx, "functools", change)
        deco = cst.Decorator(
            decorator=cst.parse_expression(f"{functools}.lru_cache(maxsize=None, typed=True)")
        )
        change.replace[id(ctx.fn)] = lambda u: u.with_changes(decorators=[deco, *u.decorators])
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        return (
            f"memoize the pure recursive function {sites[0].detail} with "
            "functools.lru_cache(maxsize=None, typed=True) so repeated subproblems are computed "
            "once (cached recursion uses two frames per level, halving the deepest recursion)"
        )


def _assigns(small: cst.BaseSmallStatement, name: str) -> bool:
    """`name = ...` or `name: T = ...`."""
    if isinstance(small, cst.Assign):
        return any(isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets)
    return (
        isinstance(small, cst.AnnAssign)
        and isinstance(small.target, cst.Name)
        and small.target.value == name
    )
