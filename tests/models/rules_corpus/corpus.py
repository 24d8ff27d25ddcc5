# ruff: noqa: PERF401, PERF402, SIM118  (the corpus is deliberately written the slow way)
"""Small functions in the shapes the rules engine rewrites (and some it must leave alone).

The equivalence test rewrites every function with every applicable rule and compares the
original and rewritten versions on hypothesis-generated inputs. `STRATEGIES` (in
`strategies.py`) says how to generate each function's arguments.
"""

from __future__ import annotations

import re
from collections import deque

LIMIT = 10


def keep_allowed(items: list[str], allowed: list[str]) -> list[str]:
    kept = []
    for item in items:
        if item in allowed:
            kept.append(item)
    return kept


def count_blocked(codes: list[int], blocked: list[int]) -> int:
    n = 0
    for code in codes:
        if code not in blocked:
            continue
        n += 1
    return n


def pairs_in(pairs: list[tuple[str, int]], wanted: list[tuple[str, int]]) -> list[int]:
    return [i for i, p in enumerate(pairs) if p in wanted]


def mutating_allowed(items: list[str], allowed: list[str]) -> list[str]:
    out = []
    for item in items:
        if item in allowed:
            out.append(item)
        else:
            allowed.append(item)
    return out


def join_lines(words: list[str]) -> str:
    text = ""
    for w in words:
        text += w + "\n"
    return text


def join_prefixed(words: list[str], prefix: str) -> str:
    out = prefix
    for i, w in enumerate(words):
        if i % 2:
            out += f"[{w}]"
        else:
            out += w.upper()
    return out


def join_while(n: int) -> str:
    s = "start:"
    i = 0
    while i < n % 50:
        s += str(i)
        i += 1
    return s


def parse_pairs(lines: list[str]) -> list[tuple[str, int]]:
    found = []
    for line in lines:
        m = re.match(r"(\w+)=(\d+)", line)
        if m:
            found.append((m.group(1), int(m.group(2))))
    return found


def scrub(text: str) -> tuple[str, int]:
    cleaned = re.sub(r"\s+", " ", text, count=3)
    n = len(re.findall("[aeiou]", cleaned, flags=re.IGNORECASE))
    return cleaned, n


def split_fields(line: str) -> list[str]:
    pattern = re.compile(r"[,;]\s*")
    return pattern.split(line, maxsplit=2)


def lowest(xs: list[int]) -> int:
    if not xs:
        return -1
    return sorted(xs)[0]


def highest_word(words: list[str]) -> str:
    if words:
        return sorted(words)[-1]
    return ""


def longest_first(words: list[str]) -> str:
    if len(words) > 0:
        return sorted(words, key=len, reverse=True)[0]
    return ""


def last_longest(words: list[str]) -> str:
    if words:
        return sorted(words, key=len)[-1]
    return ""


def unguarded_lowest(xs: list[int]) -> int:
    return sorted(xs)[0]


def bfs_order(start: int, edges: dict[int, list[int]]) -> list[int]:
    queue = [start]
    seen = {start}
    order = []
    while queue:
        node = queue.pop(0)
        order.append(node)
        for nxt in edges.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return order


def rotate_left(xs: list[int], k: int) -> list[int]:
    q = list(xs)
    for _ in range(k % 7):
        if q:
            q.append(q.pop(0))
    out = []
    while q:
        out.append(q.pop(0))
    return out


def push_front(xs: list[int]) -> list[int]:
    q: list[int] = []
    for x in xs:
        q.insert(0, x)
    return [q.pop(0) for _ in range(len(q))]


def queue_returned(xs: list[int]) -> list[int]:
    q = list(xs)
    if q:
        q.pop(0)
    return q


def count_words(words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in words:
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return counts


def count_lower(words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in words:
        counts[w.lower()] = counts.get(w.lower(), 0) + 1
    return counts


def count_lengths(words: list[str]) -> dict[int, int]:
    by_len = {}
    for w in words:
        if len(w) not in by_len:
            by_len[len(w)] = 0
        by_len[len(w)] += 1
    return by_len


def uniq(xs: list[str]) -> list[str]:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def uniq_numbers(xs: list[float]) -> list[float]:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def uniq_firsts(pairs: list[tuple[str, int]]) -> list[str]:
    firsts = []
    for name, _n in pairs:
        if name not in firsts:
            firsts.append(name)
    return firsts


def squares(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x % 3:
            out.append(x * x)
    return out


def grid(n: int, m: int) -> list[tuple[int, int]]:
    cells = []
    for i in range(n % 6):
        for j in range(m % 6):
            cells.append((i, j))
    return cells


def loop_var_used_after(xs: list[int]) -> tuple[list[int], int]:
    out = []
    x = -1
    for x in xs:
        out.append(x + 1)
    return out, x


def stopword_hits(words: list[str], stops: list[str]) -> int:
    hits = 0
    for w in words:
        if w in set(stops):
            hits += len(stops)
    return hits


def normalize_all(words: list[str], sep: str) -> list[str]:
    out = []
    for w in words:
        out.append(w + sep.strip())
    return out


def total_double(xs: list[int]) -> int:
    return sum([x * 2 for x in xs if x > 0])


def max_len(words: list[str]) -> int:
    return max([len(w) for w in words], default=0)


def keys_present(d: dict[str, int], keys: list[str]) -> list[bool]:
    return [k in d.keys() for k in keys]


def key_list(d: dict[str, int]) -> list[str]:
    out = []
    for k in d.keys():
        out.append(k)
    return out


def is_vowel(c: str) -> bool:
    return c == "a" or c == "e" or c == "i" or c == "o" or c == "u"


def small_code(n: int) -> bool:
    return n == 1 or n == 2 or n == 3


def describe(xs: list[int], name: str) -> str:
    if len(xs) == 0:
        return "empty"
    if len(name) > 0 and not len(xs) < 1:
        return name
    return "anonymous"


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def paths(r: int, c: int) -> int:
    if r <= 0 or c <= 0:
        return 1 if r == 0 and c == 0 else 0
    return paths(r - 1, c) + paths(r, c - 1) + (LIMIT - LIMIT)


def fib_list(n: int) -> list[int]:
    if n < 2:
        return [n]
    return fib_list(n - 1) + fib_list(n - 2)


def already_deque(xs: list[int]) -> list[int]:
    q = deque(xs)
    out = []
    while q:
        out.append(q.popleft())
    return out
