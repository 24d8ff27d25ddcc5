# ruff: noqa: PERF401  (the corpus is deliberately written the slow way)
"""Corpus for inline-call and the rewrites it exposes (one-expression helpers called in loops:
records of unknown key types, consumed generators, literal arguments), and for the running
min/max of values of unknown type and the cache of functions with unannotated parameters."""

from __future__ import annotations


def rows_for(who, rows):
    """The rows of `who` (compared by key: ints, strs, floats, bools or None)."""
    return [r for r in rows if r.key == who.key]


def totals_by_owner(owners, rows):
    out = []
    for owner in owners:
        mine = rows_for(owner, rows)
        out.append((len(mine), sum(r.value for r in mine)))
    return out


def count_in(team, games):
    return sum(1 for g in games if team in g)


def appearances(teams, games):
    return [count_in(t, games) + 1 for t in teams]


def tagged(word, words, tag):
    return [w + tag for w in words if w == word]


def all_tagged(words):
    out = []
    for word in words:
        out.append(tagged(word, words, "!"))
    return out


def keyed(rows, k):
    return [r for r in rows if r["k"] == k]


def groups_of(keys, rows):
    seen = []
    for k in keys:
        seen.append(len(keyed(rows, k)))
        rows.append({"k": k})
    return seen


# --- running-min-max-guarded: values of unknown type -----------------------------------------


def peaks(values):
    seen = []
    out = []
    for value in values:
        seen.append(value)
        out.append((max(seen), min(seen)))
    return out


def lows_after(values, start):
    seen = []
    out = []
    for value in values:
        seen.append(value + start)
        if len(out) < 5:
            out.append(min(seen))
    return out


# --- cache-pure-function-guarded: unannotated parameters ------------------------------------


def squeeze(raw, sep=" "):
    return sep.join(raw.strip().lower().split())


def squeeze_all(items):
    return [squeeze(x) for x in items] + [squeeze(x, "-") for x in items]


def pad_label(n, width):
    text = str(n)
    for _ in range(width - len(text)):
        text = "." + text
    return (text, width)


def money(value, places=2):
    text = f"{value:,.{places}f}"
    return text.replace(",", " ") + " EUR"


def money_lines(values):
    return [money(v) for v in values] + [money(v, 0) for v in values]


# --- prefix-aggregate-guarded: sequences of unknown type --------------------------------------


def peak_lows(prices):
    out = []
    for i in range(len(prices)):
        peak = max(prices[: i + 1])
        low = min(prices[0 : i + 1])
        out.append((peak, low, sum(prices[: i + 1])))
    return out


def place_of(table, who):
    """1 for the highest value: the whole table sorted again for every lookup."""
    ordered = sorted(table, key=lambda k: -table[k])
    return ordered.index(who) + 1


def places(table):
    out = []
    for who in table:
        out.append((who, place_of(table, who)))
    return out


def places_of(table, names):
    return {n: place_of(table, n) for n in names}


def band(value, limits):
    """The first limit (highest first) that `value` reaches, from a sorted copy."""
    for name, floor in sorted(limits.items(), key=lambda kv: -kv[1]):
        if value >= floor:
            return name
    return None


def bands(values, limits):
    return [band(v, limits) for v in values]
