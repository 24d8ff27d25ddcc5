import pytest

from helpdesk import (
    Agent,
    Customer,
    Desk,
    PremiumSla,
    Priority,
    StandardSla,
    Status,
    Ticket,
    TicketQueue,
    Tier,
    breaches,
)


def test_queue_order():
    q = TicketQueue()
    for t in (Ticket(1, 7, Priority.LOW, 0, "mail", 5), Ticket(2, 7, Priority.URGENT, 3, "mail", 5),
              Ticket(3, 7, Priority.URGENT, 1, "vpn", 5)):
        q.push(t)
    assert q.peek().ident == 3
    assert [q.pop_next().ident for _ in range(3)] == [3, 2, 1]
    with pytest.raises(IndexError):
        q.pop_next()


def test_pop_for_respects_skills():
    q = TicketQueue()
    q.push(Ticket(1, 7, Priority.HIGH, 0, "vpn", 5))
    q.push(Ticket(2, 7, Priority.LOW, 0, "mail", 5))
    assert q.pop_for(Agent("a", {"mail"})).ident == 2
    assert q.pop_for(Agent("b", {"mail"})) is None
    assert len(q) == 1


def test_sla_targets():
    assert StandardSla().target_minutes(Priority.HIGH) == 240
    assert PremiumSla().target_minutes(Priority.URGENT) == 15
    assert PremiumSla().target_minutes(Priority.NORMAL) == 240


def test_desk_day():
    agents = [Agent("ann", {"mail"}), Agent("bob", {"general"})]
    tickets = [Ticket(i, 10 + i % 2, Priority.NORMAL if i % 3 else Priority.URGENT, i, "mail", 4)
               for i in range(10)]
    desk = Desk(agents)
    left = desk.run(tickets, 12)
    assert [t.ident for t in desk.closed][:4] == [0, 1, 3, 2]
    assert all(t.status is Status.CLOSED for t in desk.closed)
    assert len(left) + len(desk.closed) == 10
    assert desk.log[0].split() == ["0", "queued=0", "done=1", "median_wait=0", "worst_wait=0"]
    customers = [Customer(10, "X", Tier.PREMIUM), Customer(11, "Y")]
    assert breaches(desk.closed, customers) == []
