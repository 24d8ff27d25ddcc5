"""The locale and the time zone as state. `%b`, `%p`, `%s` and a naive datetime's
`timestamp()` answer by them, and code may set them again (`locale.setlocale`, `TZ` and
`time.tzset`), so a result kept across calls could outlive a change. A repository that sets
neither is taken to run under the locale and zone its process started with, as the rules
always took `strptime` to be pure; one that sets either gets no such result kept: its
dates and times count as values that could change, and what formats, parses or places
them in time as impure."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.project import Project
from agent.engines.rules.syntax import code_of, walk

CLOCK_CALLS = frozenset(
    {"strftime", "timestamp", "datetime.datetime.strptime", "time.strptime", "time.strftime"}
)
"""Methods (by name) and standard-library functions (dotted) that read the locale or zone."""
_SETTERS = frozenset({"setlocale", "tzset"})
_SPELLED = frozenset({"TZ", "locale", "setlocale", "tzset"})


def reads_clock_state(project: Project, name: str) -> bool:
    """A call of `name` (a method, or a dotted standard-library function) answers by the
    locale or the zone, and the repository sets one of them."""
    return name in CLOCK_CALLS and sets_locale_or_zone(project)


def sets_locale_or_zone(project: Project) -> bool:
    """Some code of the repository may change the locale or the time zone: it imports
    `locale`, names `setlocale` or `tzset`, spells one of them or "TZ" in a string (an
    environment variable, `getattr`, `import_module`), or passes a `TZ=` keyword."""
    found = project.memo.get("sets_locale_or_zone")
    if found is None:
        found = project.memo["sets_locale_or_zone"] = any(
            _sets_clock(n)
            for module in project.modules.values()
            for n in walk(module, into_scopes=True)
        )
    return bool(found)


def _sets_clock(n: cst.CSTNode) -> bool:
    if isinstance(n, cst.Name):
        return n.value in _SETTERS
    if isinstance(n, cst.Attribute):
        return n.attr.value in _SETTERS
    if isinstance(n, cst.Import | cst.ImportFrom):
        return "locale" in code_of(n).replace(",", " ").replace(".", " ").split()
    if isinstance(n, cst.Arg):
        return n.keyword is not None and n.keyword.value == "TZ"
    if isinstance(n, cst.SimpleString | cst.ConcatenatedString):
        return n.evaluated_value in _SPELLED
    return False
