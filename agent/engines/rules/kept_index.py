"""Lookups by a computed key that run again on every call: `[p for p in repo if
normalize(p[0]) == name]` in a function called over and over with the same records. An index
of the records by that key is kept between calls and used while the records and the fields
the key reads are still the very same objects; the scan keeps its test, so it visits a subset
of the records, in order, and keeps exactly the same ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.guarded_joins import _any_test
from agent.engines.rules.join_helpers import plain_helper
from agent.engines.rules.joins import _split, plain_chain
from agent.engines.rules.places import consumed_at_once, module_ref, targets_private
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stdlib import PURE_BUILTIN_CALLS, stdlib_kind
from agent.engines.rules.syntax import SCOPES, bound_names, dotted, names_in, walk

_HELPER = '''
def {name}(cell, records, key, read, attr, probe, prefix=False):
    """The records whose key can equal `probe` (with `prefix`: can start it, as a str), in
    their order, from an index of `records` by `key` kept in `cell` between calls, or all of
    them. The index serves a call only while the records are the very same objects, in the
    same order, and the field each key reads (`read`) is the very same object too: both
    compared by identity, which runs no code of theirs (the fields need no comparing when the
    key reads the record itself or an item of records that are all exact tuples). It is
    built at the second call that finds them so (the first only takes a snapshot), and only
    when every record is plain (`{plain}`), every field is exactly a str, int, float, bool,
    bytes or None (so the key, a function of the field alone, is the same) and every key is
    exactly a str or int, whose `==` agrees with hashing (`read` None: the key reads the
    record itself, which must then be such a value); a key that raises leaves the
    records to the scan, which raises where it always did. (A class given a property after
    the index was built would have it read by the identity check.)"""
    if type(records) is not list and type(records) is not tuple:
        return records
    if type(probe) is not str and (prefix or type(probe) is not int):
        return records
    state = cell[0]
    if (
        state is None
        or len(state[0]) != len(records)
        or not all(map({is_}, state[0], records))
    ):
        cell[0] = (tuple(records), None, None)
        return records
    snapshot, fields, groups = state
    if fields is True:  # the very same records hold the very same fields (see the build)
        now = fields
    elif read is None:  # the key reads the record itself, the same object as in the snapshot
        now = snapshot
    elif fields is None and (groups is False or not all({plain}(r, attr) for r in records)):
        cell[0] = (snapshot, None, False)
        return records
    else:
        try:
            now = list(map(read, records))
        except Exception:
            cell[0] = (snapshot, None, False)
            return records
    if fields is not None and fields is not True and not all(map({is_}, fields, now)):
        cell[0] = (snapshot, now, None)
        return records
    if groups is None:
        groups = {{}}
        for at, (record, field) in enumerate(zip(records, now)):
            if type(field) not in {exact} or read is not None and not {plain}(record, attr):
                groups = False
                break
            try:
                k = key(record)
            except Exception:
                groups = False
                break
            if type(k) is not str and (prefix or type(k) is not int):
                groups = False
                break
            groups.setdefault(k, []).append(at if prefix else record)
        if prefix and groups:  # under None (never a key here): the key lengths, shortest first
            groups[None] = sorted({{len(k) for k in groups}})
        if groups and (read is None or attr is None and all(type(r) is tuple for r in records)):
            now = True  # the record itself, or an item of a tuple: fixed while it is the same
        cell[0] = (snapshot, now, groups)
    if groups is False:
        return records
    if not prefix:
        return groups.get(probe, ())
    found = []
    for n in groups.get(None, ()):
        if n > len(probe):
            break
        found.extend(groups.get(probe[:n], ()))
    found.sort()
    return [records[at] for at in found]
'''


@dataclass(frozen=True)
class _Scan:
    records: cst.BaseExpression
    item: str
    key: cst.BaseExpression
    field: cst.BaseExpression
    """The one read of the record the key makes: `item[literal]` or `item.attr`."""
    probe: cst.BaseExpression
    prefix: bool = False
    """The test is `probe.startswith(key)`: the records whose key starts the probe."""


class KeptIndex(Rule):
    """A scan that keeps the records whose computed key equals a value (`[p for p in repo if
    norm(p[0]) == name]`, `next(...)` of such a generator, or `for p in repo: if norm(p[0]) ==
    name and ...: return p`), with no loop around it to hoist an index out of ⇒ the scan
    iterates `_kept_candidates(cell, repo, lambda p: norm(p[0]), read, attr, name)`: the
    group of records whose key equals the probe, from an index kept in a module-level cell
    between calls and checked at every call (see the helper), or all the records.

    Precondition: the key reads the record through one field (`p[literal]` or `p.attr`,
    every mention of the record being that read), or only uses the record itself (then, at
    run time, exactly a str, int, float, bool, bytes or None), calls at least one function
    (a key without a call costs less than the check; a prefix test `probe.startswith(key)`
    needs none: its scan is what costs), and is otherwise made only of calls to
    builtins, the standard library, methods of values computed from the field, and
    repository functions the effect analysis finds closed (pure, reading only constants), so
    it is a function of the field alone; the probe is a plain name, attribute of one or
    `name["literal"]` that the scan does not rebind; the records are a name or a chain of
    plain fields; a `for` loop's body is one `if` whose branch only changes fresh locals (or
    returns or breaks), with no `else`, and its variable is not used after it; a generator
    is the sole argument of a builtin that consumes it at once.
    """

    id = "kept-index"
    title = "keep an index of records by a computed key between calls instead of scanning"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            scan = self._scan(ctx, node)
            if scan is not None:
                detail = f"`{code(scan.records)}` by `{code(scan.key)}`"
                sites.append(ctx.site(node, detail, scan))
        return sites

    def _scan(self, ctx: FunctionContext, node: cst.CSTNode) -> _Scan | None:
        if isinstance(node, cst.ListComp | cst.SetComp | cst.GeneratorExp):
            clause = node.for_in
            if clause.inner_for_in is not None or not isinstance(clause.target, cst.Name):
                return None
            if isinstance(node, cst.GeneratorExp) and not consumed_at_once(ctx, node):
                return None
            test = clause.ifs[0].test if clause.ifs else _any_test(ctx, node)
            if test is None or clause.asynchronous is not None:
                return None
            return _keyed(ctx, node, clause.iter, clause.target.value, test)
        if not isinstance(node, cst.For) or not isinstance(node.target, cst.Name):
            return None
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if len(body) != 1 or not isinstance(body[0], cst.If) or body[0].orelse is not None:
            return None
        if node.asynchronous is not None or not targets_private(ctx, node):
            return None
        if not _branch_harmless(ctx, body[0]):
            return None
        return _keyed(ctx, node, node.iter, node.target.value, body[0].test)

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        plain = plain_helper(ctx, change)
        operator = module_ref(ctx, "operator", change)
        exact = fresh_name("_KEY_FIELD_TYPES", ctx.module_names)
        change.constants.append(
            cst.parse_statement(
                f"{exact} = (str, int, float, bool, bytes, type(None))\n"
            ).with_changes(leading_lines=[cst.EmptyLine()] * 2)
        )
        helper = fresh_name("_kept_candidates", ctx.module_names)
        text = _HELPER.format(name=helper, plain=plain, is_=f"{operator}.is_", exact=exact)
        change.constants.append(
            cst.parse_statement(text.lstrip()).with_changes(leading_lines=[cst.EmptyLine()] * 2)
        )
        base = ctx.qualname.replace(".", "_").lstrip("_")
        for site in sites:
            scan: _Scan = site.extra
            cell = fresh_name(f"_{base}_index", ctx.module_names)
            change.constants.append(
                cst.parse_statement(f"{cell} = [None]\n").with_changes(
                    leading_lines=[cst.EmptyLine()] * 2
                )
            )
            field = scan.field
            read, attr = "None", "None"  # the key reads the record itself
            if isinstance(field, cst.Attribute | cst.Subscript):
                if isinstance(field, cst.Attribute):
                    attr = repr(field.attr.value)
                    getter = f"{operator}.attrgetter({attr})"
                else:
                    literal = code(field.slice[0].slice.value)  # type: ignore[attr-defined]
                    getter = f"{operator}.itemgetter({literal})"
                read = fresh_name(f"_{base}_field", ctx.module_names)
                change.constants.append(cst.parse_statement(f"{read} = {getter}\n"))
            prefix = ", True" if scan.prefix else ""
            lookup = cst.parse_expression(
                f"{helper}({cell}, {code(scan.records)}, lambda {scan.item}: {code(scan.key)}, "
                f"{read}, {attr}, {code(scan.probe)}{prefix})"
            )
            change.replace[id(scan.records)] = lambda _u, e=lookup: e
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        scans = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"index {scans} once and keep the index between calls (checked at every call "
            "against the very same records), so each lookup scans only the matching group"
        )


def _keyed(
    ctx: FunctionContext,
    scan: cst.CSTNode,
    records: cst.BaseExpression,
    item: str,
    test: cst.BaseExpression,
) -> _Scan | None:
    starts = _starts(test)
    if starts is not None:
        probe, key = starts
    else:
        split = _split(test, False)
        if split is None:
            return None
        cmp = split[0]
        if len(cmp.comparisons) != 1 or not isinstance(cmp.comparisons[0].operator, cst.Equal):
            return None
        key, probe = cmp.left, cmp.comparisons[0].comparator
        if item not in names_in(key):
            key, probe = probe, key
    field = _single_field(key, item)
    whole = isinstance(field, cst.Name)
    if field is None or not _closed_key(ctx, key, item, whole, costly=starts is None):
        return None
    if not _local_probe(ctx, probe) or names_in(probe) & ({item} | set(bound_names(scan))):
        return None
    if not dotted(records) or not plain_chain(ctx, records):
        return None
    return _Scan(records, item, key, field, probe, starts is not None)


def _starts(test: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """`probe.startswith(key)`, alone or as the first of `and`ed tests: (probe, key)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        if test.lpar:
            return None
        test = test.left
    if not isinstance(test, cst.Call) or test.lpar or len(test.args) != 1:
        return None
    arg, func = test.args[0], test.func
    if arg.keyword is not None or arg.star or not isinstance(func, cst.Attribute):
        return None
    return (func.value, arg.value) if func.attr.value == "startswith" else None


def _local_probe(ctx: FunctionContext, probe: cst.BaseExpression) -> bool:
    """A local (or parameter), or a chain of plain fields of one: read once more, before the
    scan, it can neither raise nor run code where the scan's own test would not."""
    head = probe
    while isinstance(head, cst.Attribute):
        head = head.value
    return isinstance(head, cst.Name) and head.value in ctx.scope.locals and plain_chain(ctx, probe)


def _single_field(key: cst.BaseExpression, item: str) -> cst.BaseExpression | None:
    """The one read of the record the key makes, when every mention of it is that read, or
    the record itself when the key never reads into it."""
    reads: dict[str, cst.BaseExpression] = {}
    mentions = 0
    for n in walk(key, into_scopes=True):
        if isinstance(n, cst.Name) and n.value == item:
            mentions += 1
        elif isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name):
            if n.value.value == item:
                reads.setdefault(code(n), n)
        elif isinstance(n, cst.Subscript) and isinstance(n.value, cst.Name):
            index = n.slice[0].slice if len(n.slice) == 1 else None
            if n.value.value == item:
                if not isinstance(index, cst.Index) or not isinstance(
                    index.value, cst.Integer | cst.SimpleString
                ):
                    return None
                reads.setdefault(code(n), n)
    if not reads and mentions:
        return cst.Name(item)  # the record itself: at run time, exactly a str, int...
    if len(reads) != 1:
        return None
    (field,) = reads.values()
    uses = sum(1 for n in walk(key, into_scopes=True) if _same(n, field))
    return field if uses == mentions else None


def _same(node: cst.CSTNode, field: cst.BaseExpression) -> bool:
    return type(node) is type(field) and code(node) == code(field)


def _closed_key(
    ctx: FunctionContext, key: cst.BaseExpression, item: str, whole: bool, costly: bool
) -> bool:
    """A function of the record's field alone (every call is to a builtin, the standard
    library, a method of a value computed from the field or a closed repository function; no
    other name is read) that, when `costly`, calls at least one function."""
    callees: set[int] = set()
    attrs: set[int] = set()
    calls = 0
    for n in walk(key, into_scopes=True):
        if isinstance(n, (*SCOPES, cst.NamedExpr, cst.Await, cst.Yield)):
            return False
        if isinstance(n, cst.Attribute):
            attrs.add(id(n.attr))
        if not isinstance(n, cst.Call):
            continue
        calls += 1
        if any(a.star for a in n.args):
            return False
        func = n.func
        if isinstance(func, cst.Name):
            if not _closed_callee(ctx, func):
                return False
            callees.add(id(func))
        elif isinstance(func, cst.Attribute):
            if not whole and isinstance(func.value, cst.Name) and func.value.value == item:
                return False  # a method of the record itself, not of a field
            dotted = ctx.scope.dotted(func)
            if dotted is not None:
                if stdlib_kind(dotted) is None:
                    return False
                callees.update(id(x) for x in walk(func))
            elif item not in names_in(func.value) or ctx.scope.call(n) is None:
                return False
        else:
            return False
    if calls == 0 and costly:
        return False
    allowed = callees | attrs
    read = [n for n in walk(key, into_scopes=True) if isinstance(n, cst.Name)]
    return all(n.value in (item, "True", "False", "None") for n in read if id(n) not in allowed)


def _closed_callee(ctx: FunctionContext, func: cst.Name) -> bool:
    builtin = ctx.scope.builtin(func)
    if builtin is not None:
        return builtin in PURE_BUILTIN_CALLS
    target = ctx.project.resolve(ctx.path, func, None)
    if not isinstance(target, FunctionRef) or "." in target.qualname:
        return False
    return ctx.scope.effects.summary(target).closed


def _branch_harmless(ctx: FunctionContext, branch: cst.If) -> bool:
    """The branch changes only fresh locals, or ends the loop (`return`, `break`) after
    doing so: the records the loop would still visit cannot change under it."""
    stmts = list(branch.body.body) if isinstance(branch.body, cst.IndentedBlock) else []
    return bool(stmts) and all(ctx.scope.pure(s) for s in stmts)
