"""Membership tests: lists scanned in loops become frozensets; `x in d.keys()` becomes `x in d`;
`x == "a" or x == "b"` chains become one set lookup."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.infer import comp_env
from agent.engines.rules.places import (
    comp_targets,
    enclosing_loops,
    invariant_in,
    statement_in_block,
)
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import walk
from agent.engines.rules.typeinfo import elem_of, is_hashable


def _local_types(ctx: FunctionContext, node: cst.CSTNode) -> dict[str, object]:
    """Types of comprehension variables visible at `node` (for probes like `x` in `[.. if x in a]`)."""

    out: dict[str, object] = {}
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp):
            out = {**comp_env(cur, ctx.env.names), **out}
        cur = ctx.parents.get(id(cur))
    return out


class MembershipSet(Rule):
    """`probe in seq` inside a loop, `seq` a loop-invariant list/tuple of hashables ⇒ a
    frozenset built once before the loop.

    Precondition: `seq` is a local or parameter whose type (annotation or literal) is a list or
    tuple of hashable elements; the probe is hashable; `seq` is neither rebound nor used in
    the loop in any way that could mutate it (only read-only uses); the comparison is a
    single `in`/`not in`. Aliases of the list mutated elsewhere during the loop are not
    tracked (a documented limit; the candidate's tests and output check still gate it).
    """

    id = "membership-set"
    title = "use a frozenset for membership tests in a loop"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
                continue
            target = node.comparisons[0]
            if not isinstance(target.operator, cst.In | cst.NotIn):
                continue
            seq = target.comparator
            if not isinstance(seq, cst.Name):
                continue
            seq_t = ctx.env.get(seq.value)
            if seq_t.kind not in ("list", "tuple") or not is_hashable(elem_of(seq_t)):
                continue
            if seq_t.kind == "tuple" and seq_t.items is not None and len(seq_t.items) < 8:
                continue  # small fixed tuples are as fast as a set
            local = _local_types(ctx, node)
            probe_t = ctx.env.infer(node.left, local)  # type: ignore[arg-type]
            if not is_hashable(probe_t):
                continue
            loops = enclosing_loops(ctx, node)
            loop = next((lp for lp in loops if invariant_in(lp, {seq.value})), None)
            if loop is None or seq.value in comp_targets(ctx.fn):
                continue
            stmt = statement_in_block(ctx, loop)
            if stmt is None:
                continue
            what = f"the list `{seq.value}`" if seq_t.kind == "list" else f"`{seq.value}`"
            sites.append(ctx.site(seq, what, extra=stmt))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        made: dict[tuple[int, str], str] = {}
        for site in sites:
            seq = site.node.value
            key = (id(site.extra), seq)
            if key not in made:
                made[key] = fresh_name(f"{seq}_set", ctx.module_names)
                new = cst.parse_statement(f"{made[key]} = frozenset({seq})\n")
                change.insert_before(site.extra, new)
            name = made[key]
            change.replace[id(site.node)] = lambda _u, name=name: cst.Name(name)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"hoist {names} out of the loop as a frozenset so each membership test is O(1)"


class DictKeysMembership(Rule):
    """`k in d.keys()` / `for k in d.keys()` with `d` a dict ⇒ `k in d` / `for k in d`.

    Precondition: `d`'s type is known to be `dict` (annotation, literal or comprehension).
    """

    id = "dict-keys-membership"
    title = "test membership on the dict itself, not on `.keys()`"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not (
                isinstance(node, cst.Call)
                and not node.args
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value == "keys"
                and ctx.env.infer(node.func.value).kind == "dict"
            ):
                continue
            parent = ctx.parents.get(id(node))
            used_in = (
                isinstance(parent, cst.ComparisonTarget)
                and isinstance(parent.operator, cst.In | cst.NotIn)
            ) or (isinstance(parent, cst.For | cst.CompFor) and parent.iter is node)
            if used_in:
                sites.append(ctx.site(node, f"`{code(node)}`"))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            change.replace[id(site.node)] = lambda u: u.func.value
        return change


class EqChainSet(Rule):
    """`x == "a" or x == "b" or ...` (≥ 3 string/int literals, `x` a str or int) ⇒
    `x in {"a", "b", ...}` (a constant frozenset lookup).

    Precondition: the same `x` (a name of known type str or int) compared with `==` to
    literals of that same type in every operand.
    """

    id = "eq-chain-set"
    title = "replace a chain of == comparisons with one set lookup"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.BooleanOperation) or not isinstance(node.operator, cst.Or):
                continue
            if isinstance(ctx.parents.get(id(node)), cst.BooleanOperation):
                continue  # handled at the top of the chain
            operands = _flatten_or(node)
            if operands is None or len(operands) < 3:
                continue
            names = {name for name, _ in operands}
            kinds = {type(lit) for _, lit in operands}
            if len(names) != 1 or len(kinds) != 1:
                continue
            name = names.pop()
            kind = ctx.env.get(name).kind
            lit_kind = "str" if kinds.pop() is cst.SimpleString else "int"
            if kind != lit_kind:
                continue
            sites.append(
                ctx.site(node, f"`{name}`", extra=(name, [code(lit) for _, lit in operands]))
            )
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            name, lits = site.extra
            expr = cst.parse_expression(f"{name} in {{{', '.join(dict.fromkeys(lits))}}}")
            change.replace[id(site.node)] = lambda u, expr=expr: expr.with_changes(
                lpar=u.lpar, rpar=u.rpar
            )
        return change


def _flatten_or(node: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        head, tail = _flatten_or(node.left), _flatten_or(node.right)
        return None if head is None or tail is None else head + tail
    if (
        isinstance(node, cst.Comparison)
        and len(node.comparisons) == 1
        and isinstance(node.comparisons[0].operator, cst.Equal)
    ):
        left: cst.BaseExpression = node.left
        right: cst.BaseExpression = node.comparisons[0].comparator
        if isinstance(right, cst.Name) and isinstance(left, cst.SimpleString | cst.Integer):
            left, right = right, left
        is_str = isinstance(right, cst.SimpleString) and "b" not in right.prefix.lower()
        if isinstance(left, cst.Name) and (is_str or isinstance(right, cst.Integer)):
            return [(left.value, right)]
    return None
