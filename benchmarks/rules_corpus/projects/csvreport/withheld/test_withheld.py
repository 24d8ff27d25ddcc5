import copy
import random

import pytest

from csvreport import (
    clean_label,
    enrich,
    format_table,
    line_total,
    parse_percent,
    read_catalog,
    read_sales,
    summarize,
)

HEADER = "date,region,rep,sku,qty,unit_price,discount\n"


def test_empty_inputs():
    assert read_sales(HEADER) == ([], 0)
    assert read_catalog("sku,name,category,cost\n") == []
    assert enrich([], []) == []
    assert summarize([], "region") == []
    table = format_table([], "region")
    assert table.count("\n") == 2


def test_missing_columns():
    with pytest.raises(ValueError, match="missing columns: rep, discount"):
        read_sales("date,region,sku,qty,unit_price\n")
    with pytest.raises(ValueError):
        read_catalog("")


def test_short_and_bad_lines_rejected():
    rows, rejected = read_sales(HEADER + "2024-01-01,wales\n2024-01-02,wales,a,s1,1,$x,\n")
    assert rows == [] and rejected == 2


def test_labels_repeat_and_types():
    for _ in range(3):
        assert clean_label("a__b  c") == "A B C"
        assert clean_label("") == ""
    with pytest.raises(TypeError):
        clean_label(None)
    assert parse_percent("12.5%") == 0.125


def test_duplicate_skus_first_wins_and_no_mutation():
    catalog = read_catalog("sku,name,category,cost\nA1,x,toys,1.00\na1,y,pets,2.00\n")
    rows, _ = read_sales(HEADER + "2024-01-01,wales,ann,a1,3,$5.00,\n")
    before_rows, before_catalog = copy.deepcopy(rows), copy.deepcopy(catalog)
    items = enrich(rows, catalog)
    assert items[0]["category"] == "Toys" and items[0]["margin"] == 12.0
    assert rows == before_rows and catalog == before_catalog
    assert items[0] is not rows[0]


def test_summarize_ties_sorted_by_key_and_no_mutation():
    items = [
        {"k": "b", "qty": 1, "total": 5.0, "margin": 1.0},
        {"k": "a", "qty": 2, "total": 5.0, "margin": 2.0},
        {"k": "c", "qty": 1, "total": 2.5, "margin": 0.5},
        {"k": "c", "qty": 1, "total": 2.5, "margin": 0.5},
    ]
    before = copy.deepcopy(items)
    summary = summarize(items, "k")
    assert [s["k"] for s in summary] == ["a", "b", "c"]
    assert summary[2] == {"k": "c", "lines": 2, "qty": 2, "revenue": 5.0, "margin": 1.0}
    assert items == before
    with pytest.raises(KeyError):
        summarize(items, "nope")


def test_zero_revenue_share():
    table = format_table([{"k": "z", "lines": 1, "qty": 0, "revenue": 0.0, "margin": 0.0}], "k")
    assert table.splitlines()[2].split()[-2:] == ["-", "-"]


def straight_summary(items, key):
    groups = {}
    for item in items:
        g = groups.setdefault(item[key], [0, 0, 0.0, 0.0])
        g[0] += 1
        g[1] += item["qty"]
        g[2] += item["total"]
        g[3] += item["margin"]
    out = [{key: k, "lines": g[0], "qty": g[1], "revenue": round(g[2], 2),
            "margin": round(g[3], 2)} for k, g in groups.items()]
    out.sort(key=lambda s: (-s["revenue"], str(s[key])))
    return out


def test_larger_matches_straightforward():
    rng = random.Random(5)
    cat = ["sku,name,category,cost"] + [f"S{i},n,{rng.choice(['a b', 'A-B', 'c'])},{i}.25"
                                        for i in range(150)]
    lines = [HEADER.strip()]
    for _ in range(1500):
        lines.append(f"2024-0{rng.randint(1, 9)}-01,{rng.choice(['x y', 'X  Y', 'z'])},r,"
                     f"s{rng.randint(0, 170)},{rng.randint(1, 9)},{rng.randint(1, 999)}.5,5%")
    catalog = read_catalog("\n".join(cat))
    rows, rejected = read_sales("\n".join(lines))
    assert rejected == 0 and len(rows) == 1500
    by_sku = {}
    for p in catalog:
        by_sku.setdefault(p["sku"], p)
    items = enrich(rows, catalog)
    for row, item in zip(rows, items):
        product = by_sku.get(row["sku"])
        cost = 0.0 if product is None else product["cost"] * row["qty"]
        assert item["total"] == line_total(row)
        assert item["margin"] == round(line_total(row) - cost, 2)
    for key in ("region", "category", "month", "sku"):
        assert summarize(items, key) == straight_summary(items, key)
    summary = summarize(items, "month")
    grand = sum(s["revenue"] for s in summary)
    first = format_table(summary, "month").splitlines()[2]
    assert f"{100.0 * summary[0]['revenue'] / grand:.1f}%" in first
