"""Boards, columns and cards: creating work, moving it along, dependencies between cards."""

from kanban.models import Board, Card, Column, Move


class WipLimitError(ValueError):
    """Raised when a move would put more cards in a column than its WIP limit allows."""


class BlockedError(ValueError):
    """Raised when a card with unfinished blockers is moved to the done column."""


def create_board(name, columns, wip_limits=None):
    """A new board whose columns run left to right; the last column means done."""
    if not name or not name.strip():
        raise ValueError("a board needs a name")
    if not columns:
        raise ValueError("a board needs at least one column")
    if len(set(columns)) != len(columns):
        raise ValueError(f"duplicate column names in {columns!r}")
    limits = wip_limits or {}
    for column_name, limit in limits.items():
        if column_name not in columns:
            raise KeyError(f"WIP limit for unknown column {column_name!r}")
        if limit is not None and limit < 1:
            raise ValueError(f"WIP limit for {column_name!r} must be at least 1")
    board = Board(name=name.strip())
    for position, column_name in enumerate(columns):
        Column(board_id=board.id, name=column_name, position=position,
               wip_limit=limits.get(column_name))
    return board


def columns_of(board):
    return Column.order_by("position", items=Column.filter(board_id=board.id))


def column_named(board, name):
    for column in columns_of(board):
        if column.name == name:
            return column
    raise KeyError(f"board {board.name!r} has no column {name!r}")


def first_column(board):
    return columns_of(board)[0]


def done_column(board):
    return columns_of(board)[-1]


def board_of(card):
    return Board.by_id(card.board_id)


def cards_on(board):
    """Every card of the board, oldest first."""
    return Card.order_by("id", items=Card.filter(board_id=board.id))


def cards_in(board, column_name):
    column = column_named(board, column_name)
    return Card.order_by("id", items=Card.filter(board_id=board.id, column_id=column.id))


def is_done(card):
    return card.column_id == done_column(board_of(card)).id


def _check_wip(column):
    if column.wip_limit is None:
        return
    if len(Card.filter(column_id=column.id)) >= column.wip_limit:
        raise WipLimitError(f"column {column.name!r} is at its WIP limit of {column.wip_limit}")


def add_card(board, title, assignee=None, labels=(), estimate=1, day=0, blocked_by=()):
    """Put a new card in the board's first column on `day`."""
    if not title or not title.strip():
        raise ValueError("a card needs a title")
    if estimate < 0:
        raise ValueError(f"negative estimate for {title!r}: {estimate}")
    for blocker_id in blocked_by:
        blocker = Card.by_id(blocker_id)
        if blocker.board_id != board.id:
            raise ValueError(f"card {blocker_id} is on another board")
    start = first_column(board)
    _check_wip(start)
    card = Card(board_id=board.id, title=title.strip(), assignee=assignee, labels=list(labels),
                estimate=estimate, created=day, column_id=start.id, blocked_by=list(blocked_by))
    Move(card_id=card.id, from_column_id=None, to_column_id=start.id, day=day)
    return card


def history(card):
    """The card's moves in the order they happened."""
    return Move.order_by("day", "id", items=Move.filter(card_id=card.id))


def open_blockers(card):
    """Cards this card waits for that are not done yet, in the order they were listed."""
    blockers = []
    for blocker_id in card.blocked_by:
        blocker = Card.by_id(blocker_id)
        if not is_done(blocker):
            blockers.append(blocker)
    return blockers


def is_blocked(card):
    return len(open_blockers(card)) > 0


def move_card(card, column_name, day):
    """Move a card to another column of its board; returns the Move (None if already there)."""
    board = board_of(card)
    target = column_named(board, column_name)
    moves = history(card)
    if moves and day < moves[-1].day:
        raise ValueError(f"card {card.id} last moved on day {moves[-1].day}, not before {day}")
    if target.id == card.column_id:
        return None
    _check_wip(target)
    if target.id == done_column(board).id and is_blocked(card):
        raise BlockedError(f"card {card.title!r} is blocked")
    move = Move(card_id=card.id, from_column_id=card.column_id, to_column_id=target.id, day=day)
    card.column_id = target.id
    return move


def blocked_cards(board):
    """(title, sorted titles of open blockers) for each unfinished blocked card, oldest first."""
    result = []
    for card in cards_on(board):
        if is_done(card):
            continue
        waiting = open_blockers(card)
        if waiting:
            result.append((card.title, sorted(blocker.title for blocker in waiting)))
    return result
