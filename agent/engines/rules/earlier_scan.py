"""The callee side of `earlier-by-key`: a function given a sequence and a position that loops
over the items before that position, keeping those whose key equals one it worked out first
(`for i in range(index): other = entries[i]; if other.kind == "work" and week(other) ==
target: ...`), and the two pieces the rewrite adds beside it: a generator of the earlier
positions of one key, which learns each item's key once and keeps it between calls, and a copy
of the function looping over that generator's positions instead of all of them."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.syntax import bound_names, names_in, walk

BUILTINS = ("type", "list", "tuple", "str", "int", "range", "min", "len", "all")
"""The builtins the added generator and key check call."""


@dataclass(frozen=True)
class EarlierScan:
    fn: cst.FunctionDef
    loop: cst.For
    seq: str
    """The parameter holding the sequence."""
    index: str
    """The parameter holding the position: the loop visits the items before it."""
    sliced: bool
    """`for x in seq[:index]` (else `for i in range(index)`)."""
    pre: tuple[cst.BaseStatement, ...]
    """The loop body's statements before its one `if`: plain bindings from the item."""
    test: cst.If
    before: tuple[cst.BaseExpression, ...]
    """The `and` terms of the test before the key's comparison (read only the item)."""
    key: cst.BaseExpression
    """The item's key, compared with `==` to `target`."""
    target: str
    """The name the key is compared with: bound before the loop, never in it."""


def find_earlier_scan(fn: cst.FunctionDef, seq: str, index: str) -> EarlierScan | None:
    """The scan of `fn`, whose parameters `seq` and `index` are the sequence and the
    position, when its shape qualifies (the function's purity is the caller's to check)."""
    if any(isinstance(n, cst.Yield | cst.Await | cst.Global | cst.Nonlocal) for n in walk(fn)):
        return None
    if not isinstance(fn.body, cst.IndentedBlock) or {seq, index} & set(bound_names(fn)):
        return None
    body = list(fn.body.body)
    loops = [n for n in walk(fn) if isinstance(n, cst.For) and _bounded(n, seq, index)]
    if len(loops) != 1 or loops[0] not in body:
        return None
    loop = loops[0]
    if loop.asynchronous is not None or not isinstance(loop.body, cst.IndentedBlock):
        return None
    *pre, test = loop.body.body
    if not isinstance(test, cst.If) or test.orelse is not None:
        return None
    if not all(_plain_binding(s) for s in pre):
        return None
    item = names_in(loop.target) | {n for s in pre for n in bound_names(s)}
    if len(item) != len(names_in(loop.target)) + sum(len(bound_names(s)) for s in pre):
        return None  # a name bound twice in the loop's head
    local = (set(bound_names(fn)) | {p.name.value for p in fn.params.params}) - item - {seq}
    reads = set().union(*(names_in(s) for s in pre)) if pre else set()
    if reads & local or _breaks(loop):
        return None
    found = _key_term(test.test, item | {seq}, local)
    if found is None:
        return None
    before, key, target = found
    if target in bound_names(loop) or target in item or target in (seq, index):
        return None
    after = body[body.index(loop) + 1 :]
    if loop.orelse is not None:
        after.append(loop.orelse)  # type: ignore[arg-type]
    if any(names_in(s) & item for s in after):
        return None  # the item's names after the loop hold the last item it visited
    return EarlierScan(fn, loop, seq, index, _sliced(loop), tuple(pre), test, before, key, target)


def _bounded(loop: cst.For, seq: str, index: str) -> bool:
    """`for i in range(index)` with a name `i`, or `for x in seq[:index]`."""
    it = loop.iter
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Name) and it.func.value == "range":
        return (
            len(it.args) == 1
            and not it.args[0].star
            and it.args[0].keyword is None
            and isinstance(it.args[0].value, cst.Name)
            and it.args[0].value.value == index
            and isinstance(loop.target, cst.Name)
        )
    return _sliced(loop) and code(loop.iter).replace(" ", "") == f"{seq}[:{index}]"


def _sliced(loop: cst.For) -> bool:
    return isinstance(loop.iter, cst.Subscript)


def _plain_binding(stmt: cst.BaseStatement) -> bool:
    """`name = <expression>` or `a, b = <expression>`, alone on its line."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    line = stmt.body[0]
    if not isinstance(line, cst.Assign) or len(line.targets) != 1:
        return False
    target = line.targets[0].target
    parts = [e.value for e in target.elements] if isinstance(target, cst.Tuple) else [target]
    return all(isinstance(p, cst.Name) for p in parts) and not any(
        isinstance(n, cst.NamedExpr | cst.Lambda) for n in walk(line.value)
    )


def _breaks(loop: cst.For) -> bool:
    """A `break` of this loop (not of a loop inside it)."""
    todo: list[cst.CSTNode] = [loop.body]
    while todo:
        node = todo.pop()
        if isinstance(node, cst.Break):
            return True
        if isinstance(node, cst.For | cst.While | cst.FunctionDef | cst.ClassDef | cst.Lambda):
            continue
        todo.extend(node.children)
    return False


def _key_term(
    test: cst.BaseExpression, item: set[str], local: set[str]
) -> tuple[tuple[cst.BaseExpression, ...], cst.BaseExpression, str] | None:
    """The terms before the first `<key> == <name>` of an `and` chain, the key, and the name,
    when the key and the terms before it read only the item (and names of no local)."""
    terms = _and_terms(test)
    for at, term in enumerate(terms):
        if any(isinstance(n, cst.NamedExpr) for n in walk(term)):
            return None
        for key, other in _equality(term):
            if not isinstance(other, cst.Name) or other.value in item:
                continue
            if names_in(key) & item and not names_in(key) & local:
                return tuple(terms[:at]), key, other.value
        if names_in(term) & local:
            return None  # the terms before the key's may read only the item
    return None


def _and_terms(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return [*_and_terms(test.left), *_and_terms(test.right)]
    return [test]


def _equality(term: cst.BaseExpression) -> list[tuple[cst.BaseExpression, cst.BaseExpression]]:
    """`a == b` as (a, b) and (b, a); nothing for any other term."""
    if not isinstance(term, cst.Comparison) or len(term.comparisons) != 1:
        return []
    if not isinstance(term.comparisons[0].operator, cst.Equal):
        return []
    left, right = term.left, term.comparisons[0].comparator
    return [(left, right), (right, left)]


def plain_key_text(name: str) -> str:
    """A module helper: the values whose `==` and hash agree exactly, as a dict needs."""
    return (
        f"def {name}(value):\n"
        '    """True for a str, an int or a tuple of them (exact types): keys a dict finds\n'
        '    exactly where `==` would."""\n'
        "    if type(value) is tuple:\n"
        "        return all(type(part) in (str, int) for part in value)\n"
        "    return type(value) in (str, int)\n"
    )


def generator_text(scan: EarlierScan, names: dict[str, str]) -> str:
    """The generator of the positions before `index` whose item has the key `want`, in
    order: it learns each new item's key once (running the loop's bindings and the test's
    terms up to the key, so what raised there raises at the same item) and keeps it in
    `state`; while the state cannot serve (another sequence, a key that is not plain, an
    earlier position) it yields every position, and the loop's test decides as before."""
    state, want, key, at, plain = (names[n] for n in ("state", "want", "key", "at", "plain"))
    seq, index = scan.seq, scan.index
    groups = f'{state}["groups"]'
    if scan.sliced:
        pos, every, rest = at, f"{seq}[:{index}]", f"{seq}[{at}:{index}]"
        limit, found = f"min({index}, len({seq}))", f"{seq}[{at}]"
        head = [f"{code(scan.loop.target)} = {seq}[{at}]\n"]
        first = f"({seq}[{at}] for {at} in {groups}.get({want}, ()))"
    else:
        pos = found = code(scan.loop.target)
        every, rest, limit, head = f"range({index})", f"range({pos}, {index})", index, []
        first = f"{groups}.get({want}, ())"
    lines = head + [code(s).strip("\n") + "\n" for s in scan.pre]
    if scan.before:
        cond = " and ".join(f"({code(t)})" for t in scan.before)
        lines += [f"if not ({cond}):\n", f'    {state}["done"] = {pos} + 1\n', "    continue\n"]
    lines += [
        f"{key} = ({code(scan.key)})\n",
        f"if not {plain}({key}):\n",
        f'    {state}["ok"] = False\n',
        f"    yield from {rest}\n",
        "    return\n",
        f"{groups}.setdefault({key}, []).append({pos})\n",
        f'{state}["done"] = {pos} + 1\n',
        f"if {key} == {want}:\n",
        f"    yield {found}\n",
    ]
    return (
        f"def {names['generator']}({state}, {seq}, {index}, {want}):\n"
        f'    """What `{scan.fn.name.value}` loops over, less the earlier items whose key is not\n'
        f'    `{want}` (each item\'s key is worked out once per sequence)."""\n'
        f'    if {state}["seq"] is None and type({seq}) in (list, tuple):\n'
        f'        {state}["seq"] = {seq}\n'
        f'    if ({state}["seq"] is not {seq} or not {state}["ok"]\n'
        f'            or {index} < {state}["done"] or not {plain}({want})):\n'
        f"        yield from {every}\n"
        "        return\n"
        f"    yield from {first}\n"
        f'    for {pos} in range({state}["done"], {limit}):\n'
        + "".join("        " + line for line in lines)
    )


def copy_of(scan: EarlierScan, name: str, state: str, generator: str) -> cst.FunctionDef:
    """The function, taking the state first and looping over the generator's positions."""
    fn = scan.fn
    args = f"{state}, {scan.seq}, {scan.index}, {scan.target}"
    loop = scan.loop.with_changes(iter=cst.parse_expression(f"{generator}({args})"))
    body = [loop if s is scan.loop else s for s in fn.body.body]
    if body and is_docstring(body[0]):
        body = body[1:]
    doc = cst.parse_statement(
        f'"""`{fn.name.value}`, reading only the earlier items of its key (`{generator}`)."""\n'
    )
    params = fn.params.with_changes(
        params=[cst.Param(cst.Name(state)), *fn.params.params],
    )
    return fn.with_changes(
        name=cst.Name(name),
        params=params,
        body=fn.body.with_changes(body=[doc, *body]),
    )
