import copy
import math
import random

import pytest

from glossary import (
    Definition,
    Index,
    build_glossary,
    collapse_pages,
    find_definitions,
    frequency_report,
    index_letter,
    is_subsumed,
    link_cross_references,
    normalize_phrase,
    normalize_term,
    orphans,
    page_references,
    pick_candidates,
    render_glossary,
    render_index,
    score_terms,
    slugify,
    sort_key,
    split_sentences,
    strip_suffix,
    tokenize,
)
from glossary.textutil import STOPWORDS, SUFFIX_RULES

# ---------------------------------------------------------------- reference implementations


def ref_strip_suffix(word):
    best = None
    for suffix, replacement in SUFFIX_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if best is None or len(suffix) > len(best[0]):
                best = (suffix, replacement)
    if best is None:
        return word
    return word[: len(word) - len(best[0])] + best[1]


def ref_windows(sentence, max_phrase):
    """(term, surface) for every window of a sentence, the way the index defines terms."""
    words = []
    for token in tokenize(sentence):
        norm = normalize_term(token)
        if token.lower() in STOPWORDS or len(norm) < 2:
            words.append(None)
        else:
            words.append((token, norm))
    out = []
    for i in range(len(words)):
        for size in range(1, max_phrase + 1):
            window = words[i : i + size]
            if len(window) < size or any(w is None for w in window):
                break
            out.append((" ".join(w[1] for w in window), " ".join(w[0] for w in window)))
    return out


def ref_index(documents, max_phrase=2):
    counts, postings, surfaces, doc_terms = {}, {}, {}, {}
    for name, pages in documents:
        doc_terms[name] = set()
        for page_no, text in enumerate(pages, start=1):
            for sentence in split_sentences(text):
                for term, surface in ref_windows(sentence, max_phrase):
                    counts[term] = counts.get(term, 0) + 1
                    refs = postings.setdefault(term, [])
                    if (name, page_no) not in refs:
                        refs.append((name, page_no))
                    surfaces.setdefault(term, []).append(surface)
                    doc_terms[name].add(term)
    return counts, postings, surfaces, doc_terms


def ref_display(forms):
    tally = {}
    for form in forms:
        tally[form] = tally.get(form, 0) + 1
    return min(tally, key=lambda f: (-tally[f], f))


def ref_scores(index, min_count, min_docs, max_doc_ratio):
    n = len(index.documents)
    out = {}
    for term, count in index.counts.items():
        df = len({d for d, _ in index.postings[term]})
        if count < min_count or df < min_docs or df > max_doc_ratio * n:
            continue
        bonus = 1.5 if " " in term else 1.0
        out[term] = round(count * (math.log((1 + n) / (1 + df)) + 1.0) * bonus, 6)
    return out


def ref_pick(index, limit, min_count, min_docs, max_doc_ratio):
    scores = ref_scores(index, min_count, min_docs, max_doc_ratio)
    picked = []
    for term in sorted(scores, key=lambda t: (-scores[t], t)):
        if len(picked) == limit:
            break
        if " " not in term:
            total = index.counts[term]
            covering = [
                p
                for p in scores
                if " " in p and term in p.split() and 5 * index.counts[p] >= 4 * total
            ]
            if covering:
                continue
        picked.append(term)
    return picked


def ref_definitions(documents, terms):
    out = {}
    for term in terms:
        padded = f" {term} "
        hit = None
        for name, pages in documents:
            for page_no, text in enumerate(pages, start=1):
                for sentence in split_sentences(text):
                    norms = " ".join(normalize_term(t) for t in tokenize(sentence))
                    if padded in f" {norms} ":
                        hit = Definition(term, sentence, name, page_no)
                        break
                if hit:
                    break
            if hit:
                break
        if hit:
            out[term] = hit
    return out


WORDS = [
    "cache", "caches", "caching", "cached", "bucket", "buckets", "queue", "queues", "query",
    "queries", "index", "indexes", "indexing", "class", "classes", "status", "bus", "process",
    "processes", "processing", "Kernel", "kernel's", "TCP", "tcp", "IPv6", "load-balancer",
    "load-balancers", "x", "of", "the", "a", "is", "and", "with", "to", "in", "replica",
    "replicas", "shard", "shards", "sharding", "thread", "threads", "it's", "organization",
]


def random_documents(rng, n_docs, n_pages, n_sentences):
    docs = []
    for d in range(n_docs):
        pages = []
        for _ in range(n_pages):
            sentences = []
            for _ in range(n_sentences):
                n = rng.randint(0, 9)
                sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)) + rng.choice(".?!"))
            pages.append(" ".join(sentences))
        docs.append((f"d{d}", pages))
    return docs


def build(documents, max_phrase=2):
    index = Index(max_phrase=max_phrase)
    for name, pages in documents:
        index.add_document(name, pages)
    return index


SMALL = [
    ("alpha", ["The hash table holds buckets. Buckets hold keys.", "A cache line is small."]),
    ("beta", ["Cache lines move buckets. The hash table's buckets grow!", ""]),
    ("gamma", ["Nothing else. A journal lists every cache line."]),
]

# ---------------------------------------------------------------------- text utilities


@pytest.mark.parametrize(
    "word, expected",
    [
        ("Caches", "cache"),
        ("processes", "process"),
        ("classes", "class"),
        ("status", "status"),
        ("bus", "bus"),
        ("queries", "query"),
        ("mailboxes", "mailbox"),
        ("boxes", "boxe"),
        ("IPv6", "ipv6"),
        ("HTTP2s", "http2s"),
        ("load-balancers", "load-balancer"),
        ("user's", "user"),
        ("--x--", "x"),
        ("", ""),
        ("'s", ""),
        ("  Indexing  ", "index"),
        ("it's", "it"),
        ("sings", "sing"),
        ("its", "its"),
    ],
)
def test_normalize_term_cases(word, expected):
    assert normalize_term(word) == expected


def test_strip_suffix_matches_reference_on_many_words():
    rng = random.Random(7)
    letters = "abcdeginorstuxyz"
    suffixes = [s for s, _ in SUFFIX_RULES] + ["", "e", "y"]
    for _ in range(3000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(0, 6)))
        word += rng.choice(suffixes)
        assert strip_suffix(word) == ref_strip_suffix(word), word


def test_strip_suffix_falls_back_to_shorter_rule():
    # "ings" would leave "s", too short, so the plain "s" rule applies.
    assert strip_suffix("sings") == "sing"
    assert strip_suffix("kings") == "king"
    assert strip_suffix("buildings") == "build"


def test_normalize_term_is_idempotent_for_plain_words():
    for word in ["bucket", "queue", "index", "class", "status", "kernel"]:
        assert normalize_term(normalize_term(word)) == normalize_term(word)


def test_tokenize_edge_cases():
    assert tokenize("") == []
    assert tokenize("3com abc123 x--y 'quoted'") == ["com", "abc123", "x", "y", "quoted"]
    assert tokenize("e-mail isn't") == ["e-mail", "isn't"]


def test_split_sentences_edge_cases():
    assert split_sentences("") == []
    assert split_sentences("No terminator") == ["No terminator"]
    assert split_sentences("A.B. C") == ["A.B.", "C"]
    assert split_sentences("  One.\n\nTwo?  ") == ["One.", "Two?"]


def test_normalize_phrase():
    assert normalize_phrase("The Hash-Tables' Buckets") == "the hash-table bucket"
    assert normalize_phrase("...") == ""


def test_collapse_pages_cases_and_no_mutation():
    pages = [9, 3, 1, 2, 3, 8, 10, 5]
    before = list(pages)
    assert collapse_pages(pages) == "1-3, 5, 8-10"
    assert pages == before
    assert collapse_pages([4]) == "4"
    assert collapse_pages((2, 1)) == "1-2"
    assert collapse_pages([1, 3, 5]) == "1, 3, 5"


def test_sort_key_letter_and_slug():
    assert index_letter("_private key") == "P"
    assert index_letter("3d model") == "#"
    assert index_letter("") == "#"
    assert sort_key("Cache") < sort_key("cache")
    assert sort_key("cache line") < sort_key("cached")
    assert slugify("Load-Balancer's  State") == "load-balancer-s-state"


# ------------------------------------------------------------------------------ index


def test_index_matches_reference_on_random_corpus():
    rng = random.Random(11)
    docs = random_documents(rng, 6, 5, 8)
    for max_phrase in (1, 2, 3):
        index = build(docs, max_phrase)
        counts, postings, surfaces, doc_terms = ref_index(docs, max_phrase)
        assert index.counts == counts
        assert index.postings == postings
        assert index.surfaces == surfaces
        assert index.doc_terms == doc_terms
        for term in counts:
            assert index.display_form(term) == ref_display(surfaces[term])
            assert index.document_frequency(term) == len({d for d, _ in postings[term]})


def test_index_pages_for_matches_reference():
    rng = random.Random(12)
    docs = random_documents(rng, 5, 6, 6)
    index = build(docs)
    for term, refs in index.postings.items():
        expected = {}
        for name, _ in docs:
            pages = sorted(p for d, p in refs if d == name)
            if pages:
                expected[name] = pages
        assert index.pages_for(term) == expected
        assert list(index.pages_for(term)) == [n for n, _ in docs if n in expected]


def test_index_repeated_page_reference_kept_once():
    index = build([("d", ["cache cache cache. cache!", "cache"])])
    assert index.postings["cache"] == [("d", 1), ("d", 2)]
    assert index.term_frequency("cache") == 5


def test_index_empty_and_unknown_queries():
    index = Index()
    assert len(index) == 0
    assert index.terms() == []
    assert index.by_frequency() == []
    assert index.term_frequency("x") == 0
    assert index.document_frequency("x") == 0
    assert index.pages_for("x") == {}
    with pytest.raises(KeyError):
        index.display_form("x")
    with pytest.raises(KeyError):
        index.rank("x")
    assert index.stats() == {
        "documents": 0,
        "pages": 0,
        "terms": 0,
        "words": 0,
        "phrases": 0,
        "occurrences": 0,
    }


def test_index_rejects_bad_arguments():
    with pytest.raises(ValueError):
        Index(max_phrase=0)
    index = Index()
    with pytest.raises(ValueError):
        index.add_document("", ["x"])
    with pytest.raises(ValueError):
        index.add_document("   ", ["x"])
    with pytest.raises(TypeError):
        index.add_document("a", "text")
    index.add_document("a", ["cache"])
    with pytest.raises(ValueError):
        index.add_document("a", ["other"])
    assert index.documents == ["a"]


def test_index_copies_pages_list():
    pages = ["cache line here.", "bucket"]
    before = list(pages)
    index = build([("doc", pages)])
    assert pages == before
    pages.append("journal")
    assert index.pages["doc"] == before
    assert "journal" not in index


def test_display_form_ties_and_counts():
    index = build([("d", ["API api. Api api API"])])
    assert index.display_form("api") == "API"
    index = build([("d", ["Cache caches caches Cache cache"])])
    # "Cache" twice, "caches" twice, "cache" once: the tie goes to the smallest string.
    assert index.display_form("cache") == "Cache"


def test_stopwords_and_short_tokens_break_phrases():
    index = build([("d", ["hash of table. x hash y table"])], max_phrase=3)
    assert "hash table" not in index
    assert "hash" in index and "table" in index
    assert index.term_frequency("hash") == 2
    index = build([("d", ["big hash table grows"])], max_phrase=3)
    assert "big hash table" in index
    assert "big hash table grow" not in index


def test_phrases_do_not_cross_sentences():
    index = build([("d", ["hash. table"])])
    assert "hash table" not in index


def test_sorted_views():
    rng = random.Random(13)
    index = build(random_documents(rng, 4, 3, 6))
    assert index.terms() == sorted(index.counts)
    assert index.phrases() == sorted(t for t in index.counts if " " in t)
    expected = sorted(index.counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert index.by_frequency() == expected
    for position, (term, _) in enumerate(expected[:30], start=1):
        assert index.rank(term) == position


def test_rank_updates_after_new_document():
    index = build([("a", ["cache cache bucket"])])
    assert index.rank("cache") == 1
    index.add_document("b", ["bucket bucket bucket"])
    assert index.rank("bucket") == 1
    # "bucket bucket" (2) ties with "cache" (2) and sorts first.
    assert index.rank("bucket bucket") == 2
    assert index.rank("cache") == 3
    assert index.terms() == sorted(index.counts)


def test_shared_terms_and_errors():
    index = build(SMALL)
    assert index.shared_terms("alpha", "beta") == sorted(
        index.doc_terms["alpha"] & index.doc_terms["beta"]
    )
    assert "hash table" in index.shared_terms("alpha", "beta")
    with pytest.raises(KeyError):
        index.shared_terms("alpha", "nope")


def test_stats_counts():
    index = build(SMALL)
    stats = index.stats()
    assert stats["documents"] == 3
    assert stats["pages"] == 5
    assert stats["terms"] == len(index.counts)
    assert stats["phrases"] == len([t for t in index.counts if " " in t])
    assert stats["occurrences"] == sum(c for t, c in index.counts.items() if " " not in t)


# ------------------------------------------------------------------------- candidates


def test_score_terms_matches_reference():
    rng = random.Random(21)
    index = build(random_documents(rng, 7, 4, 8))
    for args in [(1, 1, 1.0), (3, 2, 0.9), (5, 3, 0.5)]:
        assert score_terms(index, *args) == ref_scores(index, *args)


def test_score_terms_rejects_bad_ratio():
    index = build(SMALL)
    with pytest.raises(ValueError):
        score_terms(index, max_doc_ratio=0)
    with pytest.raises(ValueError):
        score_terms(index, max_doc_ratio=1.5)


def test_score_terms_empty_index():
    assert score_terms(Index()) == {}
    assert pick_candidates(Index()) == []


def test_pick_candidates_matches_reference():
    rng = random.Random(22)
    for trial in range(4):
        docs = random_documents(rng, 5 + trial, 4, 7)
        index = build(docs, max_phrase=2 + trial % 2)
        for limit in (0, 1, 7, 40, 500):
            expected = ref_pick(index, limit, 3, 2, 0.9)
            assert pick_candidates(index, limit=limit) == expected


def test_pick_candidates_negative_limit():
    with pytest.raises(ValueError):
        pick_candidates(build(SMALL), limit=-1)


def test_is_subsumed_rules():
    # "hash" only ever appears in "hash table": subsumed; "table" also appears alone.
    docs = [
        ("a", ["hash table. hash table. table", "hash table table"]),
        ("b", ["hash table. table. table"]),
    ]
    index = build(docs)
    scores = score_terms(index, min_count=1, min_docs=1, max_doc_ratio=1.0)
    assert is_subsumed(index, "hash", scores)
    assert not is_subsumed(index, "table", scores)
    assert not is_subsumed(index, "hash", {})
    assert not is_subsumed(index, "hash", {"hash table missing"})
    picked = pick_candidates(index, limit=10, min_count=1, min_docs=1, max_doc_ratio=1.0)
    assert "hash" not in picked
    assert picked[:2] == ["table", "hash table"]


def test_is_subsumed_accepts_a_set():
    index = build([("a", ["hash table hash table"]), ("b", ["hash table"])])
    assert is_subsumed(index, "hash", {"hash table", "hash"})
    assert not is_subsumed(index, "hash", {"hash"})


def test_frequency_report_matches_index():
    rng = random.Random(23)
    index = build(random_documents(rng, 4, 3, 5))
    terms = [t for t, _ in index.by_frequency()[:12]][::-1]
    rows = frequency_report(index, terms)
    assert [r[0] for r in rows] == terms
    for term, count, df, rank in rows:
        assert count == index.term_frequency(term)
        assert df == index.document_frequency(term)
        assert rank == index.rank(term)
    assert frequency_report(index, []) == []
    with pytest.raises(KeyError):
        frequency_report(index, ["not a term at all"])


# ------------------------------------------------------------------ definitions, links


def test_find_definitions_matches_reference():
    rng = random.Random(31)
    docs = random_documents(rng, 5, 4, 6)
    index = build(docs)
    terms = sorted(index.counts)[::3] + ["never seen", "cache never"]
    assert find_definitions(index, terms) == ref_definitions(docs, terms)


def test_find_definitions_document_order_and_empty():
    docs = [("later", ["nothing here."]), ("first", ["x. the journal!", "journal again"])]
    index = build(docs)
    defs = find_definitions(index, ["journal"])
    assert defs == {"journal": Definition("journal", "the journal!", "first", 1)}
    assert find_definitions(index, []) == {}
    assert find_definitions(Index(), ["journal"]) == {}


def test_find_definitions_keeps_term_order_and_does_not_mutate():
    index = build(SMALL)
    terms = ["journal", "cache line", "hash table"]
    before = list(terms)
    defs = find_definitions(index, terms)
    assert terms == before
    assert list(defs) == terms
    assert defs["cache line"] == Definition("cache line", "A cache line is small.", "alpha", 2)
    assert defs["hash table"].sentence == "The hash table holds buckets."


def test_find_definitions_matches_whole_words_only():
    index = build([("d", ["caches rule. the cache line"])])
    defs = find_definitions(index, ["cache line", "line"])
    assert defs["cache line"].sentence == "the cache line"
    defs = find_definitions(build([("d", ["cachet line. cache line"])]), ["cache line"])
    assert defs["cache line"].sentence == "cache line"


def ref_links(index, definitions):
    links = {t: set() for t in definitions}
    for term, definition in definitions.items():
        norms = " " + " ".join(normalize_term(t) for t in tokenize(definition.sentence)) + " "
        for other in definitions:
            if other == term:
                continue
            if f" {other} " in f" {term} " or f" {term} " in f" {other} ":
                continue
            if f" {other} " in norms:
                links[term].add(other)
                links[other].add(term)
    return {t: sorted(v, key=lambda x: sort_key(index.display_form(x))) for t, v in links.items()}


def test_link_cross_references_matches_reference():
    rng = random.Random(32)
    docs = random_documents(rng, 6, 4, 6)
    index = build(docs)
    terms = pick_candidates(index, limit=60, min_count=2, min_docs=1, max_doc_ratio=1.0)
    defs = find_definitions(index, terms)
    links = link_cross_references(index, defs)
    assert links == ref_links(index, defs)
    assert set(links) == set(defs)


def test_link_cross_references_overlap_and_empty():
    index = build(SMALL)
    defs = find_definitions(index, ["cache line", "cache", "line", "journal", "bucket"])
    links = link_cross_references(index, defs)
    assert "cache" not in links["cache line"]
    assert "line" not in links["cache line"]
    assert links["journal"] == sorted(
        links["journal"], key=lambda t: sort_key(index.display_form(t))
    )
    assert "journal" in links["cache line"] and "cache line" in links["journal"]
    assert link_cross_references(index, {}) == {}


def test_link_cross_references_does_not_mutate_definitions():
    index = build(SMALL)
    defs = find_definitions(index, ["cache line", "journal", "hash table", "bucket"])
    before = copy.deepcopy(defs)
    link_cross_references(index, defs)
    assert defs == before


def test_orphans():
    assert orphans({"b": [], "a": [], "c": ["a"]}) == ["a", "b"]
    assert orphans({}) == []


# --------------------------------------------------------------------------- rendering


def test_render_index_exact():
    index = build(SMALL)
    text = render_index(
        index, ["journal", "cache line", "bucket"], {"bucket": ["journal"]}, title="Ix", width=40
    )
    expected_lines = [
        "Ix",
        "==",
        "",
        "B",
        "buckets " + "." * (40 - 7 - len("alpha 1; beta 1") - 2) + " alpha 1; beta 1",
        "    see also: journal",
        "",
        "C",
        "cache line "
        + "." * (40 - 10 - len("alpha 2; beta 1; gamma 1") - 2)
        + " alpha 2; beta 1; gamma 1",
        "",
        "J",
        "journal " + "." * (40 - 7 - len("gamma 1") - 2) + " gamma 1",
    ]
    assert text == "\n".join(expected_lines) + "\n"


def test_render_index_empty_and_hash_group():
    index = build([("d", ["3d-model x2 tool. 3d-model x2 tool"])])
    assert render_index(index, []) == "Index\n=====\n"
    text = render_index(index, ["tool", "x2"], links=None)
    lines = text.splitlines()
    assert lines[2:4] == ["", "T"]
    assert lines[5:7] == ["", "X"]


def test_render_index_minimum_leader():
    index = build([("d", ["supercalifragilisticexpialidocious"])])
    term = "supercalifragilisticexpialidocious"
    line = render_index(index, [term], width=10).splitlines()[-1]
    assert line == f"{term} .. d 1"


def test_page_references_format():
    index = build([("a", ["cache", "x", "cache", "cache"]), ("b", ["cache"])])
    assert page_references(index, "cache") == "a 1, 3-4; b 1"
    assert page_references(index, "absent") == ""


def test_render_glossary_exact():
    index = build(SMALL)
    defs = find_definitions(index, ["journal", "cache line"])
    links = link_cross_references(index, defs)
    text = render_glossary(index, defs, links, title="G")
    expected = (
        "# G\n"
        "\n## cache line {#cache-line}\n\n"
        "> A cache line is small.\n\n"
        "*First used in alpha, page 2.* Used 3 times in 3 documents.\n"
        "\nSee also: [journal](#journal).\n"
        "\n## journal {#journal}\n\n"
        "> A journal lists every cache line.\n\n"
        "*First used in gamma, page 1.* Used 1 times in 1 documents.\n"
        "\nSee also: [cache line](#cache-line).\n"
    )
    assert text == expected
    assert render_glossary(index, {}) == "# Glossary\n"


# ------------------------------------------------------------------------- end to end


def test_build_glossary_does_not_mutate_input_and_accepts_generators():
    rng = random.Random(41)
    docs = random_documents(rng, 5, 3, 6)
    before = copy.deepcopy(docs)
    first = build_glossary(docs, limit=15, min_count=2, min_docs=2)
    assert docs == before
    second = build_glossary(((n, p) for n, p in docs), limit=15, min_count=2, min_docs=2)
    assert first.terms == second.terms
    assert first.index_text == second.index_text
    assert first.glossary_text == second.glossary_text


def test_build_glossary_larger_random_consistency():
    rng = random.Random(42)
    docs = random_documents(rng, 10, 6, 10)
    result = build_glossary(docs, limit=30, min_count=3, min_docs=2, max_phrase=3)
    index = build(docs, max_phrase=3)
    assert result.index.counts == index.counts
    assert result.terms == ref_pick(index, 30, 3, 2, 0.9)
    assert result.definitions == ref_definitions(docs, result.terms)
    assert result.links == ref_links(index, result.definitions)
    assert result.index_text == render_index(index, result.terms, result.links)
    for term in result.terms:
        assert page_references(index, term) in result.index_text


def test_build_glossary_empty():
    result = build_glossary([])
    assert result.terms == []
    assert result.definitions == {}
    assert result.links == {}
    assert result.index_text == "Index\n=====\n"
    assert result.glossary_text == "# Glossary\n"
