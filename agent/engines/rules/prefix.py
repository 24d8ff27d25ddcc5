"""Aggregates of a growing prefix: `max(xs[:i + 1])` inside `for i in range(len(xs))` rescans
the prefix on every iteration; a running value updated with `xs[i]` gives the same answer."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.rows import _bound_is_length, _row_stores, _uses_keep_rows
from agent.engines.rules.syntax import bound_names, walk
from agent.engines.rules.typeinfo import elem_of

_KINDS = {"max": ("int", "float", "str"), "min": ("int", "float", "str"), "sum": ("int",)}


class PrefixAggregate(Rule):
    """`for i in range(len(xs)): ... max(xs[:i + 1]) ...` (also `min`, and `sum` of ints) ⇒
    a running value updated with `xs[i]` at the top of the loop body, O(1) per iteration.

    Precondition: `xs` is a name of a known list or tuple of ints, floats or strings (one
    kind: comparable, immutable; `sum` only for ints, whose sums do not round) that the
    function never rebinds, stores into or hands to other code; the loop is `for i in
    range(len(xs))` (or `range(n)` with `n` bound once to `len(xs)`) and does not rebind `i`;
    `max` folds left to right keeping the first of equal maxima, exactly as the running
    update (`if best is _NOTHING or xs[i] > best: best = xs[i]`) does.
    """

    id = "prefix-aggregate"
    title = "keep a running max/min/sum instead of rescanning a growing prefix"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            found = self._aggregate(ctx, node)
            if found is not None:
                kind, seq, index, loop = found
                sites.append(ctx.site(node, f"`{code(node)}`", extra=(kind, seq, index, loop)))
        return sites

    def _aggregate(
        self, ctx: FunctionContext, node: cst.CSTNode
    ) -> tuple[str, str, str, cst.For] | None:
        if not (isinstance(node, cst.Call) and len(node.args) == 1 and not node.args[0].keyword):
            return None
        kind = ctx.scope.builtin(node.func)
        arg = node.args[0].value
        if kind not in _KINDS or node.args[0].star or not isinstance(arg, cst.Subscript):
            return None
        if not isinstance(arg.value, cst.Name) or len(arg.slice) != 1:
            return None
        part = arg.slice[0].slice
        if not isinstance(part, cst.Slice) or part.step is not None or part.upper is None:
            return None
        if part.lower is not None and code(part.lower) != "0":
            return None
        seq = arg.value.value
        upper = code(part.upper).replace(" ", "")
        if not upper.endswith("+1"):
            return None
        index = upper[:-2]
        if not self.types_ok(ctx, seq, kind):
            return None
        loop = self._loop(ctx, node, seq, index)
        return (kind, seq, index, loop) if loop is not None else None

    def types_ok(self, ctx: FunctionContext, seq: str, kind: str) -> bool:
        elem = elem_of(ctx.env.get(seq))
        return ctx.env.get(seq).kind in ("list", "tuple") and elem.kind in _KINDS[kind]

    def _loop(
        self, ctx: FunctionContext, node: cst.CSTNode, seq: str, index: str
    ) -> cst.For | None:
        cur = ctx.parents.get(id(node))
        while cur is not None and cur is not ctx.fn:
            if isinstance(cur, cst.FunctionDef | cst.Lambda | cst.ClassDef | cst.BaseComp):
                return None
            if isinstance(cur, cst.For) and code(cur.target) == index:
                break
            cur = ctx.parents.get(id(cur))
        if not isinstance(cur, cst.For) or not isinstance(cur.body, cst.IndentedBlock):
            return None
        it = cur.iter
        if not (isinstance(it, cst.Call) and code(it.func) == "range" and len(it.args) == 1):
            return None
        bound = code(it.args[0].value)
        if bound != f"len({seq})" and not _bound_is_length(ctx, seq, bound):
            return None
        if index in bound_names(cur.body) or bound_names(ctx.fn).get(seq, 0) > 1:
            return None
        if _row_stores(ctx.fn, seq) or not _uses_keep_rows(ctx, seq):
            return None
        return cur

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        nothing = ""
        made: dict[tuple[int, str, str], str] = {}
        inits: dict[int, tuple[cst.CSTNode, list[cst.BaseStatement]]] = {}
        updates: dict[int, list[cst.BaseStatement]] = {}
        for site in sites:
            kind, seq, index, loop = site.extra
            key = (id(loop), kind, seq)
            if key not in made:
                var = made[key] = fresh_name(f"{seq}_{kind}", ctx.module_names)
                item = f"{seq}[{index}]"
                if kind == "sum":
                    start, update = "0", f"{var} += {item}\n"
                else:
                    nothing = nothing or fresh_name("_NOTHING", ctx.module_names)
                    op = ">" if kind == "max" else "<"
                    start = nothing
                    update = f"if {var} is {nothing} or {item} {op} {var}:\n    {var} = {item}\n"
                inits.setdefault(id(loop), (loop, []))[1].append(
                    cst.parse_statement(f"{var} = {start}\n")
                )
                updates.setdefault(id(loop), []).append(cst.parse_statement(update))
            change.replace[id(site.node)] = lambda _u, var=made[key]: cst.Name(var)
        if nothing:
            change.constants.append(cst.parse_statement(f"{nothing} = object()\n"))
        for loop_id, (loop, new) in inits.items():
            first = loop.body.body[0]  # type: ignore[attr-defined]
            change.insert_before(first, *updates[loop_id])
            change.insert_before(loop, *new)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"keep {calls} as a running value updated once per iteration instead of rescanning the prefix"
