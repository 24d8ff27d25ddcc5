"""Event-stream reports built from generator pipelines."""

from streams.pipeline import enrich, normalize_tag, parse_events, running_leaders, tag_counts

__all__ = ["enrich", "normalize_tag", "parse_events", "running_leaders", "tag_counts"]
