import random
from collections import Counter

import pytest

from seqkit import (
    Record,
    best_matches,
    canonical_kmer_counts,
    closest_pairs,
    codon_table,
    find_motif,
    find_orfs,
    format_fasta,
    gc_islands,
    gc_windows,
    get_record,
    hamming,
    jaccard,
    kmer_counts,
    longest_orf,
    motif_hits,
    parse_fasta,
    reverse_complement,
    similarity_matrix,
    top_kmers,
    translate,
)

PAIRS = {"A": "T", "C": "G", "G": "C", "T": "A", "N": "N"}
STANDARD = {
    "TTT": "F", "TTC": "F", "TTA": "L", "TTG": "L", "CTT": "L", "CTC": "L", "CTA": "L",
    "CTG": "L", "ATT": "I", "ATC": "I", "ATA": "I", "ATG": "M", "GTT": "V", "GTC": "V",
    "GTA": "V", "GTG": "V", "TCT": "S", "TCC": "S", "TCA": "S", "TCG": "S", "CCT": "P",
    "CCC": "P", "CCA": "P", "CCG": "P", "ACT": "T", "ACC": "T", "ACA": "T", "ACG": "T",
    "GCT": "A", "GCC": "A", "GCA": "A", "GCG": "A", "TAT": "Y", "TAC": "Y", "TAA": "*",
    "TAG": "*", "CAT": "H", "CAC": "H", "CAA": "Q", "CAG": "Q", "AAT": "N", "AAC": "N",
    "AAA": "K", "AAG": "K", "GAT": "D", "GAC": "D", "GAA": "E", "GAG": "E", "TGT": "C",
    "TGC": "C", "TGA": "*", "TGG": "W", "CGT": "R", "CGC": "R", "CGA": "R", "CGG": "R",
    "AGT": "S", "AGC": "S", "AGA": "R", "AGG": "R", "GGT": "G", "GGC": "G", "GGA": "G",
    "GGG": "G",
}


def rand_seq(rng, n, alphabet="ACGT"):
    return "".join(rng.choice(alphabet) for _ in range(n))


def ref_rc(seq):
    return "".join(PAIRS[c] for c in seq.upper())[::-1]


def ref_kmers(seq, k):
    seq = seq.upper()
    out = Counter()
    for i in range(len(seq) - k + 1):
        kmer = seq[i:i + k]
        if set(kmer) <= set("ACGT"):
            out[kmer] += 1
    return out


def ref_motif(seq, motif, mm):
    seq, motif = seq.upper(), motif.upper()
    return [i for i in range(len(seq) - len(motif) + 1)
            if sum(a != b for a, b in zip(seq[i:i + len(motif)], motif)) <= mm]


def ref_orfs(seq, min_protein):
    seq = seq.upper()
    found = []
    for strand, s in (("+", seq), ("-", ref_rc(seq))):
        n = len(s)
        for frame in range(3):
            start = None
            for i in range(frame, n - 2, 3):
                codon = s[i:i + 3]
                if start is None and codon == "ATG":
                    start = i
                if start is not None and STANDARD.get(codon) == "*":
                    protein = "".join(STANDARD.get(s[j:j + 3], "X") for j in range(start, i, 3))
                    if len(protein) >= min_protein:
                        a, b = (start, i + 3) if strand == "+" else (n - i - 3, n - start)
                        found.append((a, b, strand, frame, protein))
                    start = None
    return sorted(found)


def test_empty_inputs():
    assert parse_fasta("") == []
    assert parse_fasta(b"\n\n") == []
    assert format_fasta([]) == ""
    assert gc_windows("", 3) == []
    assert gc_windows("ACG", 5) == []
    assert gc_islands("", 3, 0.5) == []
    assert kmer_counts("", 3) == Counter()
    assert kmer_counts("AC", 3) == Counter()
    assert top_kmers("", 2) == []
    assert find_motif("", "A") == []
    assert motif_hits([], ["A"]) == {}
    assert motif_hits([Record("x", "ACGT")], []) == {"x": []}
    assert translate("") == ""
    assert find_orfs("") == []
    assert similarity_matrix([]) == {}
    assert closest_pairs([Record("a", "ACGT")]) == []
    assert best_matches([Record("a", "ACGT")], ["a"]) == {}
    assert jaccard("", "", 3) == 0.0


def test_bad_input():
    with pytest.raises(ValueError):
        parse_fasta("ACGT\n>x\nAC\n")
    with pytest.raises(ValueError):
        parse_fasta(">x\nAC\n>y\nGG\n>x\nTT\n")
    with pytest.raises(ValueError):
        parse_fasta(">x\nACGU\n")
    with pytest.raises(ValueError):
        reverse_complement("ACX")
    with pytest.raises(ValueError):
        gc_windows("ACGT", 0)
    with pytest.raises(ValueError):
        gc_windows("ACGT", 2, 0)
    with pytest.raises(ValueError):
        kmer_counts("ACGT", 0)
    with pytest.raises(ValueError):
        find_motif("ACGT", "")
    with pytest.raises(ValueError):
        find_motif("ACGT", "A", -1)
    with pytest.raises(ValueError):
        hamming("AC", "A")
    with pytest.raises(ValueError):
        translate("ACGT", 3)
    with pytest.raises(ValueError):
        find_orfs("ATGTAA", -1)
    with pytest.raises(ValueError):
        format_fasta([Record("a", "AC")], 0)
    with pytest.raises(KeyError):
        get_record([Record("a", "AC")], "b")
    with pytest.raises(KeyError):
        best_matches([Record("a", "AC"), Record("b", "AC")], ["zz"])


def test_lowercase_and_n_handling():
    assert kmer_counts("acgNacg", 3) == Counter({"ACG": 2})
    assert find_motif("ttGAAttc", "gaattc") == [2]
    assert gc_windows("ggaa", 2, 1) == [(0, 1.0), (1, 0.5), (2, 0.0)]
    assert translate("atgNNNtaa") == "MX*"
    assert reverse_complement("nacg") == "CGTN"
    assert canonical_kmer_counts("AAAA", 2) == Counter({"AA": 3})
    assert canonical_kmer_counts("TTTAAA", 3) == Counter({"AAA": 2, "TAA": 2})


def test_tie_ordering():
    assert top_kmers("TTGGAACC", 2) == [
        ("AA", 1), ("AC", 1), ("CC", 1), ("GA", 1), ("GG", 1), ("TG", 1), ("TT", 1)]
    records = [Record("b", "ACGTAC"), Record("a", "ACGTAC"), Record("c", "ACGTAC")]
    assert closest_pairs(records, 3, 3) == [("a", "c", 1.0), ("b", "a", 1.0), ("b", "c", 1.0)]
    # the first of several equally good partners wins
    assert best_matches(records, ["c", "b"], 3) == {"c": ("b", 1.0), "b": ("a", 1.0)}


def test_motif_hits_ordering_and_coordinates():
    rec = Record("r", "CCTATAATCC")
    hits = motif_hits([rec], ["ATTATA", "TATAAT"])
    # ATTATA is the reverse complement of TATAAT: same span, '+' sorts before '-'
    assert hits["r"] == [("TATAAT", "+", 2), ("ATTATA", "-", 2)]
    hits = motif_hits([rec], ["CC"], 0)
    assert hits["r"] == [("CC", "+", 0), ("CC", "+", 8)]
    hits = motif_hits([rec], ["GG"], 0)
    assert hits["r"] == [("GG", "-", 0), ("GG", "-", 8)]


def test_nested_and_open_orfs():
    orfs = find_orfs("ATGATGAAATAA", 1, both_strands=False)
    assert [(o.start, o.end, o.protein) for o in orfs] == [(0, 12, "MMK")]
    assert find_orfs("ATGAAAAAA", 0, both_strands=False) == []
    short = find_orfs("ATGATGTAA", 3, both_strands=False)
    assert short == []
    rev = find_orfs(reverse_complement("CCATGAAATTTTAGCC"), 2)
    assert [(o.strand, o.start, o.end, o.protein) for o in rev] == [("-", 2, 14, "MKF")]
    assert rev[0].length == 12


def test_longest_orf():
    records = [Record("g", "ATGAAATAACCATGAAACCCGGGTTTTAG"), Record("none", "CCCC")]
    result = longest_orf(records, 1)
    assert result["none"] is None
    assert result["g"].protein == "MKPGF"


def test_gc_islands_merge():
    seq = "AAAA" + "GCGCGC" + "AAAA" + "GGGG"
    assert gc_islands(seq, 2, 1.0, 1) == [(4, 10), (14, 18)]
    assert gc_islands(seq, 4, 0.75, 2) == [(4, 10), (14, 18)]


def test_codon_table_copy_is_independent():
    table = codon_table()
    assert len(table) == 64 and table == STANDARD
    table["ATG"] = "Z"
    table.clear()
    assert translate("ATGTGG") == "MW"
    assert codon_table()["ATG"] == "M"


def test_results_not_stale_after_mutation():
    records = [Record("a", "ACGTACGTAA"), Record("b", "ACGTACGTAA"), Record("c", "TTTTTTTTTT")]
    before = similarity_matrix(records, 3)
    assert before[("a", "b")] == 1.0
    records[1].sequence = "GGGGGGGGGG"
    after = similarity_matrix(records, 3)
    assert after[("a", "b")] == 0.0
    assert best_matches(records, ["a"], 3) == {"a": ("b", 0.0)}
    records.append(Record("d", "ACGTACGTAA"))
    assert best_matches(records, ["a"], 3) == {"a": ("d", 1.0)}
    assert closest_pairs(records, 3, 1) == [("a", "d", 1.0)]
    hits = motif_hits(records, ["GGG"])
    records[1].sequence = "AAAAAAAA"
    assert motif_hits(records, ["GGG"]) != hits
    assert motif_hits(records, ["GGG"])["b"] == []


def test_returned_counters_are_fresh():
    first = kmer_counts("ACGTACGT", 2)
    first["AC"] = 100
    first["ZZ"] = 1
    assert kmer_counts("ACGTACGT", 2) == Counter({"AC": 2, "CG": 2, "GT": 2, "TA": 1})
    top = top_kmers("ACGTACGT", 2, 1)
    top.append(("XX", 9))
    assert top_kmers("ACGTACGT", 2, 1) == [("AC", 2)]


def test_random_reverse_complement_and_kmers():
    rng = random.Random(11)
    for _ in range(30):
        seq = rand_seq(rng, rng.randint(0, 200), "ACGTNacgt")
        assert reverse_complement(seq) == ref_rc(seq)
        k = rng.randint(1, 6)
        assert kmer_counts(seq, k) == ref_kmers(seq, k)
        expected = sorted(ref_kmers(seq, k).items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        assert top_kmers(seq, k, 5) == expected


def test_random_gc_windows():
    rng = random.Random(12)
    for _ in range(30):
        seq = rand_seq(rng, rng.randint(0, 150), "ACGTNgc")
        window, step = rng.randint(1, 20), rng.randint(1, 5)
        expected = []
        for start in range(0, len(seq) - window + 1, step):
            part = seq[start:start + window].upper()
            expected.append((start, (part.count("G") + part.count("C")) / window))
        assert gc_windows(seq, window, step) == expected


def test_random_motifs():
    rng = random.Random(13)
    for _ in range(25):
        seq = rand_seq(rng, rng.randint(0, 300), "ACGTNa")
        motif = rand_seq(rng, rng.randint(1, 8), "ACGTc")
        mm = rng.randint(0, 3)
        assert find_motif(seq, motif, mm) == ref_motif(seq, motif, mm)
    records = [Record(f"r{i}", rand_seq(rng, 120, "ACGT")) for i in range(5)]
    motifs = ["ACGT", "TTAG", "GGC"]
    result = motif_hits(records, motifs, 1)
    for rec in records:
        expected = []
        for motif in motifs:
            expected += [(motif, "+", p) for p in ref_motif(rec.sequence, motif, 1)]
            rc = ref_rc(rec.sequence)
            expected += [(motif, "-", len(rc) - p - len(motif)) for p in ref_motif(rc, motif, 1)]
        assert result[rec.name] == sorted(expected, key=lambda h: (h[2], h[1], h[0]))


def test_random_orfs_and_translation():
    rng = random.Random(14)
    for _ in range(25):
        seq = rand_seq(rng, rng.randint(0, 400), "ACGTTAGN")
        min_protein = rng.randint(0, 12)
        got = [(o.start, o.end, o.strand, o.frame, o.protein) for o in find_orfs(seq, min_protein)]
        assert sorted(got) == ref_orfs(seq, min_protein)
        assert [(o[0], o[1], o[2]) for o in got] == sorted((o[0], o[1], o[2]) for o in got)
        frame = rng.randint(0, 2)
        expected = "".join(STANDARD.get(seq[i:i + 3], "X") for i in range(frame, len(seq) - 2, 3))
        assert translate(seq, frame) == expected
        assert translate(seq, frame, to_stop=True) == expected.split("*")[0]


def test_random_similarity():
    rng = random.Random(15)
    records = [Record(f"s{i}", rand_seq(rng, rng.randint(0, 60), "ACGTN")) for i in range(9)]
    k = 3
    scores = similarity_matrix(records, k)
    assert len(scores) == 36
    for i, a in enumerate(records):
        for b in records[i + 1:]:
            sa, sb = set(ref_kmers(a.sequence, k)), set(ref_kmers(b.sequence, k))
            expected = round(len(sa & sb) / len(sa | sb), 4) if sa | sb else 0.0
            assert scores[(a.name, b.name)] == expected
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    assert closest_pairs(records, k, 4) == [(a, b, s) for (a, b), s in ranked]
    matches = best_matches(records, ["s0", "s4"], k)
    for name in ("s0", "s4"):
        others = [(scores.get((name, r.name), scores.get((r.name, name))), r.name)
                  for r in records if r.name != name]
        best = max(s for s, _ in others)
        assert matches[name] == (next(n for s, n in others if s == best), best)


def test_parse_roundtrip_random():
    rng = random.Random(16)
    records = [Record(f"id{i}", rand_seq(rng, rng.randint(0, 150), "ACGTN"),
                      f"note {i}" if i % 2 else "") for i in range(12)]
    text = format_fasta(records, rng.randint(5, 40))
    assert parse_fasta(text) == records
    lowered = parse_fasta(";comment\n" + text.lower().replace(">", "\n> "))
    assert [(r.name, r.sequence) for r in lowered] == [(r.name, r.sequence) for r in records]
