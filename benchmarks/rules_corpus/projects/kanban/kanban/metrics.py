"""Flow metrics from card histories: lead and cycle times, workload, burndown, labels."""

import re

from kanban.board import (
    board_of,
    cards_on,
    columns_of,
    done_column,
    first_column,
    history,
    is_done,
)
from kanban.models import Card, Move


def column_at(card, day):
    """Id of the column the card was in at the end of `day` (None before it existed)."""
    current = None
    for move in history(card):
        if move.day > day:
            break
        current = move.to_column_id
    return current


def lead_time(card):
    """Days from creation to the last arrival in done; None while the card is not done."""
    done = done_column(board_of(card))
    if card.column_id != done.id:
        return None
    moves = history(card)
    arrived = [move for move in moves if move.to_column_id == done.id][-1]
    return arrived.day - moves[0].day


def cycle_time(card):
    """Days from first leaving the first column to the last arrival in done, or None."""
    board = board_of(card)
    if card.column_id != done_column(board).id:
        return None
    start = first_column(board)
    moves = history(card)
    started = [move for move in moves if move.from_column_id == start.id]
    if not started:
        return None
    arrived = [move for move in moves if move.to_column_id == done_column(board).id][-1]
    return arrived.day - started[0].day


def _mean(values):
    total = 0
    count = 0
    for value in values:
        total += value
        count += 1
    return total / count


def _percentile(values, pct):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = -(-pct * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


def time_summary(board):
    """Average and spread of lead and cycle times over the board's finished cards."""
    leads = []
    cycles = []
    for card in cards_on(board):
        lead = lead_time(card)
        if lead is not None:
            leads.append(lead)
        cycle = cycle_time(card)
        if cycle is not None:
            cycles.append(cycle)
    summary = {"done": len(leads)}
    for name, values in (("lead", leads), ("cycle", cycles)):
        summary[f"{name}_avg"] = round(_mean(values), 2) if values else None
        summary[f"{name}_p50"] = _percentile(values, 50) if values else None
        summary[f"{name}_p85"] = _percentile(values, 85) if values else None
        summary[f"{name}_max"] = max(values) if values else None
    return summary


def workload(board):
    """(assignee, open cards, open points) per assignee, most points first, then by name."""
    names = []
    for card in cards_on(board):
        if card.assignee is not None and card.assignee not in names:
            names.append(card.assignee)
    rows = []
    for name in names:
        open_cards = [
            card for card in Card.filter(board_id=board.id, assignee=name) if not is_done(card)
        ]
        rows.append((name, len(open_cards), sum(card.estimate for card in open_cards)))
    rows.sort(key=lambda row: (-row[2], row[0]))
    return rows


def column_counts(board):
    """(column name, cards, points) for every column, left to right."""
    counts = []
    for column in columns_of(board):
        here = [card for card in cards_on(board) if card.column_id == column.id]
        counts.append((column.name, len(here), sum(card.estimate for card in here)))
    return counts


def burndown(board, first_day, last_day):
    """(day, open points at the end of that day) for each day of the range, both ends included."""
    if last_day < first_day:
        raise ValueError(f"empty day range {first_day}..{last_day}")
    points = []
    for day in range(first_day, last_day + 1):
        remaining = 0
        for card in cards_on(board):
            column_id = column_at(card, day)
            if column_id is not None and column_id != done_column(board).id:
                remaining += card.estimate
        points.append((day, remaining))
    return points


def throughput(board, first_day, last_day):
    """(day, cards that arrived in done that day) for each day of the range."""
    if last_day < first_day:
        raise ValueError(f"empty day range {first_day}..{last_day}")
    done = done_column(board)
    counts = []
    for day in range(first_day, last_day + 1):
        arrivals = Move.filter(day=day, to_column_id=done.id)
        counts.append((day, len(arrivals)))
    return counts


def normalize_label(label):
    """'  Tech Debt ' and 'tech_debt' both become 'tech-debt'."""
    if not isinstance(label, str):
        raise TypeError(f"labels are strings, not {type(label).__name__}")
    return re.sub(r"[\s_]+", "-", label.strip().lower())


def label_stats(board):
    """Per normalized label: cards, points, finished cards and their average cycle time."""
    labels = []
    for card in cards_on(board):
        for label in card.labels:
            key = normalize_label(label)
            if key and key not in labels:
                labels.append(key)
    stats = []
    for key in sorted(labels):
        tagged = [
            card
            for card in cards_on(board)
            if key in [normalize_label(label) for label in card.labels]
        ]
        cycles = [cycle_time(card) for card in tagged]
        cycles = [value for value in cycles if value is not None]
        stats.append(
            {
                "label": key,
                "cards": len(tagged),
                "points": sum(card.estimate for card in tagged),
                "done": len([card for card in tagged if is_done(card)]),
                "avg_cycle": round(_mean(cycles), 2) if cycles else None,
            }
        )
    return stats
