# ruff: noqa: PERF401  (the corpus is deliberately written the slow way)
"""Corpus for lookups hidden in a helper (join-index-call): a caller's loop hands the same
records to a function that scans them for the ones whose key equals a value. Keys and probes
come in mixed types (1 == 1.0 == True, NaN, None), records may lack the key, probes may lack
their attribute, and one helper changes the records it finds (never indexed)."""

from __future__ import annotations

# --- lookups: the first match, or a raise / default after the loop ---------------------------


def find_user(users, login):
    for user in users:
        if user["login"] == login:
            return user
    raise KeyError(login)


def teams_of(logins, users):
    teams = []
    for login in logins:
        user = find_user(users, login)
        teams.append(user["team"])
    return teams


def owner_name(order, people):
    """The name of the order's owner, or None."""
    for person in people:
        if order.owner == person.ident:
            return person.name
    return None


def owner_names(orders, people):
    names = []
    for order in orders:
        names.append(owner_name(order, people))
    return names


# --- a total over the matches, with a fresh local ---------------------------------------------


def total_for(rows, key):
    total = 0
    for row in rows:
        if row["id"] == key:
            total += row["n"]
    return total


def totals(keys, rows):
    out = {}
    for key in keys:
        out[str(key)] = total_for(rows, key)
    return out


# --- a helper that changes what it finds (the loop is not pure: never indexed) ---------------


def claim(rows, key):
    for row in rows:
        if row["id"] == key:
            row["id"] = "taken"
            return row
    return None


def claim_all(rows, keys):
    out = []
    for key in keys:
        out.append(claim(rows, key))
    return out


# --- a lookup written as next() over a generator ----------------------------------------------


def region_of(site, regions):
    return next((r["name"] for r in regions if r["code"] == site.region), "unknown")


def regions_of(sites, regions):
    out = []
    for site in sites:
        out.append(region_of(site, regions))
    return out


# --- dict records, a subscript probe, a default and a further condition ----------------------


def active_name(order, people, fallback=None):
    for person in people:
        if person["id"] == order["owner"] and person["active"]:
            return person["name"]
    return fallback


def active_names(orders, people):
    out = []
    for order in orders:
        out.append(active_name(order, people))
    return out


# --- a join on dict records with a dict probe (join-index-guarded) ---------------------------


def first_names(orders, people):
    out = []
    for order in orders:
        found = None
        for person in people:
            if person["id"] == order["owner"]:
                found = person["name"]
                break
        out.append(found)
    return out


def with_active_owner(orders, people):
    out = []
    for order in orders:
        if any(p["id"] == order["owner"] and p["active"] for p in people):
            out.append(order)
    return out


# --- an unpacking comprehension helper, the iterable of a `for` inside a `while` ----------------


def leaving(edges, node):
    return [(b, km) for a, b, km in edges if a == node]


def reachable(edges, start):
    seen = [start]
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt, _ in leaving(edges, node):
            if nxt not in seen:
                seen.append(nxt)
                queue.append(nxt)
    return seen


# --- a helper that passes its records on to a lookup helper (join-index-call, forwarded) -------


def hours_of(worker, shifts):
    return [s.hours for s in shifts if s.worker == worker.ident]


def pay_of(worker, shifts, rate=3):
    hours = hours_of(worker, shifts)
    if worker.name == "p":
        return -1
    return sum(hours) * rate


def payroll(workers, shifts):
    out = []
    for worker in workers:
        pay = pay_of(worker, shifts)
        out.append((pay, len(hours_of(worker, shifts))))
    return out
