import pytest

from tourney import (
    Registry,
    Tournament,
    apply_elo,
    buchholz,
    crosstable,
    expected_score,
    pair_round,
    performance_rating,
    progressive,
    result_points,
    sonneborn_berger,
    standings,
    standings_table,
)


def make(names, rounds=3, ratings=None):
    reg = Registry()
    t = Tournament("Club Open", reg, rounds)
    for i, n in enumerate(names):
        reg.add(n, rating=(ratings[i] if ratings else 2000 - 50 * i))
        t.enter(n)
    return reg, t


def test_registry_add_and_get():
    reg = Registry()
    p = reg.add("Anna", 1800, club="Rooks")
    assert reg.get("Anna") is p
    assert "Anna" in reg and len(reg) == 1
    assert p.rating == 1800.0 and p.club == "Rooks"


def test_registry_duplicate_rejected():
    reg = Registry()
    reg.add("Anna")
    with pytest.raises(ValueError):
        reg.add("Anna")


def test_registry_unknown_player():
    with pytest.raises(KeyError):
        Registry().get("Nobody")


def test_by_rating_order():
    reg = Registry()
    reg.add("B", 1500)
    reg.add("A", 1500)
    reg.add("C", 1900)
    assert [p.name for p in reg.by_rating()] == ["C", "A", "B"]


def test_expected_score():
    assert expected_score(1500, 1500) == pytest.approx(0.5)
    assert expected_score(1900, 1500) == pytest.approx(1 / 1.1 * 1.0, rel=1e-3)
    assert expected_score(1700, 1500) + expected_score(1500, 1700) == pytest.approx(1.0)


def test_result_points():
    assert result_points("1-0") == (1.0, 0.0)
    assert result_points("1/2-1/2") == (0.5, 0.5)
    with pytest.raises(ValueError):
        result_points("2-0")


def test_apply_elo_equal_players():
    reg = Registry()
    a, b = reg.add("A", 1500), reg.add("B", 1500)
    dw, db = apply_elo(a, b, "1-0")
    assert dw == 20.0 and db == -20.0
    assert a.rating == 1520.0 and b.rating == 1480.0
    assert a.games_played == 1 and a.history == [1520.0]


def test_record_result_and_score():
    reg, t = make(["A", "B", "C", "D"])
    t.add_game(1, "A", "B")
    t.add_game(1, "C", "D")
    t.record_result(1, "A", "1-0")
    t.record_result(1, "C", "1/2-1/2")
    assert t.score("A") == 1.0
    assert t.score("B") == 0.0
    assert t.score("C") == 0.5 and t.score("D") == 0.5
    assert t.round_complete(1)


def test_bye_scores_a_point():
    reg, t = make(["A", "B", "C"])
    t.add_bye(1, "C")
    assert t.score("C") == 1.0
    assert t.had_bye("C")
    assert t.opponents("C") == []


def test_first_round_pairing_top_half_plays():
    reg, t = make(["A", "B", "C", "D"])
    boards = pair_round(t)
    assert len(boards) == 2
    players = sorted(p for b in boards for p in b)
    assert players == ["A", "B", "C", "D"]


def test_odd_field_gives_bye_to_lowest():
    reg, t = make(["A", "B", "C", "D", "E"])
    boards = pair_round(t)
    assert len(boards) == 2
    assert t.had_bye("E")


def test_no_repeat_opponents():
    names = [f"P{i}" for i in range(8)]
    reg, t = make(names, rounds=3)
    for rnd in range(1, 4):
        for w, b in pair_round(t):
            t.record_result(rnd, w, "1-0" if w < b else "0-1")
    seen = set()
    for g in t.games:
        pair = frozenset((g[1], g[2]))
        assert pair not in seen
        seen.add(pair)


def test_cannot_pair_before_round_finished():
    reg, t = make(["A", "B", "C", "D"])
    pair_round(t)
    with pytest.raises(ValueError):
        pair_round(t)


def test_colours_alternate_for_two_players():
    reg, t = make(["A", "B"], rounds=2)
    assert pair_round(t) == [("A", "B")]
    t.record_result(1, "A", "1/2-1/2")
    assert pair_round(t) == [("B", "A")]
    assert t.colours("A") == ["W", "B"]
    assert t.colour_balance("B") == 0


def small_event():
    reg, t = make(["A", "B", "C", "D"], rounds=2)
    t.add_game(1, "A", "B")
    t.add_game(1, "C", "D")
    t.record_result(1, "A", "1-0")
    t.record_result(1, "C", "1/2-1/2")
    t.add_game(2, "D", "A")
    t.add_game(2, "B", "C")
    t.record_result(2, "D", "0-1")
    t.record_result(2, "B", "1-0")
    return t


def test_tiebreaks_small_event():
    t = small_event()
    # scores: A 2, B 1, C 0.5, D 0.5
    assert buchholz(t, "A") == 1.5
    assert sonneborn_berger(t, "A") == 1.5
    assert progressive(t, "A") == 3.0
    assert sonneborn_berger(t, "C") == 0.25


def test_standings_order():
    t = small_event()
    rows = standings(t)
    assert [r["name"] for r in rows][:2] == ["A", "B"]
    assert rows[0]["score"] == 2.0
    assert rows[1]["name"] == "B"


def test_standings_table_text():
    text = standings_table(small_event())
    assert "standings after round 2" in text
    assert "A" in text.splitlines()[2]


def test_crosstable_rows():
    text = crosstable(small_event())
    lines = text.splitlines()
    assert len(lines) == 5
    assert "R1" in lines[0] and "R2" in lines[0]


def test_performance_rating_none_without_games():
    reg, t = make(["A", "B"])
    assert performance_rating(t, "A") is None


def test_score_groups_and_round_sheet():
    from tourney import round_sheet, score_groups

    t = small_event()
    groups = score_groups(t)
    assert list(groups) == [2.0, 1.0, 0.5]
    assert sorted(groups[0.5]) == ["C", "D"]
    sheet = round_sheet(t, 2)
    assert sheet.splitlines()[0] == "Round 2"
    assert "D (0.5) - A (1)  0-1" in sheet


def test_rating_changes_and_club_totals():
    from tourney import club_totals, rating_changes

    t = small_event()
    changes = rating_changes(t)
    assert changes[0][0] == "A"
    assert sum(1 for c in changes if c[3] < 0) >= 1
    assert club_totals(t) == [("-", 4.0)]


def test_full_small_tournament_runs():
    names = [f"P{i}" for i in range(11)]
    reg, t = make(names, rounds=5)
    for rnd in range(1, 6):
        boards = pair_round(t)
        assert len(boards) == 5
        for w, _b in boards:
            t.record_result(rnd, w, "1/2-1/2" if (len(w) + rnd) % 3 == 0 else "1-0")
    assert sum(t.score(n) for n in names) == 5 * 5 + 5
    assert len({g[1] for g in t.games if g[2] is None}) == 5
