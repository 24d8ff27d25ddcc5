"""The Survey analyzer: holds the responses and answers questions about them."""

from __future__ import annotations

import statistics
from collections import Counter

from survey.comments import STOP_WORDS, count_keywords
from survey.responses import (
    QUESTION_COUNT,
    SurveyError,
    answered,
    response_score,
    tenure_band,
    validate_response,
)
from survey.stats import summarize, top_box_share

ENGAGEMENT_BANDS = (
    (75.0, "highly engaged"),
    (50.0, "engaged"),
    (25.0, "neutral"),
    (0.0, "disengaged"),
)


class Survey:
    def __init__(self, title: str, responses=(), stop_words=None):
        if not title or not title.strip():
            raise SurveyError("a survey needs a title")
        self.title = title.strip()
        self.stop_words = set(STOP_WORDS if stop_words is None else stop_words)
        self._responses: list[dict] = []
        for raw in responses:
            self.add(raw)

    def __len__(self) -> int:
        return len(self._responses)

    def __repr__(self) -> str:
        return f"Survey({self.title!r}, {len(self)} responses)"

    def add(self, raw: dict) -> dict:
        response = validate_response(raw)
        if any(existing["id"] == response["id"] for existing in self._responses):
            raise SurveyError(f"duplicate response id {response['id']!r}")
        self._responses.append(response)
        return dict(response, answers=list(response["answers"]))

    def remove(self, response_id: str) -> None:
        self._responses.remove(self._find(response_id))

    def _find(self, response_id: str) -> dict:
        for response in self._responses:
            if response["id"] == response_id:
                return response
        raise KeyError(response_id)

    def get(self, response_id: str) -> dict:
        response = self._find(response_id)
        return dict(response, answers=list(response["answers"]))

    @property
    def responses(self) -> list[dict]:
        return [dict(r, answers=list(r["answers"])) for r in self._responses]

    @property
    def departments(self) -> list[str]:
        return sorted({r["department"] for r in self._responses})

    @property
    def roles(self) -> list[str]:
        return sorted({r["role"] for r in self._responses})

    @property
    def scores(self) -> list[float]:
        return [response_score(r) for r in self._responses]

    def responses_for(self, department: str | None = None, role: str | None = None) -> list:
        return [
            r
            for r in self._responses
            if (department is None or r["department"] == department)
            and (role is None or r["role"] == role)
        ]

    def question_values(self, question: int, department=None, role=None) -> list[int]:
        if isinstance(question, bool) or not isinstance(question, int):
            raise SurveyError(f"question must be a number, got {question!r}")
        if not 1 <= question <= QUESTION_COUNT:
            raise SurveyError(f"there is no question {question}")
        index = question - 1
        return [
            r["answers"][index]
            for r in self.responses_for(department, role)
            if r["answers"][index] is not None
        ]

    def question_summary(self, question: int, department=None, role=None) -> dict:
        return summarize(self.question_values(question, department, role))

    def group_summary(self, department=None, role=None) -> dict[int, dict]:
        return {
            question: self.question_summary(question, department, role)
            for question in range(1, QUESTION_COUNT + 1)
        }

    def overall_summary(self, department=None, role=None) -> dict:
        group = self.responses_for(department, role)
        return summarize([value for r in group for value in answered(r)])

    def percentile_rank(self, response_id: str) -> float:
        """Where a respondent's score sits among everyone's, 0-100 (ties count half)."""
        mine = response_score(self._find(response_id))
        scores = self.scores
        below = sum(1 for score in scores if score < mine)
        ties = scores.count(mine)
        return 100.0 * (below + 0.5 * ties) / len(scores)

    def engagement_band(self, response_id: str) -> str:
        rank = self.percentile_rank(response_id)
        for threshold, label in ENGAGEMENT_BANDS:
            if rank >= threshold:
                return label
        return ENGAGEMENT_BANDS[-1][1]

    def engagement_by(self, key: str = "department") -> dict[str, dict[str, int]]:
        if key not in ("department", "role"):
            raise SurveyError(f"cannot group by {key!r}")
        table: dict[str, Counter] = {}
        for response in self._responses:
            band = self.engagement_band(response["id"])
            table.setdefault(response[key], Counter())[band] += 1
        return {
            group: {label: counts[label] for _, label in ENGAGEMENT_BANDS}
            for group, counts in sorted(table.items())
        }

    def score_trend(self) -> list[float]:
        """The running median score as the responses came in."""
        seen: list[float] = []
        trend = []
        for response in self._responses:
            seen.append(response_score(response))
            trend.append(float(statistics.median(seen)))
        return trend

    def keywords(self, department=None, role=None, limit: int | None = 10) -> list[tuple]:
        texts = [r["comment"] for r in self.responses_for(department, role) if r["comment"]]
        return count_keywords(texts, self.stop_words, limit)

    def tenure_breakdown(self) -> dict[str, dict]:
        bands: dict[str, list[float]] = {}
        for response in self._responses:
            bands.setdefault(tenure_band(response["tenure"]), []).append(response_score(response))
        return {band: summarize(scores) for band, scores in sorted(bands.items())}

    def department_ranking(self) -> list[dict]:
        """Departments best first by mean score; ties go to the higher top-box share, then name."""
        rows = []
        for department in self.departments:
            group = self.responses_for(department=department)
            values = [value for r in group for value in answered(r)]
            rows.append(
                {
                    "department": department,
                    "respondents": len(group),
                    "mean_score": statistics.fmean(response_score(r) for r in group),
                    "top_box": top_box_share(values),
                }
            )
        rows.sort(key=lambda row: (-row["mean_score"], -row["top_box"], row["department"]))
        for position, row in enumerate(rows, 1):
            row["rank"] = position
        return rows
