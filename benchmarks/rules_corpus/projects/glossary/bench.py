"""Deterministic workload: build a glossary and index for a synthetic technical manual set."""

import hashlib
import random

from glossary import build_glossary, frequency_report, orphans, render_summary

SEED = 4321

BASE_WORDS = [
    "cache", "buffer", "socket", "thread", "kernel", "packet", "router", "queue", "schema",
    "index", "cluster", "replica", "shard", "token", "session", "cursor", "handler", "parser",
    "compiler", "module", "library", "process", "signal", "channel", "stream", "record",
    "table", "column", "latency", "throughput", "payload", "header", "checksum", "frame",
    "segment", "registry", "container", "volume", "snapshot", "journal", "lock", "mutex",
    "barrier", "scheduler", "worker", "endpoint", "gateway", "proxy", "tunnel", "certificate",
    "key", "cipher", "digest", "policy", "quota", "metric", "counter", "gauge", "histogram",
    "trace", "span", "event", "listener", "callback", "promise", "future", "iterator",
    "generator", "allocator", "pointer", "reference", "heap", "stack", "register", "opcode",
    "interpreter", "bytecode", "runtime", "driver", "firmware", "interrupt", "timer", "clock",
    "partition", "leader", "follower", "quorum", "consensus", "ledger", "transaction",
    "commit", "rollback", "migration", "backup", "archive", "bucket", "object", "tenant",
    "namespace", "config", "template", "pipeline", "artifact", "release", "deployment",
]

SYLLABLES = ["ka", "ro", "ten", "vi", "lo", "mar", "syn", "dex", "pra", "tor", "el", "qua",
             "zen", "fi", "bra", "nol", "tre", "gan", "sto", "ux"]

STOP = ["the", "a", "of", "to", "and", "in", "is", "for", "with", "that", "on", "by", "this",
        "when", "each", "from", "are", "as", "be", "it", "which", "into", "over", "their"]

VERBS = ["stores", "flushes", "routes", "locks", "replicates", "schedules", "parses",
         "encodes", "validates", "rotates", "compacts", "streams", "indexes", "caches"]


def inflect(rng, word):
    roll = rng.random()
    if roll < 0.55:
        return word
    if roll < 0.8:
        if word.endswith("y"):
            return word[:-1] + "ies"
        if word.endswith(("s", "x", "ch", "sh")):
            return word + "es"
        return word + "s"
    if roll < 0.9:
        return word + "'s"
    if roll < 0.95:
        return word.capitalize()
    return word.upper() if len(word) <= 4 else word


def make_vocabulary(rng):
    words = list(BASE_WORDS)
    while len(words) < 260:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        if word not in words:
            words.append(word)
    phrases = set()
    while len(phrases) < 90:
        phrases.add((rng.choice(words[:120]), rng.choice(words)))
    return words, sorted(phrases)


def make_sentence(rng, words, weights, phrases, phrase_weights):
    parts = []
    if rng.random() < 0.15:
        first, second = rng.choices(phrases, cum_weights=phrase_weights)[0]
        parts += ["A", first, second, "is", "a", rng.choice(words), "that",
                  rng.choice(VERBS), "the", inflect(rng, rng.choice(words))]
    for _ in range(rng.randint(6, 14)):
        roll = rng.random()
        if roll < 0.4:
            parts.append(rng.choice(STOP))
        elif roll < 0.55:
            first, second = rng.choices(phrases, cum_weights=phrase_weights)[0]
            parts += [first, inflect(rng, second)]
        elif roll < 0.62:
            parts.append(rng.choice(VERBS))
        else:
            parts.append(inflect(rng, rng.choices(words, cum_weights=weights)[0]))
    parts[0] = parts[0].capitalize()
    return " ".join(parts) + rng.choice([".", ".", ".", "?", "!"])


def zipf_weights(n, exponent):
    weights = []
    total = 0.0
    for rank in range(n):
        total += 1.0 / (rank + 1) ** exponent
        weights.append(total)
    return weights


def make_documents(rng, n_docs, n_pages, n_sentences):
    words, phrases = make_vocabulary(rng)
    rng.shuffle(phrases)
    weights = zipf_weights(len(words), 0.9)
    phrase_weights = zipf_weights(len(phrases), 1.0)
    documents = []
    for d in range(n_docs):
        # Each manual favours its own slice of the vocabulary.
        local = words[:]
        rng.shuffle(local)
        pages = []
        for _ in range(n_pages):
            sentences = [
                make_sentence(rng, local, weights, phrases, phrase_weights)
                for _ in range(n_sentences)
            ]
            pages.append(" ".join(sentences))
        documents.append((f"ch{d + 1:02d}", pages))
    return documents


def main():
    rng = random.Random(SEED)
    documents = make_documents(rng, n_docs=14, n_pages=10, n_sentences=10)
    result = build_glossary(documents, limit=70, min_count=4, min_docs=2)
    report = frequency_report(result.index, result.terms[:50])
    lonely = orphans(result.links)

    digest = hashlib.sha256()
    digest.update(result.index_text.encode())
    digest.update(result.glossary_text.encode())
    for row in report:
        digest.update(repr(row).encode())

    print(render_summary(result.index, result.terms))
    print("definitions:", len(result.definitions))
    print("links:", sum(len(v) for v in result.links.values()), "orphans:", len(lonely))
    print("index lines:", result.index_text.count("\n"))
    print("glossary chars:", len(result.glossary_text))
    print("top terms:", ", ".join(f"{t}={c}" for t, c, _, _ in report[:6]))
    print("sha256:", digest.hexdigest()[:16])


if __name__ == "__main__":
    main()
