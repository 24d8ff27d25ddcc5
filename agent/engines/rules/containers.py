"""Container choices: list queues ⇒ deque, hand-rolled counting ⇒ Counter, quadratic
de-duplication ⇒ `dict.fromkeys`."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.analysis import (
    T,
    _comp_env,
    bound_names,
    elem_of,
    inside_try,
    is_hashable,
    is_pure_expr,
    name_nodes,
    names_in,
    walk,
)
from agent.engines.rules.rewrite import (
    Change,
    FunctionContext,
    Rule,
    Site,
    code,
    from_imported,
    init_before,
    module_ref,
    plain_local,
    targets_private,
)


def _collections_name(ctx: FunctionContext, attr: str, change: Change) -> str:
    local = from_imported(ctx.module, "collections", attr)
    if local and local not in ctx.env.names:
        return local
    return f"{module_ref(ctx, 'collections', change)}.{attr}"


def _rebind(init: cst.SimpleStatementLine, value: cst.BaseExpression) -> cst.SimpleStatementLine:
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


def _accumulator_loop(ctx: FunctionContext, loop: cst.CSTNode) -> bool:
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
    local = _comp_env(
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


def _stmts(suite: cst.BaseSuite) -> list[cst.CSTNode]:
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
        then, other = _stmts(node.body), _stmts(node.orelse.body)
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
        then = _stmts(node.body)
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
            if not isinstance(loop, cst.For) or not _accumulator_loop(ctx, loop):
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
        counter = _collections_name(ctx, "Counter", change)
        for site in sites:
            init, _d, key = site.extra
            value = cst.parse_expression(f"dict({counter}({_gen_source(site.node, key)}))")
            change.replace[id(init)] = lambda _u: cst.RemoveFromParent()
            change.replace[id(site.node)] = lambda u, init=init, value=value: _rebind(
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
            if not isinstance(loop, cst.For) or not _accumulator_loop(ctx, loop):
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
            then = _stmts(body[0].body)
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
            change.replace[id(site.node)] = lambda u, init=init, value=value: _rebind(
                init, value
            ).with_changes(leading_lines=u.leading_lines)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        loops = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"replace the quadratic de-duplication {loops} with the order-preserving "
            "list(dict.fromkeys(...))"
        )


_QUEUE_METHODS = {"append", "extend", "pop", "insert", "count", "index", "clear"}


class DequeQueue(Rule):
    """A local list used as a FIFO queue (`q.pop(0)`, `q.insert(0, x)`) ⇒ `collections.deque`
    with `popleft()` / `appendleft()` (O(1) instead of O(n) per operation).

    Precondition: `q` is a plain local bound exactly once, to a list display or `list(...)`;
    every use is `q.append/extend/pop()/pop(0)/insert(0, ..)/count/index/clear`, `len(q)`,
    `x in q`, truth tests, `q[0]`/`q[-1]` reads, or iteration over `q` in a loop that does
    not change `q` (a deque raises if mutated while iterated, a list does not). It is never
    returned, passed on, stored, sliced or compared.
    """

    id = "deque-queue"
    title = "use collections.deque for a list used as a queue"

    def find(self, ctx: FunctionContext) -> list[Site]:
        bound = bound_names(ctx.fn)
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Assign | cst.AnnAssign):
                continue
            targets = (
                [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            )
            if len(targets) != 1 or not isinstance(targets[0], cst.Name) or node.value is None:
                continue
            q = targets[0].value
            if bound.get(q) != 1 or not plain_local(ctx, q) or q in self._params(ctx):
                continue
            value = node.value
            if not (
                isinstance(value, cst.List)
                or (
                    isinstance(value, cst.Call)
                    and code(value.func) == "list"
                    and "list" not in ctx.env.names
                    and len(value.args) <= 1
                    and all(not a.keyword and not a.star for a in value.args)
                )
            ):
                continue
            if isinstance(node, cst.AnnAssign) and not self._list_annotation(
                node.annotation.annotation
            ):
                continue
            ops = self._queue_ops(ctx, q, node)
            if ops:
                sites.append(ctx.site(node, f"`{q}`", extra=(q, ops)))
        return sites

    @staticmethod
    def _params(ctx: FunctionContext) -> set[str]:
        ps = ctx.fn.params
        return {p.name.value for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params)}

    @staticmethod
    def _list_annotation(ann: cst.BaseExpression) -> bool:
        return isinstance(ann, cst.Subscript) and code(ann.value) in ("list", "List")

    def _queue_ops(
        self, ctx: FunctionContext, q: str, binding: cst.CSTNode
    ) -> list[cst.Call] | None:
        """The `q.pop(0)` / `q.insert(0, x)` calls to rewrite, or None if a use forbids it."""
        ops: list[cst.Call] = []
        for n in name_nodes(ctx.fn, into_scopes=False):
            if n.value != q:
                continue
            parent = ctx.parents.get(id(n))
            if parent is binding or (
                isinstance(parent, cst.AssignTarget) and ctx.parents.get(id(parent)) is binding
            ):
                continue
            if isinstance(parent, cst.Attribute) and parent.value is n:
                call = ctx.parents.get(id(parent))
                meth = parent.attr.value
                if (
                    not isinstance(call, cst.Call)
                    or call.func is not parent
                    or meth not in _QUEUE_METHODS
                ):
                    return None
                args = [code(a.value) for a in call.args]
                if any(a.keyword or a.star for a in call.args):
                    return None
                if meth == "pop":
                    if args == ["0"]:
                        ops.append(call)
                    elif args:
                        return None
                elif meth == "insert":
                    if len(args) != 2 or args[0] != "0":
                        return None
                    ops.append(call)
                continue
            if isinstance(parent, cst.Arg):
                call = ctx.parents.get(id(parent))
                if (
                    isinstance(call, cst.Call)
                    and code(call.func) == "len"
                    and "len" not in ctx.env.names
                ):
                    continue
                return None
            if isinstance(parent, cst.ComparisonTarget) and isinstance(
                parent.operator, cst.In | cst.NotIn
            ):
                continue
            if isinstance(parent, cst.If | cst.While | cst.IfExp) and parent.test is n:
                continue
            if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
                continue
            if isinstance(parent, cst.BooleanOperation) and self._in_test(ctx, parent):
                continue
            if isinstance(parent, cst.Subscript) and parent.value is n:
                sl = parent.slice
                idx = (
                    code(sl[0].slice) if len(sl) == 1 and isinstance(sl[0].slice, cst.Index) else ""
                )
                grand = ctx.parents.get(id(parent))
                if idx in ("0", "-1") and not isinstance(
                    grand, cst.AssignTarget | cst.Del | cst.AugAssign
                ):
                    continue
                return None
            if isinstance(parent, cst.For) and parent.iter is n:
                if q in bound_names(parent) or any(m.value == q for m in name_nodes(parent.body)):
                    return None
                continue
            return None
        return ops or None

    def _in_test(self, ctx: FunctionContext, node: cst.CSTNode) -> bool:
        cur: cst.CSTNode | None = node
        while isinstance(cur, cst.BooleanOperation):
            child, cur = cur, ctx.parents.get(id(cur))
        return isinstance(cur, cst.If | cst.While) and cur.test is child

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        deque = _collections_name(ctx, "deque", change)
        for site in sites:
            _q, ops = site.extra

            def new_binding(u: cst.CSTNode) -> cst.CSTNode:
                value = u.value  # type: ignore[attr-defined]
                if isinstance(value, cst.Call):
                    value = value.with_changes(func=cst.parse_expression(deque))
                elif isinstance(value, cst.List) and not value.elements:
                    value = cst.parse_expression(f"{deque}()")
                else:
                    value = cst.Call(cst.parse_expression(deque), args=[cst.Arg(value)])
                if isinstance(u, cst.AnnAssign):
                    ann = u.annotation.annotation
                    assert isinstance(ann, cst.Subscript)
                    return u.with_changes(
                        value=value,
                        annotation=u.annotation.with_changes(
                            annotation=ann.with_changes(value=cst.parse_expression(deque))
                        ),
                    )
                return u.with_changes(value=value)

            change.replace[id(site.node)] = new_binding
            for call in ops:
                change.replace[id(call)] = _queue_call

        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"turn the list {names} used as a FIFO queue into a collections.deque; "
            "pop(0)/insert(0, x) become popleft()/appendleft(x), O(1) instead of O(n)"
        )


def _queue_call(u: cst.CSTNode) -> cst.CSTNode:
    call: cst.Call = u  # type: ignore[assignment]
    func: cst.Attribute = call.func  # type: ignore[assignment]
    if func.attr.value == "pop":
        return call.with_changes(func=func.with_changes(attr=cst.Name("popleft")), args=[])
    value = call.args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=func.with_changes(attr=cst.Name("appendleft")), args=[value])
