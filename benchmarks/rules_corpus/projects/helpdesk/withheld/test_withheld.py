import pytest

from helpdesk import (
    Agent,
    Customer,
    Desk,
    Priority,
    Status,
    Ticket,
    TicketQueue,
    Tier,
    breaches,
)


def ticket(ident, priority, opened, topic="mail", effort=5, customer=1):
    return Ticket(ident, customer, priority, opened, topic, effort)


def test_queue_ties_break_on_time_then_number():
    q = TicketQueue()
    for t in (ticket(9, Priority.HIGH, 5), ticket(4, Priority.HIGH, 5), ticket(5, Priority.HIGH, 2),
              ticket(1, Priority.NORMAL, 0)):
        q.push(t)
    assert [q.pop_next().ident for _ in range(4)] == [5, 4, 9, 1]
    assert q.peek() is None and len(q) == 0


def test_queue_interleaved_push_and_pop():
    q = TicketQueue()
    q.push(ticket(1, Priority.LOW, 0))
    q.push(ticket(2, Priority.NORMAL, 1))
    assert q.pop_next().ident == 2
    q.push(ticket(3, Priority.URGENT, 2))
    q.push(ticket(4, Priority.LOW, 0))
    assert q.peek().ident == 3
    assert q.pop_for(Agent("x", {"vpn"})) is None
    assert [q.pop_next().ident for _ in range(3)] == [3, 1, 4]


def test_invalid_tickets_and_desks():
    with pytest.raises(ValueError):
        ticket(1, Priority.LOW, 0, effort=0)
    with pytest.raises(ValueError):
        Ticket(1, 1, 9, 0, "mail", 3)
    with pytest.raises(ValueError):
        Desk([])


def test_breaches_unknown_customer_and_premium():
    done = ticket(1, Priority.URGENT, 0, customer=5)
    done.started_at = 40
    waiting = ticket(2, Priority.URGENT, 0, customer=6)
    assert breaches([done, waiting], [Customer(5, "P", Tier.PREMIUM), Customer(6, "S")]) == [
        (1, "P", 25)
    ]
    assert breaches([done], [Customer(5, "S")]) == []
    with pytest.raises(KeyError):
        breaches([done], [Customer(6, "S")])
    dup = [Customer(5, "first", Tier.PREMIUM), Customer(5, "second")]
    assert breaches([done], dup) == [(1, "first", 25)]


def test_desk_log_and_leftovers():
    agents = [Agent("a", {"vpn"}), Agent("b", {"mail"})]
    tickets = [ticket(i, Priority(1 + i % 4), i // 2, "mail" if i % 2 else "vpn", 3 + i % 5)
               for i in range(40)]
    desk = Desk(agents)
    left = desk.run(tickets, 30)
    assert sorted(t.ident for t in desk.closed + left) == list(range(40))
    assert [t.sort_key() for t in left] == sorted(t.sort_key() for t in left)
    assert all(t.status is Status.OPEN for t in left)
    waits = [t.wait for t in desk.closed]
    last = desk.log[-1].split()
    assert last[0] == "25"
    assert last[-1] == f"worst_wait={max(w for t, w in zip(desk.closed, waits) if t.started_at <= 25)}"
    assert len(desk.log) == 6
    assert agents[0].handled and agents[1].handled


def test_run_does_not_reorder_its_input():
    tickets = [ticket(i, Priority.LOW, 10 - i) for i in range(5)]
    desk = Desk([Agent("a", {"general"})])
    desk.run(tickets, 3)
    assert [t.ident for t in tickets] == [0, 1, 2, 3, 4]
