"""Deterministic workload: one trading day on a toy exchange."""

import hashlib
import random

from orderbook import DailyReport, Exchange, Order, Side

N_EVENTS = 4200
TRADERS = [f"T{n:02d}" for n in range(30)]


def run_day(seed: int):
    rng = random.Random(seed)
    exchange = Exchange(position_limit=300)
    mid = 10_000
    submitted: list[str] = []
    cancel_errors = 0
    for i in range(N_EVENTS):
        ts = i * 7 + rng.randint(0, 6)
        if submitted and rng.random() < 0.2:
            if rng.random() < 0.05:
                target = f"X{i}"
            else:
                target = submitted[rng.randrange(len(submitted))]
            try:
                exchange.cancel(target, ts)
            except (KeyError, ValueError):
                cancel_errors += 1
            continue
        mid += rng.choice((-2, -1, 0, 0, 1, 2))
        side = Side.BUY if rng.random() < 0.5 else Side.SELL
        if rng.random() < 0.12:
            offset = -rng.randint(0, 15)
        else:
            offset = rng.randint(1, 80)
        price = mid - offset if side is Side.BUY else mid + offset
        order = Order(f"O{i:05d}", rng.choice(TRADERS), side, price, rng.randint(1, 60), ts)
        exchange.submit(order)
        submitted.append(order.id)
    return exchange, cancel_errors


def main() -> None:
    exchange, cancel_errors = run_day(18)
    report = DailyReport(exchange, "Day 18")
    trades = [t.as_tuple() for t in exchange.trades]
    positions = exchange.positions()
    samples = [report.quote_at(t) for t in range(0, N_EVENTS * 7, 2500)]
    depth = (exchange.book.depth(Side.BUY), exchange.book.depth(Side.SELL))
    text = report.render()
    results = (trades, exchange.history, sorted(positions.items()), samples, depth,
               cancel_errors, text)
    lines = text.splitlines()
    print("\n".join(lines[:5]))
    print(f"traders {len(positions)}  report lines {len(lines)}")
    print(f"cancel errors {cancel_errors}  quotes sampled {len(samples)}")
    print(f"depth bid {depth[0][:3]} ask {depth[1][:3]}")
    print("sha256", hashlib.sha256(repr(results).encode()).hexdigest()[:16])


if __name__ == "__main__":
    main()
