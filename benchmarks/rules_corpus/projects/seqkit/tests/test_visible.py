from collections import Counter

from seqkit import (
    Record,
    closest_pairs,
    find_motif,
    find_orfs,
    format_fasta,
    gc_content,
    gc_windows,
    jaccard,
    kmer_counts,
    motif_hits,
    parse_fasta,
    reverse_complement,
    similarity_matrix,
    top_kmers,
    translate,
)

FASTA = """>seq1 first one
ACGTACGT
acgt
>seq2
GGGCCCAT
"""


def test_parse_and_format():
    records = parse_fasta(FASTA)
    assert [r.name for r in records] == ["seq1", "seq2"]
    assert records[0].sequence == "ACGTACGTACGT"
    assert records[0].description == "first one"
    assert parse_fasta(FASTA.encode()) == records
    assert format_fasta(records, 5) == ">seq1 first one\nACGTA\nCGTAC\nGT\n>seq2\nGGGCC\nCAT\n"


def test_reverse_complement():
    assert reverse_complement("AACGTN") == "NACGTT"
    assert reverse_complement("acg") == "CGT"
    assert reverse_complement("") == ""


def test_gc_content_and_windows():
    assert gc_content("GGCCAATT") == 0.5
    assert gc_content("") == 0.0
    assert gc_windows("GGAATT", 2, 2) == [(0, 1.0), (2, 0.0), (4, 0.0)]
    assert gc_windows("GCA", 2) == [(0, 1.0), (1, 0.5)]


def test_kmer_counts():
    assert kmer_counts("AAAA", 2) == Counter({"AA": 3})
    assert kmer_counts("ACNAC", 2) == Counter({"AC": 2})


def test_top_kmers_ties():
    assert top_kmers("ACGTAC", 2, 2) == [("AC", 2), ("CG", 1)]


def test_find_motif():
    assert find_motif("ACGTACGA", "ACG") == [0, 4]
    assert find_motif("ACGTACGA", "ACG", 1) == [0, 4]
    assert find_motif("TTTT", "ACG", 1) == []


def test_motif_hits_both_strands():
    hits = motif_hits([Record("r", "AAGAATTCAA")], ["GAATTC"])
    assert hits == {"r": [("GAATTC", "+", 2), ("GAATTC", "-", 2)]}


def test_translate():
    assert translate("ATGGCCTAA") == "MA*"
    assert translate("ATGGCCTAA", to_stop=True) == "MA"
    assert translate("AATGGCA", 1) == "MA"


def test_find_orfs():
    seq = "CCATGAAATTTTAGCC"
    orfs = find_orfs(seq, min_protein=2, both_strands=False)
    assert len(orfs) == 1
    assert (orfs[0].start, orfs[0].end, orfs[0].protein) == (2, 14, "MKF")


def test_similarity():
    assert jaccard("AAAA", "AAAA", 2) == 1.0
    records = [Record("a", "ACGTACGT"), Record("b", "ACGTTTTT"), Record("c", "GGGGGGGG")]
    scores = similarity_matrix(records, 3)
    assert set(scores) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert scores[("a", "c")] == 0.0
    assert closest_pairs(records, 3, 1)[0][:2] == ("a", "b")
