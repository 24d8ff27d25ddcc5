"""Workload: a year of sales lines (messy labels, some bad rows) against a 1500-item catalog.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from csvreport import enrich, format_table, read_catalog, read_sales, summarize, write_csv

N_LINES, N_PRODUCTS, N_REPS = 10000, 1500, 80
REGIONS = ["north east", "north west", "south east", "south west", "midlands", "wales",
           "scotland", "london", "east anglia", "yorkshire", "ireland", "channel isles"]
CATEGORIES = ["garden", "kitchen", "tools", "lighting", "bath", "office", "toys", "pets"]
NOISE = [lambda s: s, str.upper, str.title, lambda s: "  " + s + " ", lambda s: s.replace(" ", "-"),
         lambda s: s.replace(" ", "  ")]


def make_catalog(rng: random.Random) -> str:
    lines = ["sku,name,category,cost"]
    for i in range(N_PRODUCTS):
        cost = rng.randint(50, 40000) / 100
        lines.append(f"sk{i:05d},Item {i},{rng.choice(NOISE)(rng.choice(CATEGORIES))},"
                     f"\"${cost:,.2f}\"")
    return "\n".join(lines) + "\n"


def make_sales(rng: random.Random) -> str:
    reps = [f"{rng.choice(['ann', 'bo', 'cy', 'di', 'ed'])} {rng.choice(['lee', 'ng', 'roe'])}{i}"
            for i in range(N_REPS)]
    regions = [noise(region) for region in REGIONS for noise in NOISE]
    reps = [noise(rep) for rep in reps for noise in NOISE]
    dates = [f"2024-{month:02d}-{day:02d}" for month in range(1, 13) for day in range(1, 29)]
    skus = [f"SK{i:05d}" for i in range(N_PRODUCTS + 20)]
    qtys = [str(q) for q in range(1, 41)] * 5 + ["n/a"]
    prices = [f"\"${cents / 100:,.2f}\"" for cents in range(100, 60000, 7)]
    prices += [f"\"(${cents / 100:,.2f})\"" for cents in range(100, 60000, 250)]
    columns = [rng.choices(values, k=N_LINES) for values in
               (dates, regions, reps, skus, qtys, prices, ["", "5%", "10%", "0.2", "", ""])]
    lines = ["date,region,rep,sku,qty,unit_price,discount"]
    lines += [",".join(cells) for cells in zip(*columns)]
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(1207)
    catalog = read_catalog(make_catalog(rng))
    rows, rejected = read_sales(make_sales(rng))
    print(f"{len(rows)} lines, {rejected} rejected, {len(catalog)} products")
    items = enrich(rows, catalog)
    report = ""
    tops = []
    for key in ("region", "category", "month", "rep"):
        summary = summarize(items, key)
        tops.append((key, summary[0][key], summary[0]["revenue"]))
        report += format_table(summary, key)
    print(f"tops {tops}")
    export = write_csv(items[:2000], ["date", "region", "rep", "sku", "qty", "total", "margin"])
    print(f"report {len(report)} chars, export {len(export)} chars")
    digest = hashlib.sha256(repr((items, report, export)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
