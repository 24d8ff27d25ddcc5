"""Corpus for kept-index: a lookup by a computed key runs again and again while the records
change between lookups in every way a caller can change them (an item appended, replaced or
removed, a key field set anew, a record of another kind put in). Keys come in mixed types
(1 == 1.0 == True, NaN, None, a flag the key function refuses), and records may lack the
field the key reads."""

from __future__ import annotations

from fractions import Fraction


def norm(text):
    if isinstance(text, str):
        return text.strip().lower()
    if isinstance(text, bool):
        raise TypeError("a flag is not a name")
    return text


def _edit(records, edit):
    """Change the records the way the edit says (indexes wrap; nothing to change is fine)."""
    kind, at, value = edit
    if kind == "append":
        records.append(value)
    elif not records:
        return
    elif kind == "put":
        records[at % len(records)] = value
    elif kind == "pop":
        records.pop(at % len(records))
    elif kind == "field":
        record = records[at % len(records)]
        if isinstance(record, dict):
            record["name"] = value
        elif isinstance(record, list) and record:
            record[0] = value


def named_rows(records, names, edits):
    """A comprehension, the probe a local, the records a list of lists, tuples and dicts."""
    found = []
    for name, edit in zip(names, edits, strict=False):
        target = name
        found.append([r for r in records if norm(r[0]) == target])
        _edit(records, edit)
    return found


def first_named(records, names, edits):
    """A loop that stops at the first match, with a second test kept after the key's."""
    hits = []
    for name, edit in zip(names, edits, strict=False):
        hit = None
        for r in records:
            if norm(r["name"]) == name and r.get("n", 0) >= 0:
                hit = r
                break
        hits.append(hit)
        _edit(records, edit)
    return hits


def any_named(records, names, edits):
    """A generator consumed at once by `any`, over a tuple rebuilt after some edits."""
    answers = []
    for name, edit in zip(names, edits, strict=False):
        answers.append(any(norm(r[0]) == name for r in records))
        if edit[0] == "put":
            records = tuple(records)
        else:
            _edit(records, edit)
    return answers


def kept_words(words, stop_words):
    """membership-set-guarded: a stop list of values of any kind, probes of any kind."""
    stops = list(stop_words)
    return [w for w in words if w not in stops]


def first_banned(items, banned):
    """membership-set-guarded on a parameter, which may be a list, a tuple, a str or a dict."""
    for x in items:
        if x in banned:
            return x
    return None


def resolved(raws, candidates, edits):
    """kept-index keyed on the record itself: candidates of any kind, changed between
    lookups."""
    out = []
    for raw, edit in zip(raws, edits, strict=False):
        key = norm(raw)
        hit = None
        for name in candidates:
            if norm(name) == key:
                hit = name
                break
        out.append(hit)
        _edit(candidates, edit)
    return out


def longest_prefixes(deck, numbers, edits):
    """A prefix scan (the first of the longest keys that start the number), over records
    whose key may be text, a number, bytes or missing, changed between lookups."""
    out = []
    for number, edit in zip(numbers, edits, strict=False):
        best = None
        for entry in deck:
            if number.startswith(entry[0]):  # noqa: SIM102
                if best is None or len(entry[0]) > len(best[0]):
                    best = entry
        out.append(best)
        _edit(deck, edit)
    return out


def starting(deck, number):
    """A prefix filter with a second test, read only for the records that match."""
    return [e for e in deck if number.startswith(e[0]) and e[1] > 0]


# --- a table built afresh at every call from constants (constant-table) -------------------

LADDER_STEPS = ("1/2", "4/6", "evens", "2/1", "5/2", "3/1")


def _step_value(text):
    if text == "evens":
        return Fraction(2)
    top, bottom = text.split("/")
    return 1 + Fraction(int(top), int(bottom))


def nearest_steps(prices):
    """Each price's nearest ladder step; the ladder is built at every (recursive) call, so
    after the rewrite every call but the first reads it from its cell."""
    ladder = []
    for text in LADDER_STEPS:
        ladder.append((text, _step_value(text)))  # noqa: PERF401
    if not prices:
        return []
    price = prices[0]
    best = min(ladder, key=lambda step: abs(step[1] - price))
    return [best[0]] + nearest_steps(prices[1:])  # noqa: RUF005
