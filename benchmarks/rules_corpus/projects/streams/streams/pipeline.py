"""Generator stages: parse lines, clean tags, join with users, rank running totals."""

from __future__ import annotations

import re
from functools import reduce

_SPLIT = lambda line: line.split("|")  # noqa: E731


def normalize_tag(raw):
    text = re.sub(r"[^a-z0-9]+", "-", raw.strip().lower())
    return re.sub(r"-{2,}", "-", text).strip("-")


def parse_events(lines):
    fields = (_SPLIT(line) for line in lines if line and not line.startswith("#"))
    for user, tag, amount in fields:
        yield user.strip(), normalize_tag(tag), float(amount)


def tag_counts(events):
    def bump(acc, ev):
        acc[ev[1]] = acc.get(ev[1], 0) + 1
        return acc

    return reduce(bump, events, {})


def enrich(events, users):
    """(user name, tag, amount) for each event whose user id appears in `users` (id, name)."""
    return [
        (name, tag, amount)
        for uid, tag, amount in events
        for user_id, name in users
        if user_id == uid
    ]


def running_leaders(events, k):
    """After each event, the k largest amounts seen so far (as a tuple, largest first)."""
    seen = []
    out = []
    for _, _, amount in events:
        seen.append(amount)
        top = sorted(seen, reverse=True)[:k]
        out.append(tuple(top))
    return out
