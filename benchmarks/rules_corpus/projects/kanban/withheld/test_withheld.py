import math
import random

import pytest

from kanban import (
    BlockedError,
    Board,
    Card,
    Move,
    WipLimitError,
    add_card,
    blocked_cards,
    board_report,
    burndown,
    cards_in,
    cards_on,
    column_at,
    column_counts,
    columns_of,
    create_board,
    cycle_time,
    history,
    is_blocked,
    label_stats,
    lead_time,
    move_card,
    normalize_label,
    open_blockers,
    reset,
    throughput,
    time_summary,
    workload,
)

COLUMNS = ["Backlog", "Ready", "Doing", "Done"]


@pytest.fixture(autouse=True)
def fresh_tracker():
    reset()
    yield
    reset()


def test_empty_board():
    board = create_board("empty", COLUMNS)
    assert cards_on(board) == []
    assert workload(board) == []
    assert label_stats(board) == []
    assert blocked_cards(board) == []
    assert burndown(board, 0, 2) == [(0, 0), (1, 0), (2, 0)]
    assert throughput(board, 3, 4) == [(3, 0), (4, 0)]
    assert column_counts(board) == [(name, 0, 0) for name in COLUMNS]
    summary = time_summary(board)
    assert summary["done"] == 0
    assert summary["lead_avg"] is None and summary["cycle_p85"] is None
    assert board_report(board).startswith("Board: empty")


def test_bad_input():
    with pytest.raises(ValueError):
        create_board("x", [])
    with pytest.raises(ValueError):
        create_board("x", ["A", "A"])
    with pytest.raises(ValueError):
        create_board("  ", ["A"])
    with pytest.raises(ValueError):
        create_board("x", ["A", "B"], wip_limits={"B": 0})
    with pytest.raises(KeyError):
        create_board("x", ["A"], wip_limits={"Z": 2})
    board = create_board("team", COLUMNS)
    with pytest.raises(ValueError):
        add_card(board, "t", estimate=-1)
    with pytest.raises(ValueError):
        add_card(board, "   ")
    with pytest.raises(LookupError):
        add_card(board, "t", blocked_by=[99])
    card = add_card(board, "t", day=5)
    with pytest.raises(KeyError):
        move_card(card, "Nowhere", 6)
    with pytest.raises(ValueError):
        move_card(card, "Doing", 4)
    with pytest.raises(ValueError):
        burndown(board, 3, 2)
    with pytest.raises(ValueError):
        throughput(board, 3, 2)
    with pytest.raises(TypeError):
        normalize_label(3)
    with pytest.raises(LookupError):
        Card.by_id(1234)
    assert issubclass(WipLimitError, ValueError) and issubclass(BlockedError, ValueError)


def test_model_behaviour():
    with pytest.raises(TypeError):
        Board(name="a", colour="red")
    with pytest.raises(TypeError):
        Move(card_id=1, day=0)
    first = Board(name="a")
    with pytest.raises(ValueError):
        Board(id=first.id, name="b")
    explicit = Board(id=10, name="c")
    assert Board(name="d").id == 11
    assert repr(first) == "Board(id=1, name='a')"
    assert first != explicit and first == Board.by_id(1)
    assert Board.filter(name="c") == [explicit]
    reset()
    assert Board.all() == []
    assert Board(name="again").id == 1


def test_other_board_cross_blocker_rejected():
    one = create_board("one", COLUMNS)
    two = create_board("two", COLUMNS)
    card = add_card(one, "a")
    with pytest.raises(ValueError):
        add_card(two, "b", blocked_by=[card.id])


def test_boards_are_independent():
    one = create_board("one", COLUMNS)
    two = create_board("two", COLUMNS)
    a = add_card(one, "a", assignee="ana", estimate=2, labels=["x"])
    b = add_card(two, "b", assignee="ana", estimate=5, labels=["y"])
    move_card(b, "Done", 1)
    assert workload(one) == [("ana", 1, 2)]
    assert workload(two) == [("ana", 0, 0)]
    assert burndown(one, 0, 1) == [(0, 2), (1, 2)]
    assert burndown(two, 0, 1) == [(0, 5), (1, 0)]
    assert throughput(one, 1, 1) == [(1, 0)]
    assert throughput(two, 1, 1) == [(1, 1)]
    assert [row["label"] for row in label_stats(one)] == ["x"]
    assert lead_time(a) is None and lead_time(b) == 1


def test_moves_no_op_and_back_and_forth():
    board = create_board("team", COLUMNS)
    card = add_card(board, "t", day=0)
    assert move_card(card, "Backlog", 1) is None
    assert len(history(card)) == 1
    move_card(card, "Doing", 2)
    move_card(card, "Backlog", 3)
    move_card(card, "Ready", 5)
    move_card(card, "Done", 6)
    assert lead_time(card) == 6
    assert cycle_time(card) == 4
    move_card(card, "Doing", 8)
    assert lead_time(card) is None and cycle_time(card) is None
    move_card(card, "Done", 10)
    assert lead_time(card) == 10 and cycle_time(card) == 8
    assert column_at(card, 4) == columns_of(board)[0].id
    assert column_at(card, -1) is None


def test_single_column_board():
    board = create_board("solo", ["Done"])
    card = add_card(board, "t", day=3, estimate=4)
    assert lead_time(card) == 0
    assert cycle_time(card) is None
    assert burndown(board, 2, 3) == [(2, 0), (3, 0)]
    assert time_summary(board)["done"] == 1
    assert time_summary(board)["cycle_avg"] is None


def test_results_follow_mutations():
    board = create_board("team", COLUMNS)
    a = add_card(board, "a", assignee="ana", estimate=2, labels=["ui"], day=0)
    b = add_card(board, "b", assignee="ben", estimate=1, day=0)
    assert burndown(board, 0, 0) == [(0, 3)]
    assert workload(board) == [("ana", 1, 2), ("ben", 1, 1)]
    assert label_stats(board)[0]["cards"] == 1
    a.estimate = 7
    b.assignee = "ana"
    b.labels.append(" UI ")
    assert burndown(board, 0, 0) == [(0, 8)]
    assert workload(board) == [("ana", 2, 8)]
    assert label_stats(board)[0]["cards"] == 2
    assert label_stats(board)[0]["points"] == 8
    move_card(a, "Done", 1)
    assert workload(board) == [("ana", 1, 1)]
    assert burndown(board, 0, 1) == [(0, 8), (1, 1)]
    assert column_counts(board)[-1] == ("Done", 1, 7)


def test_blockers_follow_mutations():
    board = create_board("team", COLUMNS)
    base = add_card(board, "zeta")
    other = add_card(board, "alpha")
    top = add_card(board, "top", blocked_by=[base.id, other.id])
    assert blocked_cards(board) == [("top", ["alpha", "zeta"])]
    assert open_blockers(top) == [base, other]
    with pytest.raises(BlockedError):
        move_card(top, "Done", 1)
    move_card(base, "Done", 1)
    move_card(other, "Done", 1)
    assert not is_blocked(top)
    move_card(base, "Doing", 2)
    assert blocked_cards(board) == [("top", ["zeta"])]
    move_card(base, "Done", 3)
    move_card(top, "Done", 3)
    assert blocked_cards(board) == []
    top.blocked_by.append(add_card(board, "late").id)
    assert blocked_cards(board) == []
    assert is_blocked(top)


def test_wip_limit_counts_current_cards():
    board = create_board("team", COLUMNS, wip_limits={"Doing": 2, "Backlog": 2})
    a = add_card(board, "a")
    add_card(board, "b")
    with pytest.raises(WipLimitError):
        add_card(board, "c")
    move_card(a, "Doing", 1)
    c = add_card(board, "c", day=1)
    move_card(c, "Doing", 1)
    d = add_card(board, "d", day=1)
    with pytest.raises(WipLimitError):
        move_card(d, "Doing", 2)
    move_card(a, "Done", 2)
    move_card(d, "Doing", 2)
    assert [card.title for card in cards_in(board, "Doing")] == ["c", "d"]


def test_move_while_iterating():
    board = create_board("team", COLUMNS)
    for i in range(5):
        add_card(board, f"c{i}")
    for card in cards_in(board, "Backlog"):
        move_card(card, "Ready", 1)
    assert cards_in(board, "Backlog") == []
    assert len(cards_in(board, "Ready")) == 5


def test_history_sorted_by_day_then_creation():
    board = create_board("team", COLUMNS)
    card = add_card(board, "t", day=4)
    ready, doing = columns_of(board)[1], columns_of(board)[2]
    Move(card_id=card.id, from_column_id=None, to_column_id=doing.id, day=6)
    Move(card_id=card.id, from_column_id=None, to_column_id=ready.id, day=2)
    assert [(m.day, m.to_column_id) for m in history(card)] == [
        (2, ready.id), (4, columns_of(board)[0].id), (6, doing.id)
    ]
    assert column_at(card, 5) == columns_of(board)[0].id


def test_ties_in_workload_and_labels():
    board = create_board("team", COLUMNS)
    for name in ["dee", "al", "cy", "bo"]:
        add_card(board, f"task {name}", assignee=name, estimate=3, labels=["b", "a"])
    done = add_card(board, "shipped", assignee="zed", estimate=9)
    move_card(done, "Done", 0)
    assert workload(board) == [
        ("al", 1, 3), ("bo", 1, 3), ("cy", 1, 3), ("dee", 1, 3), ("zed", 0, 0)
    ]
    assert [row["label"] for row in label_stats(board)] == ["a", "b"]
    assert label_stats(board)[0]["avg_cycle"] is None


def _reference(events, cards, done_id, start_id, days):
    """Metrics recomputed from a plain event log kept by the test."""
    per_card = {card.id: sorted(
        [e for e in events if e[0] == card.id], key=lambda e: (e[3], e[4])) for card in cards}

    def column_on(card_id, day):
        col = None
        for _, _, to, when, _ in per_card[card_id]:
            if when <= day:
                col = to
        return col

    burn = [(day, sum(c.estimate for c in cards
                      if column_on(c.id, day) not in (None, done_id))) for day in days]
    leads, cycles = {}, {}
    for card in cards:
        evs = per_card[card.id]
        if evs[-1][2] != done_id:
            leads[card.id] = cycles[card.id] = None
            continue
        arrived = max(e[3] for e in evs if e[2] == done_id)
        leads[card.id] = arrived - evs[0][3]
        starts = [e[3] for e in evs if e[1] == start_id]
        cycles[card.id] = arrived - starts[0] if starts else None
    load = {}
    for card in cards:
        if card.assignee is None:
            continue
        n, pts = load.get(card.assignee, (0, 0))
        if per_card[card.id][-1][2] != done_id:
            n, pts = n + 1, pts + card.estimate
        load[card.assignee] = (n, pts)
    rows = sorted(((k, n, p) for k, (n, p) in load.items()), key=lambda r: (-r[2], r[0]))
    through = [(day, sum(1 for e in events if e[3] == day and e[2] == done_id)) for day in days]
    return burn, leads, cycles, rows, through


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_random_against_reference(seed):
    rng = random.Random(seed)
    board = create_board("rand", COLUMNS, wip_limits={"Doing": 4})
    cols = columns_of(board)
    ids = [c.id for c in cols]
    events = []
    order = 0
    for day in range(15):
        for _ in range(rng.randint(0, 4)):
            card = add_card(board, f"c{order}", assignee=rng.choice(["a", "b", "c", None]),
                            estimate=rng.randint(0, 8), day=day,
                            labels=rng.sample(["Bug", "bug", "ui", "Ops team"], rng.randint(0, 2)))
            events.append((card.id, None, ids[0], day, order))
            order += 1
        for card in rng.sample(cards_on(board), min(6, len(cards_on(board)))):
            target = rng.randrange(len(COLUMNS))
            before = card.column_id
            try:
                moved = move_card(card, COLUMNS[target], day)
            except WipLimitError:
                continue
            if moved is not None:
                events.append((card.id, before, ids[target], day, order))
                order += 1
    cards = cards_on(board)
    days = list(range(-1, 17))
    burn, leads, cycles, rows, through = _reference(events, cards, ids[-1], ids[0], days)
    assert burndown(board, -1, 16) == burn
    assert {c.id: lead_time(c) for c in cards} == leads
    assert {c.id: cycle_time(c) for c in cards} == cycles
    assert workload(board) == rows
    assert throughput(board, -1, 16) == through
    done_leads = sorted(v for v in leads.values() if v is not None)
    summary = time_summary(board)
    assert summary["done"] == len(done_leads)
    if done_leads:
        assert summary["lead_avg"] == round(sum(done_leads) / len(done_leads), 2)
        assert summary["lead_p50"] == done_leads[math.ceil(0.5 * len(done_leads)) - 1]
        assert summary["lead_p85"] == done_leads[math.ceil(0.85 * len(done_leads)) - 1]
        assert summary["lead_max"] == done_leads[-1]
    labels = {}
    for card in cards:
        for key in {normalize_label(label) for label in card.labels}:
            labels.setdefault(key, []).append(card)
    stats = label_stats(board)
    assert [row["label"] for row in stats] == sorted(labels)
    for row in stats:
        tagged = labels[row["label"]]
        assert row["cards"] == len(tagged)
        assert row["points"] == sum(c.estimate for c in tagged)
        assert row["done"] == sum(1 for c in tagged if c.column_id == ids[-1])
    assert [(n, len(cards_in(board, n))) for n in COLUMNS] == [
        (n, c) for n, c, _ in column_counts(board)
    ]
