import pytest

from exams import (
    adjustment,
    all_slips,
    centre_ranks,
    centre_report,
    centre_stats,
    entries,
    find_candidate,
    format_name,
    grade_counts,
    grade_for,
    load_boundaries,
    load_candidates,
    load_components,
    load_marks,
    load_moderation,
    moderate,
    paper_score,
    result_slip,
    results,
)

CANDIDATES = """candidate_id,name,centre
C1,"SMITH, jane",N10
C2,"patel,  ravi",N10
C3,"LI, wei",N20
"""

COMPONENTS = """paper,component,max_mark,weight
MATH,P1,50,1
MATH,P2,100,3
BIO,P1,80,1
"""

MARKS = """candidate_id,paper,component,mark
C1,MATH,P1,40
C1,MATH,P2,60
C2,MATH,P1,25
C2,MATH,P2,ABS
C3,MATH,P1,50
C3,MATH,P2,100
C1,BIO,P1,ABS
C3,BIO,P1,60
"""

MODERATION = """centre,paper,adjustment
N10,MATH,2.5
N20,BIO,-5
"""

BOUNDARIES = """paper,grade,min_score
MATH,A,70
MATH,B,60
MATH,C,50
BIO,A,80
BIO,B,65
"""


def tables():
    return (load_candidates(CANDIDATES), load_components(COMPONENTS), load_marks(MARKS),
            load_moderation(MODERATION), load_boundaries(BOUNDARIES))


def test_loading():
    cands, comps, marks, mods, bounds = tables()
    assert len(cands) == 3 and len(comps) == 3 and len(marks) == 8
    assert cands[1] == {"candidate_id": "C2", "name": "patel,  ravi", "centre": "N10"}
    assert find_candidate(cands, "C3")["centre"] == "N20"
    assert entries(marks, "C1") == ["BIO", "MATH"]


def test_paper_score_weighted():
    _, comps, marks, _, _ = tables()
    # 40/50 weighted 1, 60/100 weighted 3: (0.8 + 1.8) / 4 = 65%
    assert paper_score(comps, marks, "C1", "MATH") == pytest.approx(65.0)
    assert paper_score(comps, marks, "C2", "MATH") == pytest.approx(12.5)
    assert paper_score(comps, marks, "C1", "BIO") is None


def test_moderation_and_grades():
    _, _, _, mods, bounds = tables()
    assert adjustment(mods, "N10", "MATH") == 2.5
    assert adjustment(mods, "N10", "BIO") == 0.0
    assert moderate(99.0, 2.5) == 100.0
    assert moderate(1.0, -5) == 0.0
    assert grade_for(bounds, "MATH", 70) == "A"
    assert grade_for(bounds, "MATH", 69.9) == "B"
    assert grade_for(bounds, "MATH", 10) == "U"
    assert grade_for(bounds, "MATH", None) == "X"


def test_results_rows():
    rows = results(*tables())
    assert [(r["candidate_id"], r["paper"]) for r in rows] == [
        ("C1", "BIO"), ("C1", "MATH"), ("C2", "MATH"), ("C3", "BIO"), ("C3", "MATH")]
    c1_math = rows[1]
    assert c1_math["raw"] == 65.0 and c1_math["score"] == 67.5 and c1_math["grade"] == "B"
    assert rows[0]["score"] is None and rows[0]["grade"] == "X"
    assert rows[3]["score"] == 70.0 and rows[3]["grade"] == "B"


def test_centre_ranks():
    rows = results(*tables())
    assert centre_ranks(rows, "N10", "MATH") == [(1, "C1", 67.5), (2, "C2", 15.0)]
    assert centre_ranks(rows, "N10", "BIO") == []


def test_centre_stats():
    rows = results(*tables())
    stats = centre_stats(rows)
    assert [s["centre"] for s in stats] == ["N10", "N20"]
    assert stats[0]["count"] == 2
    assert stats[0]["mean"] == 41.25
    assert stats[0]["median"] == 41.25
    assert stats[0]["spread"] == 26.25
    assert stats[1]["low"] == 70.0 and stats[1]["high"] == 100.0
    bio = centre_stats(rows, "BIO")
    assert bio[0]["count"] == 0 and bio[0]["mean"] is None


def test_format_name():
    assert format_name("SMITH, jane") == "Jane Smith"
    assert format_name("  patel,   ravi  kumar ") == "Ravi Kumar Patel"
    assert format_name("wei li") == "Wei Li"


def test_result_slip():
    rows = results(*tables())
    slip = result_slip(rows, "C1")
    lines = slip.splitlines()
    assert lines[0] == "RESULT SLIP  C1  Jane Smith"
    assert lines[1] == "Centre: N10"
    assert "ABS" in lines[3] and lines[3].startswith("BIO")
    assert lines[4].split() == ["MATH", "67.5", "B", "1/2"]
    assert lines[-1] == "Papers sat: 1 of 2"


def test_all_slips_and_report():
    rows = results(*tables())
    slips = all_slips(rows)
    assert len(slips) == 3
    assert slips[2].startswith("RESULT SLIP  C3  Wei Li")
    report = centre_report(rows).splitlines()
    assert report[0] == "Centre statistics (all papers)"
    assert report[3].split() == ["N10", "2", "41.25", "41.25", "26.25", "15.0", "67.5"]
    assert grade_counts(rows, "MATH") == {"A": 1, "B": 1, "U": 1}


def test_bad_input():
    with pytest.raises(ValueError):
        load_candidates("candidate_id,name\nC1,x\n")
    with pytest.raises(ValueError):
        load_components("paper,component,max_mark,weight\nM,P1,0,1\n")
    _, comps, _, _, _ = tables()
    bad = load_marks("candidate_id,paper,component,mark\nC1,MATH,P1,51\n")
    with pytest.raises(ValueError):
        paper_score(comps, bad, "C1", "MATH")
