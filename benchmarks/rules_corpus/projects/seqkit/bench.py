"""Workload: a batch of synthetic contigs with planted genes and motifs, analysed many ways.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from seqkit import (
    best_matches,
    canonical_kmer_counts,
    closest_pairs,
    codon_usage,
    format_fasta,
    gc_islands,
    gc_windows,
    longest_orf,
    motif_hits,
    parse_fasta,
    similarity_matrix,
    top_kmers,
    translate,
)

N_CONTIGS = 24
MOTIFS = ["TATAAT", "GAATTC", "CCGCGG", "TTGACA"]
STOPS = {"TAA", "TAG", "TGA"}


def random_dna(rng: random.Random, length: int, gc: float) -> str:
    weights = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    return "".join(rng.choices("ACGT", weights=weights, k=length))


def random_gene(rng: random.Random, codons: int) -> str:
    body = []
    while len(body) < codons:
        codon = "".join(rng.choices("ACGT", k=3))
        if codon not in STOPS:
            body.append(codon)
    return "ATG" + "".join(body) + rng.choice(sorted(STOPS))


def make_contig(rng: random.Random, family: str) -> str:
    parts = []
    for _ in range(rng.randint(3, 5)):
        parts.append(random_dna(rng, rng.randint(80, 260), rng.uniform(0.3, 0.7)))
        gene = random_gene(rng, rng.randint(40, 120))
        if rng.random() < 0.4:
            gene = gene.translate(str.maketrans("ACGT", "TGCA"))[::-1]
        parts.append(gene)
        if rng.random() < 0.5:
            parts.append(rng.choice(MOTIFS))
    parts.append(family)
    seq = list("".join(parts))
    for _ in range(rng.randint(0, 3)):
        seq[rng.randrange(len(seq))] = "N"
    return "".join(seq)


def make_fasta(rng: random.Random) -> bytes:
    families = [random_dna(rng, 300, 0.5) for _ in range(4)]
    lines = []
    for i in range(N_CONTIGS):
        family = families[i % len(families)]
        mutated = "".join(ch if rng.random() > 0.08 else rng.choice("ACGT") for ch in family)
        seq = make_contig(rng, mutated)
        lines.append(f">contig{i:03d} family={i % len(families)} len={len(seq)}")
        for j in range(0, len(seq), 70):
            chunk = seq[j:j + 70]
            lines.append(chunk.lower() if rng.random() < 0.2 else chunk)
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    rng = random.Random(2024)
    records = parse_fasta(make_fasta(rng))
    total = sum(len(r) for r in records)
    print(f"{len(records)} contigs, {total} bp")

    islands = {}
    profiles = []
    for rec in records:
        windows = gc_windows(rec.sequence, 40, 4)
        profiles.append((rec.name, min(w[1] for w in windows), max(w[1] for w in windows)))
        islands[rec.name] = gc_islands(rec.sequence, 40, 0.65, 4)
    print(f"gc islands {sum(len(v) for v in islands.values())}")

    kmers = [top_kmers(rec.sequence, 4, 3) for rec in records[:8]]
    canon = canonical_kmer_counts(records[0].sequence, 6).most_common(3)
    print(f"top 4-mers {kmers[0]} canonical {canon}")

    hits = motif_hits(records[:16], MOTIFS, 1)
    print(f"motif hits {sum(len(v) for v in hits.values())}")

    genes = longest_orf(records, 40)
    proteins = {name: orf.protein for name, orf in genes.items() if orf is not None}
    lengths = sorted(len(p) for p in proteins.values())
    print(f"longest orfs {len(proteins)}, median {lengths[len(lengths) // 2]} aa")
    frames = [translate(rec.sequence, f)[:20] for rec in records[:3] for f in range(3)]
    usage = codon_usage(records[1].sequence).most_common(3)

    panel = records[:9]
    matrix = similarity_matrix(panel, 6)
    pairs = closest_pairs(panel, 6, 4)
    matches = best_matches(records, [r.name for r in records[::8]], 6)
    print(f"closest {pairs[:2]}")
    text = format_fasta(records[:2], 60)

    digest = hashlib.sha256(repr((
        profiles, islands, kmers, canon, hits, sorted(genes.items()), frames, usage,
        sorted(matrix.items()), pairs, matches, text,
    )).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
