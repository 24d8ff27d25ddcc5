"""The locale and the time zone are state when the repository sets them: after its own
`setlocale` or `tzset`, `%b`, `%p` or a naive datetime's `timestamp()` give another answer
for the very same value. Found by review: a method reading `self.when.timestamp()` was kept
per object once naive datetimes counted as frozen, and served the old instant after
`tzset`. A repository that never sets them is taken to run under the locale and zone its
process started with (`strptime` counted as pure long before)."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

EVENT = """
import time
from datetime import datetime

FORMAT = "{fmt}"


class Event:
    def __init__(self, when, tags):
        self.when = when
        self.tags = list(tags)

    def stamps(self):
        return [({call}, tag) for tag in self.tags]


def in_zone(name):
    {setter}
"""

SETTERS = {
    "tzset": "time.tzset()",
    "setlocale": "import locale\n    locale.setlocale(locale.LC_TIME, name)",
    "TZ": 'import os\n    os.environ["TZ"] = name',
}


def _event(call: str, setter: str = "pass", fmt: str = "%Y/%m") -> str:
    return EVENT.replace("{call}", call).replace("{fmt}", fmt).replace("{setter}", setter)


CALLS = {
    'self.when.strftime("%Y-%m-%d %H:%M")': True,
    'self.when.strftime("100%% at %H")': True,
    "self.when.strftime(FORMAT)": True,
    'self.when.strftime("%d %b %Y")': False,
    'self.when.strftime("%I %p")': False,
    'self.when.strftime("%c")': False,
    'self.when.strftime("%-d %Ey")': False,
    'self.when.strftime("%H" + "%M")': False,
    "self.when.timestamp()": False,
}


@pytest.mark.parametrize("setter", sorted(SETTERS))
@pytest.mark.parametrize("call", sorted(CALLS))
def test_what_reads_the_locale_or_the_zone_is_kept_only_while_nothing_sets_them(
    call: str, setter: str
) -> None:
    source = _event(call, SETTERS[setter])
    text = helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps")
    assert (text is not None) is CALLS[call], (call, setter)
    assert helpers.rewrite(_event(call), "cache-method-by-snapshot", "Event.stamps"), call


def test_the_instant_of_a_naive_datetime_follows_the_zone_the_repository_sets() -> None:
    source = _event("self.when.timestamp()", SETTERS["TZ"] + "\n    time.tzset()")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps") is None


@pytest.mark.parametrize(
    ("fmt", "cached"), [("%Y-%m-%d", True), ("%d %b %Y", False), ("%Y %Z", False)]
)
def test_parsing_by_a_format_the_locale_spells_is_not_cached(fmt: str, cached: bool) -> None:
    source = (
        "import locale\nfrom datetime import datetime\n\n\n"
        f"def days(texts):\n    return [datetime.strptime(t, {fmt!r}) for t in texts]\n"
    )
    assert (helpers.rewrite(source, "cached-call", "days") is not None) is cached, fmt
    plain = source.replace("import locale\n", "")
    assert helpers.rewrite(plain, "cached-call", "days") is not None, fmt


def test_a_format_constant_is_read_through() -> None:
    """`FORMAT = "%b"` is read where it is bound: a month's name, which the locale spells."""
    source = _event("self.when.strftime(FORMAT)", SETTERS["setlocale"], fmt="%b")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps") is None
    assert helpers.rewrite(
        source.replace('FORMAT = "%b"', 'FORMAT = "%m"'), "cache-method-by-snapshot", "Event.stamps"
    )
