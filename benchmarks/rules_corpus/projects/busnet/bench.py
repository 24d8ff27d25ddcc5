"""Deterministic workload for busnet: one synthetic city network, planned and reported on."""

import random
import zlib

import busnet as bn

SEED = 20240917
N_STOPS = 80
N_LINES = 10
HUBS = 6
FIRST_DEP = 6 * 60
LAST_DEP = 20 * 60
PLACES = ["Gare", "Place", "Rue", "Avenue", "Quai", "Parc", "Église", "Marché", "Hôpital",
          "Université", "Pont", "Cours"]
NAMES = ["Saint-Michel", "des Fleurs", "Côte d'Or", "Victor Hugo", "Émile Zola", "du Château",
         "Pasteur", "Jean Jaurès", "de la Paix", "St. Anne's", "Mistral", "Belle-Île"]
SEARCHES = ["gare", "EGLISE", "rue zola", "cote d or", "place", "st anne", "hopital pasteur",
            "pont", "quai des", "universite", "jean", "marche", "belle ile", "cours mistral",
            "nord", "avenue victor", "paix", "chateau", "xyz", "parc"]


def make_inputs(seed):
    rng = random.Random(seed)
    stop_rows = ["stop_id,name,zone"]
    used = set()
    for i in range(N_STOPS):
        while True:
            name = f"{rng.choice(PLACES)} {rng.choice(NAMES)}"
            if rng.random() < 0.3:
                name += rng.choice([" Nord", " Sud", " (Quai 2)", " - Est"])
            if name not in used:
                used.add(name)
                break
        stop_rows.append(f"S{i:03d},{name},Z{1 + i * 4 // N_STOPS}")
    stop_ids = [f"S{i:03d}" for i in range(N_STOPS)]
    hubs = stop_ids[:HUBS]

    line_rows = ["line_id,stops"]
    trip_rows = ["trip_id,line_id,stop_id,time"]
    plan = []
    for k in range(N_LINES):
        line_id = f"L{k + 1:02d}"
        count = rng.randint(10, 15)
        seq = rng.sample(stop_ids[HUBS:], count - 2)
        seq.insert(rng.randint(0, len(seq)), rng.choice(hubs))
        seq.insert(rng.randint(0, len(seq)), rng.choice([h for h in hubs if h not in seq]))
        line_rows.append(f"{line_id},{' '.join(seq)}")
        runs = [rng.randint(1, 4) for _ in range(len(seq) - 1)]
        headway = rng.choice([15, 20, 20, 25, 30])
        n = 0
        for direction, stops, legs in ((0, seq, runs), (1, seq[::-1], runs[::-1])):
            t = FIRST_DEP + rng.randint(0, headway - 1) + direction * 3
            while t <= LAST_DEP:
                trip_id = f"{line_id}-{n:03d}"
                n += 1
                clock = t + rng.choice([0, 0, 0, 1, -1])
                times = [clock]
                for run in legs:
                    clock += run + (1 if rng.random() < 0.1 else 0)
                    times.append(clock)
                plan.append((trip_id, line_id, list(zip(stops, times))))
                t += headway + rng.choice([0, 0, 5, -5])
    rng.shuffle(plan)
    plan.sort(key=lambda p: p[2][0][1])
    for trip_id, line_id, calls in plan:
        for stop_id, minute in calls:
            trip_rows.append(f"{trip_id},{line_id},{stop_id},{bn.format_time(minute)}")

    actual_rows = ["trip_id,stop_id,time"]
    for trip_id, _line_id, calls in plan:
        if rng.random() < 0.35:
            continue
        drift = 0.0
        for stop_id, minute in calls:
            drift = max(-2.0, drift + rng.gauss(0.4, 1.2))
            actual_rows.append(f"{trip_id},{stop_id},{bn.format_time(minute + round(drift))}")
    for j in range(40):
        actual_rows.append(f"X{j:03d},{rng.choice(stop_ids)},12:00")

    queries = []
    for _ in range(14):
        a, b = rng.sample(stop_ids, 2)
        queries.append((a, b, bn.format_time(rng.randint(FIRST_DEP, LAST_DEP - 60))))
    pairs = [tuple(rng.sample(stop_ids, 2)) for _ in range(300)]
    boards = [(rng.choice(stop_ids), bn.format_time(rng.randint(FIRST_DEP, LAST_DEP)))
              for _ in range(100)]
    texts = ("\n".join(stop_rows) + "\n", "\n".join(line_rows) + "\n",
             "\n".join(trip_rows) + "\n", "\n".join(actual_rows) + "\n")
    return texts, queries, pairs, boards


def run_round(network, actuals, queries, pairs, boards):
    crc = 0
    totals = {"journeys": 0, "unreachable": 0, "transfers": 0, "chains": 0}
    sample = None
    for origin, destination, depart in queries:
        journey = bn.earliest_arrival(network, origin, destination, depart)
        text = bn.describe_journey(network, journey)
        crc = zlib.crc32("\n".join(text).encode(), crc)
        if journey is None:
            totals["unreachable"] += 1
        else:
            totals["journeys"] += 1
            totals["transfers"] += journey["transfers"]
            sample = text
    for origin, destination in pairs:
        chain = bn.fewest_transfers(network, origin, destination)
        crc = zlib.crc32(repr(chain).encode(), crc)
        if chain is not None:
            totals["chains"] += chain["transfers"]
    for stop_id, after in boards:
        crc = zlib.crc32(repr(bn.departures(network, stop_id, after, 4)).encode(), crc)
    headways = bn.headway_report(network)
    crc = zlib.crc32(repr(headways).encode(), crc)
    report = bn.punctuality_report(network, actuals)
    crc = zlib.crc32(repr(report).encode(), crc)
    worst = bn.worst_stops(network, report, 3)
    for query in SEARCHES * 3:
        found = bn.search_stops(network, query, 5)
        crc = zlib.crc32(repr([s["stop_id"] for s in found]).encode(), crc)
    return totals, crc, sample, worst, report


def main():
    texts, queries, pairs, boards = make_inputs(SEED)
    network = bn.load_network(*texts[:3])
    actuals = bn.load_actuals(texts[3])
    print(f"stops={len(network['stops'])} lines={len(network['lines'])} "
          f"trips={len(network['trips'])} actuals={len(actuals)}")
    for r in range(2):
        totals, crc, sample, worst, report = run_round(network, actuals, queries, pairs, boards)
        print(f"round {r} {totals} matched={report['matched']} unmatched={report['unmatched']} "
              f"on_time={report['on_time_pct']} crc={crc:08x}")
        for line in sample:
            print(f"  {line}")
        for line in worst:
            print(f"  worst: {line}")
        # service change: every 7th trip is cancelled before the next round
        network["trips"] = [t for i, t in enumerate(network["trips"]) if i % 7 != 3]
    print(bn.stop_card(network, "S000"))
    print(bn.zone_summary(network))


if __name__ == "__main__":
    main()
