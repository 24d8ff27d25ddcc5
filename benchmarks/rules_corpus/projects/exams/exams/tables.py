"""Reading the board's CSV exports into lists of row dicts (values stay strings)."""

from __future__ import annotations

import csv
import io

CANDIDATE_COLUMNS = ("candidate_id", "name", "centre")
COMPONENT_COLUMNS = ("paper", "component", "max_mark", "weight")
MARK_COLUMNS = ("candidate_id", "paper", "component", "mark")
MODERATION_COLUMNS = ("centre", "paper", "adjustment")
BOUNDARY_COLUMNS = ("paper", "grade", "min_score")

ABSENT = ("", "ABS")


def read_csv(text: str, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Parse CSV text with a header line; blank lines are skipped, cells are stripped."""
    if not text.strip():
        return []
    reader = csv.DictReader(io.StringIO(text.strip()))
    fields = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in fields]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    rows = []
    for raw in reader:
        row = {}
        for key, value in raw.items():
            if key is None:
                raise ValueError(f"line {reader.line_num}: more cells than columns")
            row[key.strip()] = (value or "").strip()
        if not any(row.values()):
            continue
        rows.append(row)
    return rows


def load_candidates(text: str) -> list[dict[str, str]]:
    rows = read_csv(text, CANDIDATE_COLUMNS)
    seen = []
    for row in rows:
        if row["candidate_id"] in seen:
            raise ValueError(f"duplicate candidate {row['candidate_id']}")
        seen.append(row["candidate_id"])
    return rows


def load_components(text: str) -> list[dict[str, str]]:
    rows = read_csv(text, COMPONENT_COLUMNS)
    seen = []
    for row in rows:
        key = (row["paper"], row["component"])
        if key in seen:
            raise ValueError(f"duplicate component {key[0]}/{key[1]}")
        seen.append(key)
        if float(row["max_mark"]) <= 0 or float(row["weight"]) <= 0:
            raise ValueError(f"component {key[0]}/{key[1]} needs a positive mark and weight")
    return rows


def load_marks(text: str) -> list[dict[str, str]]:
    return read_csv(text, MARK_COLUMNS)


def load_moderation(text: str) -> list[dict[str, str]]:
    rows = read_csv(text, MODERATION_COLUMNS)
    for row in rows:
        float(row["adjustment"])
    return rows


def load_boundaries(text: str) -> list[dict[str, str]]:
    rows = read_csv(text, BOUNDARY_COLUMNS)
    for row in rows:
        float(row["min_score"])
    return rows


def find_candidate(candidates: list[dict[str, str]], candidate_id: str) -> dict[str, str]:
    for row in candidates:
        if row["candidate_id"] == candidate_id:
            return row
    raise KeyError(candidate_id)


def paper_components(components: list[dict[str, str]], paper: str) -> list[dict[str, str]]:
    return [row for row in components if row["paper"] == paper]


def entries(marks: list[dict[str, str]], candidate_id: str) -> list[str]:
    """The papers a candidate was entered for (any mark row, even an absence), sorted."""
    papers = []
    for row in marks:
        if row["candidate_id"] == candidate_id and row["paper"] not in papers:
            papers.append(row["paper"])
    return sorted(papers)
