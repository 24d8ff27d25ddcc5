"""Classes whose helper methods call each other: a tax table and a statement printer."""

from __future__ import annotations


class TaxTable:
    def __init__(self, spec):
        self.spec = spec  # "food=7;books=5;default=19"

    def rates(self):
        out = {}
        for part in self.spec.split(";"):
            key, _, value = part.partition("=")
            out[key.strip()] = float(value) / 100
        return out

    def rate_for(self, category):
        table = self.rates()
        if category in table:
            return table[category]
        return table["default"]


class Line:
    def __init__(self, sku, category, qty, unit_price):
        self.sku = sku
        self.category = category
        self.qty = qty
        self.unit_price = unit_price  # text, as read from the price list


class Statement:
    def __init__(self, customer, taxes):
        self.customer = customer
        self.taxes = taxes
        self.lines = []

    def add(self, line):
        self.lines.append(line)

    def net(self, line):
        return line.qty * float(line.unit_price)

    def gross(self, line):
        return self.net(line) * (1 + self.taxes.rate_for(line.category))

    def total(self):
        t = 0.0
        for line in self.lines:
            t += self.gross(line)
        return round(t, 2)

    def render(self):
        rows = []
        for n, line in enumerate(self.lines, 1):
            rows.append("{:>4} {:<10} {:>6} x {:>9} = {:>10}".format(
                n, line.sku, line.qty, "%.2f" % float(line.unit_price),
                "%.2f" % self.gross(line)))
        rows.append("TOTAL {:>42}".format("%.2f" % self.total()))
        return "\n".join(rows)

    def top_skus(self, k):
        """The k skus with the largest gross amount, largest first (ties by first seen)."""
        best = []
        for line in self.lines:
            best.append((self.gross(line), line.sku))
            best = sorted(best, key=lambda t: -t[0])[:k]
        return [sku for _, sku in best]
