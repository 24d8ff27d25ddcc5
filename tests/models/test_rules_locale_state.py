"""The locale and the time zone are state: `setlocale` and `tzset` change what `%b`, `%p` or
a naive datetime's `timestamp()` give for the very same value. Found by review: a method
reading `self.when.timestamp()` was kept per object once naive datetimes counted as frozen,
and served the old instant after `tzset`."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

EVENT = """
from datetime import datetime

FORMAT = "{fmt}"


class Event:
    def __init__(self, when, tags):
        self.when = when
        self.tags = list(tags)

    def stamps(self):
        return [({call}, tag) for tag in self.tags]
"""


@pytest.mark.parametrize(
    ("call", "kept"),
    [
        ('self.when.strftime("%Y-%m-%d %H:%M")', True),
        ('self.when.strftime("100%% at %H")', True),
        ("self.when.strftime(FORMAT)", True),
        ('self.when.strftime("%d %b %Y")', False),
        ('self.when.strftime("%I %p")', False),
        ('self.when.strftime("%c")', False),
        ('self.when.strftime("%-d %Ey")', False),
        ('self.when.strftime("%H" + "%M")', False),
        ("self.when.timestamp()", False),
    ],
)
def test_what_reads_the_locale_or_the_zone_is_never_kept(call: str, kept: bool) -> None:
    source = EVENT.replace("{call}", call).replace("{fmt}", "%Y/%m")
    text = helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps")
    assert (text is not None) is kept, call


@pytest.mark.parametrize(
    ("fmt", "cached"), [("%Y-%m-%d", True), ("%d %b %Y", False), ("%Y %Z", False)]
)
def test_parsing_by_a_format_the_locale_spells_is_not_cached(fmt: str, cached: bool) -> None:
    source = (
        "from datetime import datetime\n\n\n"
        f"def days(texts):\n    return [datetime.strptime(t, {fmt!r}) for t in texts]\n"
    )
    assert (helpers.rewrite(source, "cached-call", "days") is not None) is cached, fmt


def test_a_format_constant_is_read_through() -> None:
    """`FORMAT = "%b"` is read where it is bound: a month's name, which the locale spells."""
    source = EVENT.replace("{call}", "self.when.strftime(FORMAT)").replace("{fmt}", "%b")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps") is None
