import copy
import random

import pytest

from wordreport import near_duplicates, parse_documents, stem, tokens, top_words, word_counts
from wordreport.documents import Document
from wordreport.stats import document_frequency, keyword_in_context, tag_summary
from wordreport.text import STOPWORDS, normalize


def doc(ident: str, text: str) -> Document:
    return Document(ident, "", text)


def test_top_words_ties_alphabetical_and_k_edges() -> None:
    docs = [doc("a", "zeta alpha mango zeta alpha mango kiwi")]
    assert top_words(docs, 2) == [("alpha", 2), ("mango", 2)]
    assert top_words(docs, 10) == [("alpha", 2), ("mango", 2), ("zeta", 2), ("kiwi", 1)]
    assert top_words(docs, 0) == []
    assert top_words([], 3) == []


def test_stopwords_and_keep_flag() -> None:
    assert list(tokens("The cat and THE dog")) == ["cat", "dog"]
    assert list(tokens("The cat", keep_stopwords=True)) == ["the", "cat"]
    assert "the" in STOPWORDS


def test_normalize_edge_cases() -> None:
    assert normalize("") == ""
    assert normalize("---") == ""
    assert normalize("Naïve-Résumé") == "naiveresume"
    assert normalize("don't") == "don't"
    assert normalize("ÅNGSTRÖM42") == "angstrom42"
    assert normalize("''") == ""


def test_stem_short_words_and_order() -> None:
    assert stem("bus") == "bus"
    assert stem("ties") == "tie"
    assert stem("lies") == "lie"
    assert stem("its") == "its"
    assert stem("cities") == "city"
    assert stem("nationalization") == "national"
    assert stem("walked") == "walk"


def test_kwic_edges_and_case() -> None:
    docs = [doc("x", "Printing printing PRINTED"), doc("y", "nothing here")]
    lines = keyword_in_context(docs, "Print", width=1)
    assert lines == [
        "x: ...  [Printing] printing ...",
        "x: ... Printing [printing] PRINTED ...",
        "x: ... printing [PRINTED]  ...",
    ]
    assert keyword_in_context(docs, "zzz") == []


def test_near_duplicates_threshold_and_empty_docs() -> None:
    docs = [doc("a", "red green blue"), doc("b", "red green"), doc("c", ""), doc("d", "the")]
    assert near_duplicates(docs, threshold=0.66) == [("a", "b", 0.667), ("c", "d", 1.0)]
    assert near_duplicates(docs, threshold=0.7) == [("c", "d", 1.0)]
    assert near_duplicates([], 0.1) == []


def test_documents_not_mutated() -> None:
    rng = random.Random(8)
    words = ["alpha", "beta", "gamma", "delta", "the", "running", "cities"]
    docs = [doc(f"d{i}", " ".join(rng.choice(words) for _ in range(12))) for i in range(12)]
    before = copy.deepcopy(docs)
    word_counts(docs)
    near_duplicates(docs, 0.3)
    keyword_in_context(docs, "city")
    assert docs == before


def test_parse_errors_and_headers() -> None:
    with pytest.raises(ValueError):
        parse_documents("title: no id\n\nbody")
    with pytest.raises(ValueError):
        parse_documents("ID: A1\nTitle: x\n---\n\n---\nid: B\n\nline1\nline2")
    docs = parse_documents("ID: A1\nTitle: x\n---\n---\nid: B\n\nline1\nline2")
    assert [(d.ident, d.title, d.body) for d in docs] == [
        ("A1", "x", ""),
        ("B", "", "line1\nline2"),
    ]
    assert tag_summary(docs) == []


def test_counts_agree_on_random_corpus() -> None:
    rng = random.Random(31)
    vocab = ["Printer", "printers", "VPN", "vpn's", "Café", "cafe", "update", "updating",
             "the", "A", "server-room", "log/in"]
    docs = [doc(f"t{i}", " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 30))))
            for i in range(40)]
    counts = word_counts(docs)
    assert sum(counts.values()) == sum(len(list(tokens(d.text))) for d in docs)
    freq = document_frequency(docs)
    assert all(freq[w] <= counts[w] for w in freq)
    ranked = top_words(docs, 5)
    assert ranked == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    pairs = near_duplicates(docs, 0.5)
    position = {d.ident: i for i, d in enumerate(docs)}
    assert all(position[a] < position[b] for a, b, _ in pairs)
    assert pairs == sorted(pairs, key=lambda p: (position[p[0]], position[p[1]]))
