"""Customers, desks and the simulation loop with its end-of-day report."""

from simqueue.events import Arrival, Departure, DeskClose, DeskOpen


def average(values):
    if not values:
        return 0.0
    total = 0.0
    for value in values:
        total += value
    return total / len(values)


def percentile(values, pct):
    """Nearest-rank percentile; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))
    return ordered[int(rank) - 1]


class Customer:
    def __init__(self, cid, arrival, service):
        if service <= 0:
            raise ValueError(f"customer {cid}: service time must be positive")
        self.id = cid
        self.arrival = arrival
        self.service = service
        self.started = None
        self.desk_id = None

    def rank(self):
        return 1

    def __repr__(self):
        return f"{type(self).__name__}({self.id})"


class VipCustomer(Customer):
    def rank(self):
        return 0


class Desk:
    def __init__(self, desk_id, speed=1.0):
        self.id = desk_id
        self.speed = speed
        self.is_open = True
        self.serving = None
        self.served = 0
        self.busy_time = 0.0

    def idle(self):
        return self.is_open and self.serving is None


class Simulation:
    def __init__(self, desks, customers, shifts=()):
        """desks: [(desk_id, speed)]; shifts: [(time, desk_id, 'open' | 'close')]."""
        self.desks = [Desk(desk_id, speed) for desk_id, speed in desks]
        self.events = []
        self.waiting = []
        self.seq = 0
        self.now = 0.0
        self.waits = []
        self.done = []
        self.queue_samples = []
        self.running_means = []
        for customer in customers:
            self.schedule(Arrival(customer.arrival, self.next_seq(), customer))
        for time, desk_id, what in shifts:
            self.find_desk(desk_id)
            if what == "open":
                self.schedule(DeskOpen(time, self.next_seq(), desk_id))
            elif what == "close":
                self.schedule(DeskClose(time, self.next_seq(), desk_id))
            else:
                raise ValueError(f"unknown shift change {what!r}")

    def next_seq(self):
        self.seq += 1
        return self.seq

    def schedule(self, event):
        self.events.append(event)

    def find_desk(self, desk_id):
        for desk in self.desks:
            if desk.id == desk_id:
                return desk
        raise KeyError(desk_id)

    def idle_desk(self):
        for desk in sorted(self.desks, key=lambda d: (-d.speed, d.id)):
            if desk.idle():
                return desk
        return None

    def next_customer(self):
        best = min(self.waiting, key=lambda c: (c.rank(), c.arrival, c.id))
        self.waiting.remove(best)
        return best

    def start_service(self, desk, customer):
        customer.started = self.now
        customer.desk_id = desk.id
        desk.serving = customer
        duration = customer.service / desk.speed
        desk.busy_time += duration
        self.waits.append(self.now - customer.arrival)
        self.schedule(Departure(self.now + duration, self.next_seq(), desk.id, customer))

    def fill_desks(self):
        while self.waiting:
            desk = self.idle_desk()
            if desk is None:
                return
            self.start_service(desk, self.next_customer())

    def arrive(self, customer):
        self.waiting.append(customer)
        self.fill_desks()

    def depart(self, desk_id, customer):
        desk = self.find_desk(desk_id)
        desk.serving = None
        desk.served += 1
        self.done.append(customer)
        self.fill_desks()

    def open_desk(self, desk_id):
        self.find_desk(desk_id).is_open = True
        self.fill_desks()

    def close_desk(self, desk_id):
        self.find_desk(desk_id).is_open = False

    def sample(self):
        self.queue_samples.append((self.now, len(self.waiting)))
        if self.waits:
            self.running_means.append(average(self.waits))

    def run(self, until=None):
        """Process events in order (up to time `until` if given) and return the report."""
        while self.events:
            self.events.sort()
            if until is not None and self.events[0].time > until:
                break
            event = self.events.pop(0)
            self.now = event.time
            event.apply(self)
            self.sample()
        return self.report()

    def report(self):
        area = 0.0
        for (t0, length), (t1, _) in zip(self.queue_samples, self.queue_samples[1:]):
            area += (t1 - t0) * length
        span = self.now if self.now > 0 else 1.0
        return {
            "served": len(self.done),
            "waiting": len(self.waiting),
            "mean_wait": round(average(self.waits), 6),
            "p90_wait": round(percentile(self.waits, 90), 6),
            "max_wait": round(max(self.waits, default=0.0), 6),
            "peak_mean_wait": round(max(self.running_means, default=0.0), 6),
            "max_queue": max((n for _, n in self.queue_samples), default=0),
            "avg_queue": round(area / span, 6),
            "desks": [(d.id, d.served, round(d.busy_time / span, 4)) for d in self.desks],
            "end": round(self.now, 6),
        }
