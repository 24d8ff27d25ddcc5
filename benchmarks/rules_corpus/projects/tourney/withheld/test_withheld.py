import copy
import random

import pytest

from tourney import (
    Registry,
    Tournament,
    apply_elo,
    assign_colours,
    buchholz,
    buchholz_cut1,
    club_totals,
    crosstable,
    expected_score,
    fmt_points,
    k_factor,
    leaders,
    pair_round,
    performance_rating,
    progressive,
    ranking_order,
    rating_changes,
    round_sheet,
    score_groups,
    sonneborn_berger,
    standings,
    standings_table,
)

# ---------------------------------------------------------------- reference code

REF_POINTS = {"1-0": (1.0, 0.0), "0-1": (0.0, 1.0), "1/2-1/2": (0.5, 0.5)}


def ref_points(game, name, upto=None):
    rnd, w, b, res = game
    if upto is not None and rnd > upto:
        return 0.0
    if res is None or name not in (w, b):
        return 0.0
    if b is None:
        return 1.0
    pw, pb = REF_POINTS[res]
    return pw if name == w else pb


def ref_score(games, name, upto=None):
    return sum(ref_points(g, name, upto) for g in games)


def ref_opps(games, name):
    out = []
    for g in games:
        if g[2] is None:
            continue
        if g[1] == name:
            out.append(g[2])
        elif g[2] == name:
            out.append(g[1])
    return out


def ref_buchholz(games, name):
    return sum(ref_score(games, o) for o in ref_opps(games, name))


def ref_cut1(games, name):
    s = sorted(ref_score(games, o) for o in ref_opps(games, name))
    return sum(s[1:])


def ref_sb(games, name):
    total = 0.0
    for g in games:
        if g[2] is None or g[3] is None or name not in (g[1], g[2]):
            continue
        opp = g[2] if g[1] == name else g[1]
        total += ref_points(g, name) * ref_score(games, opp)
    return total


def ref_prog(games, name):
    last = max((g[0] for g in games), default=0)
    return sum(ref_score(games, name, r) for r in range(1, last + 1))


def ref_key(games, name):
    return (ref_score(games, name), ref_buchholz(games, name), ref_sb(games, name),
            ref_prog(games, name))


def ref_elo(ra, rb, games_a, games_b, result):
    def k(r, n):
        return 40 if n < 30 else (20 if r < 2400 else 10)

    sa, sb = REF_POINTS[result]
    ea = 1.0 / (1.0 + 10 ** ((rb - ra) / 400.0))
    eb = 1.0 / (1.0 + 10 ** ((ra - rb) / 400.0))
    return (round(ra + round(k(ra, games_a) * (sa - ea), 1), 1),
            round(rb + round(k(rb, games_b) * (sb - eb), 1), 1))


# ---------------------------------------------------------------- helpers

def make(names, rounds=3, ratings=None, clubs=None):
    reg = Registry()
    t = Tournament("Test", reg, rounds)
    for i, n in enumerate(names):
        reg.add(n, rating=(ratings[i] if ratings else 2000 - 10 * i),
                club=(clubs[i] if clubs else ""))
        t.enter(n)
    return reg, t


def play_random(seed, n_players, rounds, withdraw_at=None):
    rng = random.Random(seed)
    names = [f"N{i:02d}" for i in range(n_players)]
    ratings = [rng.randint(1200, 2500) for _ in names]
    reg, t = make(names, rounds, ratings, clubs=[rng.choice("XYZ") for _ in names])
    log = []
    for rnd in range(1, rounds + 1):
        if withdraw_at == rnd:
            t.withdraw(names[rng.randrange(n_players)])
        for w, b in pair_round(t):
            res = rng.choice(["1-0", "0-1", "1/2-1/2", "1-0"])
            t.record_result(rnd, w, res)
            log.append((w, b, res))
    return reg, t, names, ratings, log


# ---------------------------------------------------------------- registry and Elo

def test_registry_strips_names():
    reg = Registry()
    reg.add("  Bob ")
    assert "Bob" in reg
    with pytest.raises(ValueError):
        reg.add("Bob")


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
def test_registry_rejects_bad_names(bad):
    with pytest.raises(ValueError):
        Registry().add(bad)


def test_registry_rejects_negative_rating():
    with pytest.raises(ValueError):
        Registry().add("X", -1)


def test_registry_remove_and_names():
    reg = Registry()
    for n in ["c", "a", "b"]:
        reg.add(n)
    reg.remove("a")
    assert reg.names() == ["b", "c"]
    with pytest.raises(KeyError):
        reg.remove("a")


def test_average_rating_and_no_mutation():
    reg = Registry()
    reg.add("a", 1000)
    reg.add("b", 2000)
    names = ["b", "a"]
    assert reg.average_rating(names) == 1500.0
    assert names == ["b", "a"]
    assert reg.average_rating([]) == 0.0
    assert Registry().average_rating() == 0.0


def test_club_members_sorted():
    reg = Registry()
    reg.add("z", club="K")
    reg.add("a", club="K")
    reg.add("m", club="L")
    assert reg.club_members("K") == ["a", "z"]
    assert reg.club_members("none") == []


def test_k_factor_thresholds():
    reg = Registry()
    p = reg.add("p", 2399)
    assert k_factor(p) == 40
    p.games_played = 30
    assert k_factor(p) == 20
    p.rating = 2400
    assert k_factor(p) == 10


def test_expected_score_symmetry():
    rng = random.Random(5)
    for _ in range(50):
        a, b = rng.randint(800, 2800), rng.randint(800, 2800)
        assert expected_score(a, b) + expected_score(b, a) == pytest.approx(1.0)


def test_apply_elo_invalid_result_changes_nothing():
    reg = Registry()
    a, b = reg.add("a", 1500), reg.add("b", 1600)
    with pytest.raises(ValueError):
        apply_elo(a, b, "1:0")
    assert a.rating == 1500.0 and b.rating == 1600.0 and a.games_played == 0


def test_ratings_match_reference_replay():
    reg, t, names, ratings, log = play_random(11, 16, 5)
    cur = dict(zip(names, map(float, ratings)))
    played = dict.fromkeys(names, 0)
    for w, b, res in log:
        cur[w], cur[b] = ref_elo(cur[w], cur[b], played[w], played[b], res)
        played[w] += 1
        played[b] += 1
    for n in names:
        assert reg.get(n).rating == cur[n]
        assert reg.get(n).games_played == played[n]
        assert reg.get(n).initial_rating == float(ratings[names.index(n)])


# ---------------------------------------------------------------- tournament bookkeeping

def test_tournament_needs_rounds():
    with pytest.raises(ValueError):
        Tournament("x", Registry(), 0)


def test_enter_errors():
    reg = Registry()
    reg.add("a")
    t = Tournament("x", reg, 3)
    with pytest.raises(KeyError):
        t.enter("ghost")
    t.enter("a")
    with pytest.raises(ValueError):
        t.enter("a")
    with pytest.raises(KeyError):
        t.withdraw("ghost")


def test_add_game_errors():
    reg, t = make(["a", "b", "c", "d"], rounds=2)
    with pytest.raises(ValueError):
        t.add_game(1, "a", "a")
    with pytest.raises(ValueError):
        t.add_game(3, "a", "b")
    with pytest.raises(ValueError):
        t.add_game(0, "a", "b")
    t.add_game(1, "a", "b")
    with pytest.raises(ValueError):
        t.add_game(1, "c", "a")
    with pytest.raises(ValueError):
        t.add_bye(1, "b")
    with pytest.raises(KeyError):
        t.add_game(2, "a", "ghost")
    assert len(t.games) == 1


def test_record_result_errors():
    reg, t = make(["a", "b", "c"], rounds=2)
    t.add_game(1, "a", "b")
    t.add_bye(1, "c")
    with pytest.raises(ValueError):
        t.record_result(1, "a", "draw")
    with pytest.raises(KeyError):
        t.record_result(1, "b", "1-0")
    with pytest.raises(KeyError):
        t.record_result(2, "a", "1-0")
    with pytest.raises(ValueError):
        t.record_result(1, "c", "1-0")
    assert t.record_result(1, "a", "0-1") == (1, "a", "b", "0-1")
    with pytest.raises(ValueError):
        t.record_result(1, "a", "1-0")
    assert t.score("b") == 1.0 and t.score("a") == 0.0


def test_pending_games_score_nothing():
    reg, t = make(["a", "b"], rounds=1)
    t.add_game(1, "a", "b")
    assert t.score("a") == 0.0 and t.score("b") == 0.0
    assert t.pending() == [(1, "a", "b", None)]
    assert not t.round_complete(1)
    assert t.result_between("b", "a") is None
    t.record_result(1, "a", "1/2-1/2")
    assert t.result_between("b", "a") == "1/2-1/2"
    assert t.pending() == []


def test_empty_tournament_queries():
    reg, t = make(["a", "b"])
    assert t.last_round() == 0
    assert not t.round_complete(1)
    assert t.games_of("a") == []
    assert t.colours("a") == [] and t.colour_balance("a") == 0
    assert t.result_between("a", "b") is None
    assert not t.has_played("a", "b")
    assert buchholz_cut1(t, "a") == 0


def test_score_upto():
    reg, t = make(["a", "b", "c", "d"], rounds=3)
    t.add_game(1, "a", "b")
    t.record_result(1, "a", "1-0")
    t.add_bye(2, "a")
    t.add_game(3, "a", "c")
    t.record_result(3, "a", "1/2-1/2")
    assert [t.score("a", upto=r) for r in (0, 1, 2, 3)] == [0.0, 1.0, 2.0, 2.5]
    assert progressive(t, "a") == 1.0 + 2.0 + 2.5
    assert t.opponents("a") == ["b", "c"]


# ---------------------------------------------------------------- pairing

def test_pair_round_errors():
    reg, t = make(["a"], rounds=2)
    with pytest.raises(ValueError):
        pair_round(t)
    reg, t = make([], rounds=1)
    with pytest.raises(ValueError):
        pair_round(t)
    reg, t = make(["a", "b"], rounds=1)
    pair_round(t)
    t.record_result(1, t.games[0][1], "1-0")
    with pytest.raises(ValueError):
        pair_round(t)


def test_pair_round_explicit_round_already_paired():
    reg, t = make(["a", "b", "c", "d"], rounds=3)
    pair_round(t, 1)
    with pytest.raises(ValueError):
        pair_round(t, 1)


def test_first_round_higher_rated_gets_white():
    reg, t = make([f"p{i}" for i in range(10)], rounds=3,
                  ratings=[1500 + 37 * ((i * 7) % 10) for i in range(10)])
    for w, b in pair_round(t):
        assert reg.get(w).rating >= reg.get(b).rating


def test_withdrawn_not_paired_and_inputs_unchanged():
    reg, t = make(list("abcdef"), rounds=3)
    t.withdraw("c")
    entrants = list(t.entrants)
    withdrawn = set(t.withdrawn)
    boards = pair_round(t)
    assert all("c" not in b for b in boards)
    assert t.entrants == entrants and t.withdrawn == withdrawn
    assert t.had_bye("f")
    assert len(boards) == 2


def test_bye_not_repeated():
    reg, t = make(list("abcde"), rounds=4)
    byes = []
    for rnd in range(1, 5):
        for w, _b in pair_round(t):
            t.record_result(rnd, w, "1/2-1/2")
        byes.extend(g[1] for g in t.round_games(rnd) if g[2] is None)
    assert len(byes) == 4 and len(set(byes)) == 4


def test_assign_colours_cases():
    reg, t = make(list("abcd"), rounds=3)
    assert assign_colours(t, "a", "b") == ("a", "b")
    t.add_game(1, "a", "c")
    t.add_game(1, "d", "b")
    assert assign_colours(t, "a", "b") == ("b", "a")
    t.record_result(1, "a", "1-0")
    t.record_result(1, "d", "1-0")
    t.add_game(2, "c", "b")
    t.add_game(2, "a", "d")
    # a: W W (+2), d: W B (0)
    assert assign_colours(t, "a", "d") == ("d", "a")
    # c: B W, d: W B -> balances equal, last colours differ, c had white last
    assert assign_colours(t, "c", "d") == ("d", "c")


def test_score_groups_cover_active_players():
    reg, t, names, ratings, log = play_random(3, 12, 3, withdraw_at=2)
    groups = score_groups(t)
    flat = [n for g in groups.values() for n in g]
    assert sorted(flat) == sorted(t.active_players())
    assert list(groups) == sorted(groups, reverse=True)
    assert flat == ranking_order(t)


@pytest.mark.parametrize("seed,n,rounds", [(1, 20, 5), (2, 21, 6), (7, 14, 5), (9, 31, 7)])
def test_random_pairing_invariants(seed, n, rounds):
    reg, t, names, ratings, log = play_random(seed, n, rounds, withdraw_at=3)
    for rnd in range(1, rounds + 1):
        games = t.round_games(rnd)
        seen = [p for g in games for p in (g[1], g[2]) if p is not None]
        assert len(seen) == len(set(seen))
        assert sum(1 for g in games if g[2] is None) <= 1
    pairs = [frozenset((g[1], g[2])) for g in t.games if g[2] is not None]
    assert len(pairs) == len(set(pairs))
    byes = [g[1] for g in t.games if g[2] is None]
    assert len(byes) == len(set(byes))
    for name in names:
        assert abs(t.colour_balance(name)) <= 3


# ---------------------------------------------------------------- tiebreaks and standings

@pytest.mark.parametrize("seed", [4, 8, 15])
def test_tiebreaks_match_reference(seed):
    reg, t, names, ratings, log = play_random(seed, 17, 6, withdraw_at=4)
    games = list(t.games)
    for n in names:
        assert t.score(n) == ref_score(games, n)
        assert buchholz(t, n) == ref_buchholz(games, n)
        assert buchholz_cut1(t, n) == ref_cut1(games, n)
        assert sonneborn_berger(t, n) == ref_sb(games, n)
        assert progressive(t, n) == ref_prog(games, n)


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_standings_match_reference(seed):
    reg, t, names, ratings, log = play_random(seed, 24, 6, withdraw_at=2)
    games = copy.deepcopy(t.games)
    rows = standings(t)
    expect = sorted(names, key=lambda n: (tuple(-x for x in ref_key(games, n)), n))
    assert [r["name"] for r in rows] == expect
    for i, r in enumerate(rows):
        assert r["key"] == ref_key(games, r["name"])
        if i and rows[i - 1]["key"] == r["key"]:
            assert r["rank"] == rows[i - 1]["rank"]
        else:
            assert r["rank"] == i + 1
    assert t.games == games


def test_standings_without_games_all_share_first():
    reg, t = make(["d", "b", "c"])
    rows = standings(t)
    assert [r["name"] for r in rows] == ["b", "c", "d"]
    assert [r["rank"] for r in rows] == [1, 1, 1]
    assert leaders(t) == ["b", "c", "d"]


def test_competition_ranking_skips():
    reg, t = make(["a", "b", "c", "d"], rounds=1)
    t.add_game(1, "a", "b")
    t.add_game(1, "c", "d")
    t.record_result(1, "a", "1-0")
    t.record_result(1, "c", "1-0")
    rows = standings(t)
    assert [r["rank"] for r in rows] == [1, 1, 3, 3]
    assert leaders(t) == ["a", "c"]


def test_leaders_empty():
    assert leaders(Tournament("x", Registry(), 1)) == []
    assert standings(Tournament("x", Registry(), 1)) == []


def test_withdrawn_player_stays_in_standings():
    reg, t, names, ratings, log = play_random(5, 10, 4, withdraw_at=2)
    assert len(standings(t)) == 10


# ---------------------------------------------------------------- reports

def test_fmt_points():
    assert fmt_points(0.0) == "0"
    assert fmt_points(2.5) == "2.5"
    assert fmt_points(7.0) == "7"


def test_crosstable_marks():
    reg, t = make(["a", "b", "c"], rounds=2)
    t.add_game(1, "a", "b")
    t.add_bye(1, "c")
    t.record_result(1, "a", "1/2-1/2")
    t.add_game(2, "c", "a")
    lines = crosstable(t).splitlines()
    assert len(lines) == 4
    body = "\n".join(lines[1:])
    assert "BYE" in body and "?" in body and "=" in body
    b_line = next(line for line in lines if " b " in line)
    assert "  -  " in b_line


def test_crosstable_consistent_with_standings():
    reg, t, names, ratings, log = play_random(31, 15, 5)
    rows = standings(t)
    lines = crosstable(t).splitlines()[1:]
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows):
        assert line.split()[1] == row["name"]
        assert line.split()[-1] == fmt_points(row["score"])
        ones = line.count("w1") + line.count("b1") + line.count("BYE")
        halves = line.count("w=") + line.count("b=")
        assert ones + 0.5 * halves == row["score"]


def test_standings_table_lines():
    reg, t, names, ratings, log = play_random(2, 9, 3)
    text = standings_table(t)
    assert len(text.splitlines()) == 2 + 9
    assert text.splitlines()[0] == "Test - standings after round 3"


def test_round_sheet_lists_bye_last():
    reg, t = make(["a", "b", "c"], rounds=1)
    pair_round(t)
    lines = round_sheet(t, 1).splitlines()
    assert lines[-1].strip() == "c bye"
    assert lines[1].startswith("  1. a (0) - b (0)")


def test_performance_rating_values():
    reg, t = make(["a", "b", "c"], rounds=2, ratings=[1600, 1500, 1700])
    t.add_game(1, "a", "b")
    t.add_game(2, "c", "a")
    assert performance_rating(t, "a") is None
    t.record_result(1, "a", "1-0")
    b_rating = reg.get("b").rating
    assert performance_rating(t, "a") == round(b_rating + 400, 1)
    t.record_result(2, "c", "1/2-1/2")
    expect = round((reg.get("b").rating + reg.get("c").rating) / 2 + 400 * 1 / 2, 1)
    assert performance_rating(t, "a") == expect


def test_rating_changes_sorted_and_club_totals():
    reg, t, names, ratings, log = play_random(12, 12, 4)
    changes = rating_changes(t)
    assert [c[3] for c in changes] == sorted((c[3] for c in changes), reverse=True)
    assert {c[0] for c in changes} == set(names)
    totals = club_totals(t)
    assert sum(v for _, v in totals) == sum(t.score(n) for n in names)
    assert [v for _, v in totals] == sorted((v for _, v in totals), reverse=True)


def test_reports_do_not_mutate():
    reg, t, names, ratings, log = play_random(40, 11, 4)
    games = list(t.games)
    entrants = list(t.entrants)
    before = {n: reg.get(n).rating for n in names}
    crosstable(t)
    standings_table(t)
    round_sheet(t, 2)
    [performance_rating(t, n) for n in names]
    assert t.games == games and t.entrants == entrants
    assert {n: reg.get(n).rating for n in names} == before
