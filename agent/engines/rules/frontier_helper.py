"""The run-time half of `keyed-frontier`: a list or set from which the element with the
smallest key is picked again and again, kept beside a heap of keys while they allow it."""

from __future__ import annotations

HELPER = '''

class {name}:
    """A list or set from which the element with the smallest key is picked again and again
    (`min(todo, key=...)`, as in Dijkstra's frontier), whose keys change only by stores the
    caller reports (`touch`). While every key (and, for a list, every element) is an int,
    bool, float (not NaN), str or bytes, or a tuple of those, keys of one shape, each element
    sits in a heap under its key, found again for the elements touched since the last pick.
    The pick is the element `min` returns: for a list the earliest of equal keys, as `min`
    scans it; a set is only kept so when its key holds the element itself, so that no two
    keys are equal. Anything else turns it back into the plain list or set, in its order,
    and `min` answers from then on."""

    __slots__ = ("plain", "is_set", "places", "heap", "current", "dirty", "shape", "seq", "size")

    def __init__(self, items, is_set):
        self.is_set, self.heap, self.current, self.dirty = is_set, [], {{}}, set()
        self.shape, self.seq, self.size, self.places = None, 0, 0, None
        if is_set:
            self.plain, self.places = items, {{item: item for item in items}}
            self.dirty.update(self.places)
            return
        self.plain, self.places = None, {{}}
        for item in items:
            self.append(item)

    @staticmethod
    def shape_of(value, kinds={{int: 0, bool: 0, float: 0, str: 1, bytes: 2}}):
        """0, 1 or 2 for a number, str or bytes (not NaN, not a subclass), a tuple of the
        shapes of a tuple's items, None for anything else."""
        part = kinds.get(type(value))
        if part is not None:
            return None if value != value else part
        if type(value) is not tuple:
            return None
        shape = []
        for item in value:
            part = {name}.shape_of(item)
            if part is None:
                return None
            shape.append(part)
        return tuple(shape)

    def to_plain(self):
        if self.heap is None:
            return
        if not self.is_set:
            found = [pair for queue in self.places.values() for pair in queue]
            found.sort(key={itemgetter}(0))
            self.plain = [item for _, item in found]
        self.heap = self.current = self.dirty = self.places = None

    def append(self, item):
        if self.heap is not None and self.shape_of(item) is None:
            self.to_plain()
        if self.heap is None:
            self.plain.append(item)
            return
        queue = self.places.setdefault(item, {deque}())
        queue.append((self.seq, item))
        self.seq += 1
        self.size += 1
        if len(queue) == 1:
            self.dirty.add(item)

    def add(self, item):
        self.plain.add(item)
        if self.heap is not None:
            self.dirty.add(self.places.setdefault(item, item))

    def remove(self, item):
        if self.heap is not None and not self.is_set and self.shape_of(item) is None:
            self.to_plain()
        if self.heap is None or self.is_set:
            self.plain.remove(item)
            self.forget(item)
            return
        queue = self.places.get(item)
        if not queue:
            raise ValueError("list.remove(x): x not in list")
        queue.popleft()
        self.size -= 1
        if queue:
            self.dirty.add(item)
        else:
            del self.places[item]
            self.forget(item)

    def discard(self, item):
        self.plain.discard(item)
        self.forget(item)

    def forget(self, item):
        if self.heap is not None:
            if self.is_set:
                self.places.pop(item, None)
            self.current.pop(item, None)
            self.dirty.discard(item)

    def touch(self, item):
        if self.heap is None:
            return
        if self.is_set:
            if item in self.plain:
                self.dirty.add(item)
        elif self.shape_of(item) is None:
            self.to_plain()
        elif item in self.places:
            self.dirty.add(item)

    def smallest(self, key):
        if self.heap is not None:
            try:
                self.refresh(key)
            except Exception:
                self.to_plain()
        if self.heap is None:
            return min(self.plain, key=key)
        heap, current = self.heap, self.current
        while heap:
            top = heap[0]
            if current.get(top[2]) is top:
                return top[2]
            {heapq}.heappop(heap)
        return min((), key=key)

    def refresh(self, key):
        for item in self.dirty:
            if self.is_set:
                seq, element = self.seq, self.places.get(item, self)
                self.seq += 1
                if element is self:
                    continue
            else:
                queue = self.places.get(item)
                if not queue:
                    continue
                seq, element = queue[0]
            value = key(element)
            shape = self.shape_of(value)
            if shape is None or (self.shape is not None and shape != self.shape):
                raise TypeError("a key the heap cannot order like min")
            self.shape = shape
            entry = (value, seq, element)
            {heapq}.heappush(self.heap, entry)
            self.current[item] = entry
        self.dirty.clear()

    def __contains__(self, item):
        if self.heap is not None and not self.is_set:
            if self.shape_of(item) is not None:
                return item in self.places
            self.to_plain()
        return item in self.plain

    def __len__(self):
        if self.heap is not None and not self.is_set:
            return self.size
        return len(self.plain)

    def __bool__(self):
        return len(self) > 0
'''
