"""The inverted index: plain-dict documents in, ranked hits out."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from textindex.analysis import tokenize
from textindex.snippets import make_snippet

REQUIRED_FIELDS = ("id", "title", "body")


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float
    title: str


def validate_document(doc: dict) -> dict:
    """Check a document and return the normalised copy the index keeps."""
    if not isinstance(doc, dict):
        raise TypeError(f"a document must be a dict, got {type(doc).__name__}")
    for field in REQUIRED_FIELDS:
        if field not in doc:
            raise ValueError(f"document is missing {field!r}")
    doc_id = doc["id"]
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ValueError(f"document id must be a non-empty string, got {doc_id!r}")
    if not isinstance(doc["title"], str) or not isinstance(doc["body"], str):
        raise TypeError(f"title and body of {doc_id!r} must be strings")
    tags = doc.get("tags") or []
    if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
        raise TypeError(f"tags of {doc_id!r} must be a list of strings")
    return {"id": doc_id, "title": doc["title"], "body": doc["body"],
            "tags": [tag.strip().lower() for tag in tags]}


def normalize_tags(tags: Iterable[str] | None) -> set[str]:
    if tags is None:
        return set()
    if isinstance(tags, str):
        tags = [tags]
    return {tag.strip().lower() for tag in tags}


class SearchIndex:
    """Documents ranked with TF-IDF (BM25 weighting); title words count ``title_boost`` times."""

    def __init__(self, title_boost: float = 2.0, k1: float = 1.2, b: float = 0.75) -> None:
        if title_boost <= 0 or k1 <= 0 or not 0 <= b <= 1:
            raise ValueError("title_boost and k1 must be positive and b within [0, 1]")
        self.title_boost = title_boost
        self.k1 = k1
        self.b = b
        self.docs: list[dict] = []
        self.postings: dict[str, dict[str, float]] = defaultdict(dict)
        self.weights: dict[str, dict[str, float]] = {}
        self.positions: dict[str, dict[str, list[int]]] = {}
        self.lengths: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, doc_id: object) -> bool:
        return any(record["id"] == doc_id for record in self.docs)

    # -- building ---------------------------------------------------------------------------

    def add(self, doc: dict) -> None:
        record = validate_document(doc)
        doc_id = record["id"]
        if doc_id in self:
            raise ValueError(f"duplicate document id {doc_id!r}")
        title_terms = tokenize(record["title"])
        body_terms = tokenize(record["body"])
        weights: dict[str, float] = {}
        for term in title_terms:
            weights[term] = weights.get(term, 0.0) + self.title_boost
        positions: dict[str, list[int]] = defaultdict(list)
        for i, term in enumerate(body_terms):
            weights[term] = weights.get(term, 0.0) + 1.0
            positions[term].append(i)
        for term, weight in weights.items():
            self.postings[term][doc_id] = weight
        self.docs.append(record)
        self.weights[doc_id] = weights
        self.positions[doc_id] = dict(positions)
        self.lengths[doc_id] = len(title_terms) + len(body_terms)

    def add_many(self, docs: Iterable[dict]) -> int:
        count = 0
        for doc in docs:
            self.add(doc)
            count += 1
        return count

    def remove(self, doc_id: str) -> dict:
        record = self.docs.pop(self._position(doc_id))
        for term in self.weights.pop(doc_id):
            del self.postings[term][doc_id]
            if not self.postings[term]:
                del self.postings[term]
        del self.positions[doc_id]
        del self.lengths[doc_id]
        return record

    def update(self, doc: dict) -> None:
        record = validate_document(doc)
        self.remove(record["id"])
        self.add(record)

    # -- lookups ----------------------------------------------------------------------------

    def _position(self, doc_id: str) -> int:
        for i, record in enumerate(self.docs):
            if record["id"] == doc_id:
                return i
        raise KeyError(doc_id)

    def get(self, doc_id: str) -> dict:
        record = self.docs[self._position(doc_id)]
        return {**record, "tags": list(record["tags"])}

    def ids(self) -> list[str]:
        return [record["id"] for record in self.docs]

    # -- ranking ----------------------------------------------------------------------------

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        n = len(self.docs)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def average_length(self) -> float:
        if not self.lengths:
            return 0.0
        return sum(self.lengths.values()) / len(self.lengths)

    def term_score(self, term: str, doc_id: str) -> float:
        tf = self.postings.get(term, {}).get(doc_id, 0.0)
        if not tf:
            return 0.0
        norm = 1.0 - self.b + self.b * self.lengths[doc_id] / self.average_length()
        return self.idf(term) * tf * (self.k1 + 1.0) / (tf + self.k1 * norm)

    def _scores(self, terms: Iterable[str], exclude: str | None = None) -> dict[str, float]:
        scores: dict[str, float] = {}
        for term in terms:
            for doc_id in self.postings.get(term, {}):
                if doc_id != exclude:
                    scores[doc_id] = scores.get(doc_id, 0.0) + self.term_score(term, doc_id)
        return scores

    def _has_phrase(self, doc_id: str, terms: list[str]) -> bool:
        positions = self.positions[doc_id]
        following = [set(positions.get(term, ())) for term in terms[1:]]
        for start in positions.get(terms[0], ()):
            if all(start + k + 1 in found for k, found in enumerate(following)):
                return True
        return False

    def search(self, query: str, limit: int = 10, *, phrase: bool = False,
               tags: Iterable[str] | None = None) -> list[Hit]:
        """The best ``limit`` documents for ``query``, best first, ties by id.

        With ``phrase`` the query terms must appear next to each other in the body (stop
        words are skipped); with ``tags`` a document must carry all of them.
        """
        if not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive int, got {limit!r}")
        sequence = tokenize(query)
        if not sequence:
            return []
        wanted = normalize_tags(tags)
        scores = self._scores(dict.fromkeys(sequence))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        hits: list[Hit] = []
        for doc_id, score in ranked:
            if phrase and len(sequence) > 1 and not self._has_phrase(doc_id, sequence):
                continue
            record = self.docs[self._position(doc_id)]
            if wanted and not wanted.issubset(record["tags"]):
                continue
            hits.append(Hit(doc_id, score, record["title"]))
            if len(hits) == limit:
                break
        return hits

    def more_like_this(self, doc_id: str, limit: int = 5, max_terms: int = 8) -> list[Hit]:
        """Documents that share the most telling terms of ``doc_id`` (itself excluded)."""
        if limit < 1 or max_terms < 1:
            raise ValueError("limit and max_terms must be positive")
        self._position(doc_id)
        weights = self.weights[doc_id]
        telling = sorted(weights, key=lambda term: (-weights[term] * self.idf(term), term))
        scores = self._scores(telling[:max_terms], exclude=doc_id)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Hit(other, score, self.docs[self._position(other)]["title"])
                for other, score in ranked]

    def snippet(self, doc_id: str, query: str, width: int = 12) -> str:
        record = self.docs[self._position(doc_id)]
        return make_snippet(record["body"], tokenize(query), width)
