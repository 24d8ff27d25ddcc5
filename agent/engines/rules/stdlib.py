"""What the rewrites know about builtins and the standard library: which calls have no side
effects, what kind of value they return, and which of their arguments they call.

Return kinds: "immutable" (str, numbers, dates, compiled patterns, ...), "fresh" (a new
container the caller alone holds; its elements may be the arguments' elements), "alias" (may
be one of the arguments or their elements), "unknown".
"""

from __future__ import annotations

import builtins

import libcst as cst

from agent.engines.rules.typeinfo import STR_TO_STR

PURE_BUILTIN_CALLS: dict[str, str] = {
    **dict.fromkeys(
        [
            "len",
            "abs",
            "round",
            "divmod",
            "pow",
            "str",
            "int",
            "float",
            "bool",
            "repr",
            "ascii",
            "chr",
            "ord",
            "hash",
            "format",
            "isinstance",
            "issubclass",
            "callable",
            "hasattr",
            "any",
            "all",
            "range",
            "bytes",
            "complex",
            "id",
            "type",
            "slice",
            "bin",
            "hex",
            "oct",
        ],
        "immutable",
    ),
    **dict.fromkeys(["list", "dict", "set", "sorted", "tuple", "frozenset"], "fresh"),
    **dict.fromkeys(["enumerate", "zip", "reversed", "map", "filter", "iter"], "fresh"),
    **dict.fromkeys(["min", "max", "sum", "getattr"], "alias"),
    "object": "fresh",
}
"""Builtins that never change their arguments (their dunder methods are assumed honest)."""

EXCEPTIONS = frozenset(
    name
    for name in dir(builtins)
    if isinstance(getattr(builtins, name), type)
    and issubclass(getattr(builtins, name), BaseException)
)

_OPERATOR_EFFECTS = frozenset(
    ["setitem", "delitem", "call", "iadd", "iand", "iconcat", "ifloordiv", "ilshift", "imod",
     "imul", "imatmul", "ior", "ipow", "irshift", "isub", "itruediv", "ixor"]
)  # fmt: skip
"""`operator` functions that change their first argument or call what they are given."""

_IMMUTABLE_MODULES = ("math.", "unicodedata.", "operator.", "string.", "os.path.", "cmath.")

PURE_STDLIB: dict[str, str] = {
    **dict.fromkeys(
        [
            "re.match",
            "re.fullmatch",
            "re.search",
            "re.sub",
            "re.subn",
            "re.escape",
            "re.compile",
            "datetime.datetime.strptime",
            "datetime.datetime.fromisoformat",
            "datetime.datetime",
            "datetime.datetime.combine",
            "datetime.date.fromisoformat",
            "datetime.date.fromordinal",
            "datetime.date",
            "datetime.time",
            "datetime.timedelta",
            "datetime.time.fromisoformat",
            "calendar.monthrange",
            "calendar.isleap",
            "calendar.leapdays",
            "calendar.weekday",
            "calendar.timegm",
            "decimal.Decimal",
            "fractions.Fraction",
            "statistics.mean",
            "statistics.fmean",
            "statistics.median",
            "statistics.median_low",
            "statistics.median_high",
            "statistics.mode",
            "statistics.pstdev",
            "statistics.stdev",
            "statistics.pvariance",
            "statistics.variance",
            "bisect.bisect_left",
            "bisect.bisect_right",
            "bisect.bisect",
            "json.dumps",
            "textwrap.dedent",
            "textwrap.indent",
            "textwrap.fill",
            "textwrap.shorten",
            "functools.cmp_to_key",
        ],
        "immutable",
    ),
    **dict.fromkeys(
        [
            "re.findall",
            "re.split",
            "re.finditer",
            "heapq.nsmallest",
            "heapq.nlargest",
            "json.loads",
            "copy.deepcopy",
            "collections.Counter",
            "collections.OrderedDict",
            "collections.deque",
            "collections.defaultdict",
            "textwrap.wrap",
            "itertools.combinations",
            "itertools.permutations",
            "itertools.product",
            "itertools.chain",
            "itertools.islice",
            "itertools.accumulate",
            "itertools.groupby",
            "itertools.zip_longest",
            "itertools.pairwise",
            "itertools.repeat",
            "itertools.count",
            "itertools.starmap",
            "itertools.chain.from_iterable",
            "dataclasses.asdict",
            "dataclasses.astuple",
        ],
        "fresh",
    ),
    "copy.copy": "fresh",
    "functools.reduce": "unknown",
}
"""Standard-library functions without side effects (`datetime.now` and friends are not:
they answer differently each time)."""

MUTATING_STDLIB: dict[str, int] = {
    "heapq.heappush": 0,
    "heapq.heappop": 0,
    "heapq.heapify": 0,
    "heapq.heappushpop": 0,
    "heapq.heapreplace": 0,
    "bisect.insort": 0,
    "bisect.insort_left": 0,
    "bisect.insort_right": 0,
}
"""Standard-library functions that change only their argument at this position."""

MUTATING_METHODS = frozenset(
    [
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "sort",
        "reverse",
        "update",
        "add",
        "discard",
        "setdefault",
        "popitem",
        "popleft",
        "appendleft",
        "extendleft",
        "rotate",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
    ]
)
"""Methods that change their builtin receiver (a list, dict, set or deque)."""

IMMUTABLE_METHODS = STR_TO_STR | frozenset(
    [
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "startswith",
        "endswith",
        "isdigit",
        "isalpha",
        "isalnum",
        "isspace",
        "isupper",
        "islower",
        "isnumeric",
        "isdecimal",
        "isidentifier",
        "istitle",
        "encode",
        "decode",
        "isocalendar",
        "isoformat",
        "strftime",
        "weekday",
        "isoweekday",
        "timestamp",
        "total_seconds",
        "toordinal",
        "quantize",
        "is_integer",
        "bit_length",
        "as_integer_ratio",
        "hexdigest",
        "digest",
        "group",
        "groups",
        "groupdict",
        "span",
        "issubset",
        "issuperset",
        "isdisjoint",
        "partition",
        "rpartition",
        "translate",
    ]
)
"""Read-only methods of builtin and standard-library values whose result is immutable."""

DECIMAL_METHODS = frozenset(
    [
        "adjusted",
        "as_integer_ratio",
        "as_tuple",
        "canonical",
        "compare",
        "compare_signal",
        "compare_total",
        "compare_total_mag",
        "conjugate",
        "copy_abs",
        "copy_negate",
        "copy_sign",
        "exp",
        "fma",
        "is_canonical",
        "is_finite",
        "is_infinite",
        "is_nan",
        "is_normal",
        "is_qnan",
        "is_signed",
        "is_snan",
        "is_subnormal",
        "is_zero",
        "ln",
        "log10",
        "logb",
        "max",
        "max_mag",
        "min",
        "min_mag",
        "next_minus",
        "next_plus",
        "next_toward",
        "normalize",
        "number_class",
        "quantize",
        "radix",
        "remainder_near",
        "rotate",
        "same_quantum",
        "scaleb",
        "shift",
        "sqrt",
        "to_eng_string",
        "to_integral",
        "to_integral_exact",
        "to_integral_value",
    ]
)
"""Methods of a `decimal.Decimal` (known to be one): each makes a new immutable value."""

FRESH_METHODS = frozenset(
    [
        "split",
        "rsplit",
        "splitlines",
        "copy",
        "keys",
        "values",
        "items",
        "union",
        "intersection",
        "difference",
        "symmetric_difference",
        "fullmatch",
        "match",
        "search",
        "findall",
        "finditer",
        "sub",
        "subn",
        "most_common",
        "date",
        "time",
    ]
)
"""Read-only methods whose result is new (or, for match objects and dates, immutable)."""


def stdlib_kind(dotted: str) -> str | None:
    """The return kind of a pure standard-library function, or None if it is not one."""
    if dotted in PURE_STDLIB:
        return PURE_STDLIB[dotted]
    if dotted.startswith("operator.") and dotted[9:].strip("_") in _OPERATOR_EFFECTS:
        return None
    if dotted.startswith(_IMMUTABLE_MODULES):
        return "immutable"
    return None


def changed_by(n: cst.CSTNode) -> list[cst.BaseExpression]:
    """What the node `n` itself stores into or changes in place: the targets of an
    assignment, augmented assignment or `del`, or the receiver of a mutating method."""
    if isinstance(n, cst.Assign):
        return [t.target for t in n.targets]
    if isinstance(n, cst.AugAssign | cst.AnnAssign | cst.Del):
        return [n.target]
    if (
        isinstance(n, cst.Call)
        and isinstance(n.func, cst.Attribute)
        and n.func.attr.value in MUTATING_METHODS
    ):
        return [n.func.value]
    return []


def next_of_generator(call: cst.Call) -> bool:
    """`next(<generator expression>)` or `next(<generator expression>, default)`."""
    args = call.args
    if not 1 <= len(args) <= 2 or any(a.keyword is not None or a.star for a in args):
        return False
    return isinstance(args[0].value, cst.GeneratorExp)
