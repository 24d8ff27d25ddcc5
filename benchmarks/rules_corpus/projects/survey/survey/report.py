"""A plain-text report of a survey, for pasting into an email."""

from __future__ import annotations


def _num(value, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _keyword_line(pairs) -> str:
    return ", ".join(f"{word} ({count})" for word, count in pairs) or "(no comments)"


def render_report(survey, keyword_limit: int = 5, trend_points: int = 6) -> str:
    lines = [survey.title, "=" * len(survey.title), f"Responses: {len(survey)}", ""]
    if not len(survey):
        return "\n".join(lines + ["No responses yet."])
    overall = survey.overall_summary()
    lines.append(
        f"Overall: mean {_num(overall['mean'])}, median {_num(overall['median'], 1)}, "
        f"sd {_num(overall['stdev'])}, top-box {_pct(overall['top_box'])}"
    )
    lines.append(f"Top words: {_keyword_line(survey.keywords(limit=keyword_limit))}")
    lines += ["", "Department ranking"]
    engagement = survey.engagement_by("department")
    for row in survey.department_ranking():
        bands = engagement[row["department"]]
        lines.append(
            f"{row['rank']:>2}. {row['department']:<16} {_num(row['mean_score'])} "
            f"top-box {_pct(row['top_box']):>4}  n={row['respondents']:<4} "
            + " / ".join(str(count) for count in bands.values())
        )
        words = survey.keywords(department=row["department"], limit=keyword_limit)
        lines.append(f"    says: {_keyword_line(words)}")
    lines += ["", "By role"]
    role_engagement = survey.engagement_by("role")
    for role in survey.roles:
        summary = survey.overall_summary(role=role)
        lines.append(
            f"  {role:<16} mean {_num(summary['mean'])} p25 {_num(summary['p25'], 1)} "
            f"p75 {_num(summary['p75'], 1)} highly engaged "
            f"{role_engagement[role]['highly engaged']}"
        )
        lines.append(f"    says: {_keyword_line(survey.keywords(role=role, limit=3))}")
    lines += ["", "By tenure"]
    for band, summary in survey.tenure_breakdown().items():
        lines.append(f"  {band:<14} n={summary['count']:<4} mean {_num(summary['mean'])}")
    trend = survey.score_trend()
    step = max(1, len(trend) // trend_points)
    samples = [f"{_num(trend[i])}@{i + 1}" for i in range(step - 1, len(trend), step)]
    lines += ["", "Running median: " + ", ".join(samples)]
    return "\n".join(lines)
