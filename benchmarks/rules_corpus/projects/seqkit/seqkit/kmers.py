"""k-mer counting, motif search with mismatches and pairwise similarity."""

from __future__ import annotations

import re
from collections import Counter

from .seqs import Record, get_record, reverse_complement


def kmer_counts(seq: str, k: int) -> Counter:
    """Count every k-mer made only of A, C, G and T (k-mers touching N are skipped)."""
    if k <= 0:
        raise ValueError("k must be positive")
    counts: Counter = Counter()
    for i in range(len(seq) - k + 1):
        kmer = seq[i:i + k].upper()
        if re.search(r"[^ACGT]", kmer):
            continue
        counts[kmer] += 1
    return counts


def canonical_kmer_counts(seq: str, k: int) -> Counter:
    """Count k-mers, folding each one with its reverse complement (smaller one wins)."""
    counts: Counter = Counter()
    for kmer, n in kmer_counts(seq, k).items():
        counts[min(kmer, reverse_complement(kmer))] += n
    return counts


def top_kmers(seq: str, k: int, n: int = 10) -> list[tuple[str, int]]:
    """The n most frequent k-mers, ties broken alphabetically."""
    counts = kmer_counts(seq, k)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]


def hamming(a: str, b: str) -> int:
    if len(a) != len(b):
        raise ValueError("sequences differ in length")
    return sum(1 for x, y in zip(a, b) if x != y)


def find_motif(seq: str, motif: str, max_mismatches: int = 0) -> list[int]:
    """Start positions where motif matches seq with at most max_mismatches substitutions."""
    if not motif:
        raise ValueError("empty motif")
    if max_mismatches < 0:
        raise ValueError("max_mismatches must not be negative")
    hits = []
    for i in range(len(seq) - len(motif) + 1):
        if hamming(seq[i:i + len(motif)].upper(), motif.upper()) <= max_mismatches:
            hits.append(i)
    return hits


def motif_hits(records: list[Record], motifs: list[str],
               max_mismatches: int = 0) -> dict[str, list[tuple[str, str, int]]]:
    """Hits of each motif on both strands of each record, as (motif, strand, start).

    Reverse-strand starts are given in forward coordinates (leftmost base of the hit).
    """
    result: dict[str, list[tuple[str, str, int]]] = {}
    for rec in records:
        hits = []
        for motif in motifs:
            for pos in find_motif(rec.sequence, motif, max_mismatches):
                hits.append((motif, "+", pos))
            rc = reverse_complement(rec.sequence)
            for pos in find_motif(rc, motif, max_mismatches):
                hits.append((motif, "-", len(rc) - pos - len(motif)))
        hits.sort(key=lambda h: (h[2], h[1], h[0]))
        result[rec.name] = hits
    return result


def jaccard(a: str, b: str, k: int) -> float:
    """Jaccard similarity of the k-mer sets of two sequences."""
    set_a = set(kmer_counts(a, k))
    set_b = set(kmer_counts(b, k))
    union = set_a | set_b
    if not union:
        return 0.0
    return len(set_a & set_b) / len(union)


def identity(a: str, b: str) -> float:
    """Fraction of equal positions over the shorter of two ungapped sequences."""
    length = min(len(a), len(b))
    if length == 0:
        return 0.0
    same = 0
    for i in range(length):
        if a[i].upper() == b[i].upper():
            same += 1
    return same / length


def similarity_matrix(records: list[Record], k: int = 5) -> dict[tuple[str, str], float]:
    """Jaccard k-mer similarity of every unordered pair, keyed by (earlier, later) name."""
    scores = {}
    for i, first in enumerate(records):
        for second in records[i + 1:]:
            scores[(first.name, second.name)] = round(
                jaccard(first.sequence, second.sequence, k), 4)
    return scores


def closest_pairs(records: list[Record], k: int = 5,
                  top: int = 5) -> list[tuple[str, str, float]]:
    scores = similarity_matrix(records, k)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [(a, b, score) for (a, b), score in ranked[:top]]


def best_matches(records: list[Record], queries: list[str],
                 k: int = 5) -> dict[str, tuple[str, float]]:
    """For each query name, the other record with the highest Jaccard similarity."""
    result = {}
    for name in queries:
        query = get_record(records, name)
        best_name, best_score = "", -1.0
        for rec in records:
            if rec.name == name:
                continue
            score = round(jaccard(query.sequence, rec.sequence, k), 4)
            if score > best_score:
                best_name, best_score = rec.name, score
        if best_name:
            result[name] = (best_name, best_score)
    return result
