"""The Gradebook: roster, assignments, score records and everything computed from them."""

from dataclasses import dataclass
from datetime import datetime

from .models import Assignment, Category, Score, Student
from .policy import GradeScale, LatePolicy, apply_curve, curve_offset
from .stats import competition_ranks, mean, median, percentile_rank, stdev


@dataclass(frozen=True)
class AssignmentStats:
    assignment_id: str
    count: int
    mean: float | None
    median: float | None
    stdev: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Standing:
    rank: int | None
    student_id: str
    percent: float | None
    letter: str


class Gradebook:
    def __init__(self, name, categories, late_policy=None, scale=None, missing_as_zero=True):
        self.name = name
        self.categories = []
        for category in categories:
            if not isinstance(category, Category):
                raise TypeError("categories must be Category objects")
            if any(c.name == category.name for c in self.categories):
                raise ValueError(f"duplicate category {category.name!r}")
            self.categories.append(category)
        if not self.categories:
            raise ValueError("a gradebook needs at least one category")
        self.students = []
        self.assignments = []
        self._scores = []
        self._curves = {}
        self.late_policy = late_policy if late_policy is not None else LatePolicy()
        self.scale = scale if scale is not None else GradeScale()
        self.missing_as_zero = missing_as_zero

    # ------------------------------------------------------------ roster and plan

    def add_student(self, student):
        if not isinstance(student, Student):
            raise TypeError("expected a Student")
        if any(s.student_id == student.student_id for s in self.students):
            raise ValueError(f"duplicate student {student.student_id!r}")
        self.students.append(student)
        return student

    def student(self, student_id):
        for s in self.students:
            if s.student_id == student_id:
                return s
        raise KeyError(f"no student {student_id!r}")

    def remove_student(self, student_id):
        student = self.student(student_id)
        self.students.remove(student)
        self._scores = [s for s in self._scores if s.student_id != student_id]

    def add_assignment(self, assignment):
        if not isinstance(assignment, Assignment):
            raise TypeError("expected an Assignment")
        self.category(assignment.category)
        if any(a.assignment_id == assignment.assignment_id for a in self.assignments):
            raise ValueError(f"duplicate assignment {assignment.assignment_id!r}")
        self.assignments.append(assignment)
        return assignment

    def assignment(self, assignment_id):
        for a in self.assignments:
            if a.assignment_id == assignment_id:
                return a
        raise KeyError(f"no assignment {assignment_id!r}")

    def category(self, name):
        for c in self.categories:
            if c.name == name:
                return c
        raise KeyError(f"no category {name!r}")

    def assignments_in(self, category_name):
        return [a for a in self.assignments if a.category == category_name]

    @property
    def student_ids(self):
        return [s.student_id for s in self.students]

    @property
    def scores(self):
        return list(self._scores)

    @property
    def total_weight(self):
        return sum(c.weight for c in self.categories)

    # ------------------------------------------------------------ score records

    def add_score(self, score):
        if not isinstance(score, Score):
            raise TypeError("expected a Score")
        self.student(score.student_id)
        self.assignment(score.assignment_id)
        if any(s.student_id == score.student_id and s.assignment_id == score.assignment_id
               for s in self._scores):
            raise ValueError(f"duplicate score for {score.student_id!r} on "
                             f"{score.assignment_id!r}")
        self._scores.append(score)
        return score

    def set_score(self, score):
        """Add a score, or replace the one already recorded for that student and assignment."""
        old = self.score_for(score.student_id, score.assignment_id)
        if old is None:
            return self.add_score(score)
        self._scores[self._scores.index(old)] = score
        return score

    def excuse(self, student_id, assignment_id):
        return self.set_score(Score(student_id, assignment_id, None, None, excused=True))

    def score_for(self, student_id, assignment_id):
        for s in self._scores:
            if s.student_id == student_id and s.assignment_id == assignment_id:
                return s
        return None

    def scores_for_student(self, student_id):
        return [s for s in self._scores if s.student_id == student_id]

    def scores_for_assignment(self, assignment_id):
        return [s for s in self._scores if s.assignment_id == assignment_id]

    def import_rows(self, lines):
        """Load `student,assignment,points[,YYYY-MM-DD]` lines; points may be blank or EX."""
        added = 0
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [f.strip() for f in line.split(",")]
            if len(fields) not in (3, 4):
                raise ValueError(f"line {number}: expected 3 or 4 fields, got {len(fields)}")
            student_id, assignment_id, points_text = fields[:3]
            submitted_text = fields[3] if len(fields) == 4 else ""
            excused = points_text.upper() == "EX"
            points = None
            if points_text and not excused:
                try:
                    points = float(points_text)
                except ValueError:
                    raise ValueError(f"line {number}: bad points {points_text!r}") from None
            submitted = None
            if submitted_text:
                try:
                    submitted = datetime.strptime(submitted_text, "%Y-%m-%d").date()
                except ValueError:
                    raise ValueError(f"line {number}: bad date {submitted_text!r}") from None
            try:
                self.add_score(Score(student_id, assignment_id, points, submitted, excused))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"line {number}: {exc}") from None
            added += 1
        return added

    # ------------------------------------------------------------ per-score grading

    def curve_assignment(self, assignment_id, method="add", target_mean=None):
        """Curve an assignment; with method 'add' the offset lifts the mean to target_mean."""
        self.assignment(assignment_id)
        if method == "add":
            if target_mean is None:
                raise ValueError("an 'add' curve needs a target_mean")
            raw = [self.raw_percent(s) for s in self.scores_for_assignment(assignment_id)]
            raw = [p for p in raw if p is not None]
            self._curves[assignment_id] = ("add", curve_offset(raw, target_mean))
        elif method == "sqrt":
            self._curves[assignment_id] = ("sqrt", 0.0)
        elif method is None:
            self._curves.pop(assignment_id, None)
        else:
            raise ValueError(f"unknown curve method {method!r}")
        return self._curves.get(assignment_id)

    def raw_percent(self, score):
        if score.points is None:
            return None
        return 100.0 * score.points / self.assignment(score.assignment_id).points

    def adjusted_percent(self, score, assignment=None):
        """Percent after the assignment's curve and the late penalty; None if not gradable."""
        if score is None or score.excused:
            return None
        if score.points is None:
            return 0.0 if self.missing_as_zero else None
        if assignment is None:
            assignment = self.assignment(score.assignment_id)
        percent = 100.0 * score.points / assignment.points
        curve = self._curves.get(assignment.assignment_id)
        if curve is not None:
            percent = apply_curve(percent, *curve)
        return self.late_policy.apply(percent, assignment.due, score.submitted)

    # ------------------------------------------------------------ per-student grading

    def category_items(self, student_id, category_name):
        mine = self.scores_for_student(student_id)
        items = []
        for a in self.assignments_in(category_name):
            score = next((s for s in mine if s.assignment_id == a.assignment_id), None)
            if score is None:
                if self.missing_as_zero:
                    items.append((0.0, a.points))
                continue
            percent = self.adjusted_percent(score, a)
            if percent is not None:
                items.append((percent, a.points))
        return items

    def category_percent(self, student_id, category_name):
        self.student(student_id)
        items = self.category_items(student_id, category_name)
        items = _drop_lowest(items, self.category(category_name).drop_lowest)
        if not items:
            return None
        return sum(p * w for p, w in items) / sum(w for _, w in items)

    def final_percent(self, student_id):
        earned = weights = 0.0
        for c in self.categories:
            percent = self.category_percent(student_id, c.name)
            if percent is None:
                continue
            earned += percent * c.weight
            weights += c.weight
        if weights == 0:
            return None
        return earned / weights

    def letter_grade(self, student_id):
        return self.scale.letter(self.final_percent(student_id))

    # ------------------------------------------------------------ whole-class views

    def standings(self):
        """Students best first; ties share a rank and are listed by name."""
        finals = [(s, self.final_percent(s.student_id)) for s in self.students]
        graded = [(s, p) for s, p in finals if p is not None]
        ungraded = [(s, p) for s, p in finals if p is None]
        graded.sort(key=lambda sp: (-sp[1], sp[0].sort_name, sp[0].student_id))
        ungraded.sort(key=lambda sp: (sp[0].sort_name, sp[0].student_id))
        ranks = competition_ranks([p for _, p in graded])
        out = [Standing(r, s.student_id, p, self.scale.letter(p))
               for r, (s, p) in zip(ranks, graded)]
        out += [Standing(None, s.student_id, None, self.scale.letter(None)) for s, _ in ungraded]
        return out

    def percentiles(self):
        finals = {s.student_id: self.final_percent(s.student_id) for s in self.students}
        values = [p for p in finals.values() if p is not None]
        return {sid: percentile_rank(p, values) for sid, p in finals.items() if p is not None}

    def letter_distribution(self):
        counts = {letter: 0 for letter in self.scale.letters()}
        counts["I"] = 0
        for s in self.students:
            counts[self.letter_grade(s.student_id)] += 1
        if not counts["I"]:
            del counts["I"]
        return counts

    def assignment_stats(self, assignment_id):
        assignment = self.assignment(assignment_id)
        percents = []
        for score in self.scores_for_assignment(assignment_id):
            percent = self.adjusted_percent(score, assignment)
            if percent is not None:
                percents.append(percent)
        if not percents:
            return AssignmentStats(assignment_id, 0, None, None, None, None, None)
        return AssignmentStats(assignment_id, len(percents), mean(percents), median(percents),
                               stdev(percents), min(percents), max(percents))


def _drop_lowest(items, n):
    """Drop the n lowest-percent items, always keeping at least one."""
    kept = list(items)
    for _ in range(min(n, len(kept) - 1)):
        kept.remove(min(kept, key=lambda item: item[0]))
    return kept
