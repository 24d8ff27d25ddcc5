from csvreport import (
    clean_label,
    enrich,
    format_table,
    parse_money,
    read_catalog,
    read_sales,
    summarize,
    write_csv,
)

SALES = """date,region,rep,sku,qty,unit_price,discount
2024-01-05,north-EAST,ann lee,sk001,2,$10.00,
2024-01-09,  North East ,bo ng,SK002,1,"$1,200.00",10%
2024-02-01,wales,ann lee,sk001,x,$3.00,
2024-02-03,Wales,ann  lee,sk009,3,(4.00),0.5
"""

CATALOG = """sku,name,category,cost
sk001,Hose,garden,$4.00
SK002,Lamp,LIGHTING,"$1,000.00"
"""


def test_clean_and_parse():
    assert clean_label("  north-EAST ") == "North East"
    assert parse_money("$1,234.50") == 1234.5
    assert parse_money("(12.00)") == -12.0
    assert parse_money("") == 0.0


def test_read_sales():
    rows, rejected = read_sales(SALES)
    assert rejected == 1
    assert [r["region"] for r in rows] == ["North East", "North East", "Wales"]
    assert rows[1]["unit_price"] == 1200.0 and rows[1]["discount"] == 0.1
    assert rows[0]["month"] == "2024-01" and rows[0]["sku"] == "SK001"


def test_enrich():
    rows, _ = read_sales(SALES)
    items = enrich(rows, read_catalog(CATALOG))
    assert [i["total"] for i in items] == [20.0, 1080.0, -6.0]
    assert [i["margin"] for i in items] == [12.0, 80.0, -6.0]
    assert items[2]["category"] == "Unknown"


def test_summarize_and_table():
    rows, _ = read_sales(SALES)
    summary = summarize(enrich(rows, read_catalog(CATALOG)), "region")
    assert summary[0] == {"region": "North East", "lines": 2, "qty": 3, "revenue": 1100.0,
                          "margin": 92.0}
    table = format_table(summary, "region")
    assert "North East" in table and "$1,100.00" in table and "100.5%" in table


def test_write_csv():
    text = write_csv([{"a": 1.5, "b": "x,y"}], ["a", "b", "c"])
    assert text == 'a,b,c\n1.50,"x,y",\n'
