"""Definitions (first-use context) of glossary terms and the cross-references between them."""

from dataclasses import dataclass

from .textutil import normalize_term, sort_key, split_sentences, tokenize


@dataclass(frozen=True)
class Definition:
    term: str
    sentence: str
    document: str
    page: int


def _contains(words, target):
    """True when ``target`` (a list of words) occurs contiguously in ``words``."""
    size = len(target)
    for i in range(len(words) - size + 1):
        if words[i : i + size] == target:
            return True
    return False


def find_definitions(index, terms):
    """The first sentence (documents in order, then pages) that mentions each term.

    Terms that are never mentioned are left out of the result.
    """
    result = {}
    for term in terms:
        target = term.split(" ")
        found = None
        for doc in index.documents:
            for page_no, text in enumerate(index.pages[doc], start=1):
                for sentence in split_sentences(text):
                    words = [normalize_term(token) for token in tokenize(sentence)]
                    if _contains(words, target):
                        found = Definition(term, sentence, doc, page_no)
                        break
                if found:
                    break
            if found:
                break
        if found:
            result[term] = found
    return result


def _overlaps(first, second):
    """True when one term is a contiguous part of the other ("hash" and "hash table")."""
    a = first.split(" ")
    b = second.split(" ")
    return _contains(a, b) or _contains(b, a)


def link_cross_references(index, definitions):
    """Link every pair of defined terms where one is mentioned in the other's definition.

    Links go both ways. Terms that overlap (one contains the other) are not linked.
    Returns term -> list of linked terms sorted by display form; every defined term
    has an entry, possibly empty.
    """
    links = {term: set() for term in definitions}
    for term, definition in definitions.items():
        words = [normalize_term(token) for token in tokenize(definition.sentence)]
        for other in definitions:
            if other == term or _overlaps(term, other):
                continue
            if _contains(words, other.split(" ")):
                links[term].add(other)
                links[other].add(term)
    result = {}
    for term, linked in links.items():
        result[term] = sorted(linked, key=lambda t: sort_key(index.display_form(t)))
    return result


def orphans(links):
    """Terms without any cross-reference, sorted."""
    return sorted(term for term, linked in links.items() if not linked)
