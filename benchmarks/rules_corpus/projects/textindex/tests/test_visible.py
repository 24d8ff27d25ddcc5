import pytest

from textindex import (
    SearchIndex,
    best_window,
    fold,
    format_hits,
    highlight,
    index_report,
    make_snippet,
    stem,
    tokenize,
)

DOCS = [
    {"id": "a1", "title": "Baking bread at home", "tags": ["food", "Home"],
     "body": "Bread needs flour, water and time. The baker kneads the dough slowly."},
    {"id": "a2", "title": "Garden notes", "tags": ["home"],
     "body": "Tomatoes and beans grew quickly. Fresh bread tastes great with tomatoes."},
    {"id": "a3", "title": "Running in the rain", "tags": ["sport"],
     "body": "Runners like the rain. Running shoes dry slowly after a long run."},
    {"id": "a4", "title": "Sourdough starters", "tags": ["food"],
     "body": "A starter feeds on flour and water. Sourdough bread rises slowly overnight."},
]


@pytest.fixture
def index():
    idx = SearchIndex()
    idx.add_many(DOCS)
    return idx


def test_tokenize_drops_stop_words_and_stems():
    assert tokenize("The Runners were running quickly!") == ["runner", "runn", "quick"]
    assert tokenize("") == []


def test_stem_and_fold():
    assert stem("nationalization") == "nationalize"
    assert stem("ponies") == "pony"
    assert stem("bus") == "bus"
    assert stem("red") == "red"
    assert fold("Café CRÈME") == "cafe creme"


def test_search_ranks_title_matches_first(index):
    hits = index.search("bread")
    assert [h.doc_id for h in hits] == ["a1", "a2", "a4"]
    assert hits[0].title == "Baking bread at home"
    assert hits[0].score > hits[1].score > 0


def test_search_limit_and_unknown_terms(index):
    assert len(index.search("bread", limit=2)) == 2
    assert index.search("zeppelin") == []
    assert index.search("the and of") == []


def test_phrase_search(index):
    assert [h.doc_id for h in index.search("water, time", phrase=True)] == ["a1"]
    assert {h.doc_id for h in index.search("water time")} == {"a1", "a4"}
    assert [h.doc_id for h in index.search("flour water", phrase=True)] == ["a4", "a1"]


def test_tag_filter(index):
    assert [h.doc_id for h in index.search("bread", tags=["home"])] == ["a1", "a2"]
    assert [h.doc_id for h in index.search("bread", tags=["food", "HOME"])] == ["a1"]


def test_snippet_marks_matches(index):
    assert index.snippet("a3", "rain", width=4) == "Runners like the [rain] ..."
    assert make_snippet("one two three", ["two"]) == "one [two] three"


def test_highlight_and_window():
    assert highlight("Fresh breads, stale bread.", "bread") == "Fresh [breads], stale [bread]."
    assert best_window([False, True, False, True, True], 2) == 3


def test_more_like_this(index):
    similar = index.more_like_this("a4", limit=2)
    assert [h.doc_id for h in similar] == ["a1", "a2"]
    assert all(h.doc_id != "a4" for h in index.more_like_this("a4"))


def test_remove_and_update(index):
    index.remove("a4")
    assert "a4" not in index and len(index) == 3
    assert [h.doc_id for h in index.search("sourdough")] == []
    index.update({"id": "a3", "title": "Sourdough again", "body": "More bread.", "tags": []})
    assert [h.doc_id for h in index.search("sourdough")] == ["a3"]
    assert index.get("a3")["title"] == "Sourdough again"


def test_duplicate_and_bad_documents(index):
    with pytest.raises(ValueError):
        index.add(dict(DOCS[0]))
    with pytest.raises(ValueError):
        index.add({"id": "x", "title": "no body"})
    with pytest.raises(KeyError):
        index.get("missing")


def test_report(index):
    report = index_report(index, top=2)
    assert report.splitlines()[0] == "documents: 4"
    assert "bread (3)" in report
    assert "tags: food=2, home=2, sport=1" in report
    lines = format_hits(index.search("bread", limit=1))
    assert lines[0].startswith(" 1. a1")
