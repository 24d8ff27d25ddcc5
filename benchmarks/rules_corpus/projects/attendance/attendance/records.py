"""Record types, lookup tables and text loaders for the school register."""

import re
from collections import namedtuple
from datetime import datetime

Pupil = namedtuple("Pupil", ["pupil_id", "surname", "forename", "form"])
Entry = namedtuple("Entry", ["pupil_id", "date", "session", "mark"])
Score = namedtuple("Score", ["pupil_id", "subject", "assessment", "raw", "out_of"])
Mark = namedtuple("Mark", ["code", "reason", "minutes", "attended", "authorised"])

SESSIONS = ("AM", "PM")

MARK_CODES = {
    "P": "present",
    "L": "late",
    "A": "absent",
    "M": "medical",
}

REASON_ALIASES = {
    "ill": "illness",
    "illness": "illness",
    "sick": "illness",
    "unwell": "illness",
    "dr": "medical appointment",
    "doctor": "medical appointment",
    "gp": "medical appointment",
    "hospital": "medical appointment",
    "appt": "medical appointment",
    "dentist": "dental appointment",
    "dental": "dental appointment",
    "hol": "holiday",
    "holiday": "holiday",
    "family holiday": "holiday",
    "religious": "religious observance",
    "religious observance": "religious observance",
    "excluded": "exclusion",
    "exclusion": "exclusion",
    "truant": "unexplained",
    "unknown": "unexplained",
    "no reason": "unexplained",
    "bus": "transport",
    "train": "transport",
    "traffic": "transport",
    "transport": "transport",
    "overslept": "overslept",
}

AUTHORISED_REASONS = {
    "illness",
    "medical appointment",
    "dental appointment",
    "religious observance",
    "exclusion",
}

# A pupil arriving after the register closes is recorded as late but counts as absent.
REGISTER_CLOSES_AFTER = 30

SUBJECT_ALIASES = {
    "maths": "Mathematics",
    "math": "Mathematics",
    "mathematics": "Mathematics",
    "english": "English",
    "eng": "English",
    "science": "Science",
    "sci": "Science",
    "history": "History",
    "hist": "History",
    "geography": "Geography",
    "geog": "Geography",
    "french": "French",
    "fr": "French",
    "computing": "Computing",
    "ict": "Computing",
    "art": "Art",
}

_MARK_PATTERN = r"^\s*([A-Za-z])\s*(\d+)?\s*(?:[:(\-]\s*([^)]*?)\s*\)?)?\s*$"
_DATE_FORMAT = "%Y-%m-%d"


def normalise_reason(text):
    key = " ".join(text.lower().replace("_", " ").replace(".", " ").split())
    return REASON_ALIASES.get(key, key)


def parse_mark(text):
    """Decode a register mark such as 'P', 'L12', 'A(ill)' or 'M: dentist'."""
    if not isinstance(text, str):
        raise TypeError(f"attendance mark must be a string, not {type(text).__name__}")
    match = re.match(_MARK_PATTERN, text)
    if match is None:
        raise ValueError(f"unreadable attendance mark {text!r}")
    code = match.group(1).upper()
    if code not in MARK_CODES:
        raise ValueError(f"unknown attendance mark {text!r}")
    minutes = int(match.group(2)) if match.group(2) else 0
    reason = normalise_reason(match.group(3) or "")
    if code == "P":
        return Mark("P", "", 0, True, True)
    if code == "L":
        if minutes > REGISTER_CLOSES_AFTER:
            return Mark("L", reason or "unexplained", minutes, False, False)
        return Mark("L", reason, minutes, True, True)
    if code == "M":
        return Mark("M", reason or "medical appointment", 0, False, True)
    reason = reason or "unexplained"
    return Mark("A", reason, 0, False, reason in AUTHORISED_REASONS)


def parse_date(text):
    try:
        return datetime.strptime(text.strip(), _DATE_FORMAT).date()
    except ValueError:
        raise ValueError(f"bad register date {text!r}") from None


def normalise_subject(name):
    key = " ".join(name.lower().replace(".", " ").split())
    if not key:
        raise ValueError("subject name is empty")
    return SUBJECT_ALIASES.get(key, key.title())


def _rows(text, expected):
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = [h.strip() for h in lines[0].split(",")]
    if header != expected:
        raise ValueError(f"expected header {','.join(expected)!r}, got {lines[0]!r}")
    return [(number, line) for number, line in enumerate(lines[1:], start=2)]


def load_pupils(text):
    pupils = []
    seen = set()
    for number, line in _rows(text, ["pupil_id", "surname", "forename", "form"]):
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4 or not parts[0]:
            raise ValueError(f"line {number}: expected 4 fields, got {line!r}")
        if parts[0] in seen:
            raise ValueError(f"line {number}: duplicate pupil id {parts[0]!r}")
        seen.add(parts[0])
        pupils.append(Pupil(parts[0], parts[1], parts[2], parts[3].upper()))
    return pupils


def load_register(text):
    entries = []
    for number, line in _rows(text, ["pupil_id", "date", "session", "mark"]):
        parts = line.split(",", 3)
        if len(parts) != 4:
            raise ValueError(f"line {number}: expected 4 fields, got {line!r}")
        pupil_id, date, session, mark = (p.strip() for p in parts)
        session = session.upper()
        if session not in SESSIONS:
            raise ValueError(f"line {number}: unknown session {session!r}")
        entries.append(Entry(pupil_id, date, session, mark))
    return entries


def load_scores(text):
    scores = []
    for number, line in _rows(text, ["pupil_id", "subject", "assessment", "raw", "out_of"]):
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 5:
            raise ValueError(f"line {number}: expected 5 fields, got {line!r}")
        raw, out_of = float(parts[3]), int(parts[4])
        if out_of <= 0 or not 0 <= raw <= out_of:
            raise ValueError(f"line {number}: score {parts[3]} out of {parts[4]} is impossible")
        scores.append(Score(parts[0], normalise_subject(parts[1]), parts[2], raw, out_of))
    return scores
