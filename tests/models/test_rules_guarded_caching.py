"""cache-pure-function-guarded: a pure function with unannotated parameters, cached only for
str and int arguments and immutable results (checked at run time). Before/after, behaviour of
the cache, and where the precondition fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "_rules_helpers", Path(__file__).parent / "rules_corpus" / "helpers.py"
)
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)
rewrite = helpers.rewrite

CLEAN = """
import re


def f(raw, sep=" "):
    return re.sub(r"\\s+", sep, raw.strip().lower())


def g(lines):
    return [f(line) for line in lines]
"""


def test_guarded_cache_decorates_and_serves_only_str_and_int_calls() -> None:
    text = rewrite(CLEAN, "cache-pure-function-guarded", "f")
    assert text is not None
    assert "\n@_cache_str_int_calls(frozenset([(str,), (int,), (str, str), " in text
    assert "]))\ndef f(raw, sep=" in text
    namespace = helpers.run_module(text, "guarded_cache_mod")
    f = namespace["f"]
    assert f("  A  b ") == "a b" and f("  A  b ") == "a b"
    assert f.__wrapped__.__name__ == "f"
    assert f("x  y", sep="-") == "x-y"  # keyword calls run the function
    with pytest.raises(AttributeError):
        f(1.5)  # a float is not served by the cache: the call runs (and raises) as before


def test_guarded_cache_never_stores_a_mutable_result() -> None:
    source = "def f(raw):\n    return [c for c in raw.split()]\n"
    assert rewrite(source, "cache-pure-function-guarded", "f") is None  # list: refused
    source = "def f(raw):\n    return dict.fromkeys(raw.split()) or None\n"
    text = rewrite(source, "cache-pure-function-guarded", "f")
    if text is not None:  # type unknown statically: the run-time check keeps it uncached
        f = helpers.run_module(text, "guarded_cache_mut")["f"]
        first = f("a b")
        first["c"] = 1
        assert "c" not in f("a b")


@pytest.mark.parametrize(
    "source",
    [
        CLEAN.replace(
            'def f(raw, sep=" "):', 'def f(raw: str, sep: str = " ") -> str:'
        ),  # the plain rule's case
        CLEAN.replace("    return re.sub", "    print(raw)\n    return re.sub"),  # I/O
        CLEAN.replace("raw.strip().lower()", "raw.name"),  # not a str method: a record
        CLEAN.replace("raw.strip().lower()", "raw[0]"),  # indexed: a sequence
        CLEAN.replace("def f(raw, sep=", "def f(raw, *more, sep="),
        CLEAN.replace("[f(line) for line in lines]", "[f(lines) for line in lines]").replace(
            "def g(lines):", "def g(lines: list[str]):"
        ),  # called with a list
        CLEAN.replace("import re\n", "import re\n\ntype = print\n"),  # shadowed builtin
    ],
    ids=["annotated", "io", "record", "indexed", "star", "list-caller", "shadowed"],
)
def test_guarded_cache_refuses(source: str) -> None:
    assert rewrite(source, "cache-pure-function-guarded", "f") is None
