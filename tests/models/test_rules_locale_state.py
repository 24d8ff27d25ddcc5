"""The locale and the time zone are state when the repository sets them: after its own
`setlocale` or `tzset`, `%b`, `%p` or a naive datetime's `timestamp()` give another answer
for the very same value. Found by review: a method reading `self.when.timestamp()` was kept
per object once naive datetimes counted as frozen, and served the old instant after
`tzset`; a second review found format directives (`%10B`, `%P`, `%s`) and spellings
(`format(d, "%b")`, `f"{d:%b}"`) that reading formats missed, so in such a repository no
date or time is kept at all and nothing that formats or parses them counts as pure. A
repository that never sets them is taken to run under the locale and zone its process
started with (`strptime` counted as pure long before)."""

from __future__ import annotations

from datetime import datetime

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


CALLS = [
    'self.when.strftime("%Y-%m-%d %H:%M")',
    'self.when.strftime("%d %b %Y")',
    'self.when.strftime("%10B")',
    "self.when.strftime(FORMAT)",
    "self.when.timestamp()",
    'format(self.when, "%b")',
    'f"{self.when:%b}"',
    '"{:%b}".format(self.when)',
]


@pytest.mark.parametrize("setter", sorted(SETTERS))
@pytest.mark.parametrize("call", CALLS)
def test_what_reads_the_locale_or_the_zone_is_kept_only_while_nothing_sets_them(
    call: str, setter: str
) -> None:
    """Refused, or (a format the value's own `__format__` reads) rewritten but nothing kept:
    a date or time is no value that cannot change there."""
    source = _event(call, SETTERS[setter])
    text = helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps")
    if text is not None:
        space = helpers.run_module(text, f"clock_{abs(hash((call, setter)))}")
        event = space["Event"](datetime(2020, 1, 1, 12), ["a"])  # type: ignore[operator]
        assert event.stamps() == event.stamps()
        assert space["_event_stamps_kept"] == {}, call
    assert helpers.rewrite(_event(call), "cache-method-by-snapshot", "Event.stamps"), call


@pytest.mark.parametrize(
    "setter",
    [
        'os.environ.update(TZ="UTC")',
        'os.environ["T" "Z"] = "UTC"',
        'getattr(loc, "setlocale")(6, "")',
        'importlib.import_module("locale")',
    ],
)
def test_the_spellings_of_setting_them_are_seen(setter: str) -> None:
    source = _event("self.when.timestamp()", setter)
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps") is None, setter


def test_the_instant_of_a_naive_datetime_follows_the_zone_the_repository_sets() -> None:
    source = _event("self.when.timestamp()", SETTERS["TZ"] + "\n    time.tzset()")
    assert helpers.rewrite(source, "cache-method-by-snapshot", "Event.stamps") is None


@pytest.mark.parametrize("fmt", ["%Y-%m-%d", "%d %b %Y"])
def test_parsing_is_not_cached_where_the_repository_sets_the_locale(fmt: str) -> None:
    source = (
        "import locale\nfrom datetime import datetime\n\n\n"
        f"def days(texts):\n    return [datetime.strptime(t, {fmt!r}) for t in texts]\n"
    )
    assert helpers.rewrite(source, "cached-call", "days") is None, fmt
    plain = source.replace("import locale\n", "")
    assert helpers.rewrite(plain, "cached-call", "days") is not None, fmt
