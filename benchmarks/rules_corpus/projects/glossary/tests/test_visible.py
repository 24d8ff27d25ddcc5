import pytest

from glossary import (
    Index,
    build_glossary,
    collapse_pages,
    find_definitions,
    frequency_report,
    link_cross_references,
    normalize_term,
    pick_candidates,
    render_index,
    split_sentences,
    strip_suffix,
    tokenize,
)

DOCS = [
    (
        "intro",
        [
            "A hash table stores keys in buckets. Each bucket holds a short list.",
            "The hash table grows when the load factor is high. Hashing is cheap.",
        ],
    ),
    (
        "caching",
        [
            "A cache line is the unit of transfer. Caches keep hot buckets close.",
            "Eviction removes a cache line from the cache. The hash table is not a cache.",
            "Load factor matters for the cache too.",
        ],
    ),
    (
        "storage",
        [
            "Buckets of a hash table live in memory. The journal records every write.",
            "A journal entry lists buckets and keys. The cache line size is 64 bytes.",
        ],
    ),
]


def make_index(max_phrase=2):
    index = Index(max_phrase=max_phrase)
    for name, pages in DOCS:
        index.add_document(name, pages)
    return index


def test_tokenize_keeps_hyphens_and_apostrophes():
    assert tokenize("The load-balancer's state, isn't it?") == [
        "The",
        "load-balancer's",
        "state",
        "isn't",
        "it",
    ]


def test_normalize_term_plural_and_case():
    assert normalize_term("Buckets") == "bucket"
    assert normalize_term("queries") == "query"
    assert normalize_term("classes") == "class"


def test_normalize_term_possessive_and_digits():
    assert normalize_term("table's") == "table"
    assert normalize_term("IPv6") == "ipv6"


def test_strip_suffix_keeps_short_stems():
    assert strip_suffix("bus") == "bus"
    assert strip_suffix("status") == "status"
    assert strip_suffix("indexing") == "index"


def test_split_sentences():
    assert split_sentences("One. Two? Three!  Four") == ["One.", "Two?", "Three!", "Four"]
    assert split_sentences("   ") == []


def test_collapse_pages():
    assert collapse_pages([7, 1, 2, 3, 5, 2]) == "1-3, 5, 7"
    assert collapse_pages([]) == ""


def test_index_counts_words_and_phrases():
    index = make_index()
    assert index.term_frequency("hash table") == 4
    assert index.term_frequency("bucket") == 5
    assert index.document_frequency("hash table") == 3
    assert "hash table" in index
    assert index.term_frequency("the") == 0


def test_index_pages_for_in_document_order():
    index = make_index()
    assert index.pages_for("cache line") == {"caching": [1, 2], "storage": [2]}
    assert index.pages_for("nothing here") == {}


def test_display_form_most_common():
    index = make_index()
    assert index.display_form("bucket") == "buckets"
    assert index.display_form("hash table") == "hash table"


def test_duplicate_document_rejected():
    index = make_index()
    with pytest.raises(ValueError):
        index.add_document("intro", ["again"])


def test_pages_must_be_a_list():
    with pytest.raises(TypeError):
        Index().add_document("x", "a single string")


def test_by_frequency_and_rank():
    index = make_index()
    ordered = index.by_frequency()
    counts = [count for _, count in ordered]
    assert counts == sorted(counts, reverse=True)
    assert index.rank(ordered[0][0]) == 1


def test_pick_candidates_prefers_spread_terms():
    index = make_index()
    picked = pick_candidates(index, limit=5, min_count=2, min_docs=2, max_doc_ratio=1.0)
    assert len(picked) == 5
    assert "hash table" in picked


def test_pick_candidates_limit_zero():
    assert pick_candidates(make_index(), limit=0) == []


def test_find_definitions_first_mention():
    index = make_index()
    defs = find_definitions(index, ["cache line", "journal", "missing term"])
    assert defs["cache line"].document == "caching"
    assert defs["cache line"].page == 1
    assert defs["cache line"].sentence == "A cache line is the unit of transfer."
    assert defs["journal"].document == "storage"
    assert "missing term" not in defs


def test_cross_references_are_symmetric():
    index = make_index()
    defs = find_definitions(index, ["cache", "cache line", "bucket", "hash table", "key"])
    links = link_cross_references(index, defs)
    for term, linked in links.items():
        for other in linked:
            assert term in links[other]
    assert "cache line" not in links["cache"]


def test_render_index_layout():
    index = make_index()
    text = render_index(index, ["journal", "hash table", "bucket"], {"journal": ["bucket"]})
    lines = text.splitlines()
    assert lines[0] == "Index"
    assert lines[1] == "====="
    assert "B" in lines and "H" in lines and "J" in lines
    assert lines.index("B") < lines.index("H") < lines.index("J")
    assert any(line.startswith("journal ") and line.endswith("storage 1-2") for line in lines)
    assert "    see also: buckets" in lines


def test_frequency_report_rows():
    index = make_index()
    rows = frequency_report(index, ["hash table"])
    assert rows[0][:3] == ("hash table", 4, 3)


def test_build_glossary_end_to_end():
    result = build_glossary(DOCS, limit=6, min_count=2, min_docs=2)
    assert len(result.terms) <= 6
    assert set(result.definitions) == set(result.terms)
    assert result.index_text.startswith("Index\n")
    assert result.glossary_text.startswith("# Glossary\n")
    for term in result.terms:
        assert f"## {result.index.display_form(term)} " in result.glossary_text
