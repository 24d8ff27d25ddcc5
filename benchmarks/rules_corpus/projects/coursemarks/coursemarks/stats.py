"""Per-assessment statistics, moderation and outlier detection."""

import math

OUTLIER_Z = 2.5
STAT_DECIMALS = 2
Z_DECIMALS = 3


def mean(values):
    if not values:
        raise ValueError("mean of an empty list")
    return sum(values) / len(values)


def median(values):
    if not values:
        raise ValueError("median of an empty list")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def stdev(values):
    """Population standard deviation."""
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def zscore(value, values):
    sd = stdev(values)
    if sd == 0:
        return 0.0
    return (value - mean(values)) / sd


def assessment_marks(marks, assessment_id):
    """The marks rows for one assessment that actually have a mark."""
    return [m for m in marks if m["assessment_id"] == assessment_id and m["mark"] is not None]


def assessment_stats(marks, assessment):
    values = [m["mark"] for m in assessment_marks(marks, assessment.assessment_id)]
    stats = {"assessment_id": assessment.assessment_id, "count": len(values)}
    if not values:
        stats.update(mean=None, median=None, stdev=None, min=None, max=None)
        return stats
    stats["mean"] = round(mean(values), STAT_DECIMALS)
    stats["median"] = round(median(values), STAT_DECIMALS)
    stats["stdev"] = round(stdev(values), STAT_DECIMALS)
    stats["min"] = min(values)
    stats["max"] = max(values)
    return stats


def zscores(marks, assessment):
    """{student_id: z} for every mark recorded against the assessment."""
    rows = assessment_marks(marks, assessment.assessment_id)
    values = [m["mark"] for m in rows]
    result = {}
    for m in rows:
        result[m["student_id"]] = round(zscore(m["mark"], values), Z_DECIMALS)
    return result


def find_outliers(marks, assessments, threshold=OUTLIER_Z):
    """(assessment_id, student_id, mark, z) for marks further than threshold from the mean."""
    flagged = []
    for a in assessments:
        rows = assessment_marks(marks, a.assessment_id)
        values = [m["mark"] for m in rows]
        for m in rows:
            z = zscore(m["mark"], values)
            if abs(z) > threshold:
                flagged.append((a.assessment_id, m["student_id"], m["mark"], round(z, Z_DECIMALS)))
    return flagged


def moderate(marks, assessment, target_mean):
    """Copy of marks with one assessment scaled towards target_mean (capped at max_mark)."""
    if target_mean <= 0 or target_mean > assessment.max_mark:
        raise ValueError(f"target mean {target_mean} outside (0, {assessment.max_mark}]")
    moderated = []
    for m in marks:
        row = dict(m)
        if m["assessment_id"] == assessment.assessment_id and m["mark"] is not None:
            current = mean([x["mark"] for x in assessment_marks(marks, assessment.assessment_id)])
            factor = target_mean / current if current > 0 else 1.0
            row["mark"] = round(min(assessment.max_mark, m["mark"] * factor), STAT_DECIMALS)
        moderated.append(row)
    return moderated
