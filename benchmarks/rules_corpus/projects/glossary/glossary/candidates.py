"""Choosing which terms of an index deserve a glossary entry."""

import math

PHRASE_BONUS = 1.5


def score_terms(index, min_count=3, min_docs=2, max_doc_ratio=0.9):
    """Score every eligible term: occurrences times a smoothed inverse document frequency.

    A term is eligible when it occurs at least ``min_count`` times, in at least ``min_docs``
    documents and in no more than ``max_doc_ratio`` of all documents. Phrases get a bonus.
    Scores are rounded to 6 decimals so that ties are stable.
    """
    if not 0 < max_doc_ratio <= 1:
        raise ValueError("max_doc_ratio must be in (0, 1]")
    n_docs = len(index.documents)
    scores = {}
    for term in index.terms():
        count = index.term_frequency(term)
        if count < min_count:
            continue
        df = index.document_frequency(term)
        if df < min_docs or df > max_doc_ratio * n_docs:
            continue
        idf = math.log((1 + n_docs) / (1 + df)) + 1.0
        bonus = PHRASE_BONUS if " " in term else 1.0
        scores[term] = round(count * idf * bonus, 6)
    return scores


def is_subsumed(index, word, eligible):
    """True when an eligible phrase containing ``word`` covers 80% of its occurrences."""
    total = index.term_frequency(word)
    for phrase in index.phrases():
        if phrase not in eligible:
            continue
        if word in phrase.split(" ") and 5 * index.term_frequency(phrase) >= 4 * total:
            return True
    return False


def pick_candidates(index, limit=40, min_count=3, min_docs=2, max_doc_ratio=0.9):
    """The best ``limit`` terms by score (ties by term), skipping single words that are
    subsumed by an eligible phrase (see :func:`is_subsumed`)."""
    if limit < 0:
        raise ValueError("limit must not be negative")
    scores = score_terms(index, min_count, min_docs, max_doc_ratio)
    ranked = sorted(scores, key=lambda term: (-scores[term], term))
    picked = []
    for term in ranked:
        if len(picked) >= limit:
            break
        if " " not in term and is_subsumed(index, term, scores):
            continue
        picked.append(term)
    return picked


def frequency_report(index, terms):
    """Rows of (term, occurrences, documents, rank) for the given terms, in that order."""
    rows = []
    for term in terms:
        rows.append(
            (term, index.term_frequency(term), index.document_frequency(term), index.rank(term))
        )
    return rows
