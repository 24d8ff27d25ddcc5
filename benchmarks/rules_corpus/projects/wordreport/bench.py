"""Workload: a week of helpdesk tickets; the weekly report with keywords and near duplicates.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from wordreport import parse_documents, top_words
from wordreport.report import render

SUBJECTS = ["printer", "laptop", "VPN", "password", "e-mail", "invoice", "Café-Wi-Fi",
            "monitor", "keyboard", "account", "license", "backup", "server", "update"]
VERBS = ["stopped working", "is failing", "crashes", "keeps disconnecting", "was reset",
         "needs replacing", "isn't syncing", "won't start", "shows errors", "is blocked"]
FILLER = ["Please help", "since yesterday", "after the update", "for the whole team",
          "again and again", "right after login", "on the second floor", "every morning",
          "when I print invoices", "during the meeting", "with the new drivers", "urgently!"]


def make_ticket(rng: random.Random, i: int) -> str:
    subject = rng.choice(SUBJECTS)
    title = f"{subject.capitalize()} {rng.choice(VERBS)}"
    sentences = []
    for _ in range(rng.randint(3, 7)):
        sentences.append(
            f"My {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(FILLER)}."
        )
    tags = ",".join(rng.sample(["hw", "sw", "net", "acct", "urgent", "vip"], rng.randint(0, 3)))
    return f"id: T{i:05d}\ntitle: {title}\ntags: {tags}\n\n" + " ".join(sentences)


def main() -> None:
    rng = random.Random(2024)
    text = "\n---\n".join(make_ticket(rng, i) for i in range(450))
    docs = parse_documents(text)
    report = render(docs, ["printing", "VPN", "crashing"], duplicates_of=45)
    print(f"{len(docs)} tickets, top {top_words(docs, 5)}")
    print("\n".join(line for line in report.splitlines() if line.startswith("'")))
    print([line for line in report.splitlines() if line.startswith("Near")][0])
    print(f"report sha256 {hashlib.sha256(report.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
