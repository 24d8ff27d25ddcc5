from wordreport import (
    keyword_in_context,
    near_duplicates,
    normalize,
    parse_documents,
    stem,
    tokens,
    top_words,
)
from wordreport.report import render

TEXT = """id: T1
title: Printer jammed
tags: hw, urgent

The printer jammed again when printing invoices.
---
id: T2
title: Printer jammed

The printer jammed again when printing invoices!
---
id: T3
title: VPN down

Our VPN is failing for the whole team.
"""


def test_parse() -> None:
    docs = parse_documents(TEXT)
    assert [d.ident for d in docs] == ["T1", "T2", "T3"]
    assert docs[0].tags == ["hw", "urgent"]
    assert docs[2].body == "Our VPN is failing for the whole team."


def test_normalize_stem_tokens() -> None:
    assert normalize("Café!") == "cafe"
    assert normalize("'quoted'") == "quoted"
    assert stem("printing") == "print"
    assert stem("batteries") == "battery"
    assert list(tokens("The printers are failing")) == ["printer", "fail"]


def test_top_words_and_kwic() -> None:
    docs = parse_documents(TEXT)
    assert top_words(docs, 3) == [("jamm", 4), ("printer", 4), ("invoic", 2)]
    lines = keyword_in_context(docs, "print", width=2)
    assert lines == [
        "T1: ... again when [printing] invoices. ...",
        "T2: ... again when [printing] invoices! ...",
    ]


def test_near_duplicates_and_report() -> None:
    docs = parse_documents(TEXT)
    assert near_duplicates(docs) == [("T1", "T2", 1.0)]
    report = render(docs, ["vpn"])
    assert "Ticket report: 3 tickets" in report
    assert "'vpn': 2 mentions" in report
