from simqueue import Arrival, Customer, Departure, Simulation, VipCustomer, average, percentile


def test_helpers():
    assert average([1.0, 2.0, 6.0]) == 3.0
    assert average([]) == 0.0
    assert percentile([5, 1, 3, 2, 4], 90) == 5
    assert percentile([5, 1, 3, 2, 4], 50) == 3


def test_event_order():
    c = Customer(1, 2.0, 1.0)
    arrival = Arrival(2.0, 1, c)
    departure = Departure(2.0, 2, "a", c)
    assert departure < arrival
    assert sorted([arrival, departure]) == [departure, arrival]
    assert Arrival(1.0, 3, c) < departure


def test_single_desk_fifo():
    customers = [Customer(i, float(i), 2.0) for i in range(3)]
    report = Simulation([("a", 1.0)], customers).run()
    assert report["served"] == 3
    assert [c.started for c in customers] == [0.0, 2.0, 4.0]
    assert report["mean_wait"] == 1.0 and report["max_wait"] == 2.0
    assert report["end"] == 6.0


def test_vip_goes_first():
    customers = [Customer(0, 0.0, 5.0), Customer(1, 1.0, 1.0), VipCustomer(2, 2.0, 1.0)]
    Simulation([("a", 1.0)], customers).run()
    assert customers[2].started == 5.0 and customers[1].started == 6.0


def test_shift_close_and_until():
    customers = [Customer(i, float(i), 3.0) for i in range(4)]
    sim = Simulation([("a", 1.0), ("b", 2.0)], customers, [(0.5, "b", "close")])
    report = sim.run(until=4.0)
    assert report["desks"][1][1] == 1
    assert report["served"] == 2 and report["waiting"] == 1
