"""The weekly text report the support lead reads."""

from __future__ import annotations

from wordreport.documents import Document
from wordreport.similarity import near_duplicates
from wordreport.stats import document_frequency, keyword_in_context, tag_summary, top_words

RULE = "=" * 60


def render(docs: list[Document], keywords: list[str], duplicates_of: int = 60) -> str:
    out = [RULE, f"Ticket report: {len(docs)} tickets", RULE, "", "Most frequent terms:"]
    frequency = document_frequency(docs)
    for word, count in top_words(docs, 15):
        share = 100.0 * frequency[word] / len(docs)
        out.append(f"  {word:<16}{count:>7}  in {share:5.1f}% of tickets")
    out += ["", "Tags:"]
    out += ["  " + line for line in tag_summary(docs)]
    for keyword in keywords:
        hits = keyword_in_context(docs, keyword)
        out += ["", f"'{keyword}': {len(hits)} mentions"]
        out += ["  " + line for line in hits[:5]]
    pairs = near_duplicates(docs[:duplicates_of])
    out += ["", f"Near duplicates among the first {duplicates_of}: {len(pairs)}"]
    out += [f"  {a} ~ {b} ({score:.3f})" for a, b, score in pairs[:10]]
    return "\n".join(out) + "\n"
