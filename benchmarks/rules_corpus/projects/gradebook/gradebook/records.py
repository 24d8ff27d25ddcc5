"""Reading the roster and the score export from the learning platform.

Students are plain dicts, the way the platform's JSON export gives them:
{"id": ..., "name": ..., "section": ..., "scores": {assignment: value}} where a value is a
float, the string "EX" for an excused assignment, or absent when nothing was handed in.
"""

from __future__ import annotations


class RosterError(ValueError):
    pass


def parse_roster(lines):
    students = []
    seen = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 3:
            raise RosterError(f"line {number}: expected id,name,section")
        sid, name, section = parts
        if sid in seen:
            raise RosterError(f"line {number}: duplicate student {sid}")
        seen.add(sid)
        students.append({"id": sid, "name": name, "section": section, "scores": {}})
    return students


def find_student(students, sid):
    for student in students:
        if student["id"] == sid:
            return student
    return None


def parse_score(text):
    text = text.strip().upper()
    if text == "EX":
        return "EX"
    if text in ("", "-", "NA"):
        return None
    value = float(text)
    if value < 0:
        raise RosterError(f"negative score {text}")
    return value


def attach_scores(students, lines):
    """Adds each 'student,assignment,score' row to its student; returns unknown student ids."""
    unknown = []
    for line in lines:
        if not line.strip():
            continue
        sid, assignment, raw = (p.strip() for p in line.split(","))
        student = find_student(students, sid)
        if student is None:
            if sid not in unknown:
                unknown.append(sid)
            continue
        score = parse_score(raw)
        if score is not None:
            student["scores"][assignment] = score
    return unknown
