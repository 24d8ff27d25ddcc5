"""Codon translation and open reading frames."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .seqs import Record, reverse_complement

BASES = "TCAG"
AMINO_ACIDS = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
START = "ATG"


@dataclass(frozen=True)
class Orf:
    strand: str
    frame: int
    start: int
    end: int
    protein: str

    @property
    def length(self) -> int:
        return self.end - self.start


def codon_table() -> dict[str, str]:
    """The standard genetic code, codon -> one-letter amino acid ('*' for stop)."""
    table = {}
    i = 0
    for first in BASES:
        for second in BASES:
            for third in BASES:
                table[first + second + third] = AMINO_ACIDS[i]
                i += 1
    return table


def translate(seq: str, frame: int = 0, to_stop: bool = False) -> str:
    """Translate one reading frame; unknown codons become 'X'."""
    if frame not in (0, 1, 2):
        raise ValueError("frame must be 0, 1 or 2")
    table = codon_table()
    seq = seq.upper()
    protein = ""
    for i in range(frame, len(seq) - 2, 3):
        aa = table.get(seq[i:i + 3], "X")
        if to_stop and aa == "*":
            break
        protein += aa
    return protein


def find_orfs(seq: str, min_protein: int = 30, both_strands: bool = True) -> list[Orf]:
    """ORFs from an ATG to the first in-frame stop, longest per stop codon only.

    Coordinates are 0-based, half-open, on the forward strand and include the stop codon.
    ORFs that run off the end without a stop are not reported.
    """
    if min_protein < 0:
        raise ValueError("min_protein must not be negative")
    seq = seq.upper()
    strands = [("+", seq)]
    if both_strands:
        strands.append(("-", reverse_complement(seq)))
    orfs = []
    for strand, s in strands:
        for frame in range(3):
            seen_ends = []
            for i in range(frame, len(s) - 2, 3):
                if s[i:i + 3] != START:
                    continue
                protein = translate(s[i:], to_stop=True)
                end = i + 3 * len(protein) + 3
                if end > len(s):
                    continue
                if end in seen_ends:
                    continue
                seen_ends.append(end)
                if len(protein) < min_protein:
                    continue
                if strand == "+":
                    orfs.append(Orf(strand, frame, i, end, protein))
                else:
                    orfs.append(Orf(strand, frame, len(s) - end, len(s) - i, protein))
    orfs.sort(key=lambda o: (o.start, o.end, o.strand))
    return orfs


def longest_orf(records: list[Record], min_protein: int = 30) -> dict[str, Orf | None]:
    result = {}
    for rec in records:
        orfs = find_orfs(rec.sequence, min_protein)
        best = None
        for orf in orfs:
            if best is None or len(orf.protein) > len(best.protein):
                best = orf
        result[rec.name] = best
    return result


def codon_usage(seq: str, frame: int = 0) -> Counter:
    """Codons of one reading frame, skipping codons with N."""
    if frame not in (0, 1, 2):
        raise ValueError("frame must be 0, 1 or 2")
    seq = seq.upper()
    usage: Counter = Counter()
    for i in range(frame, len(seq) - 2, 3):
        codon = seq[i:i + 3]
        if "N" not in codon:
            usage[codon] += 1
    return usage


def amino_acid_counts(protein: str) -> list[tuple[str, int]]:
    counts = Counter(protein)
    counts.pop("*", None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
