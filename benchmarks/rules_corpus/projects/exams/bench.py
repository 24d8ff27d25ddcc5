"""Workload: one exam season for a board with a dozen centres and six papers.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from exams import (
    all_slips,
    centre_ranks,
    centre_report,
    centre_stats,
    grade_counts,
    load_boundaries,
    load_candidates,
    load_components,
    load_marks,
    load_moderation,
    results,
)

CANDIDATES = 500
CENTRES = [f"N{n:03d}" for n in (12, 17, 23, 31, 40, 44, 58, 61, 72, 86, 90, 97)]
PAPERS = ["BIO1", "CHEM1", "ENG2", "HIST1", "MATH1", "PHYS2"]
SURNAMES = ["SMITH", "JONES", "O'NEILL", "PATEL", "NGUYEN", "KOWALSKI", "BROWN", "OKAFOR",
            "MÜLLER", "GARCIA", "LI", "EVANS"]
GIVEN = ["amy", "ben", "chloe", "dev", "ella", "farah", "george", "hana", "ivan", "jo",
         "kofi", "lena"]


def make_inputs(rng: random.Random) -> tuple[str, str, str, str, str]:
    cand = ["candidate_id,name,centre"]
    for i in range(CANDIDATES):
        name = f"{rng.choice(SURNAMES)},  {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
        cand.append(f'C{10000 + i * 7},"{name}",{rng.choice(CENTRES)}')
    comps = ["paper,component,max_mark,weight"]
    layout = {}
    for paper in PAPERS:
        layout[paper] = []
        for k in range(rng.randint(2, 4)):
            top = rng.choice([40, 50, 60, 80, 100])
            layout[paper].append((f"P{k + 1}", top))
            comps.append(f"{paper},P{k + 1},{top},{rng.choice([1, 1, 2, 3])}")
    marks = ["candidate_id,paper,component,mark"]
    order = list(range(CANDIDATES))
    rng.shuffle(order)
    for i in order:
        ability = rng.random()
        for paper in rng.sample(PAPERS, rng.randint(2, 5)):
            away = rng.random() < 0.03
            for comp, top in layout[paper]:
                if away or rng.random() < 0.02:
                    marks.append(f"C{10000 + i * 7},{paper},{comp},ABS")
                    continue
                mark = round(top * min(1.0, max(0.0, rng.gauss(ability, 0.15))))
                marks.append(f"C{10000 + i * 7},{paper},{comp},{mark}")
    moder = ["centre,paper,adjustment"]
    for centre in CENTRES:
        for paper in PAPERS:
            if rng.random() < 0.4:
                moder.append(f"{centre},{paper},{rng.choice([-4, -2.5, -1, 1.5, 2, 3])}")
    bounds = ["paper,grade,min_score"]
    for paper in PAPERS:
        base = rng.randint(75, 85)
        for step, grade in enumerate(["A*", "A", "B", "C", "D", "E"]):
            bounds.append(f"{paper},{grade},{base - step * rng.randint(8, 11)}")
    return tuple("\n".join(t) + "\n" for t in (cand, comps, marks, moder, bounds))


def main() -> None:
    rng = random.Random(2024)
    cand_text, comp_text, mark_text, mod_text, bound_text = make_inputs(rng)
    candidates = load_candidates(cand_text)
    components = load_components(comp_text)
    marks = load_marks(mark_text)
    moderation = load_moderation(mod_text)
    boundaries = load_boundaries(bound_text)
    rows = results(candidates, components, marks, moderation, boundaries)
    sat = [r for r in rows if r["score"] is not None]
    print(f"{len(candidates)} candidates, {len(marks)} marks, {len(rows)} entries, "
          f"{len(sat)} sat")
    grades = {paper: grade_counts(rows, paper) for paper in PAPERS}
    print(f"MATH1 grades {grades['MATH1']}")
    stats = [centre_stats(rows, paper) for paper in [None, *PAPERS]]
    report = centre_report(rows)
    print(report.splitlines()[3])
    tops = [centre_ranks(rows, centre, "ENG2")[:3] for centre in CENTRES]
    print(f"ENG2 top at {CENTRES[0]}: {tops[0]}")
    slips = all_slips(rows)
    print(f"{len(slips)} slips, first:")
    print(slips[0])
    digest = hashlib.sha256(repr((rows, grades, stats, report, tops, slips)).encode()).hexdigest()
    print(f"sha256 {digest[:16]}")


if __name__ == "__main__":
    main()
