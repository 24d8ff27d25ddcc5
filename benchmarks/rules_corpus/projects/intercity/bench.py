"""Deterministic workload for intercity: build a network, then query it every way it offers."""

import math
import random
import zlib

import intercity as rp

SEED = 20240611
N_STATIONS = 72
N_LINES = 9

PREFIXES = ["Ash", "Bar", "Brad", "Chel", "Dun", "Elm", "Fen", "Gran", "Hal", "Ket", "Lang",
            "Mar", "Nor", "Ox", "Pen", "Rad", "Sal", "Thorn", "Wal", "Wes", "York", "Ave"]
SUFFIXES = ["ford", "ton", "bury", "field", "ley", "wick", "ham", "stead", "more", "bridge",
            "well", "combe"]


def build_tables(rng):
    names = set()
    while len(names) < N_STATIONS:
        names.add(rng.choice(PREFIXES) + rng.choice(SUFFIXES))
    names = sorted(names)
    codes = set()
    stations = [("CEN", "Central", 0.0, 0.0)]
    codes.add("CEN")
    for name in names:
        code = name[:3].upper()
        while code in codes:
            code = name[0].upper() + "".join(rng.choice("ABCDEFGHJKLMNPRSTWXYZ") for _ in range(2))
        codes.add(code)
        radius = 60 * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        stations.append((code, name, radius * math.cos(angle), radius * math.sin(angle)))

    station_rows = ["# code|name|zone|min change"]
    for code, name, x, y in stations:
        zone = min(6, 1 + int(math.hypot(x, y) // 10))
        change = 10 if code == "CEN" else rng.choice([3, 4, 5, 5, 6, 8])
        station_rows.append(f"{code}|{name}|{zone}|{change}")

    line_rows = ["# line|stops with running minutes"]
    line_stops = []
    for n in range(N_LINES):
        angle = math.pi * n / N_LINES + rng.uniform(-0.1, 0.1)
        dx, dy = math.cos(angle), math.sin(angle)
        picked = []
        for code, _, x, y in stations:
            across = abs(-dy * x + dx * y)
            if code == "CEN" or across < 5.5:
                picked.append((dx * x + dy * y, code, x, y))
        picked.sort()
        stops = []
        prev = None
        for _, code, x, y in picked:
            run = 0 if prev is None else max(2, int(math.hypot(x - prev[0], y - prev[1]) * 0.7))
            stops.append((code, run))
            prev = (x, y)
        line_stops.append(stops)
        line_rows.append(f"L{n + 1}|" + ",".join(f"{c}:{r}" for c, r in stops))

    service_rows = ["# service|line|day|dep|dir|skips"]
    platform_rows = ["# station|service|platform"]
    patterns = {"WD": (360, 1380, 20), "SA": (390, 1380, 30), "SU": (480, 1320, 60)}
    for n, stops in enumerate(line_stops):
        codes = [c for c, _ in stops]
        counter = 0
        for day, (first, last, every) in patterns.items():
            for direction in ("up", "down"):
                offset = rng.randrange(every)
                for k, dep in enumerate(range(first + offset, last, every)):
                    counter += 1
                    sid = f"{n + 1}{direction[0].upper()}{day[0]}{counter:03d}"
                    skips = []
                    if k % 3 == 2 and len(codes) > 4:
                        skips = [c for c in codes[1:-1] if c != "CEN" and rng.random() < 0.4]
                    hh, mm = divmod(dep, 60)
                    service_rows.append(
                        f"{sid}|L{n + 1}|{day}|{hh:02d}:{mm:02d}|{direction}|{';'.join(skips)}"
                    )
                    for c in codes[:-1]:
                        if c not in skips and rng.random() < 0.04:
                            platform_rows.append(f"{c}|{sid}|{rng.choice('345678')}")
    return ("\n".join(station_rows), "\n".join(line_rows), "\n".join(service_rows),
            "\n".join(platform_rows))


FARES = """# zones|peak|offpeak
1|3.40|2.60
2|4.60|3.50
3|9.80|7.40
4|11.20|8.30
5|14.80|10.90
6|16.90|12.20
"""


RAILCARDS = """# code|discount|min fare|offpeak only
YNG|34|12.00|no
SNR|34|12.00|yes
NET|34|13.00|yes
FAM|25|2.00|no
"""


def crc(obj):
    return zlib.crc32(repr(obj).encode())


def main():
    rng = random.Random(SEED)
    tables = build_tables(rng)
    net = rp.Network.from_tables(*tables)
    fares = rp.FareCalculator.from_tables(FARES, RAILCARDS)
    planner = rp.Planner(net)
    on_lines = [s.code for s in net.stations if s.lines]
    summary = net.summary()
    print(f"network: stations {summary['stations']} lines {summary['lines']} "
          f"services {sum(summary['services'].values())} "
          f"interchanges {len(summary['interchanges'])} platforms {len(net.platform_changes)}")

    direct = []
    for line in net.lines:
        codes = line.station_codes()
        for _ in range(16):
            a, b = rng.sample(codes, 2)
            day = rng.choice(rp.DAY_TYPES)
            direct.append(net.direct_services(a, b, day, rng.randrange(360, 1200)))
    print(f"direct: queries {len(direct)} trains {sum(len(d) for d in direct)} "
          f"crc {crc(direct):08x}")

    quotes = []
    card_sets = [("YNG",), ("SNR", "FAM"), ("YNG", "NET", "FAM"), ("FAM", "SNR", "NET", "YNG")]
    for i in range(140):
        line = net.lines[i % len(net.lines)]
        codes = line.station_codes()
        if i % 2:
            a, b = rng.sample(codes, 2)
        else:
            a, b = codes[rng.randrange(3)], codes[-1 - rng.randrange(3)]
            if rng.random() < 0.5:
                a, b = b, a
        quote = net.cheapest_fare(a, b, "WD", rng.randrange(360, 1200), fares,
                                  card_sets[i % len(card_sets)])
        quotes.append(quote)
    priced = [q for q in quotes if q is not None]
    print(f"fares: quotes {len(priced)} total {sum(q[0] for q in priced)} "
          f"tickets {sum(len(q[1]) for q in priced)} crc {crc(quotes):08x}")

    charts = []
    chart_cards = [("YNG", "FAM"), ("NET",), ("SNR", "YNG", "FAM")]
    for n, line in enumerate(net.lines[::-1][:4]):
        line_id, peak, cards = line.line_id, n % 2 == 1, chart_cards[n % 3]
        chart = net.fare_chart(line_id, fares, peak, cards)
        charts.append(sorted(chart.items()))
    print(f"charts: lines {len(charts)} pairs {sum(len(c) for c in charts)} "
          f"total {sum(v for c in charts for _, v in c)} crc {crc(charts):08x}")

    journeys = []
    for _ in range(6):
        a, b = rng.sample(on_lines, 2)
        day = rng.choice(rp.DAY_TYPES)
        journeys.append(planner.plan(a, b, day, rng.randrange(360, 1140)))
    found = [j for j in journeys if j]
    paid = [planner.journey_fare(j, "WD", fares, ("YNG",)) for j in found]
    print(f"planner: queries {len(journeys)} found {len(found)} "
          f"legs {sum(len(j) for j in found)} "
          f"arrive {sum(j[-1][4] for j in found)} fares {sum(paid)} crc {crc(journeys):08x}")
    text = "\n".join(planner.describe(j) for j in found[:3])
    print(f"described: {len(text)} chars crc {zlib.crc32(text.encode()):08x}")

    boards = []
    for code in ["CEN"] + sorted(rng.sample(on_lines, 5)):
        for day in rp.DAY_TYPES:
            boards.append(net.timetable(code, day))
    text = "\n\n".join(boards)
    print(f"timetables: boards {len(boards)} lines {text.count(chr(10)) + 1} "
          f"crc {zlib.crc32(text.encode()):08x}")


if __name__ == "__main__":
    main()
