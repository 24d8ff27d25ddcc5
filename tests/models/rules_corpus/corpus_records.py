# ruff: noqa: PERF401  (the corpus is deliberately written the slow way)
"""Corpus for containers a function fills itself: records kept in a dict of its own, read
back with `.get` and updated (the loop stays pure, so the join on users may be indexed), and
functions that store their caller's records into a container of their own and then change
them through it (never pure: a call to them may not be hoisted, cached or skipped)."""

from __future__ import annotations

# --- a join inside a loop that keeps records of its own (join-index-guarded) -----------------


def sessions_of(events, users, gap):
    sessions = []
    open_by_login = {}
    for event in events:
        login = event[0]
        user = None
        for candidate in users:
            if candidate["login"] == login:
                user = candidate
                break
        if user is None:
            continue
        current = open_by_login.get(login)
        if current is None or event[1] - current["end"] > gap:
            current = {"login": login, "team": user["team"], "start": event[1], "end": event[1]}
            current["n"] = 0
            sessions.append(current)
            open_by_login[login] = current
        current["end"] = event[1]
        current["n"] += 1
    return sessions


# --- caller's records stored, then changed through the container ----------------------------


def mark_all(rows):
    seen = {}
    for r in rows:
        seen[r["id"]] = r
    for k in seen:
        seen[k]["seen"] = seen[k].get("seen", 0) + 1
    return len(seen)


def marked_rounds(rows, times):
    total = 0
    for _ in range(times):
        total += mark_all(rows)
    return total


def tag_first(rows):
    box = []
    alias = box
    for r in rows:
        alias.append(r)
    if box:
        box[0]["tag"] = box[0].get("tag", 0) + len(box)
    return len(box)


def tag_rounds(rows, times):
    out = []
    for _ in range(times):
        out.append(tag_first(rows))
    return out


def fill_slot(keys, fallback):
    own = {}
    for k in keys:
        own[k] = {"n": 0}
    slot = own.get("x", fallback)
    slot["n"] = len(own)
    return len(own)


def fill_rounds(keys, fallback, times):
    return [fill_slot(keys, fallback) for _ in range(times)]


# --- refresh-pure-call: a pure call whose argument is rebound only now and then --------------


def path_cost(path, costs):
    total = 0
    for k in range(len(path) - 1):
        total += costs[path[k]][path[k + 1]]
    return total


def improve(path, costs, rounds):
    best = list(path)
    for _ in range(rounds):
        changed = False
        for i in range(1, len(best) - 1):
            candidate = best[:i] + best[i:][::-1]
            if path_cost(candidate, costs) < path_cost(best, costs):
                best = candidate
                changed = True
        if not changed:
            break
    return best


# --- hoist-pure-call must not keep a value its loop changes the argument of ------------------


def size_of(xs):
    return len(xs)


def running_sizes(xs):
    out = []
    sizes = []
    for x in xs:
        out.append(x)
        sizes.append(size_of(out))
    return sizes


# --- hoist-pure-call-comp: a pure call a comprehension repeats with the same arguments --------


def average(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs)


def above_average(xs):
    return [x for x in xs if x > average(xs)]


def shares_of(xs):
    return {x: x / sum(xs) for x in xs}


def deviation_from(xs, ys):
    return sum(abs(x - average(ys)) for x in xs)


def centred_rows(rows, target):
    return [[v - average(target) for v in row] for row in rows]


def top_scorers(rows):
    return [r["name"] for r in rows if r["score"] == max(q["score"] for q in rows)]


def share_by_key(pairs):
    totals = {}
    for key, amount in pairs:
        totals[key] = totals.get(key, 0) + amount
    return {k: v / sum(totals.values()) for k, v in totals.items()}


def quantile_each(values, ps):
    """`sorted(values)` again for every query, its list only read: one sorted list may serve
    them all (NaN, -0.0 and True among the values, out-of-range ps raising IndexError)."""
    res = []
    for p in ps:
        ordered = sorted(values)
        res.append(ordered[int(p * (len(ordered) - 1))])
    return res


def rank_in_sorted(values, probes):
    """A sorted copy per probe, searched by `in` and `.index`: a read-only local."""
    out = []
    for x in probes:
        ordered = sorted(values)
        out.append(ordered.index(x) if x in ordered else -1)
    return out
