"""Enrichment, grouping and the text/CSV outputs of the monthly sales report."""

import csv
import io


def line_total(row):
    """Net amount of one sales line, rounded to cents."""
    gross = row["qty"] * row["unit_price"]
    return round(gross * (1.0 - row["discount"]), 2)


def find_product(catalog, sku):
    for product in catalog:
        if product["sku"] == sku:
            return product
    return None


def enrich(rows, catalog):
    """New dicts with 'total', 'margin' and 'category' added; unknown SKUs cost nothing."""
    out = []
    for row in rows:
        product = find_product(catalog, row["sku"])
        total = line_total(row)
        if product is None:
            category = "Unknown"
            cost = 0.0
        else:
            category = product["category"]
            cost = product["cost"] * row["qty"]
        item = dict(row)
        item["total"] = total
        item["margin"] = round(total - cost, 2)
        item["category"] = category
        out.append(item)
    return out


def summarize(rows, key):
    """One dict per value of `key`: lines, qty, revenue, margin; biggest revenue first."""
    values = []
    for row in rows:
        if row[key] not in values:
            values.append(row[key])
    summary = []
    for value in values:
        lines = 0
        qty = 0
        revenue = 0.0
        margin = 0.0
        for row in rows:
            if row[key] == value:
                lines += 1
                qty += row["qty"]
                revenue += row["total"]
                margin += row["margin"]
        summary.append(
            {
                key: value,
                "lines": lines,
                "qty": qty,
                "revenue": round(revenue, 2),
                "margin": round(margin, 2),
            }
        )
    summary.sort(key=lambda item: (-item["revenue"], str(item[key])))
    return summary


def fmt_money(value):
    return "${:,.2f}".format(float(value))


def fmt_pct(part, whole):
    if float(whole) == 0.0:
        return "-"
    return "{:.1f}%".format(100.0 * float(part) / float(whole))


def format_table(summary, key, title=None):
    """A fixed-width text table of a summary, with each group's share of all revenue."""
    header = "{:<24}{:>8}{:>10}{:>16}{:>9}{:>10}".format(
        title or key.title(), "lines", "qty", "revenue", "share", "margin"
    )
    lines = [header, "-" * len(header)]
    for item in summary:
        grand = 0.0
        for other in summary:
            grand += float(other["revenue"])
        label = str(item[key])
        if len(label) > 22:
            label = label[:21] + "~"
        lines.append(
            f"{label:<24}{item['lines']:>8}{item['qty']:>10}"
            f"{fmt_money(item['revenue']):>16}{fmt_pct(item['revenue'], grand):>9}"
            f"{fmt_pct(item['margin'], item['revenue']):>10}"
        )
    return "\n".join(lines) + "\n"


def write_csv(rows, columns):
    """CSV text of `rows` (dicts) with the given columns; floats with two decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if isinstance(value, float):
                cells.append("%.2f" % value)
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return buffer.getvalue()
