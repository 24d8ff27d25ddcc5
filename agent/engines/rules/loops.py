"""Loop rewrites: append loops ⇒ comprehensions, loop-invariant builtin calls hoisted."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.containers import accumulator_loop, rebind, stmts_of
from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.places import (
    enclosing_loops,
    init_before,
    invariant_in,
    plain_local,
    shadowed,
    statement_in_block,
)
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, name_nodes, names_in, walk
from agent.engines.rules.typeinfo import SIZED, T, elem_of, is_hashable

_SCOPE_SENSITIVE = {"super", "locals", "vars", "eval", "exec", "globals"}


def _comprehension_parts(
    loop: cst.For, out: str | None = None
) -> tuple[str, list[str], cst.BaseExpression] | None:
    """(list name, comprehension clauses, element) when the loop nest only appends.

    Accepts `for .. in ..:` nests (no `else`, no `async`) whose innermost body is
    `out.append(e)` or `if c: out.append(e)` (no `elif`/`else`).
    """
    if loop.orelse is not None or loop.asynchronous is not None:
        return None
    clauses = [f"for {code(loop.target)} in {code(loop.iter)}"]
    body = stmts_of(loop.body)
    if len(body) != 1:
        return None
    stmt = body[0]
    if isinstance(stmt, cst.For):
        inner = _comprehension_parts(stmt, out)
        if inner is None:
            return None
        return inner[0], clauses + inner[1], inner[2]
    if isinstance(stmt, cst.If):
        if stmt.orelse is not None:
            return None
        then = stmts_of(stmt.body)
        if len(then) != 1:
            return None
        clauses.append(f"if {code(stmt.test)}")
        stmt = then[0]
    if not (
        isinstance(stmt, cst.Expr)
        and isinstance(stmt.value, cst.Call)
        and isinstance(stmt.value.func, cst.Attribute)
        and isinstance(stmt.value.func.value, cst.Name)
        and stmt.value.func.attr.value == "append"
        and len(stmt.value.args) == 1
        and not stmt.value.args[0].keyword
        and not stmt.value.args[0].star
    ):
        return None
    name = stmt.value.func.value.value
    if out is not None and name != out:
        return None
    return name, clauses, stmt.value.args[0].value


class AppendComprehension(Rule):
    """`out = []` + `for x in xs: [if c:] out.append(e)` ⇒ `out = [e for x in xs if c]`.

    Precondition: `out` is a plain local bound to `[]` just before the loop (nothing mentions
    it in between) and not mentioned in the loop except by the append; the loop nest has no
    `else`, sits outside `try`/`with`, and its variables are not used after it (a
    comprehension does not leak them); the expressions use no scope-sensitive builtins
    (`super`, `locals`, ...) and no `yield`/`await`/walrus.
    """

    id = "append-comprehension"
    title = "build the list with a comprehension instead of an append loop"
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for loop in walk(ctx.fn):
            if not isinstance(loop, cst.For) or not accumulator_loop(ctx, loop):
                continue
            if isinstance(ctx.parents.get(id(ctx.parents.get(id(loop)))), cst.For):
                continue  # an inner loop of a nest; the outer one is the candidate
            parts = _comprehension_parts(loop)
            if parts is None:
                continue
            out, _clauses, _elt = parts
            mentions = sum(1 for n in name_nodes(loop) if n.value == out)
            if mentions != 1 or not plain_local(ctx, out):
                continue
            used = names_in(loop)
            if used & _SCOPE_SENSITIVE or any(
                isinstance(n, cst.Yield | cst.Await | cst.NamedExpr | cst.Lambda)
                for n in walk(loop, into_scopes=True)
            ):
                continue
            init = init_before(ctx, loop, out, ("[]", "list()"))
            if init is None:
                continue
            sites.append(ctx.site(loop, f"`{out}`", extra=init))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            init = site.extra
            parts = _comprehension_parts(site.node)
            assert parts is not None
            _out, clauses, elt = parts
            value = cst.parse_expression(f"[{code(elt)} {' '.join(clauses)}]")
            change.replace[id(init)] = lambda _u: cst.RemoveFromParent()
            change.replace[id(site.node)] = lambda u, init=init, value=value: rebind(
                init, value
            ).with_changes(leading_lines=u.leading_lines)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"build {names} with a list comprehension instead of a for/append loop"


_HOIST_CONTAINERS = {"set", "frozenset", "sorted", "tuple", "list"}
_HOIST_SCALARS = {"len", "sum", "str", "abs"}


class InvariantCallHoist(Rule):
    """A builtin call whose arguments do not change in the loop (`len(xs)`, `set(words)`,
    `sorted(keys)`, `s.lower()`, ...) ⇒ computed once before the loop.

    Precondition: every name in the call is a local or parameter that the loop neither
    rebinds nor uses in a possibly mutating way; the call is a pure builtin (not shadowed) or
    a str method on a known str; it cannot raise given the argument types (so running it once
    even when the loop body would not run is unobservable); a container result (`set(..)`,
    `sorted(..)`, ...) is only read (membership, iteration, `len`), never stored or mutated.
    """

    id = "invariant-call-hoist"
    title = "hoist loop-invariant builtin calls out of the loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        module_bound = bound_names(ctx.module)
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call):
                continue
            kind = self._hoistable(ctx, node, module_bound)
            if kind is None:
                continue
            if kind == "container" and not self._read_only_result(ctx, node):
                continue
            names = names_in(node)
            if isinstance(node.func, cst.Name):
                names.discard(node.func.value)
            loops = enclosing_loops(ctx, node)
            loop = next((lp for lp in loops if invariant_in(lp, names)), None)
            if loop is None:
                continue
            stmt = statement_in_block(ctx, loop)
            if stmt is None or shadowed(ctx, NOTE_BUILTINS):
                continue
            sites.append(ctx.site(node, f"`{code(node)}`", extra=(stmt, loop)))
        return sites

    def _hoistable(
        self, ctx: FunctionContext, node: cst.Call, module_bound: dict[str, int]
    ) -> str | None:
        if any(a.keyword or a.star for a in node.args):
            return None
        if not all(
            isinstance(a.value, cst.Name | cst.SimpleString | cst.Integer) for a in node.args
        ):
            return None
        if not all(
            not isinstance(a.value, cst.Name) or a.value.value in ctx.env.names for a in node.args
        ):
            return None
        types = [ctx.env.infer(a.value) for a in node.args]
        func = node.func
        if isinstance(func, cst.Name):
            name = func.value
            if name in ctx.env.names or name in module_bound or len(types) != 1:
                return None
            t = types[0]
            if name == "len" and t.kind in SIZED:
                return "scalar"
            if (
                name == "sum"
                and t.kind in ("list", "tuple", "set", "frozenset")
                and elem_of(t).kind == "int"
            ):
                return "scalar"
            if name == "str" and t.kind in ("str", "int"):
                return "scalar"
            if name == "abs" and t.kind in ("int", "float"):
                return "scalar"
            if name in ("set", "frozenset") and t.kind in SIZED and is_hashable(elem_of(t)):
                return "container"
            if name == "sorted" and t.kind in SIZED and elem_of(t).kind in ("str", "int"):
                return "container"
            if name in ("tuple", "list") and t.kind in SIZED:
                return "container"
            return None
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and ctx.env.get(func.value.value).kind == "str"
            and all(t.kind in ("str", "int") for t in types)
        ):
            meth = func.attr.value
            if meth in ("lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title") and (
                not types or (meth.endswith("strip") and types[0].kind == "str")
            ):
                return "scalar"
            if meth in ("split", "splitlines") and (
                not types
                or (types[0].kind == "str" and code(node.args[0].value) not in ('""', "''"))
            ):
                return "container"
        return None

    def _read_only_result(self, ctx: FunctionContext, node: cst.Call) -> bool:
        parent = ctx.parents.get(id(node))
        if isinstance(parent, cst.ComparisonTarget) and isinstance(
            parent.operator, cst.In | cst.NotIn
        ):
            return True
        if isinstance(parent, cst.For | cst.CompFor) and parent.iter is node:
            return True
        if isinstance(parent, cst.Arg):
            call = ctx.parents.get(id(parent))
            return isinstance(call, cst.Call) and code(call.func) in ("len", "sum", "min", "max")
        return False

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        made: dict[tuple[int, str], str] = {}
        notes = Notes(ctx, change)
        for site in sites:
            text = code(site.node)
            stmt, loop = site.extra
            key = (id(stmt), text)
            ran = notes.flag(loop, stmt)
            if key not in made:
                made[key] = fresh_name(_hoist_name(site.node), ctx.module_names)
                change.insert_before(stmt, cst.parse_statement(f"{made[key]} = {text}\n"))
            new = cst.parse_expression(
                f"({made[key]} if not {ran} else {text})" if ran else made[key]
            )
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"compute {calls} once before the loop instead of on every iteration"


def _hoist_name(node: cst.Call) -> str:
    args = [a.value.value for a in node.args if isinstance(a.value, cst.Name)]
    func = node.func
    if isinstance(func, cst.Attribute):
        base = func.value.value if isinstance(func.value, cst.Name) else "value"
        return f"{base}_{func.attr.value}"
    fname = func.value if isinstance(func, cst.Name) else "value"
    if args:
        return (
            f"{args[0]}_{fname}"
            if fname in ("set", "frozenset", "sorted", "tuple", "list")
            else f"{fname}_{args[0]}"
        )
    return f"{fname}_value"


__all__ = ["AppendComprehension", "InvariantCallHoist", "T"]
