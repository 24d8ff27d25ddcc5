"""A tiny full-text search library: tokenizer, inverted index, ranking, phrases and snippets."""

from textindex.analysis import STOP_WORDS, analyze_word, fold, stem, tokenize
from textindex.index import Hit, SearchIndex, validate_document
from textindex.report import format_hits, index_report
from textindex.snippets import best_window, highlight, make_snippet

__all__ = [
    "STOP_WORDS",
    "Hit",
    "SearchIndex",
    "analyze_word",
    "best_window",
    "fold",
    "format_hits",
    "highlight",
    "index_report",
    "make_snippet",
    "stem",
    "tokenize",
    "validate_document",
]
