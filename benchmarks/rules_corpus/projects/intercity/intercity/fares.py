"""Zonal fares, railcard discounts and split tickets."""

from decimal import ROUND_FLOOR, Decimal

from .parsing import parse_fares, parse_railcards

PEAK_WINDOWS = ((390, 570), (960, 1140))
FIVE_PENCE = Decimal("0.05")
PENNY = Decimal("0.01")


def zone_span(zone_a, zone_b):
    """Number of zones travelled through between two zones, both ends included."""
    return abs(zone_a - zone_b) + 1


class FareCalculator:
    """Prices tickets from a zones table and a list of railcards.

    A fare row for ``n`` zones applies to journeys spanning up to ``n`` zones; journeys
    spanning more zones than the widest row pay the widest row's fare.
    """

    def __init__(self, fare_rows, railcards=()):
        if not fare_rows:
            raise ValueError("a fare table needs at least one row")
        zones = [row[0] for row in fare_rows]
        if len(set(zones)) != len(zones):
            raise ValueError("fare table lists the same zone count twice")
        self.rows = [(str(z), peak, offpeak) for z, peak, offpeak in fare_rows]
        self.railcards = [dict(card) for card in railcards]

    @classmethod
    def from_tables(cls, fares_text, railcards_text=""):
        return cls(parse_fares(fares_text), parse_railcards(railcards_text))

    @staticmethod
    def is_peak(day, minute):
        if day != "WD":
            return False
        minute = minute % 1440
        return any(lo <= minute < hi for lo, hi in PEAK_WINDOWS)

    def _base_fare(self, span, peak):
        column = 1 if peak else 2
        best = None
        for row in self.rows:
            zones = int(row[0])
            if zones >= span and (best is None or zones < int(best[0])):
                best = row
        if best is None:
            best = max(self.rows, key=lambda r: int(r[0]))
        return Decimal(best[column]).quantize(PENNY)

    def _railcard(self, code):
        for card in self.railcards:
            if card["code"] == code:
                return card
        raise KeyError(code)

    def single_fare(self, span, peak, railcard=None):
        """Price of one ticket over ``span`` zones, with an optional railcard code."""
        if not isinstance(span, int) or span < 1:
            raise ValueError(f"bad zone span {span!r}")
        base = self._base_fare(span, peak)
        if railcard is None:
            return base
        card = self._railcard(railcard)
        if card["offpeak_only"] and peak:
            return base
        min_fare = Decimal(card["min_fare"])
        if base <= min_fare:
            return base
        discounted = base * (Decimal(100) - Decimal(card["discount"])) / Decimal(100)
        discounted = (discounted / FIVE_PENCE).to_integral_value(rounding=ROUND_FLOOR) * FIVE_PENCE
        return max(discounted, min_fare).quantize(PENNY)

    def best_single(self, span, peak, railcards=()):
        """Cheapest single ticket: (fare, railcard code or None). Ties keep the earlier option."""
        best_fare = self.single_fare(span, peak)
        best_card = None
        for code in railcards:
            fare = self.single_fare(span, peak, code)
            if fare < best_fare:
                best_fare, best_card = fare, code
        return best_fare, best_card

    def cheapest_split(self, zones, peak, railcards=()):
        """Cheapest way to cover a route whose stops lie in ``zones`` (in travel order).

        Returns (total, tickets) where each ticket is (start index, end index, railcard, fare).
        On equal totals the split with the earlier first break is kept, so a through ticket
        wins over an equally priced split.
        """
        if isinstance(railcards, str):
            raise TypeError("railcards must be a sequence of codes, not a string")
        if len(zones) < 2:
            raise ValueError("a route needs at least two stops")
        for code in railcards:
            self._railcard(code)
        n = len(zones)
        cost = [None] * n
        back = [None] * n
        cost[0] = Decimal("0.00")
        for j in range(1, n):
            for i in range(j):
                segment = zones[i : j + 1]
                span = max(segment) - min(segment) + 1
                fare, card = self.best_single(span, peak, railcards)
                total = cost[i] + fare
                if cost[j] is None or total < cost[j]:
                    cost[j] = total
                    back[j] = (i, card, fare)
        tickets = []
        j = n - 1
        while j > 0:
            i, card, fare = back[j]
            tickets.append((i, j, card, fare))
            j = i
        tickets.reverse()
        return cost[-1], tickets

    def tariff(self):
        """The fare table as printable lines."""
        out = ["zones    peak  off-peak"]
        for zones, peak, offpeak in sorted(self.rows, key=lambda r: int(r[0])):
            out.append(f"{zones:>5} {peak:>7} {offpeak:>9}")
        for card in self.railcards:
            note = " off-peak only" if card["offpeak_only"] else ""
            out.append(f"{card['code']}: {card['discount']}% off, min {card['min_fare']}{note}")
        return "\n".join(out)
