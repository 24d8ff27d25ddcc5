"""Call detail records: parsing the switch's CSV export into plain dicts."""

import re
from datetime import datetime

FIELDS = ("call_id", "account", "caller", "callee", "start", "duration", "kind")
KINDS = ("voice", "sms")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
MAX_DURATION = 6 * 3600


class CdrError(ValueError):
    """A CDR line that cannot be used; carries the line number when known."""

    def __init__(self, message, lineno=None):
        self.lineno = lineno
        if lineno is not None:
            message = f"line {lineno}: {message}"
        super().__init__(message)


def normalize_number(raw):
    """Return an international number as bare digits: '+33 1-45 20' -> '3314520'."""
    if not isinstance(raw, str):
        raise TypeError(f"number must be a string, not {type(raw).__name__}")
    text = re.sub(r"[\s\-().]", "", raw)
    if text.startswith("+"):
        text = text[1:]
    elif text.startswith("00"):
        text = text[2:]
    else:
        raise CdrError(f"number without international prefix: {raw!r}")
    if not (text.isascii() and text.isdigit()):
        raise CdrError(f"bad characters in number: {raw!r}")
    if not 6 <= len(text) <= 15:
        raise CdrError(f"number has {len(text)} digits: {raw!r}")
    return text


def parse_timestamp(text):
    try:
        return datetime.strptime(text, TIME_FORMAT)
    except ValueError:
        raise CdrError(f"bad timestamp: {text!r}") from None


def parse_duration(text, kind):
    try:
        seconds = int(text)
    except ValueError:
        raise CdrError(f"bad duration: {text!r}") from None
    if seconds < 0 or seconds > MAX_DURATION:
        raise CdrError(f"duration out of range: {seconds}")
    if kind == "sms" and seconds != 0:
        raise CdrError("an sms record must have a zero duration")
    return seconds


def parse_cdr_line(line, lineno=None):
    """Parse one CSV line into a record dict; raises CdrError for unusable lines."""
    parts = [part.strip() for part in line.rstrip("\r\n").split(",")]
    if len(parts) != len(FIELDS):
        raise CdrError(f"expected {len(FIELDS)} fields, got {len(parts)}", lineno)
    call_id, account, caller, callee, start, duration, kind = parts
    if not call_id or not account:
        raise CdrError("missing call id or account", lineno)
    kind = kind.lower()
    if kind not in KINDS:
        raise CdrError(f"unknown record kind {kind!r}", lineno)
    try:
        record = {
            "call_id": call_id,
            "account": account,
            "caller": normalize_number(caller),
            "callee": normalize_number(callee),
            "start": parse_timestamp(start),
            "duration": parse_duration(duration, kind),
            "kind": kind,
        }
    except CdrError as exc:
        raise CdrError(str(exc), lineno) from None
    return record


def parse_cdr_lines(lines, errors=None):
    """Parse an iterable of CSV lines (a header line and blank lines are skipped).

    Without an ``errors`` list the first bad line raises CdrError; with one, each bad
    line is recorded there as ``(lineno, message)`` and skipped. A call id seen twice
    is an error too.
    """
    records = []
    seen = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().lower().startswith("call_id,"):
            continue
        try:
            record = parse_cdr_line(line, lineno)
            if record["call_id"] in seen:
                raise CdrError(f"duplicate call id {record['call_id']!r}", lineno)
        except CdrError as exc:
            if errors is None:
                raise
            errors.append((lineno, str(exc)))
            continue
        seen.add(record["call_id"])
        records.append(record)
    return records


def format_cdr_line(record):
    """The inverse of parse_cdr_line, writing numbers in '+digits' form."""
    return ",".join([
        record["call_id"],
        record["account"],
        "+" + record["caller"],
        "+" + record["callee"],
        record["start"].strftime(TIME_FORMAT),
        str(record["duration"]),
        record["kind"],
    ])
