"""Word statistics and similarity reports over a folder of support tickets."""

from wordreport.documents import Document, parse_documents
from wordreport.similarity import near_duplicates
from wordreport.stats import keyword_in_context, top_words, word_counts
from wordreport.text import normalize, stem, tokens

__all__ = [
    "Document",
    "keyword_in_context",
    "near_duplicates",
    "normalize",
    "parse_documents",
    "stem",
    "tokens",
    "top_words",
    "word_counts",
]
