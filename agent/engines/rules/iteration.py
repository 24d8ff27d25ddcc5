"""Iterating an object that is not a builtin container runs code: a generator's body, a
class's `__iter__` or `__next__`. The caller's generator may change, between two of its
items, what a value kept across a loop's iterations was computed from (`for tick in
clock.ticks(): report(total(state))`, where each tick advances `state`). The effect analysis
assumes iterating changes nothing. A rule that keeps a value across the iterations of a
loop therefore has the iterables of that loop and of every loop and comprehension in it
noted where they are evaluated (`for tick in _note_iterated(clock.ticks(), ran)`): when one is not
exactly a builtin container, the flag `ran[0]` becomes true before its first item is asked
for, and the kept value is not used again until the flag is made anew (where the kept value
is). Each iterable is still evaluated once, where it was, and is what its loop iterates.

Not covered, so the effect analysis's assumption stands for them: iterations that are not
a loop (builtins that consume an iterable, `str.join`, unpacking an element), iterations
inside the functions the loop calls, and a loop inside the kept call itself (its arguments'
one-shot iterators are the rules' own test)."""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst

from agent.engines.rules.edits import fresh_name, module_helper
from agent.engines.rules.places import COMPREHENSIONS
from agent.engines.rules.rewrite import Change, FunctionContext
from agent.engines.rules.syntax import SCOPES, bound_names, walk

_NOTE = '''
def {name}(iterable, *ran):
    """`iterable`, after setting each flag `ran[i][0]` when iterating it may run code: it
    is not exactly a list, tuple, dict or dict view, set, str, bytes, range, defaultdict,
    Counter or deque (an OrderedDict hashes each key again as it is iterated)."""
    from collections import Counter, defaultdict, deque

    kind = type(iterable)
    views = type({{}}.keys()), type({{}}.values()), type({{}}.items())
    if not (
        kind is list or kind is tuple or kind is dict or kind is set or kind is frozenset
        or kind is str or kind is bytes or kind is range
        or kind is views[0] or kind is views[1] or kind is views[2]
        or kind is defaultdict or kind is Counter or kind is deque
    ):
        for flag in ran:
            flag[0] = True
    return iterable
'''
NOTE_BUILTINS = frozenset(
    {"type", "list", "tuple", "dict", "set", "frozenset", "str", "bytes", "range"}
)
"""The builtins the helper names (a module binding one of them gets no rewrite)."""


class Notes:
    """The flags of one change: one per statement a kept value is made anew before, and
    the iterables noted in them."""

    def __init__(self, ctx: FunctionContext, change: Change) -> None:
        self.ctx = ctx
        self.change = change
        self.flags: dict[int, str] = {}
        self.noted: dict[int, list[str]] = {}
        self.helper = ""

    def flag(
        self,
        loop: cst.CSTNode,
        before: cst.CSTNode,
        consumed: bool = False,
        skip: Collection[cst.CSTNode] = (),
        always: bool = False,
    ) -> str | None:
        """The test `ran[0]`, true once an iterable of `loop`, or of a loop or comprehension
        in it, may have run code, with the flag made anew just before the statement
        `before`; None when none needs a note. With `consumed`, what those iterables are
        made from is noted too (`sorted(keys)`, `[*keys]`: `keys` runs before the loop
        does, after what was computed before the statement). The iterables in `skip` are
        left alone (the rule itself sets the flag when iterating them may run code, so with
        `always` the flag is made even when nothing else needs a note)."""
        left = {id(n) for n in skip}
        iterables = [it for it in to_note(self.ctx, loop, consumed) if id(it) not in left]
        if not iterables and not always:
            return None
        if iterables and not self.helper:
            self.helper = module_helper(
                self.ctx.module,
                self.ctx.module_names,
                self.change.constants,
                "_note_iterated",
                lambda name: _NOTE.format(name=name),
            )
        if id(before) not in self.flags:
            ran = fresh_name("_ran_code", self.ctx.module_names)
            self.change.insert_before(before, cst.parse_statement(f"{ran} = [False]\n"))
            self.flags[id(before)] = ran
        ran = self.flags[id(before)]
        for it in iterables:
            if id(it) not in self.noted:
                flags: list[str] = []
                self.noted[id(it)] = flags
                self.change.replace[id(it)] = lambda u, flags=flags: cst.Call(
                    cst.Name(self.helper), [cst.Arg(u), *(cst.Arg(cst.Name(f)) for f in flags)]
                )
            if ran not in self.noted[id(it)]:
                self.noted[id(it)].append(ran)
        return f"{ran}[0]"


def note_call(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    """`node` calls this module's note helper, exactly as written here (an earlier rewrite's):
    its only effect is setting the flags it is given, fresh lists of its caller."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Name):
        return False
    name = node.func.value
    if ctx.scope.builtin(node.func) is not None or not name.startswith("_note_iterated"):
        return False
    if any(a.star or a.keyword for a in node.args):
        return False
    helper = cst.parse_statement(_NOTE.format(name=name)).with_changes(leading_lines=())
    wanted = cst.Module([]).code_for_node(helper)
    return (
        any(
            isinstance(s, cst.FunctionDef)
            and s.name.value == name
            and cst.Module([]).code_for_node(s.with_changes(leading_lines=())) == wanted
            for s in ctx.module.body
        )
        and bound_names(ctx.module).get(name) == 1
    )


def pure_but_notes(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    """`ctx.scope.pure(node)`, where calls of an earlier rewrite's note helper count as pure
    (a second rewrite of the same loop would otherwise never see it pure again)."""
    for n in walk(node, into_scopes=True):
        if n is not node and isinstance(n, SCOPES) and not isinstance(n, cst.Lambda):
            return False
        if ctx.scope.impure_node(n) and not note_call(ctx, n):
            return False
    return True


def to_note(
    ctx: FunctionContext, loop: cst.CSTNode, consumed: bool = False
) -> list[cst.BaseExpression]:
    """What to note so as to see whether `loop`, or a loop or comprehension in it (outside
    nested functions and lambdas), may have run code by iterating (with `consumed`, by
    making one of its iterables too)."""
    loops = [loop, *(n for n in walk(loop) if isinstance(n, (cst.For, *COMPREHENSIONS)))]
    return [noted for lp in loops for it in _iterables(lp) for noted in _to_note(ctx, it, consumed)]


def _iterables(loop: cst.CSTNode) -> list[cst.BaseExpression]:
    """What a `for` statement or each `for` clause of a comprehension iterates."""
    if isinstance(loop, cst.For):
        return [loop.iter]
    if isinstance(loop, COMPREHENSIONS):
        out: list[cst.BaseExpression] = []
        clause: cst.CompFor | None = loop.for_in
        while clause is not None:
            out.append(clause.iter)
            clause = clause.inner_for_in
        return out
    return []


_LAZY = {"enumerate": 1, "zip": 0, "reversed": 1, "iter": 1, "map": -1, "filter": -1}
"""Builtins that iterate their positional arguments as they are iterated: all of them (0),
the first (1), or all but the first (-1, the function)."""


_EAGER = frozenset({"sorted", "list", "tuple", "set", "frozenset"})
"""Builtins that iterate their first argument to its end before they return."""


def _to_note(
    ctx: FunctionContext, iterable: cst.BaseExpression, consumed: bool = False
) -> list[cst.BaseExpression]:
    """What to note so as to see whether iterating `iterable` may run code: nothing for a
    display, a literal or `range(...)`; the iterated arguments of `enumerate`, `zip` and the
    like (given plainly, by position); else `iterable` itself (a comprehension too: a
    generator expression runs code as it is iterated). With `consumed`, also what a display
    unpacks (`[*keys]`) and what `sorted`, `list` and the like are given."""
    if isinstance(iterable, cst.List | cst.Tuple | cst.Set):
        if not consumed:
            return []
        return [
            n
            for e in iterable.elements
            if isinstance(e, cst.StarredElement)
            for n in _to_note(ctx, e.value, consumed)
        ]
    if isinstance(iterable, cst.Dict | cst.BaseString | cst.Integer):
        return []
    if isinstance(iterable, cst.Call):
        name = ctx.scope.builtin(iterable.func)
        if name == "range":
            return []
        args = iterable.args
        if name in _LAZY and args and not any(a.star or a.keyword for a in args):
            which = _LAZY[name]
            chosen = args[:1] if which == 1 else args[1:] if which == -1 else args
            return [n for a in chosen for n in _to_note(ctx, a.value, consumed)]
        if consumed and name in _EAGER and args and not args[0].star and not args[0].keyword:
            return [iterable, *_to_note(ctx, args[0].value, consumed)]
    return [iterable]
