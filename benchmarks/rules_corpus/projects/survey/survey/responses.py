"""Survey responses: validation and clean-up of the raw dicts submitted by the form."""

from __future__ import annotations

import math

QUESTION_COUNT = 12
SCALE_MIN = 1
SCALE_MAX = 5
REQUIRED_KEYS = ("id", "department", "role", "tenure", "answers")


class SurveyError(ValueError):
    """Raised when a response or a query cannot be accepted."""


def normalize_label(text: str) -> str:
    """Tidy a department or role name: collapse whitespace and use title case."""
    if not isinstance(text, str):
        raise SurveyError(f"expected a text label, got {type(text).__name__}")
    cleaned = " ".join(text.replace("_", " ").split())
    if not cleaned:
        raise SurveyError("a label cannot be empty")
    return cleaned.title()


def _check_answer(value, position: int):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SurveyError(f"answer {position} must be a whole number or None, got {value!r}")
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise SurveyError(f"answer {position} is {value}, outside {SCALE_MIN}-{SCALE_MAX}")
    return value


def validate_response(raw: dict) -> dict:
    """Check a raw response and return a cleaned copy; the input is left untouched."""
    if not isinstance(raw, dict):
        raise SurveyError("a response must be a dict")
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise SurveyError(f"response is missing {', '.join(missing)}")
    response_id = str(raw["id"]).strip()
    if not response_id:
        raise SurveyError("a response needs an id")
    tenure = raw["tenure"]
    if (
        isinstance(tenure, bool)
        or not isinstance(tenure, (int, float))
        or not math.isfinite(tenure)
        or tenure < 0
    ):
        raise SurveyError(f"tenure must be a non-negative number of years, got {tenure!r}")
    answers = raw["answers"]
    if not isinstance(answers, (list, tuple)) or len(answers) != QUESTION_COUNT:
        raise SurveyError(f"expected a list of {QUESTION_COUNT} answers")
    checked = [_check_answer(value, number) for number, value in enumerate(answers, 1)]
    if all(value is None for value in checked):
        raise SurveyError(f"response {response_id} does not answer any question")
    comment = raw.get("comment") or ""
    if not isinstance(comment, str):
        raise SurveyError("a comment must be text")
    return {
        "id": response_id,
        "department": normalize_label(raw["department"]),
        "role": normalize_label(raw["role"]),
        "tenure": float(tenure),
        "answers": checked,
        "comment": comment.strip(),
    }


def answered(response: dict) -> list[int]:
    """The answers a respondent actually gave, skipping the blanks."""
    return [value for value in response["answers"] if value is not None]


def response_score(response: dict) -> float:
    """A respondent's overall score: the mean of their answered questions."""
    values = answered(response)
    return sum(values) / len(values)


def tenure_band(years: float) -> str:
    if years < 1:
        return "under 1 year"
    if years < 3:
        return "1-3 years"
    if years < 10:
        return "3-10 years"
    return "10+ years"
