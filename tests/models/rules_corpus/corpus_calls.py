# ruff: noqa: PERF401, PERF402, B007  (the corpus is deliberately written the slow way)
"""Functions in the shapes the interprocedural and loop rewrites target (and some they must
leave alone): caches, lazy hoists, repeated calls, joins on a key, growing lists, row
binding, and arithmetic the standard library does in C.

The equivalence test rewrites every function with every applicable rule (the whole module is
the repository the effect analysis sees) and compares original and rewritten versions on
hypothesis-generated inputs; `STRATEGIES` in `strategies.py` says how to generate them.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

TAGS = ("vip", "new", "old")
RATES = [("a", 1.5), ("b", 2.0), ("c", -0.5)]
COUNTS = {"a": 1, "b": 2}


@dataclass
class Item:
    sku: str
    qty: int
    group: int = 0


@dataclass
class Order:
    ident: int
    sku: str
    amount: int


# --- cache-pure-function -------------------------------------------------------------------


def normalize(raw: str) -> str:
    text = unicodedata.normalize("NFKD", raw)
    plain = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain.lower()).strip()


def tag_of(name: str, default: str = "none") -> str:
    for tag in TAGS:
        if name.startswith(tag):
            return tag
    return default


def signed_text(x: float) -> str:
    return repr(x * 1.0) + "|" + str(abs(x))


def count_of(key: str) -> int:
    return COUNTS.get(key, 0) * 2 + len(key)


# --- cached-call -----------------------------------------------------------------------------


def parse_days(texts: list[str]) -> list[int]:
    out = []
    for t in texts:
        try:
            out.append(datetime.strptime(t, "%Y-%m-%d").toordinal())
        except ValueError:
            out.append(-1)
    return out


def iso_weekdays(days: list[str]) -> list[int]:
    return [date.fromisoformat(d).weekday() for d in days]


def squash(texts: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in texts]


DAY_FORMAT = "%d/%m/%Y"
SPACES = re.compile(r"[ \t]+")


def parse_day_constant(texts: list[str]) -> list[int]:
    out = []
    for t in texts:
        try:
            out.append(datetime.strptime(t.strip(), DAY_FORMAT).toordinal())
        except ValueError:
            out.append(-1)
    return out


def squash_constant(texts: list[str]) -> list[str]:
    return [re.sub(SPACES, "_", t) for t in texts]


# --- hoist-pure-call -------------------------------------------------------------------------


def rate_for(code: str) -> float:
    for name, rate in RATES:
        if name == code:
            return rate
    raise KeyError(code)


def pay(hours: list[float], code: str) -> float:
    total = 0.0
    for h in hours:
        total += h * rate_for(code)
    return total


def scaling(s: float) -> list[list[float]]:
    return [[s, 0.0], [0.0, s + 1.0]]


def apply_matrix(m: list[list[float]], p: tuple[float, float]) -> tuple[float, float]:
    x, y = p
    return (m[0][0] * x + m[0][1] * y, m[1][0] * x + m[1][1] * y)


def transform(points: list[tuple[float, float]], s: float) -> list[tuple[float, float]]:
    moved = []
    for p in points:
        moved.append(apply_matrix(scaling(s), p))
    return moved


def doubled_len(xs: list[int]) -> int:
    return len(xs) * 2


def grow_while_counting(xs: list[int], times: int) -> list[int]:
    out = []
    for _ in range(times % 5):
        out.append(doubled_len(xs))
        xs.append(len(out))
    return out


# --- repeated-call ---------------------------------------------------------------------------


def label(x: int) -> str:
    return f"#{x:03d}"


def labels(xs: list[int]) -> list[str]:
    out = []
    for x in xs:
        text = label(x) + ":" + label(x)
        out.append(text)
    return out


def price_lines(rows: list[dict[str, str]]) -> list[str]:
    out = []
    for row in rows:
        total = float(row["price"]) * 2
        out.append(f"{float(row['price']):.2f} {total:.2f}")
    return out


# --- join-index ------------------------------------------------------------------------------


def totals_by_item(items: list[Item], orders: list[Order]) -> list[int]:
    out = []
    for item in items:
        out.append(sum([o.amount for o in orders if o.sku == item.sku]))
    return out


def first_order(items: list[Item], orders: list[Order]) -> list[int]:
    found = []
    for item in items:
        hit = -1
        for order in orders:
            if order.sku != item.sku:
                continue
            hit = order.ident
            break
        found.append(hit)
    return found


def matched(items: list[Item], orders: list[Order]) -> list[tuple[str, int]]:
    pairs = []
    for item in items:
        for order in orders:
            if order.sku == item.sku and order.amount > item.qty:
                pairs.append((item.sku, order.ident))
    return pairs


def consume(items: list[Item], orders: list[Order]) -> int:
    n = 0
    for item in items:
        for order in orders:
            if order.sku == item.sku:
                n += 1
        orders.append(Order(n, item.sku, 0))
    return n


# --- running-min-max ---------------------------------------------------------------------------


def running_peaks(values: list[int]) -> list[int]:
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append(max(seen))
    return out


def running_range(values: list[float]) -> list[tuple[float, float]]:
    seen = []
    out = []
    for v in values:
        seen.append(v * 1.0)
        out.append((min(seen), max(seen)))
    return out


def peaks_with_len(values: list[int]) -> list[tuple[int, int]]:
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append((max(seen), len(seen)))
    return out


# --- membership-list-set -------------------------------------------------------------------


def first_seen(words: list[str]) -> list[bool]:
    seen: list[str] = []
    flags = []
    for w in words:
        flags.append(w in seen)
        seen.append(w)
    return flags


def new_codes(codes: list[int], known: list[int]) -> int:
    done = []
    n = 0
    for c in codes:
        if c not in done and c not in known:
            n += 1
        done.append(c)
    return n


def seen_count(words: list[str]) -> tuple[int, int]:
    seen = []
    hits = 0
    for w in words:
        if w in seen:
            hits += 1
        seen.append(w)
    return hits, len(seen)


# --- sorted-insert -----------------------------------------------------------------------------


def medians(xs: list[int]) -> list[int]:
    window = []
    out = []
    for x in xs:
        window.append(x)
        window.sort()
        out.append(window[len(window) // 2])
    return out


def smallest_three(words: list[str]) -> list[str]:
    best = []
    for w in words:
        best.append(w)
        best.sort()
        if len(best) > 3:
            best.pop()
    return best


# --- math-prod, int-sum, combinations-range --------------------------------------------------


def factorial(n: int) -> int:
    f = 1
    for i in range(2, n + 1):
        f *= i
    return f


def product_of(xs: list[float]) -> float:
    p = 1.0
    for x in xs:
        p *= x
    return p


def count_even(xs: list[int]) -> int:
    n = 0
    for x in xs:
        if x % 2 == 0:
            n += 1
    return n


def total_len(words: list[str]) -> int:
    t = 0
    for w in words:
        t += len(w)
    return t


def float_total(xs: list[float]) -> float:
    t = 0.0
    for x in xs:
        t += x
    return t


def close_pairs(xs: list[int]) -> int:
    n = len(xs)
    count = 0
    for i in range(n):
        for j in range(i + 1, n):
            if abs(xs[i] - xs[j]) <= 1:
                count += 1
    return count


def triples(xs: list[int], target: int) -> list[tuple[int, int, int]]:
    n = len(xs)
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j + 1, n):
                if xs[i] + xs[j] + xs[k] == target:
                    out.append((i, j, k))
    return out


def first_equal_pairs(xs: list[int]) -> list[tuple[int, int]]:
    n = len(xs)
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            if xs[i] == xs[j]:
                out.append((i, j))
                break
    return out


# --- row-binding -------------------------------------------------------------------------------


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    n = len(a)
    m = len(b[0]) if b else 0
    inner = len(b)
    result = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            for k in range(inner):
                result[i][j] += a[i][k] * b[k][j]
    return result


def row_sums(grid: list[list[int]]) -> list[int]:
    out = []
    for r in range(len(grid)):
        total = 0
        for c in range(len(grid[r])):
            total += grid[r][c]
        out.append(total)
    return out


def shift_rows(grid: list[list[int]]) -> list[list[int]]:
    for r in range(len(grid)):
        for c in range(len(grid[r])):
            grid[r] = grid[r][1:] + grid[r][:1]
    return grid


# --- count-in-loop ----------------------------------------------------------------------------


def tallies(words: list[str]) -> list[tuple[str, int]]:
    out = []
    for w in sorted(set(words)):
        out.append((w, words.count(w)))
    return out


def tallies_of(words: list[str], probes: list[str]) -> list[int]:
    return [words.count(p) for p in probes]


def tallies_growing(words: list[str]) -> list[int]:
    out = []
    for w in list(words):
        out.append(words.count(w))
        words.append(w)
    return out


def spread_over_max(values: list[int], scale: int) -> list[int]:
    out = []
    for v in values:
        out.append(max(values) - v * scale)
    return out


def window_medians(xs: list[int]) -> list[int]:
    recent = []
    out = []
    for x in xs:
        recent.append(x)
        if len(recent) > 3:
            recent.pop(0)
        out.append(sorted(recent)[len(recent) // 2] + max(recent))
    return out


# --- join-index-guarded (keys of unknown type, checked at run time) ---------------------------


def dept_totals(rows, depts):
    out = []
    for d in depts:
        out.append(sum(r["amount"] for r in rows if r["dept"] == d))
    return out


def first_qty(items, codes):
    found = []
    for c in codes:
        hit = None
        for it in items:
            if it.sku != c:
                continue
            hit = it.qty
            break
        found.append(hit)
    return found


# --- prefix-aggregate ---------------------------------------------------------------------------


def drawdowns(prices: list[float]) -> list[float]:
    out = []
    for i in range(len(prices)):
        peak = max(prices[: i + 1])
        out.append(peak - prices[i])
    return out


def prefix_totals(xs: list[int]) -> list[tuple[int, int]]:
    n = len(xs)
    out = []
    for i in range(n):
        if xs[i] % 2:
            continue
        out.append((sum(xs[: i + 1]), min(xs[0 : i + 1])))
    return out


# --- min-heap -------------------------------------------------------------------------------


def merge_runs(xs: list[int], extra: int) -> list[int]:
    todo = list(xs)
    out = []
    while todo:
        x = min(todo)
        todo.remove(x)
        out.append(x)
        if x % 3 == 0 and len(out) < 20:
            todo.append(x + extra)
    return out


def schedule(jobs: list[tuple[int, str]]) -> list[str]:
    queue = [(0, "start")]
    order = []
    for job in jobs:
        queue.append(job)
    while len(queue) > 0:
        queue.sort()
        _, name = queue.pop(0)
        order.append(name)
    return order


def spread_of(readings: list[float]) -> tuple[float, float]:
    centre = statistics.mean(readings)
    return centre, statistics.mean(abs(r - centre) for r in readings)
