"""Which arguments of a builtin or standard-library call it calls: a pure call is pure only
when what it calls is."""

from __future__ import annotations

import libcst as cst

FUNCTION_ARGS: dict[str, tuple[int | str, ...]] = {
    "sorted": ("key",),
    "min": ("key",),
    "max": ("key",),
    "map": (0,),
    "filter": (0,),
    "functools.cmp_to_key": (0,),
    "functools.reduce": (0,),
    "itertools.groupby": ("key", 1),
    "itertools.accumulate": ("func", 1),
    "itertools.starmap": (0,),
    "heapq.nsmallest": ("key", 2),
    "heapq.nlargest": ("key", 2),
    "collections.defaultdict": (0,),
    "re.sub": ("repl", 1),
    "re.subn": ("repl", 1),
    "bisect.bisect_left": ("key",),
    "bisect.bisect_right": ("key",),
    "bisect.bisect": ("key",),
    "json.dumps": ("default", "cls"),
    "json.loads": (
        "cls",
        "object_hook",
        "object_pairs_hook",
        "parse_float",
        "parse_int",
        "parse_constant",
    ),
    "dataclasses.asdict": ("dict_factory",),
    "dataclasses.astuple": ("tuple_factory",),
    ".sub": ("repl", 0),  # a compiled pattern's
    ".subn": ("repl", 0),
    "copy.deepcopy": ("memo", 1),  # which it fills: nothing but None may be given
}
"""Arguments a pure callee calls (when they are callables: `re.sub`'s `repl` may be a
string): they must be pure callables themselves."""


def called_positions(name: str, call: cst.Call) -> tuple[int | str, ...] | None:
    """The positions or keywords of the arguments `name` calls (a sort key, map's function,
    the callable of `iter(f, sentinel)`), or None when `*args` or `**kwargs` may hide one.
    A method is named `.name`."""
    positions = FUNCTION_ARGS.get(name, ())
    starred = any(arg.star for arg in call.args)
    if name == "iter" and (len(call.args) > 1 or starred):
        positions = (0,)
    return None if starred and positions else positions


def calls_positional(name: str) -> bool:
    """`name` calls an argument given by position (`map(re.sub, pats, [f], texts)` calls
    `f`): as a callable it is pure only where what it calls is checked, so it is not."""
    return name == "iter" or any(isinstance(pos, int) for pos in FUNCTION_ARGS.get(name, ()))
