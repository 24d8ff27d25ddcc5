"""Workload: two boards worked on for a few weeks by a small team, then every metric.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from kanban import (
    BlockedError,
    WipLimitError,
    add_card,
    blocked_cards,
    board_report,
    burndown,
    cards_on,
    column_counts,
    columns_of,
    create_board,
    cycle_time,
    is_done,
    label_stats,
    lead_time,
    move_card,
    throughput,
    time_summary,
    workload,
)

COLUMNS = ["Backlog", "Ready", "Doing", "Review", "Done"]
PEOPLE = ["ana", "ben", "chen", "dara", "eli", "fay", "gus", "hana"]
LABELS = ["bug", "Bug ", "feature", "tech_debt", "Tech Debt", "ui", "API", "api", "docs", "ops"]
DAYS = 18
CARDS_PER_DAY = 4
MOVES_PER_DAY = 14


def simulate(rng: random.Random, board) -> tuple[int, int]:
    refused = blocked = 0
    for day in range(DAYS):
        for _ in range(CARDS_PER_DAY):
            existing = cards_on(board)
            blockers = []
            if existing and rng.random() < 0.15:
                blockers = [rng.choice(existing).id]
            add_card(
                board,
                f"{board.name}-{len(existing) + 1}",
                assignee=rng.choice(PEOPLE) if rng.random() < 0.9 else None,
                labels=rng.sample(LABELS, rng.randint(0, 3)),
                estimate=rng.choice([1, 2, 3, 5, 8]),
                day=day,
                blocked_by=blockers,
            )
        positions = {column.id: column.position for column in columns_of(board)}
        open_cards = [card for card in cards_on(board) if not is_done(card)]
        for card in rng.sample(open_cards, min(MOVES_PER_DAY, len(open_cards))):
            here = positions[card.column_id]
            step = -1 if here > 0 and rng.random() < 0.12 else 1
            try:
                move_card(card, COLUMNS[here + step], day)
            except WipLimitError:
                refused += 1
            except BlockedError:
                blocked += 1
    return refused, blocked


def main() -> None:
    rng = random.Random(2024)
    results = []
    for name, limits in (("web", {"Doing": 9, "Review": 5}), ("infra", {"Doing": 6})):
        board = create_board(name, COLUMNS, wip_limits=limits)
        refused, blocked = simulate(rng, board)
        cards = cards_on(board)
        times = [(card.id, lead_time(card), cycle_time(card)) for card in cards]
        summary = time_summary(board)
        burn = burndown(board, 0, DAYS - 1)
        done_per_day = throughput(board, 0, DAYS - 1)
        labels = label_stats(board)
        load = workload(board)
        waiting = blocked_cards(board)
        text = board_report(board)
        print(f"{name}: {len(cards)} cards, refused {refused}, blocked {blocked}, "
              f"{column_counts(board)}")
        print(f"  lead avg {summary['lead_avg']} cycle avg {summary['cycle_avg']}, "
              f"burndown end {burn[-1]}, done {sum(n for _, n in done_per_day)}")
        print(f"  top load {load[:2]}, labels {len(labels)}, blocked now {len(waiting)}")
        results.append((times, summary, burn, done_per_day, labels, load, waiting, text))
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
