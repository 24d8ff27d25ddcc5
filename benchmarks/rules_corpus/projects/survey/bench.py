"""Deterministic workload: one staff survey, analysed and reported."""

from __future__ import annotations

import hashlib
import random

from survey import Survey, render_report

DEPARTMENTS = {
    "engineering": 0.3,
    "Customer_Support": -0.4,
    "sales": 0.0,
    "  Finance ": 0.1,
    "people ops": 0.2,
    "Marketing": -0.1,
    "LOGISTICS": -0.3,
    "research  and development": 0.4,
}
ROLES = ["engineer", "analyst", "team lead", "Manager", "specialist", "intern"]
OPENERS = [
    "Great team and supportive manager.",
    "Too many meetings, not enough focus time.",
    "The new office is noisy; open plan makes it hard to concentrate.",
    "I'd like clearer career paths and more training.",
    "Pay is below market and the bonus process is opaque.",
    "Workload has been heavy since the reorganisation.",
    "Leadership communicates well about strategy.",
    "Tooling is slow and the laptops are outdated.",
    "Flexible hours are the best thing about working here.",
    "Onboarding was confusing; documentation is missing.",
    "My manager's feedback is helpful and regular.",
    "Café in the building is great, coffee could be cheaper.",
]
CLOSERS = [
    "",
    "",
    "Thanks for asking!",
    "Please fix the meetings problem.",
    "Training budget would help.",
    "Otherwise happy here.",
    "Career growth matters to me.",
]


def make_responses(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    departments = list(DEPARTMENTS)
    responses = []
    for number in range(1, count + 1):
        department = rng.choice(departments)
        bias = DEPARTMENTS[department]
        answers = []
        for _ in range(12):
            if rng.random() < 0.06:
                answers.append(None)
            else:
                answers.append(min(5, max(1, round(rng.gauss(3.3 + bias, 1.0)))))
        comment = ""
        if rng.random() < 0.8:
            comment = f"{rng.choice(OPENERS)} {rng.choice(CLOSERS)}"
            if rng.random() < 0.2:
                comment = comment.upper()
        responses.append(
            {
                "id": f"R{number:05d}",
                "department": department,
                "role": rng.choice(ROLES),
                "tenure": round(rng.expovariate(1 / 4.0), 1),
                "answers": answers,
                "comment": comment,
            }
        )
    return responses


def main() -> None:
    raw = make_responses(500, seed=19)
    survey = Survey("Staff Survey 2024", raw)
    report = render_report(survey)
    sample_ids = [r["id"] for r in raw[::25]]
    ranks = [round(survey.percentile_rank(rid), 4) for rid in sample_ids]

    pulse = Survey("Pulse Check", make_responses(2500, seed=2024))
    pulse_keywords = {dept: pulse.keywords(department=dept) for dept in pulse.departments}
    results = {
        "report": report,
        "ranking": survey.department_ranking(),
        "groups": {dept: survey.group_summary(department=dept) for dept in survey.departments},
        "ranks": ranks,
        "keywords": survey.keywords(limit=None),
        "pulse_ranking": pulse.department_ranking(),
        "pulse_roles": {role: pulse.overall_summary(role=role) for role in pulse.roles},
        "pulse_keywords": pulse_keywords,
        "pulse_all_keywords": pulse.keywords(limit=20),
        "pulse_trend": pulse.score_trend()[::50],
        "pulse_tenure": pulse.tenure_breakdown(),
    }
    ranking = results["ranking"]
    print(f"responses {len(survey)}, departments {len(survey.departments)}")
    print(f"best {ranking[0]['department']} {ranking[0]['mean_score']:.3f}")
    print(f"worst {ranking[-1]['department']} {ranking[-1]['mean_score']:.3f}")
    print(f"distinct keywords {len(results['keywords'])}, top {results['keywords'][0]}")
    print(f"report lines {report.count(chr(10)) + 1}")
    pulse_best = results["pulse_ranking"][0]
    print(f"pulse responses {len(pulse)}, best {pulse_best['department']}")
    print(f"pulse running median at end {results['pulse_trend'][-1]:.2f}")
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
