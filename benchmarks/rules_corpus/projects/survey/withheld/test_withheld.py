import copy
import random
import re
import statistics

import pytest

from survey import (
    STOP_WORDS,
    Survey,
    SurveyError,
    count_keywords,
    extract_keywords,
    percentile,
    render_report,
    summarize,
)

WORDS = ["meetings", "Café", "career", "pay", "team", "the", "and", "Noisy", "tools", "it's"]


def make(rid, department, role="Engineer", answers=None, comment="", tenure=2.0):
    return {
        "id": rid,
        "department": department,
        "role": role,
        "tenure": tenure,
        "answers": answers if answers is not None else [4] * 12,
        "comment": comment,
    }


def random_responses(seed, count):
    rng = random.Random(seed)
    out = []
    for number in range(count):
        answers = [rng.choice([None, 1, 2, 3, 4, 5, 5]) for _ in range(12)]
        if all(a is None for a in answers):
            answers[0] = 3
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 6))]
        out.append(
            make(
                f"id{number}",
                rng.choice(["sales", "Sales", "r_and_d", "ops"]),
                role=rng.choice(["lead", "engineer"]),
                answers=answers,
                comment=" ".join(words) + rng.choice(["", "!", "."]),
                tenure=rng.choice([0, 0.5, 2, 7, 12.5]),
            )
        )
    return out


def brute_score(response):
    values = [a for a in response["answers"] if a is not None]
    return sum(values) / len(values)


def brute_rank(responses, rid):
    scores = [brute_score(r) for r in responses]
    mine = brute_score(next(r for r in responses if r["id"] == rid))
    below = len([s for s in scores if s < mine])
    equal = len([s for s in scores if s == mine])
    return 100.0 * (below + 0.5 * equal) / len(scores)


def brute_keywords(texts, stops):
    stops = {w.strip().lower() for w in stops}
    counts = {}
    for text in texts:
        for token in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*", text):
            word = token.lower().strip("'")
            if word.endswith("'s"):
                word = word[:-2]
            if len(word) >= 3 and word not in stops:
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def test_empty_survey():
    survey = Survey("Empty")
    assert survey.departments == [] and survey.keywords() == []
    assert survey.department_ranking() == [] and survey.score_trend() == []
    assert survey.engagement_by("role") == {}
    assert survey.question_summary(3)["mean"] is None
    assert render_report(survey).endswith("No responses yet.")
    with pytest.raises(KeyError):
        survey.percentile_rank("nobody")


def test_bad_input_raises():
    with pytest.raises(SurveyError):
        Survey("x", [make("a", "sales", tenure=-1)])
    with pytest.raises(SurveyError):
        Survey("x", [make("a", "sales", answers=[None] * 12)])
    with pytest.raises(SurveyError):
        Survey("x", [make("a", "sales", answers=[3] * 11)])
    with pytest.raises(SurveyError):
        Survey("x", [make("a", "   ")])
    with pytest.raises(SurveyError):
        Survey("x", [make("a", "sales", answers=[True] + [3] * 11)])
    with pytest.raises(SurveyError):
        Survey("x").question_values(13)
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)
    with pytest.raises(ValueError):
        count_keywords(["a"], limit=-1)


def test_duplicates_after_id_cleanup_and_failed_add_leaves_survey_unchanged():
    survey = Survey("x", [make("a1", "sales")])
    with pytest.raises(SurveyError):
        survey.add(make(" a1 ", "ops"))
    assert len(survey) == 1 and survey.departments == ["Sales"]


def test_inputs_not_mutated_and_copies_returned():
    raw = random_responses(1, 40)
    before = copy.deepcopy(raw)
    survey = Survey("x", raw)
    snapshot = survey.responses
    render_report(survey)
    assert raw == before
    raw[0]["answers"][0] = 1
    raw[0]["department"] = "elsewhere"
    returned = survey.get("id0")
    assert returned["department"] != "elsewhere"
    returned["answers"][:] = [1] * 12
    survey.responses[1]["answers"][:] = [1] * 12
    assert survey.responses == snapshot
    values = [5, 1, 3]
    summarize(values)
    percentile(values, 30)
    assert values == [5, 1, 3]


def test_percentile_and_summary_negative_and_ties():
    assert percentile([-3, -1, -2], 50) == -2
    assert percentile([2, 2, 2, 2], 37) == 2
    summary = summarize([1, 1, 5, 5])
    assert summary["median"] == 3.0 and summary["top_box"] == 0.5
    assert summary["stdev"] == pytest.approx(statistics.stdev([1, 1, 5, 5]))


def test_unicode_and_stop_words():
    words = extract_keywords("Café's CAFÉ café—Noisy it's the 42 x")
    assert words == ["café", "café", "café", "noisy"]
    assert count_keywords(["Team TEAM team"], stop_words=[" Team "]) == []
    assert "the" in STOP_WORDS
    survey = Survey("x", [make("a", "café", comment="Café rocks")])
    assert survey.departments == ["Café"]


def test_random_against_brute_force():
    raw = random_responses(7, 300)
    survey = Survey("x", raw)
    for r in raw[::7]:
        expected = brute_rank(raw, r["id"])
        assert survey.percentile_rank(r["id"]) == pytest.approx(expected, abs=1e-12)
    scores = [brute_score(r) for r in raw]
    assert survey.score_trend() == [statistics.median(scores[: i + 1]) for i in range(len(raw))]
    texts = [r["comment"].strip() for r in raw if r["comment"].strip()]
    assert survey.keywords(limit=None) == brute_keywords(texts, STOP_WORDS)
    sales = [r["comment"].strip() for r in raw if r["department"].lower() == "sales"]
    assert survey.keywords(department="Sales", limit=3) == brute_keywords(sales, STOP_WORDS)[:3]
    engagement = survey.engagement_by("department")
    assert sum(sum(bands.values()) for bands in engagement.values()) == 300


def test_ranking_ties_against_brute_force():
    raw = random_responses(11, 200)
    survey = Survey("x", raw)
    rows = []
    for dept in survey.departments:
        group = [r for r in raw if r["department"].replace("_", " ").strip().title() == dept]
        values = [a for r in group for a in r["answers"] if a is not None]
        mean = statistics.fmean(brute_score(r) for r in group)
        top = len([v for v in values if v >= 4]) / len(values)
        rows.append((dept, mean, top, len(group)))
    rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
    got = survey.department_ranking()
    assert [(r["department"], r["respondents"]) for r in got] == [(d, n) for d, _, _, n in rows]
    tied = Survey("t", [make("1", "b"), make("2", "a"), make("3", "c", answers=[5] * 12)])
    assert [row["department"] for row in tied.department_ranking()] == ["C", "A", "B"]


def test_mutation_between_calls():
    raw = random_responses(3, 60)
    survey = Survey("x", raw)
    assert survey.percentile_rank("id5") == pytest.approx(brute_rank(raw, "id5"))
    first_trend = survey.score_trend()
    extra = [
        make("top", "ops", answers=[5] * 12, comment="brand new words"),
        make("bottom", "ops", answers=[1] * 12),
    ]
    for response in extra:
        survey.add(response)
    assert survey.percentile_rank("id5") == pytest.approx(brute_rank(raw + extra, "id5"))
    assert survey.percentile_rank("top") == pytest.approx(brute_rank(raw + extra, "top"))
    assert survey.score_trend()[:60] == first_trend and len(survey.score_trend()) == 62
    assert ("brand", 1) in survey.keywords(limit=None)
    survey.stop_words.add("brand")
    assert ("brand", 1) not in survey.keywords(limit=None)
    survey.remove("top")
    assert ("words", 1) not in survey.keywords(limit=None)
    with pytest.raises(KeyError):
        survey.percentile_rank("top")
    survey.add(make("top", "ops", answers=[1] * 12))
    assert survey.percentile_rank("top") == survey.percentile_rank("bottom")
    assert survey.percentile_rank("id5") == pytest.approx(
        brute_rank(raw + [extra[1], make("top", "ops", answers=[1] * 12)], "id5")
    )


def test_engagement_bands_with_ties():
    survey = Survey("x", [make(str(i), "sales", answers=[3] * 12) for i in range(4)])
    assert survey.percentile_rank("2") == 50.0
    assert survey.engagement_band("0") == "engaged"
    assert survey.engagement_by("department") == {
        "Sales": {"highly engaged": 0, "engaged": 4, "neutral": 0, "disengaged": 0}
    }
    with pytest.raises(SurveyError):
        survey.engagement_by("tenure")
