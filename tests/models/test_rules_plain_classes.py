"""Building an instance of a plain class (no bases or decorators, an `__init__` that checks its
arguments and stores values on `self`) has no effect beyond the new object, so functions that
build one count as pure; classes whose construction can run other code do not."""

from __future__ import annotations

import textwrap

import pytest

from agent.engines.rules.effects import effects_of
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

BILL = """
class BadBill(ValueError):
    pass


class Bill:
    \"\"\"One month's charges.\"\"\"

    rate = 0.2

    def __init__(self, customer, usage, lines=None):
        if usage < 0:
            raise BadBill(usage)
        self.customer = customer
        self.usage = usage
        self.lines: list = list(lines or ())
        self.total = round(usage * 0.2, 2)

    @property
    def cost(self):
        return self.total


def bill(customer, usage):
    return Bill(customer, usage)
"""


def _pure(source: str) -> bool:
    texts = {"m.py": textwrap.dedent(source)}
    project = project_for(texts)
    ref = project.function("m.py", "bill")
    assert ref is not None
    return effects_of(project).summary(ref).pure


def test_a_function_building_a_plain_class_is_pure() -> None:
    assert _pure(BILL)
    assert _pure(
        BILL.replace("    def __init__", "    def unused(self):\n        pass\n\n    def __init__")
    )
    assert _pure("class Empty:\n    pass\n\n\ndef bill(a, b):\n    return Empty()\n")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("class Bill:", "class Bill(dict):"),
        ("class Bill:", "class Bill(metaclass=type):"),
        ("class Bill:", "@register\nclass Bill:"),
        ("        self.usage = usage\n", "        self.usage = usage\n        print(usage)\n"),
        ("        self.usage = usage\n", "        self.usage = usage\n        self.audit()\n"),
        ("        self.usage = usage\n", "        customer.append(usage)\n"),
        ("        self.total = round(", "        self.cost = round("),
        ("        self.total = round(", "        self.rate = round("),
        ("        self.usage = usage\n", "        Bill.rate = usage\n"),
        (
            "    rate = 0.2\n",
            "    def __setattr__(self, k, v):\n        object.__setattr__(self, k, v)\n",
        ),
        ("    rate = 0.2\n", "    def __new__(cls, *a):\n        return object.__new__(cls)\n"),
    ],
    ids=[
        "base",
        "metaclass",
        "decorated",
        "prints",
        "calls-a-method",
        "changes-an-argument",
        "property-setter",
        "class-attribute",
        "changes-the-class",
        "setattr-hook",
        "new-hook",
    ],
)
def test_construction_that_may_run_other_code_is_not_pure(old: str, new: str) -> None:
    source = BILL.replace(old, new, 1)
    assert source != BILL
    source += "\n\ndef register(c):\n    return c\n" if "@register" in new else ""
    if "audit" in new:
        source = source.replace(
            "    @property", "    def audit(self):\n        print(self)\n\n    @property"
        )
    assert not _pure(source)


def test_an_instance_built_in_a_loop_is_not_shared_between_iterations() -> None:
    """Guards the use of the fact: a constructor call whose arguments do not change is still
    a new object each time, so no rewrite hoists it out of a loop that keeps them."""
    source = textwrap.dedent(
        """
        class Pair:
            def __init__(self, a, b):
                self.a = a
                self.b = b


        def pairs(n, a):
            out = []
            for i in range(n):
                p = Pair(a, a)
                out.append(p)
            return out
        """
    )
    from agent.engines.rules import CATALOGUE

    for rule in CATALOGUE:
        text = helpers.rewrite(source, rule.id, "pairs")
        if text is not None:
            made = helpers.run_module(text, f"plain_pairs_{rule.id.replace('-', '_')}")
            got = made["pairs"](4, 1)  # type: ignore[operator]
            assert len({id(p) for p in got}) == 4, rule.id
