"""Workload: a week at a help desk with 14 agents and 3400 tickets; SLA breaches and a log.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from helpdesk import Agent, Customer, Desk, Priority, Ticket, Tier, breaches

TOPICS = ["billing", "login", "network", "printer", "mail", "hardware", "vpn"]


def main() -> None:
    rng = random.Random(2024)
    customers = [Customer(1000 + i, f"Customer {i:04d}",
                          Tier.PREMIUM if rng.random() < 0.2 else Tier.STANDARD)
                 for i in range(900)]
    rng.shuffle(customers)
    agents = [Agent(f"agent{i:02d}", set(rng.sample(TOPICS, 3)) | ({"general"} if i < 3 else set()))
              for i in range(14)]
    minutes = 5 * 480
    tickets = []
    for ident in range(3400):
        opened = int(rng.triangular(0, minutes, minutes * 0.3))
        priority = rng.choices(list(Priority), weights=[3, 6, 2, 1])[0]
        tickets.append(Ticket(ident, rng.choice(customers).ident, priority, opened,
                              rng.choice(TOPICS), rng.randint(3, 14)))
    desk = Desk(agents)
    left = desk.run(tickets, minutes)
    late = breaches(desk.closed, customers)
    print(f"{len(desk.closed)} closed, {len(left)} left, first left {left[:3]}")
    print(f"{len(late)} SLA breaches, worst {max(late, key=lambda b: (b[2], -b[0])) if late else None}")
    print(f"busiest {max(agents, key=lambda a: len(a.handled)).name}")
    print(desk.log[-1])
    digest = hashlib.sha256("\n".join(desk.log).encode() + repr(late).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
