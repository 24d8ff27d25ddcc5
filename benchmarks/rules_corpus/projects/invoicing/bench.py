"""Workload: a statement of 12000 lines, its total, rendering and top skus.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from invoicing import Line, Statement, TaxTable

CATS = ["food", "books", "tools", "garden", "toys"]
SPEC = "food=7; books=5;tools=19;garden=19;toys=19;default=19;clothes=19;baby=7;media=19"


def main() -> None:
    rng = random.Random(5)
    st = Statement("ACME", TaxTable(SPEC))
    for _ in range(12000):
        st.add(Line(f"SKU{rng.randint(0, 4000):05d}", rng.choice(CATS + ["misc"]),
                    rng.randint(1, 30), f"{rng.randint(0, 300)}.{rng.randint(0, 99):02d}"))
    print(f"total {st.total()}")
    text = st.render()
    print(f"rendered {len(text)} chars; last line {text.splitlines()[-1].split()[-1]}")
    print(f"top {st.top_skus(5)}")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
