"""SEARCH/REPLACE parsing and all-or-nothing application (agent.llm.edits)."""

from __future__ import annotations

import pytest

from agent.llm.edits import (
    EditBlock,
    EditFormatError,
    apply_block,
    apply_blocks,
    parse_blocks,
    resolve_path,
    syntax_errors,
)

SRC = (
    "import math\n"
    "\n"
    "\n"
    "def total(xs):\n"
    "    acc = 0\n"
    "    for x in xs:\n"
    "        acc += x\n"
    "    return acc\n"
    "\n"
    "\n"
    "class Stats:\n"
    "    def mean(self, xs):\n"
    "        return total(xs) / len(xs)\n"
    "\n"
    "    def norm(self, xs):\n"
    "        return math.sqrt(sum(x * x for x in xs))\n"
)
FILES = {"pkg/stats.py": SRC, "pkg/util.py": "def helper():\n    return 1\n"}


def block(search: str, replace: str, path: str = "pkg/stats.py") -> EditBlock:
    return EditBlock(path, search, replace, 1)


def reply(*blocks: tuple[str, str, str]) -> str:
    parts = ["Some explanation first."]
    for path, search, replace in blocks:
        parts.append(
            f"{path}\n```python\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```"
        )
    return "\n\n".join(parts)


# parsing -------------------------------------------------------------------------------------
def test_parses_multi_file_blocks_with_paths() -> None:
    text = reply(
        ("pkg/stats.py", "    acc = 0\n", "    acc = 0.0\n"),
        ("pkg/util.py", "    return 1\n", "    return 2\n"),
    )
    blocks = parse_blocks(text)
    assert [(b.path, b.search, b.replace) for b in blocks] == [
        ("pkg/stats.py", "    acc = 0\n", "    acc = 0.0\n"),
        ("pkg/util.py", "    return 1\n", "    return 2\n"),
    ]


def test_block_without_path_reuses_previous_path() -> None:
    text = (
        "pkg/util.py\n```python\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n"
        "And then:\n```python\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n```\n"
    )
    assert [b.path for b in parse_blocks(text)] == ["pkg/util.py", "pkg/util.py"]


@pytest.mark.parametrize(
    "path_line", ["`pkg/util.py`", "**pkg/util.py**", "# pkg/util.py", "pkg/util.py:"]
)
def test_decorated_path_lines(path_line: str) -> None:
    text = f"{path_line}\n```\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```"
    assert parse_blocks(text)[0].path == "pkg/util.py"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no blocks here", "no SEARCH/REPLACE blocks"),
        ("p.py\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n", "expected ======="),
        ("p.py\n<<<<<<< SEARCH\na\n=======\nb\n", "never reaches its >>>>>>> REPLACE"),
        ("p.py\n<<<<<<< SEARCH\na\n", "never reaches its ======="),
        ("p.py\n<<<<<<< SEARCH\na\n=======\nb\n=======\nc\n>>>>>>> REPLACE", "expected >>>>>>>"),
        ("p.py\n=======\n", "outside a SEARCH/REPLACE block"),
        ("Here is the change:\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE", "file path"),
    ],
)
def test_malformed_blocks_are_errors_with_a_reason(text: str, message: str) -> None:
    """Guards against half-parsed replies being applied (aider#588 committed partial edits)."""
    with pytest.raises(EditFormatError, match=message):
        parse_blocks(text)


# the matching ladder -------------------------------------------------------------------------
def test_exact_match() -> None:
    new, tier = apply_block(SRC, block("    acc = 0\n", "    acc = 0.0\n"))
    assert tier == "exact"
    assert "    acc = 0.0\n    for x in xs:" in new
    assert new.count("\n") == SRC.count("\n")


def test_whitespace_tolerant_match() -> None:
    search = "    for x  in xs:   \n        acc +=  x\n"
    new, tier = apply_block(SRC, block(search, "    acc = sum(xs)\n"))
    assert tier == "whitespace"
    assert "    acc = 0\n    acc = sum(xs)\n    return acc\n" in new


def test_reindented_match_reindents_the_replacement() -> None:
    search = "def mean(self, xs):\n    return total(xs) / len(xs)\n"
    replace = "def mean(self, xs):\n    n = len(xs)\n    return total(xs) / n\n"
    new, tier = apply_block(SRC, block(search, replace))
    assert tier == "reindent"
    assert "    def mean(self, xs):\n        n = len(xs)\n        return total(xs) / n\n" in new
    assert not syntax_errors({"a.py": new})


def test_reindent_to_the_left() -> None:
    text = "def f():\n    return 1\n"
    new, tier = apply_block(text, block("        return 1\n", "        return 2\n"))
    assert (new, tier) == ("def f():\n    return 2\n", "reindent")


def test_ambiguous_match_is_refused_not_guessed() -> None:
    text = "def a():\n    return 1\n\n\ndef b():\n    return 1\n"
    with pytest.raises(LookupError) as info:
        apply_block(text, block("    return 1\n", "    return 2\n"))
    kind, reason, _hint = info.value.args
    assert kind == "ambiguous" and "2 places" in reason and "lines 2-2, 6-6" in reason


def test_no_match_hints_the_closest_lines() -> None:
    search = "    for item in xs:\n        acc += item\n"
    with pytest.raises(LookupError) as info:
        apply_block(SRC, block(search, "    acc = sum(xs)\n"))
    kind, _reason, hint = info.value.args
    assert kind == "no-match"
    assert "Did you mean to match these actual lines" in hint
    assert "    for x in xs:\n        acc += x" in hint


def test_no_match_says_when_the_replacement_is_already_there() -> None:
    with pytest.raises(LookupError) as info:
        apply_block(SRC, block("    acc = 1\n", "    for x in xs:\n"))
    assert "already in pkg/stats.py" in info.value.args[2]


def test_elision_gets_a_specific_hint() -> None:
    with pytest.raises(LookupError) as info:
        apply_block(SRC, block("def total(xs):\n    ...\n    return acc\n", "x\n"))
    assert "Do not elide lines" in info.value.args[2]


def test_empty_search_is_refused() -> None:
    with pytest.raises(LookupError) as info:
        apply_block(SRC, block("\n", "new\n"))
    assert info.value.args[0] == "empty-search"


def test_crlf_files_keep_their_line_endings() -> None:
    text = "a = 1\r\nb = 2\r\n"
    new, _ = apply_block(text, block("b = 2\n", "b = 3\n"))
    assert new == "a = 1\r\nb = 3\r\n"


def test_form_feed_lines_survive() -> None:
    """Guards against str.splitlines() splitting on \\x0c and rewriting unrelated lines."""
    text = "a = 1\n\x0c\nb = 2\n"
    new, _ = apply_block(text, block("b = 2\n", "b = 3\n"))
    assert new == "a = 1\n\x0c\nb = 3\n"


# all-or-nothing and refusal ------------------------------------------------------------------
def test_all_blocks_apply_across_files() -> None:
    blocks = parse_blocks(
        reply(
            ("pkg/stats.py", "    acc = 0\n", "    acc = 0.0\n"),
            ("pkg/util.py", "    return 1\n", "    return 2\n"),
        )
    )
    result = apply_blocks(blocks, FILES)
    assert result.ok
    assert set(result.changed(FILES)) == {"pkg/stats.py", "pkg/util.py"}
    assert [t for _, t in result.applied] == ["exact", "exact"]


def test_one_failing_block_fails_the_whole_edit() -> None:
    """Guards against OpenEvolve's silently skipped SEARCH blocks: a failure is reported
    and the caller sees `ok` false, listing every failure at once."""
    blocks = parse_blocks(
        reply(
            ("pkg/util.py", "    return 1\n", "    return 2\n"),
            ("pkg/stats.py", "    nothing like this\n", "x\n"),
            ("pkg/stats.py", "    also missing\n", "y\n"),
        )
    )
    result = apply_blocks(blocks, FILES)
    assert not result.ok
    assert [f.index for f in result.failures] == [1, 2]
    assert result.applied == [(0, "exact")]
    assert "Block 2 (pkg/stats.py) failed" in result.failures[0].report()


@pytest.mark.parametrize("path", ["tests/test_stats.py", "benchmark.py", "../outside.py", "new.py"])
def test_non_editable_paths_are_refused(path: str) -> None:
    result = apply_blocks([block("a\n", "b\n", path=path)], FILES)
    [failure] = result.failures
    assert failure.kind == "refused"
    assert "not an editable file" in failure.reason and path in failure.reason
    assert "pkg/stats.py" in failure.hint
    assert result.texts == FILES


def test_path_suffix_resolves_to_the_unique_editable_file() -> None:
    assert resolve_path("./pkg/util.py", FILES) == "pkg/util.py"
    assert resolve_path("util.py", FILES) == "pkg/util.py"
    assert resolve_path("other/util.py", FILES) is None
    assert resolve_path("x.py", {"a/x.py": "", "b/x.py": ""}) is None


def test_resent_block_already_applied_counts_as_applied() -> None:
    first = block("    acc = 0\n", "    acc = 0.0\n")
    working = apply_blocks([first], FILES).texts
    again = apply_blocks([first], working, original=FILES)
    assert again.ok and again.applied == [(0, "already")]
    assert not apply_blocks([first], working).ok


def test_syntax_errors_name_file_and_line() -> None:
    [msg] = syntax_errors({"pkg/a.py": "def f(:\n    pass\n", "notes.txt": "def ("})
    assert msg.startswith("pkg/a.py line 1: SyntaxError")


def test_blank_edges_of_search_and_replace_never_add_blank_lines() -> None:
    """Regression: SEARCH lost its blank edge lines but REPLACE kept them, so a block with
    blank edges added blank lines each time it applied."""
    block = EditBlock("m.py", "\ndef f():\n    return 1\n\n", "\ndef f():\n    return 2\n\n", 1)
    tight = "x = 0\ndef f():\n    return 1\ny = 0\n"
    new, _ = apply_block(tight, block)
    assert new == "x = 0\ndef f():\n    return 2\ny = 0\n"
    spaced = "x = 0\n\ndef f():\n    return 1\n\ny = 0\n"
    new, tier = apply_block(spaced, block)
    assert (new, tier) == ("x = 0\n\ndef f():\n    return 2\n\ny = 0\n", "exact")
    again = EditBlock("m.py", block.replace, block.search, 2)
    assert apply_block(apply_block(new, again)[0], block)[0] == new  # round trips: no growth


def test_replace_may_still_add_blank_lines_on_purpose() -> None:
    block = EditBlock("m.py", "y = 0\n", "\n\ny = 0\n", 1)
    assert apply_block("x = 0\ny = 0\n", block)[0] == "x = 0\n\n\ny = 0\n"


def big_module(n_funcs: int = 1000) -> str:
    """About five thousand lines of near-identical functions (the hard case for matching)."""
    return "".join(
        f"def f{i}(xs):\n    acc = 0\n    for x in xs:\n        acc += x * {i}\n    return acc\n"
        for i in range(n_funcs)
    )


def test_blocks_apply_to_a_five_thousand_line_file() -> None:
    """SEARCH/REPLACE must work on files of thousands of lines: exact, whitespace-tolerant and
    re-indented blocks near the end, a no-match with its hint, all in one file."""
    text = big_module()
    assert len(text.splitlines()) == 5000
    exact = EditBlock(
        "big.py",
        "        acc += x * 998\n    return acc\n",
        "        acc += x\n    return acc * 998\n",
        1,
    )
    spaced = EditBlock(
        "big.py", "def f997(xs):   \n    acc  =  0\n", "def f997(xs):\n    acc = 1\n", 2
    )
    shifted = EditBlock(
        "big.py", "for x in xs:\n    acc += x * 996\n", "for x in xs:\n    acc -= x\n", 3
    )
    missing = EditBlock("big.py", "def f999(ys):\n    total = 0\n", "def f999(ys):\n", 4)
    result = apply_blocks([exact, spaced, shifted, missing], {"big.py": text})
    assert [tier for _, tier in result.applied] == ["exact", "whitespace", "reindent"]
    new = result.texts["big.py"]
    assert "        acc += x\n    return acc * 998\n" in new
    assert "def f997(xs):\n    acc = 1\n" in new and "        acc -= x\n" in new
    [failure] = result.failures
    assert failure.kind == "no-match"
    assert "def f999(xs):" in failure.hint  # the closest lines, found in 5,000
    assert len(new.splitlines()) == 5000


def test_a_long_failed_block_is_quoted_by_head_and_tail() -> None:
    search = "".join(f"line_{i} = {i}\n" for i in range(200))
    result = apply_blocks([EditBlock("m.py", search, "x = 1\n", 1)], {"m.py": "y = 2\n"})
    report = result.failures[0].report()
    assert "line_0 = 0" in report and "line_199 = 199" in report
    assert "line_100 = 100" not in report and "more lines of your block" in report
