"""Parsing of the faculty office exports: student list, assessment plan and marks sheet."""

from dataclasses import dataclass

STUDENT_FIELDS = ["student_id", "name", "course"]
ASSESSMENT_FIELDS = ["course", "assessment_id", "title", "weight", "max_mark", "due_day"]
MARK_FIELDS = ["student_id", "assessment_id", "mark", "submitted_day"]
COMMENT_PREFIX = "#"


class MarksFormatError(ValueError):
    """Raised when one of the input files cannot be understood."""


@dataclass
class Student:
    student_id: str
    name: str
    course: str


@dataclass
class Assessment:
    course: str
    assessment_id: str
    title: str
    weight: float
    max_mark: float
    due_day: int


def _split_rows(text, fields):
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(COMMENT_PREFIX)]
    rows = []
    if not lines:
        return rows
    header = [h.strip() for h in lines[0].split(",")]
    if header != fields:
        raise MarksFormatError("unexpected header: " + ",".join(header))
    for i, line in enumerate(lines[1:], start=1):
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != len(fields):
            raise MarksFormatError(f"row {i}: expected {len(fields)} fields, got {len(parts)}")
        rows.append(dict(zip(fields, parts)))
    return rows


def _to_float(value, what, row):
    try:
        return float(value)
    except ValueError:
        raise MarksFormatError(f"row {row}: bad {what} {value!r}") from None


def _to_int(value, what, row):
    try:
        return int(value)
    except ValueError:
        raise MarksFormatError(f"row {row}: bad {what} {value!r}") from None


def find_student(students, student_id):
    for s in students:
        if s.student_id == student_id:
            return s
    return None


def find_assessment(assessments, assessment_id):
    for a in assessments:
        if a.assessment_id == assessment_id:
            return a
    return None


def parse_students(text):
    students = []
    for i, row in enumerate(_split_rows(text, STUDENT_FIELDS), start=1):
        if not row["student_id"] or not row["course"]:
            raise MarksFormatError(f"row {i}: student id and course are required")
        if find_student(students, row["student_id"]) is not None:
            raise MarksFormatError(f"row {i}: duplicate student {row['student_id']}")
        students.append(Student(row["student_id"], row["name"], row["course"]))
    return students


def parse_assessments(text):
    assessments = []
    for i, row in enumerate(_split_rows(text, ASSESSMENT_FIELDS), start=1):
        if find_assessment(assessments, row["assessment_id"]) is not None:
            raise MarksFormatError(f"row {i}: duplicate assessment {row['assessment_id']}")
        weight = _to_float(row["weight"], "weight", i)
        max_mark = _to_float(row["max_mark"], "max_mark", i)
        if weight <= 0 or max_mark <= 0:
            raise MarksFormatError(f"row {i}: weight and max_mark must be positive")
        due_day = _to_int(row["due_day"], "due_day", i)
        assessments.append(
            Assessment(row["course"], row["assessment_id"], row["title"], weight, max_mark, due_day)
        )
    return assessments


def parse_marks(text, students, assessments):
    """Parse the marks sheet. A blank mark means the work was never handed in."""
    marks = []
    seen = set()
    for i, row in enumerate(_split_rows(text, MARK_FIELDS), start=1):
        student = find_student(students, row["student_id"])
        if student is None:
            raise MarksFormatError(f"row {i}: unknown student {row['student_id']}")
        assessment = find_assessment(assessments, row["assessment_id"])
        if assessment is None:
            raise MarksFormatError(f"row {i}: unknown assessment {row['assessment_id']}")
        if assessment.course != student.course:
            raise MarksFormatError(
                f"row {i}: {assessment.assessment_id} is not part of {student.course}"
            )
        key = (student.student_id, assessment.assessment_id)
        if key in seen:
            raise MarksFormatError(f"row {i}: duplicate mark for {key[0]} / {key[1]}")
        seen.add(key)
        mark = None
        if row["mark"] != "":
            mark = _to_float(row["mark"], "mark", i)
            if mark < 0 or mark > assessment.max_mark:
                raise MarksFormatError(f"row {i}: mark {mark} out of range")
        submitted = None
        if row["submitted_day"] != "":
            submitted = _to_int(row["submitted_day"], "submitted_day", i)
        marks.append({"student_id": student.student_id, "assessment_id": assessment.assessment_id,
                      "mark": mark, "submitted_day": submitted})
    return marks


def load_course_data(students_text, assessments_text, marks_text):
    students = parse_students(students_text)
    assessments = parse_assessments(assessments_text)
    marks = parse_marks(marks_text, students, assessments)
    return students, assessments, marks


def marks_to_csv(marks):
    out = ",".join(MARK_FIELDS) + "\n"
    for m in marks:
        mark = "" if m["mark"] is None else f"{m['mark']:g}"
        day = "" if m["submitted_day"] is None else str(m["submitted_day"])
        out += f"{m['student_id']},{m['assessment_id']},{mark},{day}\n"
    return out
