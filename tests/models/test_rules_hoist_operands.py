"""hoist-pure-call never shares one result among the iterations of a loop that uses it as an
operand: `+`, `-` or formatting may run the result's own methods, which can change it (the
review of a change that briefly allowed it found a repository class whose `__add__` appends
to itself, and lists whose shallow copies shared their inner lists)."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

BAG = """
class Bag:
    def __init__(self):
        self.items = []

    def __add__(self, x):
        self.items.append(x)
        return len(self.items)


def make():
    return Bag()


def groups(n):
    return [[i] for i in range(n)]


def f(xs, n):
    out = []
    for x in xs:
        b = make()
        out.append(b + x)
    return out
"""


@pytest.mark.parametrize(
    "use",
    ["b + x", "x + b", "-b", 'f"{b}"', "g + g"],
    ids=["add", "radd", "neg", "format", "list-copy"],
)
def test_a_result_read_as_an_operand_is_not_shared(use: str) -> None:
    source = BAG.replace("        out.append(b + x)\n", f"        out.append({use})\n")
    if "g" in use:
        source = source.replace("        b = make()\n", "        g = groups(n)\n")
    assert helpers.rewrite(source, "hoist-pure-call", "f") is None
