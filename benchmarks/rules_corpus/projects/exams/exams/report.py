"""Result slips, per-centre statistics and grade tables."""

from __future__ import annotations

import re

from exams.scoring import centre_ranks


def format_name(name: str) -> str:
    """'SMITH,  jane ann' -> 'Jane Ann Smith'."""
    text = re.sub(r"\s+", " ", name.strip())
    if "," in text:
        surname, given = [part.strip() for part in text.split(",", 1)]
        text = f"{given} {surname}".strip()
    return " ".join(word.capitalize() for word in text.split(" "))


def result_slip(results: list[dict], candidate_id: str) -> str:
    rows = [r for r in results if r["candidate_id"] == candidate_id]
    if not rows:
        raise KeyError(candidate_id)
    first = rows[0]
    lines = [
        f"RESULT SLIP  {candidate_id}  {format_name(first['name'])}",
        f"Centre: {first['centre']}",
        f"{'Paper':<10}{'Score':>7}  {'Grade':<6}{'Rank':>8}",
    ]
    for row in rows:
        if row["score"] is None:
            lines.append(f"{row['paper']:<10}{'ABS':>7}  {row['grade']:<6}{'-':>8}")
            continue
        ranks = centre_ranks(results, row["centre"], row["paper"])
        position = next(rank for rank, cid, _ in ranks if cid == candidate_id)
        place = f"{position}/{len(ranks)}"
        lines.append(f"{row['paper']:<10}{row['score']:>7.1f}  {row['grade']:<6}{place:>8}")
    sat = [r for r in rows if r["score"] is not None]
    lines.append(f"Papers sat: {len(sat)} of {len(rows)}")
    return "\n".join(lines)


def all_slips(results: list[dict]) -> list[str]:
    """One slip per candidate, in the order candidates first appear in the results."""
    ids = []
    for row in results:
        if row["candidate_id"] not in ids:
            ids.append(row["candidate_id"])
    return [result_slip(results, cid) for cid in ids]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def centre_stats(results: list[dict], paper: str | None = None) -> list[dict]:
    """Count, mean, median, spread (population std dev), low and high per centre.

    Absent entries are left out; a centre with nobody sitting gets None for the figures.
    """
    centres = sorted({r["centre"] for r in results})
    out = []
    for centre in centres:
        scores = [r["score"] for r in results
                  if r["centre"] == centre and (paper is None or r["paper"] == paper)
                  and r["score"] is not None]
        if not scores:
            out.append({"centre": centre, "count": 0, "mean": None, "median": None,
                        "spread": None, "low": None, "high": None})
            continue
        total = 0.0
        for s in scores:
            total += s
        mean = total / len(scores)
        squares = 0.0
        for s in scores:
            squares += (s - mean) ** 2
        out.append({
            "centre": centre,
            "count": len(scores),
            "mean": round(mean, 2),
            "median": round(_median(scores), 2),
            "spread": round((squares / len(scores)) ** 0.5, 2),
            "low": min(scores),
            "high": max(scores),
        })
    return out


def centre_report(results: list[dict], paper: str | None = None) -> str:
    title = f"Centre statistics ({paper or 'all papers'})"
    lines = [title, "-" * len(title),
             f"{'Centre':<8}{'N':>5}{'Mean':>8}{'Median':>8}{'Spread':>8}{'Low':>7}{'High':>7}"]
    for row in centre_stats(results, paper):
        if not row["count"]:
            lines.append(f"{row['centre']:<8}{0:>5}{'-':>8}{'-':>8}{'-':>8}{'-':>7}{'-':>7}")
            continue
        lines.append(
            f"{row['centre']:<8}{row['count']:>5}{row['mean']:>8.2f}{row['median']:>8.2f}"
            f"{row['spread']:>8.2f}{row['low']:>7.1f}{row['high']:>7.1f}"
        )
    return "\n".join(lines)


def grade_counts(results: list[dict], paper: str) -> dict[str, int]:
    """How many candidates got each grade on a paper (absences count as X), by grade."""
    counts: dict[str, int] = {}
    for row in results:
        if row["paper"] == paper:
            counts[row["grade"]] = counts.get(row["grade"], 0) + 1
    return dict(sorted(counts.items()))
