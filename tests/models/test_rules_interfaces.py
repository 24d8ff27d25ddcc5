"""A method of an interface (a `Protocol`, an ABC, a class with a metaclass, an abstract or
stub method) is not what runs for an object typed with it: implementations live elsewhere,
so a call to it is unknown. Found by a review: a `Protocol`'s stub `notify` was pure, and a
loop sending a notification per order sent one."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

SOURCE = """
{header}


def ship(order_id, notifier: Notifier):
    notifier.notify("shipped")
    return order_id * 2


def ship_all(order_ids, notifier):
    total = 0
    for oid in order_ids:
        total += ship(7, notifier) + oid
    return total
"""

HEADERS = {
    "protocol": "from typing import Protocol\n\n\nclass Notifier(Protocol):\n"
    "    def notify(self, message): ...",
    "abc": "from abc import ABC\n\n\nclass Notifier(ABC):\n    def notify(self, message):\n"
    "        return None",
    "abstract method": "import abc\n\n\nclass Notifier:\n    @abc.abstractmethod\n"
    "    def notify(self, message):\n        return None",
    "stub": "class Notifier:\n    def notify(self, message):\n"
    '        """Send `message`."""\n        raise NotImplementedError',
    "metaclass": "class Notifier(metaclass=Registry):\n    def notify(self, message):\n"
    "        return None",
}


@pytest.mark.parametrize("header", sorted(HEADERS))
def test_a_call_to_an_interface_method_is_not_hoisted(header: str) -> None:
    source = SOURCE.format(header=HEADERS[header])
    assert helpers.rewrite(source, "hoist-pure-call", "ship_all") is None


def test_a_concrete_method_of_a_plain_class_still_is() -> None:
    header = "class Notifier:\n    def notify(self, message):\n        return len(message)"
    assert helpers.rewrite(SOURCE.format(header=header), "hoist-pure-call", "ship_all") is not None
