"""Reading mark sheets, class rosters, component weights and grade boundaries from text.

Every reader takes the whole text of a file (as exported from the school's MIS or typed in by
a teacher) and returns plain lists, tuples and dicts.  Blank lines and lines starting with
``#`` are ignored everywhere.
"""

import re
from decimal import Decimal, InvalidOperation

ABSENT_CODES = ("", "-", "A", "ABS", "X", "N/A")
MARK_FIELDS = ("student", "subject", "component", "score", "out_of")
ROSTER_FIELDS = ("id", "name", "form", "sessions", "attended")


class MarkbookError(ValueError):
    """Bad mark-book input.  ``line`` is the 1-based line number when the input was text."""

    def __init__(self, message, line=None):
        self.line = line
        if line is not None:
            message = f"line {line}: {message}"
        super().__init__(message)


def _content_lines(text):
    """(line number, stripped line) for every line that is not blank or a comment."""
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def _fields(line, count, number):
    fields = [field.strip() for field in line.split(",")]
    if len(fields) != count:
        raise MarkbookError(f"expected {count} fields, found {len(fields)}", number)
    return fields


def _check_header(fields, expected, number):
    if tuple(field.lower() for field in fields) != expected:
        raise MarkbookError("header must be " + ",".join(expected), number)


def clean_id(text, line=None):
    """Student ids are letters and digits, compared without regard to case."""
    ident = text.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]+", ident):
        raise MarkbookError(f"bad student id {text!r}", line)
    return ident


def clean_label(text, line=None):
    """Subject and component names: single spaces, no stray punctuation, title case."""
    label = re.sub(r"\s+", " ", text.strip())
    label = re.sub(r"[^\w &+/-]", "", label).strip()
    if not label:
        raise MarkbookError(f"empty name {text!r}", line)
    return label.title()


def parse_number(text, line=None):
    """A finite, non-negative decimal number as a float, or None for an absence code."""
    code = text.strip().upper()
    if code in ABSENT_CODES:
        return None
    try:
        value = Decimal(code)
    except InvalidOperation:
        raise MarkbookError(f"not a number: {text!r}", line) from None
    if not value.is_finite() or value.is_signed():
        raise MarkbookError(f"not a valid mark: {text!r}", line)
    return float(value)


def parse_marks(text):
    """Mark table rows ``(student, subject, component, score, out_of)`` in file order.

    ``score`` is None when the student missed the assessment.  The first content line must
    be the header ``student,subject,component,score,out_of``.
    """
    rows = []
    header = True
    for number, line in _content_lines(text):
        fields = _fields(line, len(MARK_FIELDS), number)
        if header:
            _check_header(fields, MARK_FIELDS, number)
            header = False
            continue
        student = clean_id(fields[0], number)
        subject = clean_label(fields[1], number)
        component = clean_label(fields[2], number)
        score = parse_number(fields[3], number)
        out_of = parse_number(fields[4], number)
        if not out_of:
            raise MarkbookError("out_of must be a positive number", number)
        if score is not None and score > out_of:
            raise MarkbookError(f"score {fields[3]} is more than {fields[4]}", number)
        rows.append((student, subject, component, score, out_of))
    return rows


def parse_roster(text):
    """Roster records ``{"id", "name", "form", "sessions", "attended"}`` in file order."""
    roster = []
    header = True
    for number, line in _content_lines(text):
        fields = _fields(line, len(ROSTER_FIELDS), number)
        if header:
            _check_header(fields, ROSTER_FIELDS, number)
            header = False
            continue
        student = clean_id(fields[0], number)
        if student in [record["id"] for record in roster]:
            raise MarkbookError(f"student {student} listed twice", number)
        name = " ".join(fields[1].split())
        form = fields[2].upper().replace(" ", "")
        if not name or not form:
            raise MarkbookError("name and form must not be empty", number)
        try:
            sessions = int(fields[3])
            attended = int(fields[4])
        except ValueError:
            raise MarkbookError("sessions and attended must be whole numbers", number) from None
        if not 0 <= attended <= sessions:
            raise MarkbookError(f"attended {attended} of {sessions} sessions", number)
        roster.append({"id": student, "name": name, "form": form,
                       "sessions": sessions, "attended": attended})
    return roster


def parse_weights(text):
    """Component weights per subject from lines like ``Maths: Homework=20, Test=30, Exam=50``.

    Returns ``{subject: {component: weight}}``; weights need not add up to 100.
    """
    weights = {}
    for number, line in _content_lines(text):
        subject_part, sep, rest = line.partition(":")
        if not sep:
            raise MarkbookError("expected 'Subject: component=weight, ...'", number)
        subject = clean_label(subject_part, number)
        if subject in weights:
            raise MarkbookError(f"weights for {subject} given twice", number)
        scheme = {}
        for item in rest.split(","):
            name, eq, amount = item.partition("=")
            if not eq:
                raise MarkbookError(f"expected component=weight, found {item.strip()!r}", number)
            component = clean_label(name, number)
            if component in scheme:
                raise MarkbookError(f"{subject} / {component} given twice", number)
            weight = parse_number(amount, number)
            if not weight:
                raise MarkbookError(f"weight for {subject} / {component} must be positive",
                                    number)
            scheme[component] = weight
        weights[subject] = scheme
    return weights


def parse_boundaries(text):
    """Grade boundaries ``[(threshold, grade), ...]`` from ``A*=90, A=80, ...``, highest first."""
    boundaries = []
    for number, line in _content_lines(text):
        for item in line.split(","):
            grade, eq, amount = item.partition("=")
            grade = grade.strip().upper()
            if not eq or not grade:
                raise MarkbookError(f"expected grade=threshold, found {item.strip()!r}", number)
            threshold = parse_number(amount, number)
            if threshold is None or threshold > 100:
                raise MarkbookError(f"threshold for {grade} must be 0-100", number)
            if any(threshold == other for other, _ in boundaries):
                raise MarkbookError(f"two grades at {amount.strip()}", number)
            if any(grade == other for _, other in boundaries):
                raise MarkbookError(f"grade {grade} given twice", number)
            boundaries.append((threshold, grade))
    if not boundaries:
        raise MarkbookError("no grade boundaries given")
    boundaries.sort(reverse=True)
    return boundaries
