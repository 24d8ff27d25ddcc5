"""Container choices: list queues ⇒ deque, hand-rolled counting ⇒ Counter, quadratic
de-duplication ⇒ `dict.fromkeys`."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.infer import comp_env
from agent.engines.rules.places import collections_name, init_before, plain_local, targets_private
from agent.engines.rules.purity import is_pure_expr
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import inside_try, names_in, walk
from agent.engines.rules.typeinfo import T, elem_of, is_hashable


def rebind(init: cst.SimpleStatementLine, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    """The init line with its value replaced (annotation and target kept)."""
    small = init.body[0]
    return init.with_changes(body=[small.with_changes(value=value)], leading_lines=())


def _simple_body(loop: cst.For) -> list[cst.BaseSmallStatement | cst.BaseCompoundStatement]:
    """The loop body as a flat list of statements (small statements unwrapped)."""
    out: list[cst.BaseSmallStatement | cst.BaseCompoundStatement] = []
    body = loop.body
    stmts = body.body if isinstance(body, cst.IndentedBlock | cst.SimpleStatementSuite) else ()
    for stmt in stmts:
        if isinstance(stmt, cst.SimpleStatementLine):
            out.extend(stmt.body)
        else:
            out.append(stmt)  # type: ignore[arg-type]
    return out


def accumulator_loop(ctx: FunctionContext, loop: cst.CSTNode) -> bool:
    return (
        isinstance(loop, cst.For)
        and loop.orelse is None
        and loop.asynchronous is None
        and not inside_try(loop, ctx.fn, ctx.parents)
        and targets_private(ctx, loop)
    )


def _gen_source(loop: cst.For, key: cst.BaseExpression) -> str:
    """`ITER` when the key is the loop target itself, else `(KEY for TARGET in ITER)`."""
    if code(key) == code(loop.target):
        return code(loop.iter)
    return f"{code(key)} for {code(loop.target)} in {code(loop.iter)}"


def _key_pure(ctx: FunctionContext, loop: cst.For, key: cst.BaseExpression) -> bool:
    local = comp_env(
        cst.GeneratorExp(elt=key, for_in=cst.CompFor(target=loop.target, iter=loop.iter)),
        ctx.env.names,
    )
    return is_pure_expr(key, ctx.env, local)


def _key_type(ctx: FunctionContext, loop: cst.For, key: cst.BaseExpression) -> T:
    gen = cst.GeneratorExp(elt=key, for_in=cst.CompFor(target=loop.target, iter=loop.iter))
    return elem_of(ctx.env.infer(gen))


def _subscript_of(node: cst.BaseExpression, name: str) -> str | None:
    """The key code of `name[KEY]`, or None."""
    if (
        isinstance(node, cst.Subscript)
        and isinstance(node.value, cst.Name)
        and node.value.value == name
        and len(node.slice) == 1
        and isinstance(node.slice[0].slice, cst.Index)
    ):
        return code(node.slice[0].slice.value)
    return None


def _membership(test: cst.BaseExpression, name: str) -> tuple[str, bool] | None:
    """(key code, negated) for `KEY in name` / `KEY not in name`."""
    if (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == name
        and isinstance(test.comparisons[0].operator, cst.In | cst.NotIn)
    ):
        return code(test.left), isinstance(test.comparisons[0].operator, cst.NotIn)
    return None


def stmts_of(suite: cst.BaseSuite) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    for stmt in (
        suite.body if isinstance(suite, cst.IndentedBlock | cst.SimpleStatementSuite) else ()
    ):
        if isinstance(stmt, cst.SimpleStatementLine):
            out.extend(stmt.body)
        else:
            out.append(stmt)
    return out


def _is_set(stmt: cst.CSTNode, name: str, key: str, value: str) -> bool:
    """`name[key] = value`."""
    return (
        isinstance(stmt, cst.Assign)
        and len(stmt.targets) == 1
        and _subscript_of(stmt.targets[0].target, name) == key
        and code(stmt.value) == value
    )


def _is_incr(stmt: cst.CSTNode, name: str, key: str) -> bool:
    """`name[key] += 1`."""
    return (
        isinstance(stmt, cst.AugAssign)
        and isinstance(stmt.operator, cst.AddAssign)
        and _subscript_of(stmt.target, name) == key
        and code(stmt.value) == "1"
    )


def _counting_key(body: Sequence[cst.CSTNode], d: str) -> str | None:
    """The key when `body` counts occurrences into `d` in one of the usual shapes."""
    if len(body) == 1 and isinstance(body[0], cst.If):
        node = body[0]
        mem = _membership(node.test, d)
        if mem is None or not isinstance(node.orelse, cst.Else):
            return None
        key, negated = mem
        then, other = stmts_of(node.body), stmts_of(node.orelse.body)
        if len(then) != 1 or len(other) != 1:
            return None
        incr, init = (other[0], then[0]) if negated else (then[0], other[0])
        return key if _is_incr(incr, d, key) and _is_set(init, d, key, "1") else None
    if len(body) == 2 and isinstance(body[0], cst.If):
        node = body[0]
        mem = _membership(node.test, d)
        if mem is None or not mem[1] or node.orelse is not None:
            return None
        key = mem[0]
        then = stmts_of(node.body)
        ok = len(then) == 1 and _is_set(then[0], d, key, "0") and _is_incr(body[1], d, key)
        return key if ok else None
    if len(body) == 1 and isinstance(body[0], cst.Assign) and len(body[0].targets) == 1:
        sub_key = _subscript_of(body[0].targets[0].target, d)
        counted = f"{d}.get({sub_key},0)+1".replace(" ", "")
        if sub_key is not None and code(body[0].value).replace(" ", "") == counted:
            return sub_key
    return None


class CounterLoop(Rule):
    """A loop that only counts occurrences into a fresh dict ⇒ `dict(collections.Counter(...))`.

    Shapes: `if k in d: d[k] += 1 else: d[k] = 1`, `if k not in d: d[k] = 0` + `d[k] += 1`,
    and `d[k] = d.get(k, 0) + 1`. Precondition: `d` is a plain local bound to `{}`/`dict()`
    just before the loop (nothing mentions it in between); the loop body is only the counting;
    the key expression is pure; the loop has no `else`, is not in `try`/`with`, and its
    variables are not used after it. The result is converted back to a plain dict, so missing
    keys still raise KeyError and the repr is unchanged.
    """

    id = "counter-loop"
    title = "count with collections.Counter instead of a Python loop"
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for loop in walk(ctx.fn):
            if not isinstance(loop, cst.For) or not accumulator_loop(ctx, loop):
                continue
            body = _simple_body(loop)
            ds = {
                n.value
                for n in walk(loop.body)
                if isinstance(n, cst.Name) and isinstance(ctx.parents.get(id(n)), cst.Subscript)
            }
            for d in sorted(ds):
                key = _counting_key(body, d)
                if key is None or not plain_local(ctx, d) or d in names_in(loop.iter):
                    continue
                key_node = cst.parse_expression(key)
                if d in names_in(key_node) or not _key_pure(ctx, loop, key_node):
                    continue
                init = init_before(ctx, loop, d, ("{}", "dict()"))
                if init is None:
                    continue
                sites.append(ctx.site(loop, f"`{d}`", extra=(init, d, key_node)))
                break
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        counter = collections_name(ctx, "Counter", change)
        for site in sites:
            init, _d, key = site.extra
            value = cst.parse_expression(f"dict({counter}({_gen_source(site.node, key)}))")
            change.replace[id(init)] = lambda _u: cst.RemoveFromParent()
            change.replace[id(site.node)] = lambda u, init=init, value=value: rebind(
                init, value
            ).with_changes(leading_lines=u.leading_lines)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"replace the hand-written counting loop filling {names} with collections.Counter (a C loop)"


class DedupFromkeys(Rule):
    """`out = []` + `for x in xs: if x not in out: out.append(x)` (quadratic) ⇒
    `out = list(dict.fromkeys(xs))` (linear, same first-seen order).

    Precondition: `out` is a plain local bound to `[]` just before the loop; the loop body is
    exactly that test-and-append of one pure key expression; the key's type is known
    hashable; no loop `else`, no `try`/`with` around, loop variables unused after the loop.
    """

    id = "dedup-fromkeys"
    title = "de-duplicate with dict.fromkeys instead of a list scan"
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if "dict" in ctx.env.names or "list" in ctx.env.names:
            return []
        sites = []
        for loop in walk(ctx.fn):
            if not isinstance(loop, cst.For) or not accumulator_loop(ctx, loop):
                continue
            body = _simple_body(loop)
            if len(body) != 1 or not isinstance(body[0], cst.If) or body[0].orelse is not None:
                continue
            test = body[0].test
            if not isinstance(test, cst.Comparison) or not isinstance(
                test.comparisons[0].comparator, cst.Name
            ):
                continue
            out = test.comparisons[0].comparator.value
            mem = _membership(test, out)
            then = stmts_of(body[0].body)
            if mem is None or not mem[1] or len(then) != 1:
                continue
            key = mem[0]
            call = then[0]
            if not (
                isinstance(call, cst.Expr)
                and isinstance(call.value, cst.Call)
                and code(call.value.func) == f"{out}.append"
                and len(call.value.args) == 1
                and code(call.value.args[0].value) == key
            ):
                continue
            key_node = cst.parse_expression(key)
            if out in names_in(key_node) or out in names_in(loop.iter) or not plain_local(ctx, out):
                continue
            if not _key_pure(ctx, loop, key_node) or not is_hashable(
                _key_type(ctx, loop, key_node)
            ):
                continue
            init = init_before(ctx, loop, out, ("[]", "list()"))
            if init is None:
                continue
            detail = f"`if {key} not in {out}: {out}.append({key})`"
            sites.append(ctx.site(loop, detail, extra=(init, key_node)))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            init, key = site.extra
            value = cst.parse_expression(f"list(dict.fromkeys({_gen_source(site.node, key)}))")
            change.replace[id(init)] = lambda _u: cst.RemoveFromParent()
            change.replace[id(site.node)] = lambda u, init=init, value=value: rebind(
                init, value
            ).with_changes(leading_lines=u.leading_lines)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        loops = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"replace the quadratic de-duplication {loops} with the order-preserving "
            "list(dict.fromkeys(...))"
        )
