"""Staff survey analysis: statistics by department and role, comment keywords, reports."""

from survey.analyzer import ENGAGEMENT_BANDS, Survey
from survey.comments import STOP_WORDS, count_keywords, extract_keywords
from survey.report import render_report
from survey.responses import QUESTION_COUNT, SurveyError, response_score, validate_response
from survey.stats import percentile, summarize, top_box_share

__all__ = [
    "ENGAGEMENT_BANDS",
    "QUESTION_COUNT",
    "STOP_WORDS",
    "Survey",
    "SurveyError",
    "count_keywords",
    "extract_keywords",
    "percentile",
    "render_report",
    "response_score",
    "summarize",
    "top_box_share",
    "validate_response",
]
