"""Parse web-server access logs and summarize them."""

from logstats.parse import Record, parse_line, parse_lines
from logstats.stats import status_counts, summarize, unique_clients

__all__ = ["Record", "parse_line", "parse_lines", "status_counts", "summarize", "unique_clients"]
