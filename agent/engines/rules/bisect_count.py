"""How many items of a collection rank above a value (`1 + sum(1 for o in rows if o["score"] >
value)`, the competition rank), counted again for every value: the count is read from the
items' keys sorted once, with `bisect`, once `hoist-pure-call` keeps that sorted copy across
the loop (this rule only enables it)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.count_shapes import count_of, counting_loop
from agent.engines.rules.edits import code, module_helper
from agent.engines.rules.places import enclosing_loops, module_ref, shadowed
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import names_in, walk

_BUILTINS = frozenset(
    {"sum", "len", "list", "sorted", "type", "int", "float", "bool", "str", "Exception"}
)

_KEYS = '''

def {name}(items, index):
    """(each item's key in order, the keys sorted or None, the exception reading a key
    raised or None): sorted only when every key is an int, bool or float (not NaN), or every
    key a str, where sorting orders them as `<` does one by one."""
    keys, error = [], None
    try:
        for item in items:
            keys.append(item if index is None else item[index])
    except Exception as exc:
        error = exc
    numbers = all(type(k) in (int, float, bool) and k == k for k in keys)
    if error is None and (numbers or all(type(k) is str for k in keys)):
        return keys, sorted(keys), numbers, None
    return keys, None, numbers, error
'''

_COUNT = '''

def {name}(found, op, value, value_first):
    """How many keys compare with the value as `key <op> value` (or `value <op> key` when
    `value_first`): counted with bisect on the sorted keys when the value is of their kind,
    else one comparison per key in order, raising where the scan over the items raised."""
    keys, ordered, numbers, error = found
    if not keys:
        if error is not None:
            raise error
        return 0
    if numbers:
        plain = type(value) in (int, float, bool) and value == value
    else:
        plain = type(value) is str
    if ordered is not None and plain:
        if value_first:
            op = {{">": "<", ">=": "<=", "<": ">", "<=": ">="}}[op]
        if op == ">":
            return len(ordered) - {bisect}.bisect_right(ordered, value)
        if op == ">=":
            return len(ordered) - {bisect}.bisect_left(ordered, value)
        if op == "<":
            return {bisect}.bisect_left(ordered, value)
        return {bisect}.bisect_right(ordered, value)
    count = 0
    for key in keys:
        left, right = key, value
        if value_first:
            left, right = value, key
        if op == ">":
            hit = left > right
        elif op == ">=":
            hit = left >= right
        elif op == "<":
            hit = left < right
        else:
            hit = left <= right
        if hit:
            count += 1
    if error is not None:
        raise error
    return count
'''


class CountByBisect(Rule):
    """`sum(1 for o in items if o[k] > value)` (or `len([o for o in items if ...])`, with
    `>`, `>=`, `<`, `<=`, either way round, `o` or `o[constant]` the item's key) inside a loop
    ⇒ `_count_compared(_ordered_keys(items, k), ">", value, False)`: the keys are
    read in one scan and sorted (`_ordered_keys`), and the count comes from bisect. Alone it
    gains nothing (it sorts where it scanned); it enables `hoist-pure-call`, which keeps the
    sorted keys across the loop when `items` does not change there, so each count is a
    bisect instead of a scan.

    The loop that counts (`for o in items: if o[k] > value: n += 1`) is served the same way
    (`n += _count_compared(...)`), when `n` is an int: a local bound only to int literals and
    moved only by `+= 1`, so adding the count at once is adding one at a time.

    Precondition: the generator, comprehension or loop has one `for` over a name, or a dict's
    `.values()`, with a name target, one `if` that is a single comparison of the key with
    `value`, and yields `1` (or, for `len`, the item or a constant); `value` is a literal or a
    name a loop around the count binds as its target, never deleted (read once, before the
    scan: reading it can neither fail nor run code); the count sits in a loop; `sum`, `len`
    and the builtins the helpers call are not shadowed. A counting loop has no `else`, sits
    in no `try` or `with` (the count raises where the scan raised, but `n` has not moved
    part of the way), and its target is read nowhere else. At run time bisect answers only
    when every key is an int, bool or float (not NaN), or every key a str, and the value is
    of their kind; otherwise each key is compared with the value in order, as the scan did,
    and an exception reading a key is raised after the comparisons before it.
    """

    id = "count-by-bisect"
    title = "count the keys above a value by bisecting them sorted, instead of scanning"
    adds_helpers = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if shadowed(ctx, _BUILTINS):
            return []
        deleted = {n for d in walk(ctx.fn) if isinstance(d, cst.Del) for n in names_in(d)}
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call | cst.For):
                continue
            loops = enclosing_loops(ctx, node)
            if not loops:
                continue
            bound = _targets(loops) - deleted
            if isinstance(node, cst.Call):
                found = count_of(node, bound)
            else:
                found = counting_loop(ctx, node, bound)
            if found is not None:
                where = code(node) if isinstance(node, cst.Call) else f"for {code(node.target)}"
                sites.append(ctx.site(node, f"`{where}`", extra=found))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        keys = module_helper(
            ctx.module, ctx.module_names, change.constants, "_ordered_keys",
            lambda n: _KEYS.format(name=n).lstrip(),
        )  # fmt: skip
        count = module_helper(
            ctx.module, ctx.module_names, change.constants, "_count_compared",
            lambda n: _COUNT.format(name=n, bisect=bisect).lstrip(),
        )  # fmt: skip
        for site in sites:
            items, index, op, value, value_first = site.extra[:5]
            text = f"{count}({keys}({code(items)}, {index}), {op!r}, {code(value)}, {value_first})"
            if isinstance(site.node, cst.For):
                stmt = cst.parse_statement(f"{site.extra[5]} += {text}\n")
                change.replace[id(site.node)] = lambda u, s=stmt: s.with_changes(
                    leading_lines=u.leading_lines
                )
                continue
            new = cst.parse_expression(text)
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change


def _targets(loops: Sequence[cst.CSTNode]) -> set[str]:
    """The names the loops around a node bind as their targets."""
    out: set[str] = set()
    for loop in loops:
        fors = [loop.for_in] if hasattr(loop, "for_in") else [loop]
        while fors:
            cur = fors.pop()
            if isinstance(cur, cst.For | cst.CompFor):
                out |= names_in(cur.target)
            if isinstance(cur, cst.CompFor) and cur.inner_for_in is not None:
                fors.append(cur.inner_for_in)
    return out
