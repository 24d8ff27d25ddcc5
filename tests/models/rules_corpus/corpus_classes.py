"""Corpus for the class-level rewrite sorted-attribute: list attributes
appended in one method and re-sorted, scanned or read sorted in others. Each class is driven
by a module-level `use_<class>(ops)` that replays operations and reports what came out (jobs
by their creation number, so which of two equal-key jobs comes out counts); the equivalence
test runs a method's rewrite through its class's driver. `Ledger` must be left alone (its
list is sorted with a key, and read by order without a sort first), and so must `Tracker`
(its list is public). `Roster` is membership-set-attribute's: a list that only grows, asked
`in` for values of every kind. `Catalog` is index-attribute's: lookups by a field in a list
that grows, loses records and holds records of several kinds; `Waitlist` is its tuple form,
keyed by an item, whose list is replaced by a fresh one."""

from __future__ import annotations

import enum


class Kind(enum.IntEnum):
    BATCH = 1
    LIVE = 2


class Job:
    def __init__(self, name: str, kind: Kind, due: int) -> None:
        self.name = name
        self.kind = Kind(kind)
        self.due = due

    def rank(self) -> tuple[int, int]:
        return (-int(self.kind), self.due)

    def __lt__(self, other: Job) -> bool:
        return self.rank() < other.rank()


class Worker:
    def __init__(self, tags: set[str]) -> None:
        self.tags = set(tags)

    def fits(self, job: Job) -> bool:
        return job.name[:1] in self.tags


class Board:
    def __init__(self) -> None:
        self._jobs: list[Job] = []

    def add(self, name: str, kind: int, due: int) -> Job:
        job = Job(name, kind, due)
        self._jobs.append(job)
        return job

    def first(self):
        if not self._jobs:
            return None
        return min(self._jobs)

    def last(self):
        return max(self._jobs)

    def take(self) -> Job:
        if not self._jobs:
            raise IndexError("empty")
        self._jobs.sort()
        return self._jobs.pop(0)

    def take_for(self, worker: Worker):
        self._jobs.sort()
        for i, job in enumerate(self._jobs):
            if worker.fits(job):
                return self._jobs.pop(i)
        return None

    def drop(self, job: Job) -> None:
        self._jobs.sort()
        self._jobs.remove(job)

    def names(self) -> list[str]:
        self._jobs.sort()
        return [j.name for j in self._jobs]


def use_board(ops):
    board = Board()
    worker = Worker({"a", "c"})
    jobs = []
    out = []
    for step, (op, kind, due) in enumerate(ops):
        try:
            if op == "add":
                jobs.append(board.add(f"{'abc'[due % 3]}{step}", kind, due))
                continue
            if op == "drop":
                board.drop(jobs[due % len(jobs)])
                continue
            if op == "names":
                out.append(board.names())
                continue
            got = {"take": board.take, "first": board.first, "last": board.last}.get(op)
            job = got() if got is not None else board.take_for(worker)
            out.append(None if job is None else next(i for i, j in enumerate(jobs) if j is job))
        except (IndexError, ValueError, ZeroDivisionError) as exc:
            out.append(type(exc).__name__)
    return out


class Pool:
    def __init__(self) -> None:
        self._free: list[int] = []

    def give(self, n: int) -> None:
        self._free.append(int(n))

    def take(self) -> int:
        best = min(self._free)
        self._free.remove(best)
        return best


def use_pool(ops):
    pool = Pool()
    out = []
    for op in ops:
        try:
            if op == "take":
                out.append(pool.take())
            else:
                pool.give(op)
        except ValueError as exc:
            out.append(type(exc).__name__)
    return out


class Tracker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.samples = []

    def record(self, value):
        self.samples.append(value)

    def line(self) -> str:
        if not self.samples:
            return f"{self.name}: none"
        ordered = sorted(self.samples)
        mid = ordered[len(ordered) // 2]
        return f"{self.name}: lo={min(self.samples)!r} mid={mid!r} hi={max(self.samples)!r}"


def use_tracker(ops):
    tracker = Tracker("t")
    out = []
    for op in ops:
        try:
            if op == "line":
                out.append(tracker.line())
            else:
                tracker.record(op)
        except TypeError as exc:
            out.append(type(exc).__name__)
    return out


class Ledger:
    def __init__(self) -> None:
        self._rows: list[int] = []

    def post(self, amount: int) -> None:
        self._rows.append(amount)

    def largest(self) -> int:
        self._rows.sort(key=abs)
        return self._rows[-1]

    def oldest(self) -> int:
        return self._rows[0]


def use_ledger(ops):
    ledger = Ledger()
    out = []
    for op in ops:
        try:
            if op == "largest":
                out.append(ledger.largest())
            elif op == "oldest":
                out.append(ledger.oldest())
            else:
                ledger.post(op)
        except IndexError as exc:
            out.append(type(exc).__name__)
    return out


class Rates:
    """A rate table parsed from its text on every lookup (cache-method-by-fields)."""

    def __init__(self, spec) -> None:
        self.spec = spec

    def table(self) -> dict[str, float]:
        out = {}
        for part in self.spec.split(";"):
            key, _, value = part.partition("=")
            out[key.strip()] = int(value) / 100
        return out

    def rate(self, name: str) -> float:
        table = self.table()
        return table.get(name, table.get("default", 0.0))


def use_rates(ops):
    rates = Rates("a=1;b=2")
    out = []
    for op in ops:
        try:
            if isinstance(op, str):
                rates.spec = op
                continue
            table = rates.table()
            table["changed"] = op  # a caller may change what it got
            out.append(sorted(table.items()))
            out.append(rates.rate("b"))
        except (ValueError, AttributeError, TypeError) as exc:
            out.append(type(exc).__name__)
    return out


class Roster:
    """Names signed in once each (membership-set-attribute)."""

    def __init__(self) -> None:
        self._seen = []
        self.log = []

    def sign(self, name) -> bool:
        if name in self._seen:
            self.log.append(("again", name))
            return False
        self._seen.append(name)
        return True

    def absent(self, names):
        return [n for n in names if n not in self._seen]

    def order(self):
        self._seen.sort()
        return self._seen[0] if self._seen else None


def use_roster(ops):
    roster = Roster()
    out = []
    for op in ops:
        try:
            if op == "order":
                out.append(roster.order())
            elif op == "absent":
                out.append(roster.absent([0, 1, 1.0, True, "a", None, float("nan")]))
            else:
                out.append(roster.sign(op))
        except TypeError as exc:
            out.append(type(exc).__name__)
    return out, len(roster.log)


class Entry:
    def __init__(self, code, group, weight):
        self.code = code
        self.group = group
        self.weight = weight


class Catalog:
    """Entries looked up by code or group (index-attribute)."""

    def __init__(self) -> None:
        self._entries = []

    def add(self, entry):
        if any(e.code == entry.code for e in self._entries):
            return False
        self._entries.append(entry)
        return True

    def get(self, code):
        for entry in self._entries:
            if entry.code == code and entry.weight >= 0:
                return entry.weight
        raise KeyError(code)

    def group_weight(self, group):
        return sum(e.weight for e in self._entries if e.group == group)

    def retire(self, code):
        for entry in self._entries:
            if entry.code == code:
                self._entries.remove(entry)
                return entry.weight
        return None


def use_catalog(ops):
    catalog = Catalog()
    out = []
    for op, key, weight in ops:
        try:
            if op == "add":
                out.append(catalog.add(Entry(key, weight % 3, weight)))
            elif op == "pair":
                out.append(catalog.add((key, weight)))  # a record with no fields
            elif op == "get":
                out.append(catalog.get(key))
            elif op == "group":
                out.append(catalog.group_weight(key))
            else:
                out.append(catalog.retire(key))
        except (KeyError, AttributeError, TypeError) as exc:
            out.append(type(exc).__name__)
    return out


class Waitlist:
    """(key, who) entries, looked up by an item (index-attribute)."""

    def __init__(self) -> None:
        self.entries = []

    def join(self, entry):
        self.entries.append(entry)

    def waiting(self, key):
        return [e[1] for e in self.entries if e[0] == key]

    def leave(self, key):
        kept = [e for e in self.entries if e[0] != key]
        if len(kept) == len(self.entries):
            return False
        self.entries = kept
        return True


def use_waitlist(ops):
    waitlist = Waitlist()
    out = []
    for op, key, who in ops:
        try:
            if op == "join":
                waitlist.join((key, who))
            elif op == "list":
                waitlist.join([key, who])
            elif op == "waiting":
                out.append(waitlist.waiting(key))
            else:
                out.append(waitlist.leave(key))
        except (IndexError, TypeError) as exc:
            out.append(type(exc).__name__)
    return out, len(waitlist.entries)


class Desk:
    """Tickets per agent, a helper per agent that filters them (group-by-call through a
    method helper), and tickets closed or added between reports."""

    def __init__(self, tickets):
        self.tickets = [list(t) for t in tickets]

    def open_for(self, agent):
        return [t for t in self.tickets if t[0] == agent and not t[1]]

    def load(self, agent, weight=2):
        mine = self.open_for(agent)
        return len(mine) * weight + sum(t[2] for t in mine)

    def loads(self, agents):
        out = {}
        for a in agents:
            out[a] = self.load(a)
        return out

    def close(self, i):
        self.tickets[i % len(self.tickets)][1] = True


def use_desk(tickets, ops):
    desk = Desk(tickets)
    out = []
    for op in ops:
        try:
            if isinstance(op, int) and desk.tickets:
                desk.close(op)
            elif isinstance(op, list):
                out.append(desk.loads(op))
        except Exception as exc:
            out.append(type(exc).__name__)
    return out


class Route:
    def __init__(self, stops) -> None:
        self.stops = list(stops)


class Trip:
    """Calls worked out again from the route's stops, the start and the skipped stops on
    every call (cache-method-by-snapshot); the driver changes each value they read, in
    place or anew, between calls, and changes what a call handed back."""

    def __init__(self, route: Route, start, skips=()) -> None:
        self.route = route
        self.start = start
        self.skips = list(skips)

    def calls(self):
        out = []
        clock = self.start
        for code, run in self.route.stops:
            clock += run
            if code in self.skips:
                continue
            out.append((code, clock))
        return out


def use_trips(ops):
    route = Route([("a", 0), ("b", 2)])
    trip = Trip(route, 5, ["b"])
    out = []
    for op, value in ops:
        try:
            stops = trip.route.stops
            if op == "calls":
                got = trip.calls()
                out.append(list(got))
                got.append(value)  # a caller may change what it got
            elif op == "stop":
                stops.append(value)
            elif op == "put" and stops:
                stops[0] = value
            elif op == "item" and stops and type(stops[-1]) is list:
                stops[-1][1] = value  # an item that can change in place
            elif op == "route":
                trip.route = Route(stops)
            elif op == "start":
                trip.start = value
            elif op == "skip":
                trip.skips.append(value)
            else:
                trip.skips = [value]
        except (TypeError, ValueError, IndexError) as exc:
            out.append(type(exc).__name__)
    return out
