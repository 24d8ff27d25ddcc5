import pytest

from kanban import (
    Card,
    WipLimitError,
    add_card,
    blocked_cards,
    burndown,
    cards_in,
    column_counts,
    create_board,
    cycle_time,
    history,
    label_stats,
    lead_time,
    move_card,
    reset,
    workload,
)

COLUMNS = ["Todo", "Doing", "Done"]


@pytest.fixture(autouse=True)
def fresh_tracker():
    reset()
    yield
    reset()


def test_new_cards_start_in_first_column():
    board = create_board("team", COLUMNS)
    a = add_card(board, "write spec", assignee="ana", estimate=3)
    b = add_card(board, "review spec", assignee="ben")
    assert [card.title for card in cards_in(board, "Todo")] == ["write spec", "review spec"]
    assert cards_in(board, "Done") == []
    assert a.id != b.id
    assert Card.by_id(a.id) == a


def test_moves_are_recorded_in_history():
    board = create_board("team", COLUMNS)
    card = add_card(board, "task", day=1)
    move_card(card, "Doing", 2)
    move_card(card, "Done", 5)
    days = [move.day for move in history(card)]
    assert days == [1, 2, 5]
    assert history(card)[0].from_column_id is None


def test_lead_and_cycle_time():
    board = create_board("team", COLUMNS)
    card = add_card(board, "task", day=1)
    assert lead_time(card) is None
    move_card(card, "Doing", 3)
    move_card(card, "Done", 7)
    assert lead_time(card) == 6
    assert cycle_time(card) == 4


def test_wip_limit():
    board = create_board("team", COLUMNS, wip_limits={"Doing": 1})
    a = add_card(board, "a")
    b = add_card(board, "b")
    move_card(a, "Doing", 1)
    with pytest.raises(WipLimitError):
        move_card(b, "Doing", 1)


def test_workload_orders_by_points():
    board = create_board("team", COLUMNS)
    add_card(board, "a", assignee="ben", estimate=2)
    add_card(board, "b", assignee="ana", estimate=2)
    add_card(board, "c", assignee="cy", estimate=5)
    add_card(board, "d")
    assert workload(board) == [("cy", 1, 5), ("ana", 1, 2), ("ben", 1, 2)]


def test_blocked_cards():
    board = create_board("team", COLUMNS)
    base = add_card(board, "base")
    top = add_card(board, "top", blocked_by=[base.id])
    assert blocked_cards(board) == [("top", ["base"])]
    move_card(base, "Done", 1)
    assert blocked_cards(board) == []
    assert top.blocked_by == [base.id]


def test_burndown():
    board = create_board("team", COLUMNS)
    a = add_card(board, "a", estimate=3, day=0)
    add_card(board, "b", estimate=2, day=1)
    move_card(a, "Done", 2)
    assert burndown(board, 0, 3) == [(0, 3), (1, 5), (2, 2), (3, 2)]


def test_label_stats_normalizes_labels():
    board = create_board("team", COLUMNS)
    a = add_card(board, "a", labels=["Tech Debt"], estimate=2, day=0)
    add_card(board, "b", labels=["tech_debt", "ui"], estimate=1)
    move_card(a, "Doing", 1)
    move_card(a, "Done", 4)
    stats = label_stats(board)
    assert [row["label"] for row in stats] == ["tech-debt", "ui"]
    assert stats[0] == {"label": "tech-debt", "cards": 2, "points": 3, "done": 1, "avg_cycle": 3.0}


def test_column_counts():
    board = create_board("team", COLUMNS)
    a = add_card(board, "a", estimate=2)
    add_card(board, "b", estimate=3)
    move_card(a, "Doing", 0)
    assert column_counts(board) == [("Todo", 1, 3), ("Doing", 1, 2), ("Done", 0, 0)]
