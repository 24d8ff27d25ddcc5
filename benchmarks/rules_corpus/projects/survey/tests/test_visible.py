import pytest

from survey import Survey, SurveyError, count_keywords, percentile, render_report, summarize


def make(rid, department, role="Engineer", answers=None, comment="", tenure=2.0):
    return {
        "id": rid,
        "department": department,
        "role": role,
        "tenure": tenure,
        "answers": answers if answers is not None else [4] * 12,
        "comment": comment,
    }


@pytest.fixture
def survey():
    return Survey(
        "Test survey",
        [
            make("a", "sales", answers=[5] * 12, comment="Great team, great manager"),
            make("b", "Sales ", role="manager", answers=[3] * 12, comment="Too many meetings"),
            make("c", "finance", answers=[2] * 12, comment="Meetings all day"),
            make("d", "finance", role="manager", answers=[4] * 11 + [None]),
        ],
    )


def test_labels_are_normalised(survey):
    assert survey.departments == ["Finance", "Sales"]
    assert survey.roles == ["Engineer", "Manager"]


def test_duplicate_id_rejected(survey):
    with pytest.raises(SurveyError):
        survey.add(make("a", "sales"))
    assert len(survey) == 4


def test_invalid_answer_rejected():
    with pytest.raises(SurveyError):
        Survey("x", [make("a", "sales", answers=[6] * 12)])


def test_question_summary(survey):
    summary = survey.question_summary(1, department="Sales")
    assert summary["count"] == 2
    assert summary["mean"] == 4.0
    assert summary["median"] == 4.0
    assert summary["top_box"] == 0.5


def test_skipped_answers_are_ignored(survey):
    assert survey.question_values(12, department="Finance") == [2]


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5, 1, 3], 0) == 1
    assert percentile([5, 1, 3], 100) == 5


def test_summarize_single_value():
    summary = summarize([3])
    assert summary["stdev"] == 0.0
    assert summary["p90"] == 3


def test_percentile_rank(survey):
    assert survey.percentile_rank("a") == pytest.approx(87.5)
    assert survey.percentile_rank("c") == pytest.approx(12.5)


def test_department_ranking(survey):
    ranking = survey.department_ranking()
    assert [row["department"] for row in ranking] == ["Sales", "Finance"]
    assert ranking[0]["rank"] == 1
    assert ranking[0]["respondents"] == 2


def test_keywords_skip_stop_words(survey):
    assert survey.keywords(limit=2) == [("great", 2), ("meetings", 2)]
    assert count_keywords(["the and of"]) == []


def test_score_trend(survey):
    assert survey.score_trend() == [5.0, 4.0, 3.0, 3.5]


def test_report_mentions_departments(survey):
    text = render_report(survey)
    assert text.startswith("Test survey")
    assert "Sales" in text and "Finance" in text
    assert "Running median" in text
