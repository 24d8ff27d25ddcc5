"""Corpus for sort-memo (comparators that recompute per-element values of pure functions)
and group-by-call (a per-key scan called once per key in a loop): keys and amounts of mixed
types, floats whose sum depends on the order, values a scan cannot add, comparators that
raise on mixed keys; binomial coefficients spelled with factorials."""

from __future__ import annotations

from functools import cmp_to_key
from math import factorial

# --- sort-memo --------------------------------------------------------------------------------


def wins(team, games):
    total = 0
    for home, away, hg, ag in games:
        if (home == team and hg > ag) or (away == team and ag > hg):
            total += 1
    return total


def goals(team, games):
    return sum(hg if home == team else ag for home, away, hg, ag in games if team in (home, away))


def by_record(a, b, games):
    for stat in (lambda t: wins(t, games), lambda t: goals(t, games)):
        diff = stat(b) - stat(a)
        if diff:
            return diff
    return -1 if a < b else (1 if a > b else 0)


def table(teams, games):
    return sorted(teams, key=cmp_to_key(lambda a, b: by_record(a, b, games)))


def best_score(name, scores):
    best = None
    for who, score in scores:
        if who == name and (best is None or score > best):
            best = score
    return best


def closer(x, y, scores, target=10):
    dx = abs((best_score(x, scores) or 0) - target)
    dy = abs((best_score(y, scores) or 0) - target)
    return dx - dy


def rank_in_place(names, scores):
    names.sort(key=cmp_to_key(lambda x, y: closer(x, y, scores)), reverse=True)
    return names


# --- group-by-call ----------------------------------------------------------------------------


def owed(name, entries):
    total = 0
    for who, amount in entries:
        if who == name:
            total += amount
    return total


def owed_all(names, entries):
    return [owed(n, entries) for n in names]


def balance_of(code, entries, cutoff=None):
    total = 0.0
    for day, postings in entries:
        if cutoff is not None and day > cutoff:
            continue
        for account, amount in postings:
            if account == code:
                total += amount
    return total


def balances(codes, entries, cutoff):
    out = {}
    for code in codes:
        out[code] = balance_of(code, entries, cutoff)
    return out


def first_row(sku, rows):
    for row in rows:
        if row[0] == sku:
            return row
    return None


def rows_of_skus(skus, rows):
    return [first_row(s, rows) for s in skus]


def kwh_of(cid, readings):
    return sum(r[1] for r in readings if r[0] == cid)


def kwh_all(cids, readings):
    return {c: kwh_of(c, readings) for c in cids}


def rows_of(cid, rows):
    return [r for r in rows if r[1] != 0 and cid == r[0]]


def row_report(cids, rows):
    out = []
    for c in cids:
        mine = rows_of(c, rows)
        out.append((c, len(mine), mine))
    return out


def kwh_peak_of(cid, rows):
    best = max(r[1] for r in rows if r[1] if r[0] == cid)
    return best


def kwh_peaks(cids, rows):
    return [kwh_peak_of(c, rows) for c in cids]


def first_pair(a, b, pairs):
    for p in pairs:
        if p[0] == a and p[1] == b:
            return p
    return None


def pairs_for(a, bs, pairs):
    return [first_pair(a, b, pairs) for b in bs]


def marks_of(sid, marks):
    return [m for m in marks if m[0] == sid]


def average_of(student, marks, scale=1):
    if scale == 0:
        raise ValueError("no scale")
    own = marks_of(student[0], marks)
    if not own:
        return None
    return sum(m[1] for m in own) * scale / len(own)


def averages(students, marks):
    return [average_of(s, marks) for s in students]


def owner_row(sku, rows):
    for r in rows:
        if r[0] == sku:
            return r
    return None


def describe_item(item, rows, extra="-"):
    row = owner_row(item[0], rows)
    return (item, extra) if row is None else (item, row[1:])


def describe_all(items, rows):
    out = []
    for it in items:
        out.append(describe_item(it, rows))  # noqa: PERF401 (the corpus is written the slow way)
    return out


def owed_unless(name, entries, skip):
    total = 0
    for who, amount in entries:
        if amount != skip and who == name:
            total += amount
    return total


def owed_unless_all(names, entries):
    return [owed_unless(n, entries, 0.1) for n in names]


def goals_by_venue(team, games, cap):
    per = {}
    kept = 0
    for g in games:
        if g[2] >= 0 and g[0] == team and kept < cap:
            per.setdefault(g[1], []).append(g[2] - g[3])
            kept += 1
    return sorted((k, sum(v)) for k, v in per.items() if isinstance(k, str))


def venues_all(teams, games):
    return [goals_by_venue(t, games, 3) for t in teams]


def games_of(team, games):
    out = []
    for g in games:
        if g[2] >= 0 and g[0] == team:
            out.append(g)  # noqa: PERF401 (the slow way, on purpose)
    return out


# --- math-comb --------------------------------------------------------------------------------


def choose(n, k):
    return factorial(n) // (factorial(k) * factorial(n - k))


def arrangements(n, k):
    return factorial(n) / factorial(n - k)


def pair_rows_of(a, b, pairs):
    return [p for p in pairs if p[0] == a and p[1] == b]


def pair_rows_grid(firsts, seconds, pairs):
    return [(a, b, pair_rows_of(a, b, pairs)) for a in firsts for b in seconds]


def pair_total(a, b, pairs, skip=None):
    total = 0
    for p in pairs:
        if p[0] == a and p[1] == b and p[2] != skip:
            total += p[2]
    return total


def pair_totals(asked, pairs):
    out = {}
    for a, b in asked:
        out[(a, b)] = pair_total(a, b, pairs)
    return sorted(out.items(), key=repr)


def best_pair(a, b, pairs):
    return max(p[2] for p in pairs if p[0] == a if b == p[1])


def best_pairs(firsts, b, pairs):
    out = []
    for a in firsts:
        for c in range(b):
            out.append(best_pair(a, c, pairs))  # noqa: PERF401 (the corpus is written the slow way)
    return out


# --- join-index-guarded in a comprehension, records unpacked ---------------------------------


def unpacked_sums(keys, rows):
    return {k: sum((n for a, _, n in rows if a == k), 0) for k in keys}


def keyed_lists(keys, rows):
    return [(k, [r for r in rows if r[1] == k]) for k in keys]


def unpacked_hits(keys, rows):
    out = []
    for k in keys:
        hits = 0
        for _, b, n in rows:
            if b == k:
                hits += n
        out.append(hits)
    return out


def any_unpacked(keys, rows):
    return [k for k in keys if any(a == k for a, _, _ in rows)]


# --- earlier-by-key: a per-position scan of the earlier items of one key -------------------


def owed_before(entries, index):
    target = entries[index][0]
    total = 0
    for i in range(index):
        who, amount = entries[i][0], entries[i][1]
        if amount != "x" and who == target:
            total += amount
    return total


def running_owed(entries):
    out = []
    for i, entry in enumerate(entries):
        if entry[1] == [1]:
            continue
        out.append(owed_before(entries, i))
    return out


def first_partner_before(rows, index, limit):
    wanted = rows[index][0]
    seen = 0
    for row in rows[:index]:
        if len(row) > 1 and row[0] == wanted and seen < limit:
            seen += 1
            if row[2] > 2:
                return row[1]
    else:
        seen = -seen
    return seen


def partners(rows, limit):
    out = []
    for i in range(len(rows)):
        out.append(first_partner_before(rows, i, limit))  # noqa: PERF401 (written the slow way)
    return out


def entries_for(entries, who=None, kind=None):
    """An optional filter: None matches every entry."""
    return [e for e in entries if (who is None or e[0] == who) and (kind is None or e[1] == kind)]


def entries_by_who(names, entries):
    return {n: entries_for(entries, who=n) for n in names}


def owed_optional(entries, who=None, floor=None):
    total = 0
    for who_of, amount in entries:
        if (who is None or who_of == who) and (floor is None or amount > floor):
            total += amount
    return total


def owed_optional_all(names, entries, floor):
    return [owed_optional(entries, n, floor) for n in names]
