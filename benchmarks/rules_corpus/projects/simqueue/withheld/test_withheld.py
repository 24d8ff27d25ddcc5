import random

import pytest

from simqueue import (
    Arrival,
    Customer,
    Departure,
    DeskClose,
    DeskOpen,
    Event,
    Simulation,
    VipCustomer,
    average,
    percentile,
)


def make(n, seed, vip_share=0.0):
    rng = random.Random(seed)
    out, t = [], 0.0
    for i in range(n):
        t += rng.choice([0.0, 0.5, 1.0, 1.5])
        kind = VipCustomer if rng.random() < vip_share else Customer
        out.append(kind(i, t, rng.choice([0.5, 1.0, 2.0, 3.5])))
    return out


def test_empty_day():
    report = Simulation([("a", 1.0)], []).run()
    assert report["served"] == 0 and report["waiting"] == 0
    assert report["mean_wait"] == 0.0 and report["max_queue"] == 0
    assert report["desks"] == [("a", 0, 0.0)]
    assert percentile([], 50) == 0.0


def test_events_compare_and_hash():
    c = Customer(1, 0.0, 1.0)
    a, b = Arrival(1.0, 5, c), Arrival(1.0, 5, c)
    assert a == b and hash(a) == hash(b) and not a < b
    assert DeskOpen(1.0, 9, "x") < Departure(1.0, 1, "x", c)
    assert DeskClose(1.0, 2, "x") < DeskOpen(1.0, 3, "x")
    assert (a == "x") is False
    with pytest.raises(TypeError):
        _ = a < 3
    with pytest.raises(ValueError):
        Arrival(-1.0, 1, c)
    with pytest.raises(NotImplementedError):
        Event(0.0, 1).apply(None)


def test_bad_input():
    with pytest.raises(ValueError):
        Customer(1, 0.0, 0.0)
    with pytest.raises(ValueError):
        Simulation([("a", 1.0)], [], [(1.0, "a", "nap")])
    with pytest.raises(KeyError):
        Simulation([("a", 1.0)], [], [(1.0, "z", "close")])


def test_ties_same_time_arrivals_and_vips():
    customers = [Customer(3, 0.0, 1.0), Customer(1, 0.0, 1.0), VipCustomer(7, 0.5, 1.0),
                 VipCustomer(2, 0.5, 1.0)]
    Simulation([("a", 1.0)], customers).run()
    starts = {c.id: c.started for c in customers}
    assert starts == {3: 0.0, 2: 1.0, 7: 2.0, 1: 3.0}


def test_equal_speed_desks_by_id_and_list_untouched():
    customers = make(30, 1)
    before = list(customers)
    Simulation([("b", 1.0), ("a", 1.0)], customers).run()
    assert customers == before
    assert customers[0].desk_id == "a"


def test_until_then_resume_is_same_as_straight_run():
    whole = Simulation([("a", 1.0), ("b", 0.7)], make(200, 3, 0.2), [(30, "a", "close"),
                                                                      (50, "a", "open")]).run()
    sim = Simulation([("a", 1.0), ("b", 0.7)], make(200, 3, 0.2), [(30, "a", "close"),
                                                                    (50, "a", "open")])
    first = sim.run(until=40.0)
    assert first["served"] < whole["served"]
    assert sim.now <= 40.0
    assert sim.run() == whole
    assert sim.run() == whole


def test_single_desk_matches_formula():
    customers = make(400, 7)
    report = Simulation([("a", 1.0)], customers).run()
    end, waits = 0.0, []
    for c in customers:
        start = max(c.arrival, end)
        waits.append(start - c.arrival)
        end = start + c.service
    assert [c.started for c in customers] == [c.arrival + w for c, w in zip(customers, waits)]
    assert report["mean_wait"] == round(average(waits), 6)
    assert report["end"] == round(end, 6)


def test_larger_invariants():
    customers = make(600, 9, vip_share=0.15)
    sim = Simulation([("a", 1.0), ("b", 1.5), ("c", 0.5)], customers, [(100, "c", "close")])
    report = sim.run()
    assert report["served"] == 600 and report["waiting"] == 0
    assert all(c.started >= c.arrival for c in customers)
    assert len(sim.running_means) <= len(sim.queue_samples) == 1200 + 1
    assert sim.running_means[-1] == average(sim.waits)
    for desk in ("a", "b", "c"):
        mine = sorted((c.started, c.started + c.service / sim.find_desk(desk).speed)
                      for c in customers if c.desk_id == desk)
        assert all(e0 <= s1 + 1e-9 for (_, e0), (s1, _) in zip(mine, mine[1:]))
    assert report["peak_mean_wait"] == round(max(sim.running_means), 6)
