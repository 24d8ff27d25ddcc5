"""Plain-text board report."""

from kanban.board import blocked_cards
from kanban.metrics import column_counts, label_stats, time_summary, workload


def board_report(board):
    """A few lines of text describing the board's state."""
    lines = [f"Board: {board.name}"]
    for name, count, points in column_counts(board):
        lines.append(f"  {name:<12} {count:>4} cards {points:>5} pts")
    summary = time_summary(board)
    if summary["done"]:
        lines.append(
            f"  lead avg {summary['lead_avg']:.2f}d p85 {summary['lead_p85']}d, "
            f"cycle avg {summary['cycle_avg'] if summary['cycle_avg'] is not None else '-'}"
        )
    for name, count, points in workload(board):
        lines.append(f"  @{name}: {count} open, {points} pts")
    for row in label_stats(board):
        lines.append(f"  #{row['label']}: {row['cards']} cards, {row['done']} done")
    blocked = blocked_cards(board)
    if blocked:
        lines.append(f"  blocked: {len(blocked)}")
        for title, waiting in blocked:
            lines.append(f"    {title} <- {', '.join(waiting)}")
    return "\n".join(lines)
