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
from agent.engines.rules.syntax import names_in, nested_scope_names, walk

_BUILTINS = frozenset(
    {"sum", "len", "list", "sorted", "type", "int", "float", "bool", "str", "all", "tuple"}
    | {"dict", "set", "frozenset", "range", "KeyError", "IndexError", "TypeError"}
    | {"StopIteration", "RuntimeError"}
)

_KEYS = '''

def {name}(items, index):
    """(each item's key in order, the keys sorted or None, whether they are numbers, the
    item whose key could not be read or None, the items, the index). The keys are read
    ahead only where that runs no code of the program: `items` exactly a list, tuple, set,
    frozenset, range or dict view, and each item exactly a dict, list or tuple when a key is
    read from it; otherwise the keys are None, and the count scans the items as written.
    Sorted only when every key is an int, bool or float (not NaN), or every key a str."""
    views = type({{}}.keys()), type({{}}.values())
    kind = type(items)
    if not (kind in (list, tuple, set, frozenset, range) or kind in views):
        return None, None, False, None, items, index
    keys, failed = [], None
    for item in items:
        if index is None:
            keys.append(item)
            continue
        if type(item) not in (dict, list, tuple):
            return None, None, False, None, items, index
        try:
            keys.append(item[index])
        except (KeyError, IndexError, TypeError):
            failed = (item,)
            break
    numbers = all(type(k) in (int, float, bool) and k == k for k in keys)
    if failed is None and (numbers or all(type(k) is str for k in keys)):
        return keys, sorted(keys), numbers, None, items, index
    return keys, None, numbers, failed, items, index
'''

_COUNT = '''

def {name}(found, op, value, value_first, in_generator):
    """How many keys compare with the value as `key <op> value` (or `value <op> key` when
    `value_first`): with bisect on the sorted keys when the value is of their kind, else one
    comparison per key in order, raising where the scan raised (a `StopIteration` raised in
    a generator expression's scan becomes the `RuntimeError` the generator raised)."""
    try:
        return {scan}(found, op, value, value_first)
    except StopIteration as exc:
        if in_generator:
            raise RuntimeError("generator raised StopIteration") from exc
        raise
'''

_SCAN = """

def {name}(found, op, value, value_first):
    keys, ordered, numbers, failed, items, index = found
    if keys is None:
        count = 0
        for item in items:
            key = item if index is None else item[index]
            if {hit}(key, op, value, value_first):
                count += 1
        return count
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
        if {hit}(key, op, value, value_first):
            count += 1
    if failed is not None:
        failed[0][index]  # raises again what reading the key raised, a fresh exception
    return count
"""

_HIT = """

def {name}(key, op, value, value_first):
    left, right = key, value
    if value_first:
        left, right = value, key
    if op == ">":
        return left > right
    if op == ">=":
        return left >= right
    if op == "<":
        return left < right
    return left <= right
"""


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

    def find(self, ctx: FunctionContext) -> list[Site]:
        if shadowed(ctx, _BUILTINS):
            return []
        unsafe = {n for d in walk(ctx.fn) if isinstance(d, cst.Del) for n in names_in(d)}
        unsafe |= {  # `except E as value` unbinds value after the handler
            h.name.name.value
            for h in walk(ctx.fn)
            if isinstance(h, cst.ExceptHandler) and h.name and isinstance(h.name.name, cst.Name)
        }
        unsafe |= nested_scope_names(ctx.fn)  # a closure may rebind it between comparisons
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call | cst.For):
                continue
            loops = enclosing_loops(ctx, node)
            if not loops:
                continue
            bound = _targets(ctx, node, loops) - unsafe
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
        hit = module_helper(
            ctx.module, ctx.module_names, change.constants, "_count_hit",
            lambda n: _HIT.format(name=n).lstrip(),
        )  # fmt: skip
        scan = module_helper(
            ctx.module, ctx.module_names, change.constants, "_count_scan",
            lambda n: _SCAN.format(name=n, hit=hit, bisect=bisect).lstrip(),
        )  # fmt: skip
        count = module_helper(
            ctx.module, ctx.module_names, change.constants, "_count_compared",
            lambda n: _COUNT.format(name=n, scan=scan).lstrip(),
        )  # fmt: skip
        for site in sites:
            items, index, op, value, value_first = site.extra[:5]
            in_generator = isinstance(site.node, cst.Call) and code(site.node.func) == "sum"
            text = (
                f"{count}({keys}({code(items)}, {index}), {op!r}, {code(value)}, {value_first}, "
                f"{in_generator})"
            )
            if isinstance(site.node, cst.For):
                stmt = cst.parse_statement(f"{site.extra[5]} += {text}\n")
                change.replace[id(site.node)] = lambda u, s=stmt: s.with_changes(
                    leading_lines=u.leading_lines
                )
                continue
            new = cst.parse_expression(text)
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change


def _targets(ctx: FunctionContext, node: cst.CSTNode, loops: Sequence[cst.CSTNode]) -> set[str]:
    """The names the loops around `node` have bound whenever it runs: a `for` statement's
    target where `node` is in its body (not its `else`), a comprehension's targets of the
    clauses before the part holding `node`."""
    above: set[int] = set()
    cur: cst.CSTNode | None = node
    while cur is not None and cur is not ctx.fn:
        above.add(id(cur))
        cur = ctx.parents.get(id(cur))
    out: set[str] = set()
    for loop in loops:
        if isinstance(loop, cst.For):
            if id(loop.body) in above:
                out |= names_in(loop.target)
            continue
        clauses = []
        clause = getattr(loop, "for_in", None)
        while clause is not None:
            clauses.append(clause)
            clause = clause.inner_for_in
        parts = [getattr(loop, a, None) for a in ("elt", "key", "value")]
        bound = len(clauses) if any(p is not None and id(p) in above for p in parts) else 0
        for k, clause in enumerate(clauses):
            if any(id(test) in above for test in clause.ifs):
                bound = max(bound, k + 1)
            if k and id(clause.iter) in above:
                bound = max(bound, k)
        for clause in clauses[:bound]:
            out |= names_in(clause.target)
    return out
