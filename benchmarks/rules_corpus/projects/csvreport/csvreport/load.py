"""Loading: CSV text exported from the shop system into dict rows with typed, cleaned fields."""

import csv
import io
import re

SALES_FIELDS = ["date", "region", "rep", "sku", "qty", "unit_price", "discount"]
CATALOG_FIELDS = ["sku", "name", "category", "cost"]


def clean_label(value):
    """'  north-EAST ' -> 'North East': punctuation to spaces, single spaces, title case."""
    text = re.sub(r"[^A-Za-z0-9 ]+", " ", value)
    text = re.sub(r"\s+", " ", text).strip()
    return text.title()


def parse_money(text):
    """'$1,234.50' -> 1234.5; '' -> 0.0; '(12.00)' -> -12.0 (accounting negatives)."""
    text = text.strip().replace("$", "").replace(",", "")
    if not text:
        return 0.0
    if text.startswith("(") and text.endswith(")"):
        return -float(text[1:-1])
    return float(text)


def parse_percent(text):
    """'15%' -> 0.15; '0.15' -> 0.15; '' -> 0.0."""
    text = text.strip()
    if not text:
        return 0.0
    if text.endswith("%"):
        return float(text[:-1]) / 100.0
    return float(text)


def check_columns(reader, wanted):
    have = reader.fieldnames or []
    missing = [name for name in wanted if name not in have]
    if missing:
        raise ValueError("missing columns: {}".format(", ".join(missing)))


def read_sales(text):
    """(rows, rejected): one dict per sales line; a line with a bad number is rejected."""
    reader = csv.DictReader(io.StringIO(text))
    check_columns(reader, SALES_FIELDS)
    rows = []
    rejected = 0
    for raw in reader:
        try:
            qty = int(raw["qty"])
            price = parse_money(raw["unit_price"])
            discount = parse_percent(raw["discount"])
        except (TypeError, ValueError, AttributeError):
            rejected += 1
            continue
        date = raw["date"].strip()
        rows.append(
            {
                "date": date,
                "month": date[:7],
                "region": clean_label(raw["region"]),
                "rep": clean_label(raw["rep"]),
                "sku": raw["sku"].strip().upper(),
                "qty": qty,
                "unit_price": price,
                "discount": discount,
            }
        )
    return rows, rejected


def read_catalog(text):
    """A list of {'sku', 'name', 'category', 'cost'} dicts, in file order."""
    reader = csv.DictReader(io.StringIO(text))
    check_columns(reader, CATALOG_FIELDS)
    catalog = []
    for raw in reader:
        catalog.append(
            {
                "sku": raw["sku"].strip().upper(),
                "name": raw["name"].strip(),
                "category": clean_label(raw["category"]),
                "cost": parse_money(raw["cost"]),
            }
        )
    return catalog
