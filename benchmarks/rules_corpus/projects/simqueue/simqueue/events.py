"""Events of the simulation. Simultaneous events run in `order`, then in scheduling order."""


class Event:
    order = 9
    kind = "event"

    def __init__(self, time, seq):
        if time < 0:
            raise ValueError(f"event time must not be negative: {time}")
        self.time = time
        self.seq = seq

    def key(self):
        return (self.time, self.order, self.seq)

    def __lt__(self, other):
        if not isinstance(other, Event):
            return NotImplemented
        return self.key() < other.key()

    def __eq__(self, other):
        if not isinstance(other, Event):
            return NotImplemented
        return self.key() == other.key()

    def __hash__(self):
        return hash(self.key())

    def __repr__(self):
        return f"{type(self).__name__}(t={self.time:.3f}, seq={self.seq})"

    def apply(self, sim):
        raise NotImplementedError


class DeskOpen(Event):
    order = 0
    kind = "open"

    def __init__(self, time, seq, desk_id):
        super().__init__(time, seq)
        self.desk_id = desk_id

    def apply(self, sim):
        sim.open_desk(self.desk_id)


class DeskClose(DeskOpen):
    kind = "close"

    def apply(self, sim):
        sim.close_desk(self.desk_id)


class Departure(Event):
    order = 1
    kind = "departure"

    def __init__(self, time, seq, desk_id, customer):
        super().__init__(time, seq)
        self.desk_id = desk_id
        self.customer = customer

    def apply(self, sim):
        sim.depart(self.desk_id, self.customer)


class Arrival(Event):
    order = 2
    kind = "arrival"

    def __init__(self, time, seq, customer):
        super().__init__(time, seq)
        self.customer = customer

    def apply(self, sim):
        sim.arrive(self.customer)
