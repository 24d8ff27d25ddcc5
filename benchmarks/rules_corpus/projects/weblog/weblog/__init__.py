"""Web access logs: parse combined-format lines into dicts, aggregate per endpoint, report CSV."""

from weblog.parse import normalize_path, parse_line, parse_log
from weblog.report import endpoint_csv, user_csv
from weblog.stats import endpoint_stats, slow_requests, user_sessions

__all__ = [
    "endpoint_csv",
    "endpoint_stats",
    "normalize_path",
    "parse_line",
    "parse_log",
    "slow_requests",
    "user_csv",
    "user_sessions",
]
