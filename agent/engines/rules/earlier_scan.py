"""The callee side of `earlier-by-key`: a function given a sequence and a position that loops
over the items before that position, keeping those whose key equals one it worked out first
(`for i in range(index): other = entries[i]; if other.kind == "work" and week(other) ==
target: ...`), and the two pieces the rewrite adds beside it: a generator of the earlier
positions of one key, which learns each item's key once and keeps it between calls, and a copy
of the function looping over that generator's positions instead of all of them."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import libcst as cst

from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.places import single_binding
from agent.engines.rules.syntax import bound_names, names_in, walk

BUILTINS = ("type", "list", "tuple", "str", "int", "range", "min", "len", "all", "StopIteration")
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
    if not _bound_first(fn, body[: body.index(loop)], target) or (item | {seq, index}) & set(
        BUILTINS
    ):
        return None
    if any(isinstance(n, _DEFERRED) for n in walk(loop.body)):
        return None  # code made in the loop may read the item's names after it
    after = body[body.index(loop) + 1 :]
    if loop.orelse is not None:
        after.append(loop.orelse)  # type: ignore[arg-type]
    if any(names_in(s) & item for s in after):
        return None  # the item's names after the loop hold the last item it visited
    return EarlierScan(fn, loop, seq, index, _sliced(loop), tuple(pre), test, before, key, target)


_DEFERRED = (cst.GeneratorExp, cst.Lambda, cst.FunctionDef, cst.ClassDef)


def _bound_first(fn: cst.FunctionDef, before: list[cst.BaseStatement], target: str) -> bool:
    """`target` holds a value whenever the loop starts (the generator is given it
    then, where the loop read it only on reaching the key's test): a parameter, or bound by
    a plain assignment at the top of the body before the loop; and nothing is deleted."""
    if any(isinstance(n, cst.Del) for n in walk(fn)):
        return False
    if target in {p.name.value for p in fn.params.params}:
        return True
    for stmt in before:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            line = stmt.body[0]
            if isinstance(line, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == target for t in line.targets
            ):
                return True
    return False


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
    found = single_binding(stmt)
    if found is None:
        return False
    target, value = found
    parts = [e.value for e in target.elements] if isinstance(target, cst.Tuple) else [target]
    return all(isinstance(p, cst.Name) for p in parts) and not any(
        isinstance(n, cst.NamedExpr | cst.Lambda) for n in walk(value)
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


_POSITIONS = '''
def {name}({state}, {seq}, {index}, {want}):
    """What `{callee}`'s loop visits, less the earlier items whose key is not `{want}`:
    each item's key is worked out once per sequence, in order, when the loop gets that far.
    While the state cannot serve, every earlier item is visited and the loop's own test
    decides; from an item whose key cannot be kept, or raised StopIteration (which this
    generator would turn into RuntimeError), every later one is."""
    if {state}["seq"] is None and type({seq}) in (list, tuple):
        {state}["seq"] = {seq}
    if (
        {state}["seq"] is not {seq}
        or not {state}["ok"]
        or {index} < {state}["done"]
        or not {plain}({want})
    ):
        yield from {every}
        return
    {groups} = {state}["groups"]
    yield from {found_items}
    for {pos} in range({state}["done"], {limit}):
        try:
            {head}
            _PRE_HOLE
            {skip}
            {key} = _KEY_HOLE
        except StopIteration:
            yield from {rest}
            return
        if not {plain}({key}):
            {state}["ok"] = False
            yield from {rest}
            return
        {groups}.setdefault({key}, []).append({pos})
        {state}["done"] = {pos} + 1
        if {key} == {want}:
            yield {found_one}
'''

_SKIP = """if not _P_HOLE:
                {state}["done"] = {pos} + 1
                continue"""


def positions_function(scan: EarlierScan, names: dict[str, str]) -> cst.FunctionDef:
    """The generator the copy's loop visits (see `_POSITIONS`), built from the callee's own
    nodes: the loop's bindings, the test's terms up to the key, and the key."""
    seq, index, groups, want = scan.seq, scan.index, names["groups"], names["want"]
    fields = {**names, "seq": seq, "index": index, "callee": scan.fn.name.value}
    if scan.sliced:
        pos = names["at"]
        fields |= {
            "pos": pos,
            "every": f"{seq}[:{index}]",
            "limit": f"min({index}, len({seq}))",
            "head": f"{code(scan.loop.target)} = {seq}[{pos}]",
            "found_items": f"({seq}[{pos}] for {pos} in {groups}.get({want}, ()))",
            "found_one": f"{seq}[{pos}]",
            "rest": f"{seq}[{pos}:{index}]",
        }
    else:
        pos = code(scan.loop.target)
        fields |= {
            "pos": pos,
            "every": f"range({index})",
            "limit": index,
            "head": "pass",
            "found_items": f"{groups}.get({want}, ())",
            "found_one": pos,
            "rest": f"range({pos}, {index})",
        }
    fields["skip"] = _SKIP.format(**fields) if scan.before else "pass"
    text = textwrap.dedent(_POSITIONS).lstrip("\n").format(**fields)
    fn = cst.ensure_type(cst.parse_statement(text), cst.FunctionDef)
    return cst.ensure_type(fn.visit(_Holes(scan)), cst.FunctionDef)


class _Holes(cst.CSTTransformer):
    """Puts the callee's nodes where the template has `_PRE_HOLE`, `_P_HOLE`, `_KEY_HOLE`,
    and drops the template's `pass` fillers."""

    def __init__(self, scan: EarlierScan) -> None:
        self.scan = scan

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> Any:
        only = updated.body[0] if len(updated.body) == 1 else None
        if isinstance(only, cst.Pass):
            return cst.RemoveFromParent()
        if isinstance(only, cst.Expr) and code(only.value) == "_PRE_HOLE":
            pre = list(self.scan.pre)
            return cst.FlattenSentinel(pre) if pre else cst.RemoveFromParent()
        return updated

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> Any:
        if updated.value == "_KEY_HOLE":
            return self.scan.key
        if updated.value == "_P_HOLE":
            terms = list(self.scan.before)
            if len(terms) > 1:
                terms = [_parenthesized(t) for t in terms]
            joined = terms[0]
            for term in terms[1:]:
                joined = cst.BooleanOperation(joined, cst.And(), term)
            return _parenthesized(joined)
        return updated


def _parenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(
        lpar=[cst.LeftParen(), *node.lpar], rpar=[*node.rpar, cst.RightParen()]
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
