import pytest

from ballots import (
    BallotError,
    borda_ranking,
    borda_scores,
    check_candidates,
    clean_ballot,
    clean_ballots,
    elimination_order,
    instant_runoff,
    normalize_name,
    places,
    results_table,
    round_lines,
    split_ballot,
    summary,
)

CANDIDATES = ["Ann Lee", "Bob Ray", "Cy Moss", "Di Park"]


def test_normalize_name():
    assert normalize_name("  Ann \t  LEE ") == "ann lee"
    assert normalize_name("") == ""
    with pytest.raises(BallotError):
        normalize_name(7)


def test_clean_ballot_whitespace_case_and_repeats():
    raw = [" ann  lee", "", "BOB RAY ", "Ann Lee", "  ", "cy moss"]
    assert clean_ballot(raw, CANDIDATES) == ["Ann Lee", "Bob Ray", "Cy Moss"]


def test_clean_ballot_unknown_names():
    with pytest.raises(BallotError):
        clean_ballot(["Ann Lee", "Zed"], CANDIDATES)
    assert clean_ballot(["Zed", "di park"], CANDIDATES, strict=False) == ["Di Park"]


def test_split_and_clean_one_line_ballots():
    assert split_ballot("Ann Lee > bob ray,  Cy Moss") == ["Ann Lee ", " bob ray", "  Cy Moss"]
    cleaned = clean_ballots(["cy moss > ANN LEE", ["Di Park"], []], CANDIDATES)
    assert cleaned == [["Cy Moss", "Ann Lee"], ["Di Park"], []]


def test_check_candidates():
    assert check_candidates([" Ann  Lee ", "Bob"]) == ["Ann Lee", "Bob"]
    with pytest.raises(BallotError):
        check_candidates(["Ann", "ANN "])
    with pytest.raises(BallotError):
        check_candidates([])


def test_first_round_majority():
    ballots = [["Ann Lee"], ["Ann Lee", "Bob Ray"], ["Bob Ray"]]
    result = instant_runoff(ballots, CANDIDATES)
    assert result["winner"] == "Ann Lee"
    assert len(result["rounds"]) == 1
    assert result["rounds"][0]["tallies"] == {"Ann Lee": 2, "Bob Ray": 1, "Cy Moss": 0,
                                              "Di Park": 0}


def test_runoff_with_transfers():
    ballots = [["A"]] * 4 + [["B", "A"]] * 3 + [["C", "B"], ["C"], []]
    result = instant_runoff(ballots, ["A", "B", "C"])
    assert result["winner"] == "A"
    assert elimination_order(result) == ["C", "B"]
    first = result["rounds"][0]
    assert first["eliminated"] == "C"
    assert first["transfers"] == {"B": 1}
    assert first["exhausted_transfers"] == 1
    assert result["rounds"][1]["tallies"] == {"A": 4, "B": 4}
    assert result["rounds"][1]["transfers"] == {"A": 3}
    assert result["rounds"][2]["tallies"] == {"A": 7}
    assert result["blank"] == 1


def test_ties_go_out_by_first_preferences_then_name():
    ballots = [["A"], ["A"], ["B"], ["B"], ["C", "B"], ["D", "A"], ["E", "A"]]
    result = instant_runoff(ballots, ["A", "B", "C", "D", "E"])
    assert elimination_order(result)[:3] == ["C", "D", "E"]
    assert result["winner"] == "A"


def test_borda_scores_and_ranking():
    ballots = [["A", "B", "C"], ["B", "A"], ["C"]]
    scores = borda_scores(ballots, ["A", "B", "C"])
    assert scores == {"A": 3, "B": 3, "C": 2}
    assert borda_ranking(scores) == [("A", 3), ("B", 3), ("C", 2)]
    assert list(places(scores)) == [(1, "A", 3), (1, "B", 3), (3, "C", 2)]


def test_report():
    ballots = [["A", "B"], ["A"], ["B"], ["B"], ["C", "B"]]
    result = instant_runoff(ballots, ["A", "B", "C"])
    lines = list(round_lines(result))
    assert lines == [
        "Round 1: A 2 (40.0%), B 2 (40.0%), C 1 (20.0%); exhausted 0; C out (1 to B)",
        "Round 2: B 3 (60.0%), A 2 (40.0%); exhausted 0",
    ]
    table = results_table(result, borda_scores(ballots, ["A", "B", "C"]))
    rows = table.splitlines()
    assert rows[0].split() == ["Candidate", "First", "Final", "Out", "Borda"]
    assert [row.split() for row in rows[2:]] == [["B", "2", "3", "-", "6", "*"],
                                                 ["A", "2", "2", "-", "4"],
                                                 ["C", "1", "-", "1", "2"]]
    assert summary(result) == "B wins in round 2 with 3 of 5 votes (60.0%); 0 blank ballots."
