"""Regular expressions compiled once at module level instead of looked up on every call."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, imported_as
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import walk

# positional arguments after the pattern that `re.f(p, *args)` and `compiled.f(*args)` share;
# anything beyond (count/flags/maxsplit positionally) differs between the two and is refused
_SHARED_POSITIONAL = {
    "match": 1,
    "search": 1,
    "fullmatch": 1,
    "findall": 1,
    "finditer": 1,
    "split": 1,
    "sub": 2,
    "subn": 2,
}
_SHARED_KEYWORDS = {
    "match": {"string"},
    "search": {"string"},
    "fullmatch": {"string"},
    "findall": {"string"},
    "finditer": {"string"},
    "split": {"string", "maxsplit"},
    "sub": {"repl", "string", "count"},
    "subn": {"repl", "string", "count"},
}


def _literal_pattern(node: cst.BaseExpression) -> str | bytes | None:
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        if isinstance(node, cst.ConcatenatedString) and any(
            isinstance(p, cst.FormattedString) for p in (node.left, node.right)
        ):
            return None
        try:
            value = ast.literal_eval(code(node))
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str | bytes) else None
    return None


def _literal_flags(node: cst.BaseExpression | None, re_name: str) -> int | None:
    """The value of `re.I | re.M ...` (or 0 when absent); None for anything else."""
    if node is None:
        return 0
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = _literal_flags(node.left, re_name), _literal_flags(node.right, re_name)
        return None if left is None or right is None else left | right
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == re_name
        and isinstance(getattr(re, node.attr.value, None), re.RegexFlag)
    ):
        return int(getattr(re, node.attr.value))
    return None


class _RegexRule(Rule):
    compile_only = False

    def find(self, ctx: FunctionContext) -> list[Site]:
        re_name = imported_as(ctx.module, "re")
        if re_name is None or re_name in ctx.env.names:
            return []
        sites = []
        for node in walk(ctx.fn):
            if not (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and isinstance(node.func.value, cst.Name)
                and node.func.value.value == re_name
            ):
                continue
            found = self._match(node, node.func.attr.value, re_name)
            if found is not None:
                sites.append(ctx.site(node, f"`{code(node.args[0].value)}`", extra=found))
        return sites

    def _match(self, node: cst.Call, func: str, re_name: str) -> tuple[str, str, list[int]] | None:
        """(pattern code, flags code, remaining args) when the call can use a compiled pattern."""
        if self.compile_only != (func == "compile"):
            return None
        if func != "compile" and func not in _SHARED_POSITIONAL:
            return None
        args = list(node.args)
        if not args or args[0].keyword or args[0].star:
            return None
        pattern = _literal_pattern(args[0].value)
        if pattern is None:
            return None
        flags_node: cst.BaseExpression | None = None
        rest: list[int] = []
        positional = 0
        for i, arg in enumerate(args[1:], start=1):
            if arg.star:
                return None
            kw = arg.keyword.value if arg.keyword else None
            if kw == "flags" or (func == "compile" and kw is None and positional == 0):
                flags_node = arg.value
                positional += kw is None
                continue
            if func == "compile":
                return None
            if kw is None:
                positional += 1
                if positional > _SHARED_POSITIONAL[func]:
                    return None
            elif kw not in _SHARED_KEYWORDS[func]:
                return None
            rest.append(i)
        flags = _literal_flags(flags_node, re_name)
        if flags is None:
            return None
        try:
            re.compile(pattern, flags)
        except (re.error, TypeError, ValueError):
            return None  # an invalid pattern must keep failing at call time, not at import
        flags_code = f", {code(flags_node)}" if flags_node is not None else ""
        return f"{re_name}.compile({code(args[0].value)}{flags_code})", func, rest

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        names: dict[str, str] = {}
        base = ctx.qualname.replace(".", "_").upper().strip("_")
        for site in sites:
            compiled, func, rest = site.extra
            if compiled not in names:
                names[compiled] = fresh_name(f"_{base}_RE", ctx.module_names)
                change.constants.append(cst.parse_statement(f"{names[compiled]} = {compiled}\n"))
            const = names[compiled]
            if func == "compile":
                change.replace[id(site.node)] = lambda _u, const=const: cst.Name(const)
            else:
                change.replace[id(site.node)] = lambda u, const=const, func=func, rest=rest: (
                    u.with_changes(
                        func=cst.Attribute(cst.Name(const), cst.Name(func)),
                        args=_args(u.args, rest),
                        whitespace_before_args=cst.SimpleWhitespace(""),
                    )
                )
        return change


class RegexPrecompile(_RegexRule):
    """`re.search(LITERAL, s)` (match, fullmatch, findall, finditer, split, sub, subn) ⇒ a
    module-level `_F_RE = re.compile(LITERAL)` and `_F_RE.search(s)`.

    Precondition: `re` is imported at the top of the module and not shadowed in the function;
    the pattern is a literal that compiles; flags, if any, are `re.X` constants passed by
    keyword; any further arguments are those the compiled pattern's method takes the same way.
    """

    id = "regex-precompile"
    title = "compile literal regular expressions once at module level"

    def describe(self, sites: Sequence[Site]) -> str:
        pats = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compile the pattern(s) {pats} once at module level instead of going through "
            "`re`'s cache lookup on every call"
        )


class RegexCompileHoist(_RegexRule):
    """`re.compile(LITERAL[, FLAGS])` inside a function ⇒ a module-level constant.

    Precondition: as for `regex-precompile`; the compiled object is immutable, so sharing one
    across calls is unobservable.
    """

    id = "regex-compile-hoist"
    title = "hoist re.compile of a literal pattern to module level"
    compile_only = True

    def describe(self, sites: Sequence[Site]) -> str:
        pats = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"move `re.compile` of {pats} out of the function to a module-level constant"


def _args(args: Sequence[cst.Arg], keep: list[int]) -> list[cst.Arg]:
    out = [args[i] for i in keep]
    if out:
        out[-1] = out[-1].with_changes(
            comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace("")
        )
    return out
