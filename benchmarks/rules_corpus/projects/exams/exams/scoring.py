"""Weighted paper scores, centre moderation, grades and ranks within a centre."""

from __future__ import annotations

from exams.tables import ABSENT, entries, paper_components

Row = dict[str, str]


def paper_score(components: list[Row], marks: list[Row], candidate_id: str,
                paper: str) -> float | None:
    """Weighted percentage for one candidate on one paper, or None if absent throughout.

    A component with no mark, or marked ABS, counts as zero when others were sat.
    """
    comps = paper_components(components, paper)
    if not comps:
        raise ValueError(f"unknown paper {paper!r}")
    rows = [m for m in marks if m["candidate_id"] == candidate_id and m["paper"] == paper]
    names = [c["component"] for c in comps]
    for row in rows:
        if row["component"] not in names:
            raise ValueError(f"unknown component {paper}/{row['component']}")
    score = 0.0
    sat = False
    for comp in comps:
        total_weight = sum(float(c["weight"]) for c in comps)
        mark = None
        for row in rows:
            if row["component"] == comp["component"]:
                mark = row["mark"]
        if mark is None or mark.upper() in ABSENT:
            continue
        value = float(mark)
        top = float(comp["max_mark"])
        if not 0 <= value <= top:
            raise ValueError(f"mark {mark} out of range for {paper}/{comp['component']}")
        sat = True
        score += float(comp["weight"]) / total_weight * value / top * 100
    return score if sat else None


def adjustment(moderation: list[Row], centre: str, paper: str) -> float:
    """Total moderation for a centre on a paper (rows add up; none means 0)."""
    total = 0.0
    for row in moderation:
        if row["centre"] == centre and row["paper"] == paper:
            total += float(row["adjustment"])
    return total


def moderate(raw: float, adjust: float) -> float:
    value = raw + adjust
    if value < 0:
        value = 0.0
    if value > 100:
        value = 100.0
    return round(value, 1)


def grade_for(boundaries: list[Row], paper: str, score: float | None) -> str:
    """Highest grade whose minimum the score reaches; U below all, X when absent."""
    if score is None:
        return "X"
    rows = sorted((r for r in boundaries if r["paper"] == paper),
                  key=lambda r: float(r["min_score"]), reverse=True)
    if not rows:
        raise KeyError(paper)
    for row in rows:
        if score >= float(row["min_score"]):
            return row["grade"]
    return "U"


def results(candidates: list[Row], components: list[Row], marks: list[Row],
            moderation: list[Row], boundaries: list[Row]) -> list[dict]:
    """One row per candidate entry, ordered by candidate id then paper."""
    known = [c["candidate_id"] for c in candidates]
    for row in marks:
        if row["candidate_id"] not in known:
            raise ValueError(f"marks for unknown candidate {row['candidate_id']}")
    out = []
    for cand in sorted(candidates, key=lambda c: c["candidate_id"]):
        for paper in entries(marks, cand["candidate_id"]):
            raw = paper_score(components, marks, cand["candidate_id"], paper)
            if raw is None:
                score = None
            else:
                score = moderate(raw, adjustment(moderation, cand["centre"], paper))
            out.append({
                "candidate_id": cand["candidate_id"],
                "name": cand["name"],
                "centre": cand["centre"],
                "paper": paper,
                "raw": None if raw is None else round(raw, 2),
                "score": score,
                "grade": grade_for(boundaries, paper, score),
            })
    return out


def centre_ranks(results: list[dict], centre: str, paper: str) -> list[tuple[int, str, float]]:
    """(rank, candidate_id, score) for those who sat the paper at the centre, best first.

    Equal scores share a rank and the next rank is skipped (1, 2, 2, 4).
    """
    rows = [r for r in results
            if r["centre"] == centre and r["paper"] == paper and r["score"] is not None]
    ranked = []
    for row in rows:
        higher = 0
        for other in rows:
            if other["score"] > row["score"]:
                higher += 1
        ranked.append((higher + 1, row["candidate_id"], row["score"]))
    ranked.sort()
    return ranked
