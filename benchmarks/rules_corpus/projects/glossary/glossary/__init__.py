"""glossary: build a glossary and an alphabetical index from technical documents."""

from dataclasses import dataclass, field

from .candidates import frequency_report, is_subsumed, pick_candidates, score_terms
from .index import Index
from .render import page_references, render_glossary, render_index, render_summary
from .textutil import (
    collapse_pages,
    index_letter,
    normalize_phrase,
    normalize_term,
    slugify,
    sort_key,
    split_sentences,
    strip_suffix,
    tokenize,
)
from .xref import Definition, find_definitions, link_cross_references, orphans

__all__ = [
    "Definition",
    "Glossary",
    "Index",
    "build_glossary",
    "collapse_pages",
    "find_definitions",
    "frequency_report",
    "index_letter",
    "is_subsumed",
    "link_cross_references",
    "normalize_phrase",
    "normalize_term",
    "orphans",
    "page_references",
    "pick_candidates",
    "render_glossary",
    "render_index",
    "render_summary",
    "score_terms",
    "slugify",
    "sort_key",
    "split_sentences",
    "strip_suffix",
    "tokenize",
]


@dataclass
class Glossary:
    index: Index
    terms: list = field(default_factory=list)
    definitions: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    index_text: str = ""
    glossary_text: str = ""


def build_glossary(documents, limit=40, min_count=3, min_docs=2, max_phrase=2):
    """Index ``documents`` (pairs of name and list of page texts) and build everything."""
    index = Index(max_phrase=max_phrase)
    for name, pages in documents:
        index.add_document(name, pages)
    terms = pick_candidates(index, limit=limit, min_count=min_count, min_docs=min_docs)
    definitions = find_definitions(index, terms)
    links = link_cross_references(index, definitions)
    return Glossary(
        index=index,
        terms=terms,
        definitions=definitions,
        links=links,
        index_text=render_index(index, terms, links),
        glossary_text=render_glossary(index, definitions, links),
    )
