"""Hand-written arithmetic and combinatorics the standard library does in C: product and
integer-sum loops, and nested index loops over all pairs/triples."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.containers import accumulator_loop, rebind, stmts_of
from agent.engines.rules.edits import code
from agent.engines.rules.places import init_before, module_ref, plain_local
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, names_in, walk

_NUMBER_LITERALS = ("0", "1", "0.0", "1.0")


class _FoldLoop(Rule):
    """Shared shape: `acc = LITERAL` then `for x in xs: [if c:] acc OP= e`."""

    op: type[cst.BaseAugOp] = cst.MultiplyAssign
    kinds: frozenset[str] = frozenset()
    starts: tuple[str, ...] = _NUMBER_LITERALS
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for loop in walk(ctx.fn):
            if not isinstance(loop, cst.For) or not accumulator_loop(ctx, loop):
                continue
            found = self._fold(ctx, loop)
            if found is not None:
                sites.append(ctx.site(loop, f"`{found[0]}`", extra=found))
        return sites

    def _fold(
        self, ctx: FunctionContext, loop: cst.For
    ) -> tuple[str, cst.SimpleStatementLine, str, str | None, cst.BaseExpression] | None:
        body = stmts_of(loop.body)
        cond: str | None = None
        mentioned = names_in(loop.iter)
        if len(body) == 1 and isinstance(body[0], cst.If) and body[0].orelse is None:
            cond = code(body[0].test)
            mentioned |= names_in(body[0].test)
            body = stmts_of(body[0].body)
        update = _update(body[0], self.op) if len(body) == 1 else None
        if update is None:
            return None
        acc, value = update
        mentioned |= names_in(value)
        if acc in mentioned or not plain_local(ctx, acc):
            return None
        init = init_before(ctx, loop, acc, self.starts)
        if init is None or not self._typed(ctx, loop, value):
            return None
        start = code(init.body[0].value)  # type: ignore[attr-defined]
        return acc, init, start, cond, value

    def _typed(self, ctx: FunctionContext, loop: cst.For, value: cst.BaseExpression) -> bool:
        from agent.engines.rules.infer import comp_env

        gen = cst.GeneratorExp(elt=value, for_in=cst.CompFor(target=loop.target, iter=loop.iter))
        local = comp_env(gen, ctx.env.names)
        return ctx.env.infer(value, local).kind in self.kinds and ctx.scope.pure(value)

    def call(self, ctx: FunctionContext, change: Change, source: str, start: str) -> str:
        raise NotImplementedError

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            _acc, init, start, cond, update = site.extra
            loop: cst.For = site.node
            elt, target, it = code(update), code(loop.target), code(loop.iter)
            if elt == target and cond is None:
                source = it
            else:
                source = f"{elt} for {target} in {it}" + (f" if {cond}" if cond else "")
            value = cst.parse_expression(self.call(ctx, change, source, start))
            change.replace[id(init)] = lambda _u: cst.RemoveFromParent()
            change.replace[id(loop)] = lambda u, init=init, value=value: rebind(
                init, value
            ).with_changes(leading_lines=u.leading_lines)
        return change


_SPELLED_OUT: dict[type[cst.BaseAugOp], type[cst.BaseBinaryOp]] = {
    cst.MultiplyAssign: cst.Multiply,
    cst.AddAssign: cst.Add,
}


def _update(stmt: cst.CSTNode, op: type[cst.BaseAugOp]) -> tuple[str, cst.BaseExpression] | None:
    """(acc, e) of `acc OP= e`, or of `acc = acc OP e` spelled out (the same for the ints and
    floats these rules require: numbers are immutable, so `OP=` falls back to `OP`)."""
    if isinstance(stmt, cst.AugAssign):
        if isinstance(stmt.operator, op) and isinstance(stmt.target, cst.Name):
            return stmt.target.value, stmt.value
        return None
    if not isinstance(stmt, cst.Assign) or len(stmt.targets) != 1:
        return None
    target, value = stmt.targets[0].target, stmt.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.BinaryOperation):
        return None
    spelled = _SPELLED_OUT.get(op)
    if spelled is None or not isinstance(value.operator, spelled) or value.lpar:
        return None
    left = value.left
    if not isinstance(left, cst.Name) or left.value != target.value or left.lpar:
        return None
    return target.value, value.right


class ProdLoop(_FoldLoop):
    """`p = 1` then `for x in xs: [if c:] p *= e` ⇒ `p = math.prod(e for x in xs [if c])`.

    Precondition: `p` is a plain local bound to a number literal just before the loop (kept
    as `start=` when it is not 1) and not mentioned in `e`, `c` or `xs`; `e` is known to be
    an int or float and pure; the loop is only that update, has no `else`, is not inside
    `try`/`with`, and its variable is not used after it. `math.prod` multiplies left to
    right exactly like the loop.
    """

    id = "math-prod"
    title = "multiply with math.prod instead of a Python loop"
    op = cst.MultiplyAssign
    kinds = frozenset({"int", "float"})

    def call(self, ctx: FunctionContext, change: Change, source: str, start: str) -> str:
        math = module_ref(ctx, "math", change)
        gen = f"({source})" if " for " in source else source
        return f"{math}.prod({gen})" if start == "1" else f"{math}.prod({gen}, start={start})"


class IntSumLoop(_FoldLoop):
    """`t = 0` then `for x in xs: [if c:] t += e` with `e` an int ⇒ `t = sum(e for x in xs
    [if c])`.

    Precondition: as for `math-prod`, and `e` is known to be an int (float sums are left
    alone: `sum` rounds differently from the loop since Python 3.12).
    """

    id = "int-sum"
    title = "add integers with sum() instead of a Python loop"
    op = cst.AddAssign
    kinds = frozenset({"int", "bool"})
    starts = ("0", "1")

    def find(self, ctx: FunctionContext) -> list[Site]:
        shadowed = "sum" in ctx.env.names or "sum" in bound_names(ctx.module)
        return [] if shadowed else super().find(ctx)

    def call(self, ctx: FunctionContext, change: Change, source: str, start: str) -> str:
        if start == "0":
            return f"sum({source})"
        gen = f"({source})" if " for " in source else source
        return f"sum({gen}, {start})"


class CombinationsRange(Rule):
    """`for i in range(n): for j in range(i + 1, n): ...` (and the triple nest) ⇒ `for i, j
    in itertools.combinations(range(n), 2):`, which yields the same index pairs in the same
    order from C.

    Precondition: the outer loop's body is only the inner loop; neither has an `else`; `n`
    is a name the loops never rebind (or an int literal); the indices are not rebound in the
    body nor used after the loops; no `break` leaves the inner loop (it would end only the
    inner loop before).
    """

    id = "combinations-range"
    title = "enumerate index pairs with itertools.combinations"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for loop in walk(ctx.fn):
            if not isinstance(loop, cst.For) or isinstance(
                ctx.parents.get(id(ctx.parents.get(id(loop)))), cst.For
            ):
                continue
            nest = _index_nest(loop)
            if nest is None:
                continue
            names, n, innermost = nest
            if not _private(ctx, loop, set(names)):
                continue
            if len(names) < 2 or (set(names) | {n}) & set(bound_names(innermost.body)):
                continue
            if _breaks(innermost):
                continue
            sites.append(ctx.site(loop, f"`{', '.join(names)}`", extra=(names, n, innermost)))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        itertools = module_ref(ctx, "itertools", change)
        for site in sites:
            names, n, innermost = site.extra
            header = f"{', '.join(names)} in {itertools}.combinations(range({n}), {len(names)})"
            change.replace[id(site.node)] = lambda u, header=header, innermost=innermost: (
                cst.parse_statement(f"for {header}:\n    pass\n").with_changes(
                    body=innermost.body, leading_lines=u.leading_lines
                )
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"enumerate the index combinations {names} with itertools.combinations(range(n), k)"


def _private(ctx: FunctionContext, loop: cst.For, names: set[str]) -> bool:
    """None of `names` is mentioned in the function outside `loop`."""
    from agent.engines.rules.syntax import name_nodes

    inside = {id(n) for n in walk(loop, into_scopes=True)}
    return not any(n.value in names and id(n) not in inside for n in name_nodes(ctx.fn))


def _index_nest(loop: cst.For) -> tuple[list[str], str, cst.For] | None:
    """(index names, bound, innermost loop) for `for i in range(n): for j in range(i + 1, n)`."""
    first = _range_args(loop)
    if first is None or len(first) != 1 or not isinstance(loop.target, cst.Name):
        return None
    n = first[0]
    if not isinstance(n, cst.Name | cst.Integer):
        return None
    names = [loop.target.value]
    cur = loop
    while True:
        body = stmts_of(cur.body)
        if len(body) != 1 or not isinstance(body[0], cst.For) or cur.orelse is not None:
            break
        inner = body[0]
        args = _range_args(inner)
        if (
            args is None
            or len(args) != 2
            or code(args[0]).replace(" ", "") != f"{names[-1]}+1"
            or code(args[1]) != code(n)
            or not isinstance(inner.target, cst.Name)
            or inner.orelse is not None
        ):
            break
        names.append(inner.target.value)
        cur = inner
    return (names, code(n), cur) if cur.orelse is None else None


def _range_args(loop: cst.For) -> list[cst.BaseExpression] | None:
    it = loop.iter
    if loop.asynchronous is not None or not (isinstance(it, cst.Call) and code(it.func) == "range"):
        return None
    if any(a.keyword or a.star for a in it.args):
        return None
    return [a.value for a in it.args]


def _breaks(loop: cst.For) -> bool:
    """A `break` that belongs to `loop` (not to a loop nested in it)."""

    def visit(node: cst.CSTNode) -> bool:
        for child in node.children:
            if isinstance(child, cst.Break):
                return True
            if isinstance(child, cst.For | cst.While | cst.FunctionDef | cst.ClassDef | cst.Lambda):
                continue
            if visit(child):
                return True
        return False

    return visit(loop.body)
