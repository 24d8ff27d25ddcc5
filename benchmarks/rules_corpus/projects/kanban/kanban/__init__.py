"""A kanban task tracker on a tiny in-memory ORM: boards, cards, moves and flow metrics."""

from kanban.board import (
    BlockedError,
    WipLimitError,
    add_card,
    blocked_cards,
    cards_in,
    cards_on,
    columns_of,
    create_board,
    history,
    is_blocked,
    is_done,
    move_card,
    open_blockers,
)
from kanban.metrics import (
    burndown,
    column_at,
    column_counts,
    cycle_time,
    label_stats,
    lead_time,
    normalize_label,
    throughput,
    time_summary,
    workload,
)
from kanban.models import Board, Card, Column, Model, Move, reset
from kanban.report import board_report

__all__ = [
    "BlockedError", "Board", "Card", "Column", "Model", "Move", "WipLimitError", "add_card",
    "blocked_cards", "board_report", "burndown", "cards_in", "cards_on", "column_at",
    "column_counts", "columns_of", "create_board", "cycle_time",
    "history", "is_blocked", "is_done", "label_stats", "lead_time", "move_card",
    "normalize_label", "open_blockers", "reset", "throughput", "time_summary", "workload",
]
