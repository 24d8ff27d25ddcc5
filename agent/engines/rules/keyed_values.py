"""Calls in an inner loop that the outer loop changes only through the inner loop's variable
(`rank_of(scores, subject)` for each subject of each student) ⇒ computed once per value of
that variable, when the values turn out to be str or int at run time."""

from __future__ import annotations

import builtins
import string
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.clock_state import sets_locale_or_zone
from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.freshness import loop_counters
from agent.engines.rules.hoist import _maybe_iterators, one_shot_tests, pure_call_facts
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.keyed import _call_names, memo_for, outermost_calls
from agent.engines.rules.places import (
    COMPREHENSIONS,
    comp_targets,
    enclosing_loops,
    shadowed,
    stmt_of,
)
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.syntax import bound_names, declared_global, dotted, walk

_HELPERS = '''

def {known}(memo, key):
    """`key` has a value in `memo`: only str and int keys are kept, as equal ones are the
    same value (1 == 1.0 == True, and `0.0 == -0.0`, are not)."""
    return (type(key) is str or type(key) is int) and key in memo


def {keep}(memo, key, value):
    """Keep `value` under `key` when the key is a str or an int; return it."""
    if type(key) is str or type(key) is int:
        memo[key] = value
    return value
'''

_FROZEN = '''
def {frozen}(value, depth=0):
    """Nothing reachable from `value` can change: a number, a string, bytes or None, a time
    span, a date, a naive time or datetime (while the code sets no locale or zone), or a
    tuple or frozenset of such values (checked by exact type, to a depth of 20)."""
    kind = type(value)
    if (
        {atoms}
    ):
        return True{naive}
    if (kind is tuple or kind is frozenset) and depth < 20:
        return all(map({frozen}, value, (depth + 1,) * len(value)))
    return False
'''

_COPIES = '''

def {keep_copy}(memo, key, value):
    """Keep `value` under `key` (a str or an int) when it is immutable, or a list or dict
    of immutable values, which a copy then stands for; return `value` itself."""
    if type(key) is not str and type(key) is not int:
        return value
    kind = type(value)
    if kind is list and all({frozen}(item) for item in value):
        memo[key] = list(value)
    elif kind is dict and all({frozen}(k) and {frozen}(v) for k, v in value.items()):
        memo[key] = dict(value)
    elif {frozen}(value):
        memo[key] = value
    return value


def {keep_frozen}(memo, key, value):
    """Keep `value` under `key` (a str or an int) only when it is immutable; return it."""
    if (type(key) is str or type(key) is int) and {frozen}(value):
        memo[key] = value
    return value


def {copy_of}(value):
    """A new list or dict for a kept list or dict (each use had its own); else `value`."""
    kind = type(value)
    return list(value) if kind is list else dict(value) if kind is dict else value
'''

_ATOM_TYPES = ("str", "int", "float", "bool", "complex", "bytes", "type(None)")


def _atoms(*more: str) -> str:
    """The test that `kind` is exactly one of the types whose values nothing can change, by
    identity (`in` of a set would hash a type, which runs a metaclass's code)."""
    return "\n        or ".join(f"kind is {atom}" for atom in (*_ATOM_TYPES, *more))


_ATOMS = _atoms("{decimal}", "{fraction}", "{date}", "{timedelta}")
_NAIVE = """
    if kind is {datetime} or kind is {time}:
        return value.tzinfo is None  # an aware one's tzinfo may be any object"""
_CLOCK = ("date", "datetime", "time", "timedelta")
"""The immutable classes of `datetime` a frozen value may be (a time or datetime: naive)."""


@dataclass(frozen=True)
class _PerKey:
    outer: cst.CSTNode
    """The statement before which the memo starts empty: the outermost loop it serves."""
    key: str
    mode: str
    """"shared": the result is immutable, so one object serves every use; "copied": a new
    result (the callee made it) is kept when it is immutable or a list or dict of immutable
    values, and each use gets a copy; "frozen": only an immutable result is kept (both
    checked at run time)."""
    loop: cst.CSTNode
    """The outer loop, whose iterables and those of the loops in it are noted
    (`iteration.py`)."""


class HoistPerKey(Rule):
    """A pure call in an inner loop or comprehension that reads, of what the enclosing outer
    loop changes, only the inner loop's variable ⇒ a memo made empty before the outer loop,
    looked up by that variable's value where the call was (`rank_of(scores, subject)` for
    every subject of every student is computed once per subject).

    Precondition: the callee is pure (repository-wide effect analysis, a pure standard-library
    function or a scanning builtin), and so is every call nested in its arguments; the
    arguments read only literals, the inner loop's variable (the plain name target of a
    `for` statement, or of a comprehension's only `for` clause, bound nowhere else in the
    outer loop) and names that the outer loop neither binds nor changes; the outer loop is
    pure apart from changes to the function's own fresh containers, none of which the
    arguments may reach (`stable.py`); the result is immutable or only read, so sharing it
    is unobservable. The call is replaced where it stands, so it runs at the same point,
    conditionally or not; the memo answers only for a key whose type is exactly str or int
    (equal keys are then the same value), and an argument that may be a one-shot iterator
    makes the call run again, as before, and so does every use after a loop in the outer
    loop iterated something that is not a builtin container (`iteration.py`). Counters of `range`/`enumerate` are hoist-per-counter's.
    """

    id = "hoist-per-key"
    title = "compute a call that depends only on an inner loop's variable once per value"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if _shadowed(ctx):
            return []
        return outermost_calls(ctx, lambda node: self._per_key(ctx, node), lambda f: f.key)

    def _per_key(self, ctx: FunctionContext, node: cst.Call) -> _PerKey | None:
        facts = pure_call_facts(ctx, node)
        names = _call_names(ctx, node)
        if facts is None or names is None or names & declared_global(ctx.fn):
            return None
        risky = set(_maybe_iterators(ctx, [a.value for a in node.args]))
        if any(code(a.value) in risky and not dotted(a.value) for a in node.args):
            return None  # its one-shot test would run the argument's call at every lookup
        mode = "frozen"  # a copy could stand for an object the callee handed back
        if facts.returns == "immutable":
            mode = "shared"
        elif not facts.passes_through and facts.returns == "fresh":
            mode = "copied"  # read-only uses could still let a new element of it out
        loops = enclosing_loops(ctx, node)
        for depth in range(len(loops) - 1, 0, -1):
            inner = loops[depth]
            key = _variable(ctx, inner)
            if key is None or key not in names:
                continue
            if not _bare_argument(node, key) or _a_record(ctx, key, inner):
                return None
            for outer in loops[:depth]:
                if _serves(ctx, names - {key}, outer, inner, key, _callees(ctx, node)):
                    if shadowed(ctx, NOTE_BUILTINS):
                        return None
                    return _PerKey(stmt_of(ctx, outer), key, mode, outer)
            return None  # the call changes with a loop deeper than the ones a memo can serve
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        names = _helpers(ctx, change, any(s.extra.mode != "shared" for s in sites))
        memos: dict[tuple[int, str], str] = {}
        notes = Notes(ctx, change)
        for site in sites:
            found: _PerKey = site.extra
            text = code(site.node)
            memo, k = memo_for(ctx, site.node, found.outer, found.key, memos, change), found.key
            risky = one_shot_tests(ctx, change, site.node)
            risky = [t for t in risky if not t.startswith(f"isinstance({k}, ")]
            ran = notes.flag(found.loop, found.outer)
            plain = [f"not {ran}"] if ran else []
            test = " and ".join(
                [f"{names['known']}({memo}, {k})", *(f"not {t}" for t in risky), *plain]
            )
            hit, keep = f"{memo}[{k}]", names["keep"]
            if found.mode == "copied":
                hit, keep = f"{names['copy_of']}({hit})", names["keep_copy"]
            elif found.mode == "frozen":
                keep = names["keep_frozen"]
            new = cst.parse_expression(f"({hit} if {test} else {keep}({memo}, {k}, {text}))")
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per value (when it is a str or an int) instead of on every "
            "iteration of the outer loop: the callee is pure and nothing else it reads changes"
        )


def _helpers(ctx: FunctionContext, change: Change, copies: bool) -> dict[str, str]:
    """Put the memo's run-time helpers in the module; their names."""
    names = {n: fresh_name(f"_memo_{n}", ctx.module_names) for n in ("known", "keep")}
    text = _HELPERS.format(**names)
    if copies:
        names["frozen"] = frozen_helper(ctx, change)
        for n in ("keep_copy", "keep_frozen", "copy_of"):
            names[n] = fresh_name(f"_memo_{n}", ctx.module_names)
        text += _COPIES.format(**names)
    for helper in cst.parse_module(text).body:
        change.constants.append(helper.with_changes(leading_lines=[cst.EmptyLine()] * 2))
    return names


def frozen_helper(ctx: FunctionContext, change: Change, decimals: bool = True) -> str:
    """Put a run-time test "nothing reachable from this value can change" in the module;
    its name. Without `decimals`, a `Decimal` fails it: its arithmetic reads the decimal
    context, which may differ from one call to the next."""
    name = fresh_name("_memo_frozen", ctx.module_names)
    fraction = fresh_name("_Fraction", ctx.module_names)
    change.imports.append(f"from fractions import Fraction as {fraction}")
    kinds = [fraction]
    if decimals:
        kinds.insert(0, fresh_name("_Decimal", ctx.module_names))
        change.imports.append(f"from decimal import Decimal as {kinds[0]}")
    dated = not sets_locale_or_zone(ctx.project)  # else `%b` of a date kept could go stale
    clock = {k: fresh_name(f"_{k}", ctx.module_names) for k in _CLOCK if dated or k == "timedelta"}
    change.imports.extend(f"from datetime import {k} as {local}" for k, local in clock.items())
    kinds += [clock[k] for k in ("date", "timedelta") if k in clock]
    naive = _NAIVE.format(**clock) if dated else ""
    text = _FROZEN.format(frozen=name, atoms=_atoms(*kinds), naive=naive)
    stmt = cst.parse_statement(text.lstrip())
    change.constants.append(stmt.with_changes(leading_lines=[cst.EmptyLine()] * 2))
    return name


def builtins_in(*texts: str) -> frozenset[str]:
    """The builtins that code `texts` (helpers to be written into a module) names."""
    found: set[str] = set()
    for text in texts:
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        module = cst.parse_module(text.format(**{f: f"_{f}_" for f in fields}))
        found.update(n.value for n in walk(module, into_scopes=True) if isinstance(n, cst.Name))
    return frozenset(found & set(dir(builtins)))


_BUILTINS = builtins_in(_HELPERS, _COPIES, _FROZEN.replace("{atoms}", _ATOMS)) | {"isinstance"}
"""The builtins the helpers and the one-shot test call."""


def _shadowed(ctx: FunctionContext) -> bool:
    return shadowed(ctx, _BUILTINS)


def _variable(ctx: FunctionContext, loop: cst.CSTNode) -> str | None:
    """The plain name a `for` statement or a one-clause comprehension binds; None for a
    `range`/`enumerate` counter (hoist-per-counter's) and for anything else."""
    if isinstance(loop, cst.For):
        target = loop.target
        if loop_counters(ctx.scope, loop):
            return None
    elif isinstance(loop, COMPREHENSIONS):
        if loop.for_in.inner_for_in is not None or loop.for_in.asynchronous is not None:
            return None
        target = loop.for_in.target
    else:
        return None
    return target.value if isinstance(target, cst.Name) else None


def _callees(ctx: FunctionContext, call: cst.Call) -> set[str]:
    """The functions the call runs by a global name (`f` and `g` of `f(g(x))`): names of
    code, not of containers a loop could change (the outer loop binds none of them, and
    pure code rebinds no global)."""
    out = set()
    for n in walk(call):
        func = n.func if isinstance(n, cst.Call) else None
        if isinstance(func, cst.Name) and func.value not in ctx.scope.locals:
            out.add(func.value)
    return out


def _bare_argument(call: cst.Call, key: str) -> bool:
    """`key` itself is an argument of the call or of a call nested in its arguments (not
    only `key.attr`: a record's field, whose record is a poor memo key)."""
    for n in walk(call):
        if isinstance(n, cst.Arg) and isinstance(n.value, cst.Name) and n.value.value == key:
            return True
    return False


def _a_record(ctx: FunctionContext, key: str, loop: cst.CSTNode) -> bool:
    """The variable is known to hold something other than str or int, or the loop reads a
    field of it (`booking.start`): the memo would never answer."""
    kind = ctx.env.infer(cst.Name(key)).kind if isinstance(loop, cst.For) else "unknown"
    if kind not in ("unknown", "str", "int"):
        return True
    for n in walk(loop):
        if isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value == key:
            holder = ctx.parents.get(id(n))
            if not (isinstance(holder, cst.Call) and holder.func is n):
                return True
    return False


def _serves(
    ctx: FunctionContext,
    steady: set[str],
    outer: cst.CSTNode,
    inner: cst.CSTNode,
    key: str,
    callees: set[str],
) -> bool:
    """A memo made empty before `outer` may answer by `key` alone: `outer` is a pure loop
    statement, binds `key` only through `inner`, and neither binds nor changes `steady`."""
    if not isinstance(outer, cst.For | cst.While):
        return False
    if not isinstance(ctx.parents.get(id(stmt_of(ctx, outer))), cst.IndentedBlock):
        return False
    if not ctx.scope.pure(outer):
        return False
    bound = bound_names(outer)
    targets = [n.target for n in walk(outer) if isinstance(n, cst.CompFor)]
    in_comps = sum(
        1 for t in targets for n in walk(t) if isinstance(n, cst.Name) and n.value == key
    )
    if isinstance(inner, cst.For):
        if bound.get(key, 0) != 1 or in_comps:
            return False
    elif key in bound or in_comps != 1:
        return False
    if steady & (set(bound) | comp_targets(outer)):
        return False
    return arguments_stable(ctx, outer, steady - callees)
