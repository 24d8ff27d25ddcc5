"""running-min-max-guarded: the running min/max of a growing list of values of unknown type,
kept while they are ints or floats. Before/after, and where the precondition fails."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

PEAKS = """
def f(values):
    seen = []
    out = []
    for value in values:
        seen.append(value)
        out.append(max(seen))
    return out
"""


def test_guarded_running_max_keeps_the_list_and_falls_back_for_other_values() -> None:
    text = rewrite(PEAKS, "running-min-max-guarded", "f")
    assert text is not None
    compile(text, "mod.py", "exec")
    assert "        seen_item = value\n        seen.append(seen_item)\n" in text
    assert "if type(seen_item) is int or type(seen_item) is float:" in text
    assert "out.append((seen_max if seen_numeric else max(seen)))" in text
    assert rewrite(PEAKS, "running-min-max", "f") is None  # unknown types are not its case


def test_guarded_running_max_is_left_to_the_plain_rule_for_known_numbers() -> None:
    source = PEAKS.replace("def f(values):", "def f(values: list[int]):")
    assert rewrite(source, "running-min-max-guarded", "f") is None
    assert rewrite(source, "running-min-max", "f") is not None


@pytest.mark.parametrize(
    "source",
    [
        PEAKS.replace("out.append(max(seen))", "out.append(max(seen))\n        seen.sort()"),
        PEAKS.replace("out.append(max(seen))", "out.append(max(seen, key=abs))"),
        PEAKS.replace("    out = []\n", "    out = []\n    int = str\n"),  # shadowed
        PEAKS.replace("    seen = []\n", "    seen = [0]\n"),  # not empty at the start
        PEAKS.replace(
            "        seen.append(value)\n        out.append(max(seen))\n",
            "        out.append(max(seen) if seen else None)\n        seen.append(value)\n",
        ),
    ],
    ids=["other-use", "key", "shadowed-int", "not-empty", "read-before-append"],
)
def test_guarded_running_max_refuses(source: str) -> None:
    assert rewrite(source, "running-min-max-guarded", "f") is None
