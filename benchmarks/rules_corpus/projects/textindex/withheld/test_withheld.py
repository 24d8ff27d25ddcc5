import copy
import functools
import math
import random

import pytest

from textindex import (
    SearchIndex,
    analyze_word,
    best_window,
    index_report,
    make_snippet,
    stem,
    tokenize,
)

WORDS = ["alpha", "alphas", "beta", "betting", "gamma", "delta", "deltas", "echo", "echoed",
         "foxtrot", "golf", "hotel", "hotels", "india", "juliet", "kilo", "lima", "mike",
         "the", "and", "of", "café", "Cafe", "naïve", "über"]


def random_docs(rng, n, prefix="d"):
    docs = []
    for i in range(n):
        docs.append({
            "id": f"{prefix}{rng.randrange(10**6):06d}-{i}",
            "title": " ".join(rng.choices(WORDS, k=rng.randint(0, 4))),
            "body": " ".join(rng.choices(WORDS, k=rng.randint(0, 25))),
            "tags": rng.sample(["x", "y", "z"], rng.randint(0, 2)),
        })
    return docs


@functools.cache
def cached_tokens(text):
    return tuple(tokenize(text))


def brute_scores(docs, terms, exclude=None, boost=2.0, k1=1.2, b=0.75):
    analysed = {d["id"]: (cached_tokens(d["title"]), cached_tokens(d["body"])) for d in docs}
    n = len(docs)
    average = sum(len(t) + len(body) for t, body in analysed.values()) / n
    scores = {}
    for term in terms:
        df = sum(1 for t, body in analysed.values() if term in t or term in body)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        for doc in docs:
            if doc["id"] == exclude:
                continue
            t, body = analysed[doc["id"]]
            tf = boost * t.count(term) + body.count(term)
            if tf:
                norm = 1.0 - b + b * (len(t) + len(body)) / average
                scores[doc["id"]] = scores.get(doc["id"], 0.0) + idf * tf * (k1 + 1.0) / (
                    tf + k1 * norm)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def brute_search(docs, query, limit=10, tags=None):
    terms = list(dict.fromkeys(tokenize(query)))
    wanted = {t.lower() for t in tags or []}
    by_id = {d["id"]: d for d in docs}
    out = [(i, s) for i, s in brute_scores(docs, terms)
           if wanted <= {t.lower() for t in by_id[i]["tags"]}]
    return out[:limit]


def check(index, docs, query, limit=10, tags=None):
    got = [(h.doc_id, h.score) for h in index.search(query, limit=limit, tags=tags)]
    want = brute_search(docs, query, limit, tags)
    assert [i for i, _ in got] == [i for i, _ in want]
    assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-12)


def test_empty_index_and_empty_queries():
    index = SearchIndex()
    assert index.search("alpha") == []
    assert len(index) == 0 and "x" not in index
    assert index.average_length() == 0.0
    index.add({"id": "only", "title": "", "body": "", "tags": []})
    assert index.search("") == [] and index.search("the of and") == []
    assert index.snippet("only", "alpha") == ""
    assert index.more_like_this("only") == []
    assert make_snippet("", ["a"]) == "" and best_window([], 3) == 0


def test_bad_input_raises():
    index = SearchIndex()
    index.add({"id": "a", "title": "alpha", "body": "beta"})
    with pytest.raises(TypeError):
        tokenize(None)
    with pytest.raises(TypeError):
        index.add(["not", "a", "dict"])
    with pytest.raises(ValueError):
        index.add({"id": "", "title": "t", "body": "b"})
    with pytest.raises(TypeError):
        index.add({"id": "b", "title": "t", "body": "b", "tags": "xyz"})
    with pytest.raises(ValueError):
        index.add({"id": "a", "title": "other", "body": "text"})
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError):
            index.search("alpha", limit=bad)
    with pytest.raises(KeyError):
        index.remove("zzz")
    with pytest.raises(KeyError):
        index.update({"id": "zzz", "title": "t", "body": "b"})
    with pytest.raises(KeyError):
        index.more_like_this("zzz")
    with pytest.raises(KeyError):
        index.snippet("zzz", "alpha")
    with pytest.raises(ValueError):
        best_window([True], 0)
    with pytest.raises(ValueError):
        SearchIndex(title_boost=0)
    assert len(index) == 1 and [h.doc_id for h in index.search("beta")] == ["a"]


def test_inputs_not_mutated_and_copies_returned():
    docs = random_docs(random.Random(3), 30)
    frozen = copy.deepcopy(docs)
    index = SearchIndex()
    index.add_many(docs)
    index.search("alpha beta", tags=["x"])
    assert docs == frozen
    docs[0]["title"] = "zulu"
    docs[0]["tags"].append("late")
    assert index.search("zulu") == []
    got = index.get(docs[0]["id"])
    got["tags"].append("mine")
    assert index.get(docs[0]["id"])["tags"] == [t.lower() for t in frozen[0]["tags"]]
    flags = [True, False, True]
    best_window(flags, 2)
    assert flags == [True, False, True]


def test_unicode_folding_and_apostrophes():
    assert tokenize("Café CAFE cafe\u0301") == ["cafe", "cafe", "cafe"]
    assert tokenize("Straße") == ["strasse"]
    assert tokenize("Anna\u2019s dog's") == ["anna", "dog"]
    assert analyze_word("The") is None
    assert tokenize("snake_case 42 x1") == ["snake", "case", "42", "x1"]
    index = SearchIndex()
    index.add({"id": "u", "title": "Über naïve", "body": "CAFÉ crème", "tags": ["Ünï"]})
    assert [h.doc_id for h in index.search("uber cafe")] == ["u"]
    assert [h.doc_id for h in index.search("cafe", tags=["ÜNÏ"])] == ["u"]


def brute_stem(word):
    rules = [("ational", "ate", 3), ("ization", "ize", 3), ("fulness", "ful", 3),
             ("ousness", "ous", 3), ("iveness", "ive", 3), ("ations", "ate", 3),
             ("ation", "ate", 3), ("ies", "y", 2), ("ings", "", 3), ("ing", "", 3),
             ("edly", "", 3), ("ed", "", 3), ("ly", "", 3), ("ments", "", 3), ("ment", "", 3)]
    groups = [rules[:5], rules[5:7], rules[7:8], rules[8:10], rules[10:11], rules[11:12],
              rules[12:13], rules[13:15]]
    for group in groups:
        for suffix, repl, keep in group:
            if word.endswith(suffix) and len(word) - len(suffix) >= keep:
                return word[:-len(suffix)] + repl
    if word.endswith("s") and len(word) >= 5 and word[-2] not in "su":
        return word[:-1]
    return word


def test_stem_against_rules_on_random_words():
    rng = random.Random(5)
    suffixes = ["", "s", "ss", "us", "ing", "ings", "ed", "edly", "ly", "ies", "ation",
                "ations", "ational", "ization", "ment", "ments", "fulness", "ness"]
    for _ in range(3000):
        root = "".join(rng.choices("abcdefgilmnorstuy", k=rng.randint(1, 6)))
        word = root + rng.choice(suffixes)
        assert stem(word) == brute_stem(word), word
        assert stem(word) == stem(word)


def test_search_matches_brute_force_with_ties_and_duplicates():
    rng = random.Random(11)
    docs = random_docs(rng, 120)
    docs += [dict(docs[0], id="dup-b"), dict(docs[0], id="dup-a")]
    index = SearchIndex()
    index.add_many(docs)
    ids = [h.doc_id for h in index.search(docs[0]["title"] + " " + docs[0]["body"], limit=200)]
    if ids:
        assert ids.index("dup-a") < ids.index("dup-b")
    for _ in range(60):
        query = " ".join(rng.choices(WORDS, k=rng.randint(1, 4)))
        check(index, docs, query, limit=rng.randint(1, 15))
        check(index, docs, query, tags=rng.sample(["x", "y", "z"], rng.randint(1, 2)))


def test_scores_follow_removals_updates_and_additions():
    rng = random.Random(23)
    docs = random_docs(rng, 80)
    index = SearchIndex()
    index.add_many(docs)
    live = list(docs)
    for step in range(40):
        action = step % 4
        if action == 0:
            victim = live.pop(rng.randrange(len(live)))
            assert index.remove(victim["id"])["id"] == victim["id"]
            assert victim["id"] not in index
        elif action == 1:
            pos = rng.randrange(len(live))
            new = dict(random_docs(rng, 1)[0], id=live[pos]["id"])
            index.update(new)
            live[pos] = new
        elif action == 2:
            new = random_docs(rng, 1, prefix=f"n{step}-")[0]
            index.add(new)
            live.append(new)
        query = " ".join(rng.choices(WORDS, k=2))
        check(index, live, query)
        assert len(index) == len(live)
    assert sorted(index.ids()) == sorted(d["id"] for d in live)
    avg = sum(len(tokenize(d["title"])) + len(tokenize(d["body"])) for d in live) / len(live)
    assert index.average_length() == pytest.approx(avg)
    assert index_report(index).splitlines()[0] == f"documents: {len(live)}"


def test_more_like_this_matches_brute_force():
    rng = random.Random(31)
    docs = random_docs(rng, 70)
    index = SearchIndex()
    index.add_many(docs)
    for doc in docs[:25]:
        weights = {}
        for term in tokenize(doc["title"]):
            weights[term] = weights.get(term, 0.0) + 2.0
        for term in tokenize(doc["body"]):
            weights[term] = weights.get(term, 0.0) + 1.0
        telling = sorted(weights, key=lambda t: (-weights[t] * index.idf(t), t))[:4]
        want = brute_scores(docs, telling, exclude=doc["id"])[:3]
        got = index.more_like_this(doc["id"], limit=3, max_terms=4)
        assert [h.doc_id for h in got] == [i for i, _ in want]
        assert [h.score for h in got] == pytest.approx([s for _, s in want], rel=1e-12)


def brute_window(flags, width):
    starts = range(max(1, len(flags) - width + 1))
    counts = [sum(1 for f in flags[s:s + width] if f) for s in starts]
    return counts.index(max(counts))


def test_best_window_and_snippets_against_brute_force():
    rng = random.Random(41)
    for _ in range(400):
        flags = [rng.random() < 0.3 for _ in range(rng.randint(0, 30))]
        width = rng.randint(1, 12)
        assert best_window(flags, width) == brute_window(flags, width)
    assert best_window([1, 0, 2, 0, "x"], 2) == 0
    text = "alpha beta gamma alpha, delta echo alpha gamma"
    assert make_snippet(text, tokenize("alpha gamma"), width=3) == "[alpha] beta [gamma] ..."
    assert make_snippet(text, tokenize("echo"), width=2, marker=("<", ">")) == (
        "... delta <echo> ...")
    assert make_snippet(text, tokenize("zulu"), width=100) == text


def test_phrase_search_with_repeats_and_tags():
    index = SearchIndex()
    index.add_many([
        {"id": "p1", "title": "t", "body": "alpha alpha beta", "tags": ["x"]},
        {"id": "p2", "title": "t", "body": "alpha beta alpha", "tags": ["y"]},
        {"id": "p3", "title": "t", "body": "beta alpha of the alpha", "tags": ["x"]},
    ])
    assert sorted(h.doc_id for h in index.search("alpha alpha", phrase=True)) == ["p1", "p3"]
    assert [h.doc_id for h in index.search("alpha alpha", phrase=True, tags="x")] == ["p1", "p3"]
    assert [h.doc_id for h in index.search("beta alpha", phrase=True, tags=["y"])] == ["p2"]
    assert [h.doc_id for h in index.search("alpha", phrase=True, limit=1)] == ["p1"]
