"""Parsing: one access-log line into a dict record."""

import re
from datetime import datetime

LINE = (
    r'^(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<stamp>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" '
    r'(?P<status>\d{3}) (?P<size>\d+|-) (?P<ms>\d+)ms "(?P<agent>[^"]*)"$'
)


def parse_stamp(stamp):
    """'10/Oct/2024:13:55:36 +0000' -> seconds since the epoch (an int)."""
    return int(datetime.strptime(stamp, "%d/%b/%Y:%H:%M:%S %z").timestamp())


def normalize_path(path):
    """'/api/Users/123/orders/?page=2' -> '/api/users/{id}/orders'."""
    path = path.split("?")[0].split("#")[0].lower()
    parts = []
    for part in path.strip("/").split("/"):
        if part.isdigit():
            parts.append("{id}")
        elif re.fullmatch(r"[0-9a-f]{12,}", part):
            parts.append("{hash}")
        elif part:
            parts.append(part)
    return "/" + "/".join(parts)


def agent_kind(agent):
    text = agent.lower()
    for word in ("bot", "spider", "crawler", "curl"):
        if word in text:
            return "bot"
    for word in ("mobile", "android", "iphone"):
        if word in text:
            return "mobile"
    return "desktop"


def parse_line(line):
    """A dict for a well-formed line, None otherwise."""
    match = re.match(LINE, line.strip())
    if match is None:
        return None
    fields = match.groupdict()
    return {
        "ip": fields["ip"],
        "user": None if fields["user"] == "-" else fields["user"],
        "time": parse_stamp(fields["stamp"]),
        "method": fields["method"],
        "path": fields["path"],
        "endpoint": normalize_path(fields["path"]),
        "status": int(fields["status"]),
        "bytes": 0 if fields["size"] == "-" else int(fields["size"]),
        "ms": int(fields["ms"]),
        "agent": agent_kind(fields["agent"]),
    }


def parse_log(text):
    """(records, number of malformed lines); blank lines are skipped."""
    records = []
    bad = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        record = parse_line(line)
        if record is None:
            bad += 1
        else:
            records.append(record)
    return records, bad
