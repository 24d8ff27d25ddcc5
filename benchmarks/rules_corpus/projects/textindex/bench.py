"""Workload: index 380 short articles, then run searches, phrases, tag filters, snippets,
more-like-this, removals and updates.

Deterministic (fixed seeds); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from textindex import SearchIndex, format_hits, index_report

SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "var", "qui", "del", "sor", "tan", "bel", "gru",
             "pon", "ze", "fi", "mar", "tol", "ish", "ver", "cal"]
ENDINGS = ["", "", "", "s", "ing", "ed", "ly", "ation", "ment", "ness", "ies", "er"]
STOPS = ["the", "a", "of", "and", "to", "in", "is", "that", "with", "for", "on", "as", "was"]
ACCENTED = ["café", "naïve", "résumé", "façade", "Ångström", "crème", "über", "São"]
TAGS = ["news", "sport", "tech", "science", "travel", "food", "music", "health", "money",
        "politics", "culture", "weather"]


def make_vocabulary(rng: random.Random, roots: int) -> list[str]:
    words = set()
    while len(words) < roots:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
    vocabulary = []
    for root in sorted(words):
        vocabulary.append(root + rng.choice(ENDINGS))
        vocabulary.append(root + rng.choice(ENDINGS))
    return vocabulary + ACCENTED


def make_text(rng: random.Random, vocabulary: list[str], weights: list[float], n: int) -> str:
    words = []
    for word in rng.choices(vocabulary, weights, k=n):
        if rng.random() < 0.3:
            words.append(rng.choice(STOPS))
        words.append(word.capitalize() if rng.random() < 0.08 else word)
    sentences = []
    for i in range(0, len(words), 11):
        chunk = words[i:i + 11]
        sentences.append(" ".join(chunk).capitalize() + rng.choice([".", ".", ",", "!", "?"]))
    return " ".join(sentences)


def main() -> None:
    rng = random.Random(7)
    vocabulary = make_vocabulary(rng, 500)
    weights = [1.0 / (rank + 3) for rank in range(len(vocabulary))]
    rng.shuffle(weights)
    docs = []
    for i in range(380):
        docs.append({
            "id": f"doc{i:05d}",
            "title": make_text(rng, vocabulary, weights, rng.randint(3, 7)),
            "body": make_text(rng, vocabulary, weights, rng.randint(20, 50)),
            "tags": rng.sample(TAGS, rng.randint(1, 3)),
        })
    order = list(range(len(docs)))
    rng.shuffle(order)
    index = SearchIndex()
    index.add_many(docs[i] for i in order)

    results = []
    qrng = random.Random(11)
    for q in range(180):
        kind = q % 5
        if kind == 3:
            body = qrng.choice(docs)["body"].split()
            start = qrng.randrange(max(1, len(body) - 3))
            query = " ".join(body[start:start + qrng.randint(2, 3)])
            hits = index.search(query, limit=10, phrase=True)
        else:
            query = " ".join(qrng.choices(vocabulary, weights, k=qrng.randint(1, 3)))
            tags = qrng.sample(TAGS, 1) if kind in (1, 4) else None
            hits = index.search(query, limit=10, tags=tags)
        snippets = [index.snippet(hit.doc_id, query, width=10) for hit in hits[:2]]
        results.append((query, [(h.doc_id, h.score) for h in hits], snippets))

    similar = []
    for doc in qrng.sample(docs, 40):
        similar.append((doc["id"], [(h.doc_id, h.score) for h in index.more_like_this(doc["id"])]))

    for doc in qrng.sample(docs, 40):
        index.remove(doc["id"])
    for doc in qrng.sample([d for d in docs if d["id"] in index], 40):
        changed = dict(doc, body=make_text(qrng, vocabulary, weights, 90), tags=["updated"])
        index.update(changed)
    after = []
    for _ in range(60):
        query = " ".join(qrng.choices(vocabulary, weights, k=2))
        hits = index.search(query, limit=10)
        after.append((query, [(h.doc_id, h.score) for h in hits]))
    report = index_report(index)

    total_hits = sum(len(hits) for _, hits, _ in results)
    print(f"{len(results)} queries, {total_hits} hits, "
          f"{sum(1 for _, hits, _ in results if not hits)} empty")
    print(f"first query {results[0][0]!r}:")
    for line in format_hits(index.search(results[0][0], limit=3)):
        print("  " + line)
    marked = [s for _, _, snippets in results for s in snippets if "[" in s]
    print(f"{len(marked)} snippets with matches, e.g. {marked[0] if marked else ''}")
    print(f"more like {similar[0][0]}: {[doc_id for doc_id, _ in similar[0][1]]}")
    print(f"after edits: {sum(len(hits) for _, hits in after)} hits in {len(after)} queries")
    print(report)
    blob = repr((results, similar, after, report)).encode()
    print(f"sha256 {hashlib.sha256(blob).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
