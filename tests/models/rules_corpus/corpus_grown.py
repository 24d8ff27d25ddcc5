"""Corpus: lists a function or a class builds and searches or re-sorts (get-or-create by
key, queues sorted before each take) and a table the function copies and updates in place."""

import math
from dataclasses import dataclass


def load_trips(rows):
    trips = []
    for trip_id, stop, time in rows:
        trip = None
        for t in trips:
            if t["trip_id"] == trip_id:
                trip = t
                break
        if trip is None:
            trip = {"trip_id": trip_id, "stops": []}
            trips.append(trip)
        if trip["stops"] and time < trip["stops"][-1][1]:
            raise ValueError("back in time")
        trip["stops"].append((stop, time))
    return trips


class Stop:
    def __init__(self, ident, name):
        self.ident = ident
        self.name = name
        self.calls = 0


@dataclass
class Line:
    code: object
    size: int = 0


def load_stops(rows):
    stops = []
    lines = []
    for ident, name, _time in rows:
        stop = None
        for s in stops:
            if s.ident == ident:
                stop = s
                break
        if stop is None:
            stop = Stop(ident, name)
            stops.append(stop)
        stop.calls += 1
        line = None
        for x in lines:
            if x.code == name:
                line = x
                break
        if line is None:
            lines.append(Line(name))
            line = lines[-1]
        line.size += 1
    return [(s.ident, s.name, s.calls) for s in stops], [(x.code, x.size) for x in lines]


def first_match(rows, wanted):
    seen = []
    for key, value in rows:
        for t in seen:
            if wanted == t["key"]:
                return t
        record = {"key": key, "value": value}
        seen.append(record)
    return len(seen)


class Queue:
    """A queue of items the caller promises are ints (they may not be), sorted before each
    take; a take by predicate calls back into code that may push."""

    def __init__(self):
        self._items: list[int] = []

    def push(self, item: int):
        self._items.append(item)

    def pop_next(self):
        self._items.sort()
        return self._items.pop(0)

    def pop_where(self, keep):
        self._items.sort()
        for i, item in enumerate(self._items):
            if keep(item):
                return self._items.pop(i)
        return None

    def peek(self):
        return min(self._items)

    def last(self):
        return max(self._items)

    def drop(self, item):
        self._items.remove(item)

    def cut(self):
        del self._items[0]

    def reset(self):
        self._items.clear()

    def size(self):
        return len(self._items)

    def keep(self, item):
        if item == 2:
            self.push(-1)  # pushed while the queue is being read
        return item == 2 or item == "b"


def use_queue(ops):
    queue = Queue()
    out = []
    for op, value in ops:
        try:
            if op == "push":
                queue.push(value)
            elif op == "next":
                out.append(queue.pop_next())
            elif op == "where":
                out.append(queue.pop_where(queue.keep))
            elif op == "peek":
                out.append(queue.peek())
            elif op == "last":
                out.append(queue.last())
            elif op == "drop":
                queue.drop(value)
            elif op == "cut":
                queue.cut()
            else:
                queue.reset()
        except (IndexError, ValueError, TypeError) as exc:
            out.append(f"{type(exc).__name__}: {exc}")
        out.append(queue.size())
    return out


def close_roads(matrix, closed):
    n = len(matrix)
    dist = [row[:] for row in matrix]
    for a, b in closed:
        dist[a][b] = math.inf
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
    return dist


def dice_spread(total, faces):
    if total <= 0:
        return {total: 1}
    out = {}
    for face in range(1, faces + 1):
        for end, n in dice_spread(total - face, faces).items():
            out[end] = out.get(end, 0) + n
    return out
