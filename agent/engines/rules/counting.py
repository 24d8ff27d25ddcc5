"""`xs.count(x)` for every element of a loop rescans `xs` each time; a `Counter` built once
answers each count in O(1)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.places import collections_name, enclosing_loops, stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stdlib import MUTATING_METHODS
from agent.engines.rules.syntax import bound_names, dotted, names_in, walk
from agent.engines.rules.typeinfo import elem_of, exact_key


class CountInLoop(Rule):
    """`for p in ps: ... xs.count(p) ...` ⇒ `xs_counts = collections.Counter(xs)` before the
    loop and `xs_counts[p]` inside.

    Precondition: `xs` is a name (or attribute of one) of a known list or tuple type whose
    elements are str, int, bool or bytes (or tuples of those), and the probe has such a type
    too, so counting equal elements and counting equal keys agree and building the Counter
    cannot fail; the loop never rebinds the names in `xs`, changes it (no mutating method, no
    store into it) or runs impure code.
    """

    id = "count-in-loop"
    title = "count with one Counter instead of list.count in a loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value == "count"
                and len(node.args) == 1
                and not node.args[0].keyword
                and not node.args[0].star
            ):
                continue
            seq = node.func.value
            seq_t = ctx.env.infer(seq)
            if seq_t.kind not in ("list", "tuple") or not exact_key(elem_of(seq_t)):
                continue
            from agent.engines.rules.membership import _local_types

            probe_t = ctx.env.infer(node.args[0].value, _local_types(ctx, node))  # type: ignore[arg-type]
            if not exact_key(probe_t) or not dotted(seq):
                continue
            stmt = self._before(ctx, node, seq)
            if stmt is not None:
                sites.append(ctx.site(node, f"`{code(seq)}`", extra=stmt))
        return sites

    def _before(
        self, ctx: FunctionContext, node: cst.Call, seq: cst.BaseExpression
    ) -> cst.CSTNode | None:
        names = names_in(seq)
        for loop in enclosing_loops(ctx, node):
            bound = set(bound_names(loop))
            if isinstance(loop, cst.For):
                bound |= names_in(loop.target)
            if isinstance(loop, cst.BaseComp):
                bound |= {
                    n for c in walk(loop) if isinstance(c, cst.CompFor) for n in names_in(c.target)
                }
            if names & bound or not ctx.scope.pure(loop) or _changed(loop, code(seq)):
                continue
            stmt = stmt_of(ctx, loop)
            if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock):
                return stmt
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        counter = collections_name(ctx, "Counter", change)
        made: dict[tuple[int, str], str] = {}
        for site in sites:
            seq = code(site.node.func.value)
            key = (id(site.extra), seq)
            if key not in made:
                made[key] = fresh_name(f"{seq.rsplit('.', 1)[-1]}_counts", ctx.module_names)
                line = cst.parse_statement(f"{made[key]} = {counter}({seq})\n")
                change.insert_before(site.extra, line)
            probe = site.node.args[0].value
            counts = made[key]
            change.replace[id(site.node)] = lambda _u, counts=counts, probe=probe: cst.Subscript(
                cst.Name(counts), [cst.SubscriptElement(cst.Index(probe))]
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"count the elements of {names} once with collections.Counter instead of list.count per element"


def _changed(loop: cst.CSTNode, seq: str) -> bool:
    for n in walk(loop):
        if (
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value in MUTATING_METHODS
            and code(n.func.value) == seq
        ):
            return True
        targets: list[cst.BaseExpression] = []
        if isinstance(n, cst.Assign):
            targets = [t.target for t in n.targets]
        elif isinstance(n, cst.AugAssign | cst.Del):
            targets = [n.target]
        if any(isinstance(t, cst.Subscript) and code(t.value) == seq for t in targets):
            return True
        if any(code(t) == seq for t in targets):
            return True
    return False
