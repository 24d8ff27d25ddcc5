"""JSON schemas of each benchmark's prediction lines (package data)."""
