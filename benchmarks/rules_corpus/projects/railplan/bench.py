"""Deterministic workload for railplan: builds a generated network and runs everything."""

import random

from railplan import (
    busiest_stations,
    connections,
    delay_stats,
    departures_board,
    earliest_arrival,
    fewest_changes,
    format_time,
    interchange_stations,
    load_delays,
    load_network,
    shortest_travel_time,
)

N_STATIONS = 220
N_LINES = 14
N_CHANGE_QUERIES = 100
N_SHORTEST_QUERIES = 50
N_ARRIVAL_QUERIES = 4
N_DELAYS = 2500
N_BOARDS = 12

PREFIXES = ["Ash", "Brook", "Castle", "Dun", "Elm", "Fair", "Glen", "High", "King",
            "Long", "Mill", "North", "Oak", "Port", "Queens", "River", "Stone", "West"]
SUFFIXES = ["ford", "field", "ton", "bridge", "wood", "ham", "by", "gate", "well", "mouth"]
COLOURS = ["Red", "Blue", "Green", "Amber", "Violet", "Silver", "Gold", "Teal", "Coral",
           "Indigo", "Olive", "Maroon", "Navy", "Jade", "Ruby", "Slate", "Ivory", "Copper"]


def make_texts(rng):
    station_rows = ["code,name,zone"]
    codes = []
    for i in range(N_STATIONS):
        name = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
        code = f"{name[:3].upper()}{i:03d}"
        codes.append(code)
        station_rows.append(f"{code},{name} {i},{1 + i % 6}")

    hubs = codes[:25]
    line_rows = ["id,name,stops,run_minutes"]
    timetable_rows = ["line,direction,departures"]
    for n in range(N_LINES):
        length = rng.randint(18, 30)
        chosen = rng.sample(hubs, 4) + rng.sample(codes[25:], length - 4)
        rng.shuffle(chosen)
        runs = [rng.randint(2, 7) for _ in range(length - 1)]
        line_id = f"L{n + 1:02d}"
        line_rows.append(f"{line_id},{COLOURS[n]} Line,"
                         + ";".join(chosen) + "," + ";".join(str(r) for r in runs))
        headway = rng.choice([20, 25, 30, 40])
        for direction in ("F", "R"):
            first = 5 * 60 + 30 + rng.randint(0, 15)
            times = [format_time(t) for t in range(first, 22 * 60 + 30, headway)]
            timetable_rows.append(f"{line_id},{direction}," + " ".join(times))
    return "\n".join(station_rows), "\n".join(line_rows), "\n".join(timetable_rows), codes


def make_delays(rng, network):
    rows = ["line,station,scheduled,actual"]
    for _ in range(N_DELAYS):
        line = rng.choice(network.lines)
        code = rng.choice(line.stops)
        scheduled = rng.randint(5 * 60, 23 * 60 + 50)
        late = max(-2, int(rng.expovariate(0.3)) - 1)
        rows.append(f"{line.line_id},{code},{format_time(scheduled)},"
                    f"{format_time(scheduled + late)}")
    return "\n".join(rows)


def main():
    rng = random.Random(20240611)
    stations_text, lines_text, timetable_text, codes = make_texts(rng)
    network = load_network(stations_text, lines_text, timetable_text)
    print(f"stations={len(network.stations)} lines={len(network.lines)} "
          f"trips={len(network.trips)}")

    links = connections(network)
    hubs = interchange_stations(network)
    print(f"connections={len(links)} interchanges={len(hubs)} first={hubs[:3]}")

    served = sorted({code for line in network.lines for code in line.stops})
    change_total = 0
    unreachable = 0
    for _ in range(N_CHANGE_QUERIES):
        a, b = rng.choice(served), rng.choice(served)
        route = fewest_changes(network, a, b)
        if route is None:
            unreachable += 1
        else:
            change_total += route["changes"] * 7 + len(route["lines"])
    print(f"fewest_changes checksum={change_total} unreachable={unreachable}")
    sample = fewest_changes(network, served[0], served[-1])
    print(f"  sample {served[0]}->{served[-1]}: {sample}")

    minutes_total = 0
    path_total = 0
    for _ in range(N_SHORTEST_QUERIES):
        a, b = rng.choice(codes), rng.choice(codes)
        result = shortest_travel_time(network, a, b)
        if result is None:
            unreachable += 1
            continue
        minutes_total += result["minutes"]
        path_total += len(result["path"])
    print(f"shortest checksum minutes={minutes_total} stops={path_total}")

    arrival_total = 0
    leg_total = 0
    last = None
    for i in range(N_ARRIVAL_QUERIES):
        a, b = rng.choice(served), rng.choice(served)
        depart = format_time(6 * 60 + 97 * i % 600)
        last = earliest_arrival(network, a, b, depart)
        if last is None:
            continue
        arrival_total += last["minutes"]
        leg_total += len(last["legs"])
    print(f"earliest_arrival checksum minutes={arrival_total} legs={leg_total}")
    if last is not None:
        print(f"  last journey arrives {last['arrival']} via "
              + " > ".join(f"{leg['line']}@{leg['depart']}" for leg in last["legs"]))

    records = load_delays(make_delays(rng, network))
    stats = delay_stats(network, records)
    worst = max(stats, key=lambda s: (s["mean"], s["line"]))
    print(f"delays records={len(records)} total_mean={sum(s['mean'] for s in stats):.2f} "
          f"worst_line={worst['line']} mean={worst['mean']} at {worst['worst_station']}")
    for s in stats[:3]:
        print(f"  {s}")

    top = busiest_stations(network, top=5)
    print("busiest: " + ", ".join(f"{t['code']}={t['calls']}/{t['lines']}" for t in top))

    board_chars = 0
    board = ""
    for i in range(N_BOARDS):
        board = departures_board(network, hubs[i % len(hubs)], format_time(7 * 60 + 53 * i), 8)
        board_chars += len(board) + board.count("Line")
    print(f"boards={N_BOARDS} checksum={board_chars}")
    print(board, end="")


if __name__ == "__main__":
    main()
